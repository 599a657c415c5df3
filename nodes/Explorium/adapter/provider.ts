import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Provider, ProviderResponse, RejectedElement } from '../../bulk/types';
import { asRecord } from '../../bulk/values';

// Explorium as the engine sees it: its limits, the API generation a node version calls, and how its answers read.

/**
 * Every Explorium match and enrich endpoint takes 1..50 inputs. The rate limit counts records, not
 * requests: 200 per sliding minute per key, each id or match row one (50 ids use 50), reported in
 * X-RateLimit headers on every answer. Four full requests fill a minute, so 4 in flight by default.
 */
export const EXPLORIUM: Provider = {
	name: 'Explorium',
	credentialType: 'bulkEnrichmentExploriumApi',
	secretFields: ['apiKey'],
	limits: {
		maxBatchSize: 50,
		defaultConcurrency: 4,
		maxConcurrency: 20,
		rateLimit: { limit: 200, windowMs: 60_000, unit: 'record' },
		requestTimeoutMs: 60_000,
	},
	answerStatusField: 'response_context.request_status',
};

/**
 * Explorium's match and bulk enrich calls are synchronous look-ups: they enqueue nothing, and the
 * same request gives the same rows, so a request that timed out may be sent again.
 */
export const IDEMPOTENT_LOOKUP = true;

/** The generation of Explorium's API a node version calls: paths and answer shapes differ. */
export type ExploriumApi = 'v1' | 'v2';

/**
 * From this node version on, the node calls Explorium's v2 API (GA since 2 September 2026). Older
 * versions keep calling v1, so workflows saved with them behave as before until Explorium retires it.
 */
export const V2_API_NODE_VERSION = 3;

/** The API generation the running node's version calls. */
export function exploriumApiOf(context: Pick<IExecuteFunctions, 'getNode'>): ExploriumApi {
	return context.getNode().typeVersion >= V2_API_NODE_VERSION ? 'v2' : 'v1';
}

/**
 * Shown on node versions that call v1, in the editor and in each run's hint: saved workflows are
 * never upgraded by n8n, so only the user can move them (Explorium's migration guide gives the dates).
 */
export const V1_END_NOTICE =
	"Explorium ends support for its v1 API, which this node version calls, around March 2027 (v1 stops serving traffic about September 2027). To move to v2, replace this node with a new Explorium node from the nodes panel (new nodes call v2), the usual way to upgrade an n8n node's version, and copy its settings over.";

/**
 * Asks Explorium to add `credit_usage: {total_results, total_credits}` to each answer (it costs
 * nothing, and endpoints that use no credits ignore it): the run then reports what was charged.
 */
export const CREDIT_USAGE_HEADERS = { 'credit-usage': 'true' };

/** Where a found item keeps the records after the first, when Explorium answers one id with several. */
export const MORE_RECORDS_FIELD = 'more_records';

/**
 * The array under `key` in an Explorium answer; anything else is an unreadable answer. (An answer
 * naming a failure, e.g. `request_status: "failure"`, is the engine's to judge: request-outcomes.ts.)
 */
export function readRowArray(response: ProviderResponse, key: string): IDataObject[] {
	const rows = asRecord(response.body)[key];
	if (!Array.isArray(rows)) throw new Error(`expected a "${key}" list in the answer`);
	return rows.filter((row): row is IDataObject => row !== null && typeof row === 'object');
}

/**
 * Explorium rejects a whole request when one element is bad (422 `detail[].loc = ["body", field, index]`).
 * Returns the elements it named, so the rest can be sent again.
 */
export function findElementsNamedIn422(
	response: ProviderResponse,
	field: string,
): RejectedElement[] {
	if (response.statusCode !== 422) return [];
	const detail = (response.body as { detail?: unknown } | null)?.detail;
	if (!Array.isArray(detail)) return [];
	const rejected: RejectedElement[] = [];
	for (const entry of detail) {
		const loc = (entry as { loc?: unknown })?.loc;
		if (!Array.isArray(loc) || loc[0] !== 'body' || loc[1] !== field || typeof loc[2] !== 'number')
			continue;
		const message = (entry as { msg?: unknown }).msg;
		rejected.push({
			position: loc[2],
			reason: typeof message === 'string' ? message : 'invalid value',
		});
	}
	return rejected;
}

/**
 * The credits Explorium says an answer used (`credit_usage.total_credits`, present when the request
 * carried the `credit-usage: true` header); undefined when it says nothing or something unreadable.
 */
export function readReportedCredits(response: ProviderResponse): number | undefined {
	const total = asRecord(asRecord(response.body).credit_usage).total_credits;
	return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

/**
 * A row's records: v1 gives one object as `data`, v2 an object or a list of objects; empty ones are
 * no record. The item takes the first record's fields and keeps the others, never silently losing them.
 */
export function readRowRecords(data: unknown): IDataObject[] {
	return (Array.isArray(data) ? data : [data])
		.map(asRecord)
		.filter((entry) => Object.keys(entry).length > 0);
}
