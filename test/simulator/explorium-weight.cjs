// @ts-check
'use strict';
/**
 * How many queries one Explorium request costs in the key's rate window.
 *
 * Explorium's current rate-limit page (https://developers.explorium.ai/reference/rate-limit.md):
 * 200 *queries* per minute per API key, 60 s sliding window; a single-entity call is one query, and
 * on the bulk / enrich and match endpoints every entity in the payload is one query (50 ids = 50,
 * a match of 10 prospects = 10); `X-RateLimit-Remaining` drops by that number.
 *
 * The weight is read from the body, whatever the path, so v1 (`…/bulk_enrich`, `…/match`) and v2
 * (`…/enrich`, `…/match`) weigh the same way:
 * - `prospects_to_match` / `businesses_to_match` (v1 and v2: arrays) → their length;
 * - `prospect_ids` / `business_ids`: an array → its length; a single string (v2 accepts one id) → 1;
 * - anything else → 1: no body (GET /credits, job status), a body that is not a JSON object, a body
 *   without those keys (a job submit `{list_id}`), a list that is empty or longer than the 50 the
 *   schema allows (the endpoint refuses it as malformed) [guess: the real limiter's count for a
 *   malformed body is not documented].
 */

/** The body keys whose entities count, in the order they are looked for. */
const EXPLORIUM_ENTITY_KEYS = Object.freeze([
	'prospects_to_match',
	'businesses_to_match',
	'prospect_ids',
	'business_ids',
]);

/** The most entities one bulk or match request may carry (every v1 and v2 schema: maxItems 50). */
const MAX_ENTITIES_PER_REQUEST = 50;

/**
 * The number of queries a request body counts for.
 * @param {unknown} body the parsed JSON body, or a raw string (parsed here), or null/undefined
 * @returns {number} at least 1
 */
function exploriumRequestWeight(body) {
	let parsed = body;
	if (typeof body === 'string') {
		if (body.trim() === '') return 1;
		try {
			parsed = JSON.parse(body);
		} catch {
			return 1;
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 1;
	const record = /** @type {Record<string, unknown>} */ (parsed);
	for (const key of EXPLORIUM_ENTITY_KEYS) {
		const value = record[key];
		if (value === undefined) continue;
		if (typeof value === 'string') return 1;
		if (Array.isArray(value) && value.length >= 1 && value.length <= MAX_ENTITIES_PER_REQUEST)
			return value.length;
		return 1;
	}
	return 1;
}

module.exports = { exploriumRequestWeight, EXPLORIUM_ENTITY_KEYS, MAX_ENTITIES_PER_REQUEST };
