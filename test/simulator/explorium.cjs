// @ts-check
'use strict';
/**
 * Explorium (https://api.explorium.ai) as the simulator plays it. Paths here are without the
 * `/explorium` prefix, e.g. `/v1/prospects/match`.
 */
const crypto = require('node:crypto');
const { askedPersonForMatch } = require('./asked-person.cjs');
const fake = require('./fake-data.cjs');

/** @typedef {import('./faults.cjs').SimResponse} SimResponse */
/** @typedef {{credits?: number, allocated?: number}} ExploriumAccount */
/** @typedef {Map<string, import('./asked-person.cjs').AskedPerson>} AskedPeople whom each matched prospect id was asked for */
/** @typedef {{loc: Array<string | number>, msg: string, type: string, ctx?: Record<string, unknown>}} ValidationDetail */
/**
 * What every handler needs to know about the call: when it started, which API generation it is,
 * whether it asked for `credit_usage`, and the account it spends.
 * @typedef {{startedAt: number, api: 'v1' | 'v2', creditUsage: boolean, account: ExploriumAccount}} CallContext
 */

const MAX_ITEMS = 50;
const PROSPECT_ENRICHMENTS = ['contacts_information', 'profiles', 'linkedin_posts'];
/** v2's sync `/enrich` paths the simulator plays → the v1 enrichment whose data it answers with. */
const V2_PROSPECT_ENRICHMENTS = /** @type {Record<string, string>} */ ({
	contact_information: 'contacts_information',
	profiles: 'profiles',
});
const V2_BUSINESS_ENRICHMENTS = ['firmographics'];
const BUSINESS_ENRICHMENTS = [
	'firmographics',
	'technographics',
	'funding_and_acquisition',
	'workforce_trends',
	'webstack',
];
const PROSPECT_ID_PATTERN = '^[0-9a-f]{40}$';
const BUSINESS_ID_PATTERN = '^[0-9a-f]{32}$';
const CONTACT_TYPES = ['email', 'phone'];

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * v1 answers `time_took_in_seconds`; v2 (GA) renamed it `time_taken_in_seconds`.
 * @param {number} startedAt @param {string} status @param {'v1' | 'v2'} [api]
 */
function responseContext(startedAt, status, api = 'v1') {
	const seconds = Math.round(Date.now() - startedAt) / 1000;
	return {
		correlation_id: crypto.randomBytes(16).toString('hex'),
		request_status: status,
		...(api === 'v2' ? { time_taken_in_seconds: seconds } : { time_took_in_seconds: seconds }),
	};
}

/**
 * What a call costs in the simulator, reported as `credit_usage.total_credits`: contact information
 * 2 credits per found prospect with `contact_types: ["email"]`, 5 otherwise (Explorium's contact
 * information page); other enrichments 1 per found record; a match 1 per matched row (a guess:
 * Explorium lists match as credit-consuming but publishes no price).
 * @param {string} enrichment `match` or the v1 enrichment name
 * @param {number} found
 * @param {{contact_types?: string[]} | null} [parameters]
 */
function creditsFor(enrichment, found, parameters) {
	if (enrichment !== 'contacts_information') return found;
	const types =
		parameters && Array.isArray(parameters.contact_types) ? parameters.contact_types : [];
	return found * (types.length === 1 && types[0] === 'email' ? 2 : 5);
}

/**
 * Adds `credit_usage` to an answer when the request asked for it (header `credit-usage: true`,
 * the value case-insensitive); any other value, or none, leaves the answer as it was.
 * @param {Record<string, unknown>} json @param {CallContext} call @param {number} results @param {number} credits
 */
function withCreditUsage(json, call, results, credits) {
	return call.creditUsage
		? { ...json, credit_usage: { total_results: results, total_credits: credits } }
		: json;
}

/** @param {ValidationDetail[]} detail @returns {SimResponse} */
function unprocessable(detail) {
	return { status: 422, json: { detail } };
}

/**
 * Parses a JSON body the way FastAPI does (422 on invalid JSON or a non-object).
 * @param {string} rawBody
 * @returns {{ok: true, body: Record<string, unknown>} | {ok: false, response: SimResponse}}
 */
function parseBody(rawBody) {
	if (rawBody.trim() === '') {
		return {
			ok: false,
			response: unprocessable([
				{ loc: ['body'], msg: 'field required', type: 'value_error.missing' },
			]),
		};
	}
	/** @type {unknown} */
	let body;
	try {
		body = JSON.parse(rawBody);
	} catch (error) {
		const msg = error instanceof Error ? error.message : 'Expecting value';
		return {
			ok: false,
			response: unprocessable([{ loc: ['body', 0], msg, type: 'value_error.jsondecode' }]),
		};
	}
	if (!isObject(body)) {
		return {
			ok: false,
			response: unprocessable([
				{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' },
			]),
		};
	}
	return { ok: true, body };
}

/**
 * Validates `{<listKey>: [1..50 items], ...}`, pydantic-v1 style, collecting every problem.
 * @param {Record<string, unknown>} body
 * @param {string} listKey
 * @param {string[]} allowedKeys
 * @param {(item: unknown, index: number) => ValidationDetail[]} validateItem details with loc relative to the item
 * @returns {ValidationDetail[]}
 */
function validateListBody(body, listKey, allowedKeys, validateItem) {
	/** @type {ValidationDetail[]} */
	const detail = [];
	const list = body[listKey];
	if (list === undefined) {
		detail.push({ loc: ['body', listKey], msg: 'field required', type: 'value_error.missing' });
	} else if (list === null) {
		detail.push({
			loc: ['body', listKey],
			msg: 'none is not an allowed value',
			type: 'type_error.none.not_allowed',
		});
	} else if (!Array.isArray(list)) {
		detail.push({
			loc: ['body', listKey],
			msg: 'value is not a valid list',
			type: 'type_error.list',
		});
	} else {
		list.forEach((item, index) => {
			for (const d of validateItem(item, index))
				detail.push({ ...d, loc: ['body', listKey, index, ...d.loc] });
		});
		if (list.length < 1) {
			detail.push({
				loc: ['body', listKey],
				msg: 'ensure this value has at least 1 items',
				type: 'value_error.list.min_items',
				ctx: { limit_value: 1 },
			});
		}
		if (list.length > MAX_ITEMS) {
			detail.push({
				loc: ['body', listKey],
				msg: `ensure this value has at most ${MAX_ITEMS} items`,
				type: 'value_error.list.max_items',
				ctx: { limit_value: MAX_ITEMS },
			});
		}
	}
	if (
		body.request_context !== undefined &&
		body.request_context !== null &&
		!isObject(body.request_context)
	) {
		detail.push({
			loc: ['body', 'request_context'],
			msg: 'value is not a valid dict',
			type: 'type_error.dict',
		});
	}
	for (const key of Object.keys(body)) {
		if (!allowedKeys.includes(key))
			detail.push({
				loc: ['body', key],
				msg: 'extra fields not permitted',
				type: 'value_error.extra',
			});
	}
	return detail;
}

/**
 * @param {string} pattern
 * @returns {(item: unknown) => ValidationDetail[]}
 */
function idValidator(pattern) {
	const re = new RegExp(pattern);
	return (item) => {
		if (item === null || item === undefined)
			return [
				{ loc: [], msg: 'none is not an allowed value', type: 'type_error.none.not_allowed' },
			];
		if (typeof item !== 'string')
			return [{ loc: [], msg: 'str type expected', type: 'type_error.str' }];
		if (!re.test(item))
			return [
				{
					loc: [],
					msg: `string does not match regex "${pattern}"`,
					type: 'value_error.str.regex',
					ctx: { pattern },
				},
			];
		return [];
	};
}

/**
 * @param {readonly string[]} fields
 * @returns {(item: unknown) => ValidationDetail[]}
 */
function matchInputValidator(fields) {
	return (item) => {
		if (!isObject(item))
			return [{ loc: [], msg: 'value is not a valid dict', type: 'type_error.dict' }];
		/** @type {ValidationDetail[]} */
		const detail = [];
		for (const [key, value] of Object.entries(item)) {
			if (!fields.includes(key))
				detail.push({ loc: [key], msg: 'extra fields not permitted', type: 'value_error.extra' });
			else if (value !== null && typeof value !== 'string')
				detail.push({ loc: [key], msg: 'str type expected', type: 'type_error.str' });
		}
		return detail;
	};
}

/**
 * @param {Record<string, unknown>} item
 * @param {readonly string[]} fields
 */
function echoInput(item, fields) {
	/** @type {Record<string, unknown>} */
	const echo = {};
	for (const field of fields) echo[field] = item[field] === undefined ? null : item[field];
	return echo;
}

/**
 * @param {Record<string, unknown>} body
 * @param {CallContext} call
 * @param {AskedPeople} askedPeople
 * @returns {SimResponse}
 */
function matchProspects(body, call, askedPeople) {
	const detail = validateListBody(
		body,
		'prospects_to_match',
		['prospects_to_match', 'request_context'],
		matchInputValidator(fake.PROSPECT_INPUT_FIELDS),
	);
	if (detail.length > 0) return unprocessable(detail);
	const inputs = /** @type {Record<string, unknown>[]} */ (body.prospects_to_match);
	let matches = 0;
	const rows = inputs.map((item) => {
		const input = echoInput(item, fake.PROSPECT_INPUT_FIELDS);
		const outcome = fake.prospectMatchOutcome(item);
		if (outcome.kind === 'error')
			return { input, error: outcome.error, error_type: outcome.error_type };
		if (outcome.kind === 'nomatch') return { input, prospect_id: null };
		matches += 1;
		rememberAskedPerson(askedPeople, outcome.prospect_id, item);
		return { input, prospect_id: outcome.prospect_id };
	});
	return matchAnswer(
		{ total_results: rows.length, total_matches: matches, matched_prospects: rows },
		call,
		matches,
	);
}

/**
 * A match answer. v1 keeps its old accounting (matches spend nothing from the balance); on v2 each
 * matched row spends what it reports, and a balance too short refuses the whole request (403).
 * @param {Record<string, unknown>} fields @param {CallContext} call @param {number} matches
 * @returns {SimResponse}
 */
function matchAnswer(fields, call, matches) {
	const credits = creditsFor('match', matches);
	if (call.api === 'v2' && !spend(call.account, credits)) return insufficientCredits();
	const json = {
		response_context: responseContext(call.startedAt, 'success', call.api),
		...fields,
	};
	return { status: 200, json: withCreditUsage(json, call, matches, credits) };
}

/**
 * Takes `credits` from a limited balance; false (nothing taken) when it holds fewer.
 * @param {ExploriumAccount} account @param {number} credits
 */
function spend(account, credits) {
	if (account.credits === undefined) return true;
	if (account.credits < credits) return false;
	account.credits -= credits;
	return true;
}

/** @returns {SimResponse} */
function insufficientCredits() {
	return { status: 403, json: { detail: 'Insufficient credits' } };
}

/** Enough for any session by hand or test run; the oldest are forgotten first. */
const MAX_ASKED_PEOPLE = 100000;

/**
 * Remembers whom a match asked for, so that enriching the id later answers with that person.
 * @param {AskedPeople} askedPeople
 * @param {string} prospectId
 * @param {Record<string, unknown>} input
 */
function rememberAskedPerson(askedPeople, prospectId, input) {
	const asked = askedPersonForMatch(input);
	if (!asked) return;
	askedPeople.delete(prospectId);
	askedPeople.set(prospectId, asked);
	if (askedPeople.size > MAX_ASKED_PEOPLE)
		askedPeople.delete(/** @type {string} */ (askedPeople.keys().next().value));
}

/**
 * @param {Record<string, unknown>} body
 * @param {CallContext} call
 * @returns {SimResponse}
 */
function matchBusinesses(body, call) {
	const detail = validateListBody(
		body,
		'businesses_to_match',
		['businesses_to_match', 'request_context'],
		matchInputValidator(fake.BUSINESS_INPUT_FIELDS),
	);
	if (detail.length > 0) return unprocessable(detail);
	const inputs = /** @type {Record<string, unknown>[]} */ (body.businesses_to_match);
	let matches = 0;
	const rows = inputs.map((item) => {
		const input = echoInput(item, fake.BUSINESS_INPUT_FIELDS);
		const outcome = fake.businessMatchOutcome(item);
		if (outcome.kind === 'error')
			return { input, error: outcome.error, error_type: outcome.error_type };
		if (outcome.kind === 'nomatch') return { input, business_id: null };
		matches += 1;
		return { input, business_id: outcome.business_id };
	});
	return matchAnswer(
		{ total_results: rows.length, total_matches: matches, matched_businesses: rows },
		call,
		matches,
	);
}

/**
 * @param {Record<string, unknown>} body
 * @returns {ValidationDetail[]}
 */
function validateParameters(body) {
	const parameters = body.parameters;
	if (parameters === undefined || parameters === null) return [];
	if (!isObject(parameters))
		return [
			{ loc: ['body', 'parameters'], msg: 'value is not a valid dict', type: 'type_error.dict' },
		];
	const types = parameters.contact_types;
	if (types === undefined || types === null) return [];
	if (!Array.isArray(types))
		return [
			{
				loc: ['body', 'parameters', 'contact_types'],
				msg: 'value is not a valid list',
				type: 'type_error.list',
			},
		];
	/** @type {ValidationDetail[]} */
	const detail = [];
	types.forEach((t, i) => {
		if (typeof t !== 'string' || !CONTACT_TYPES.includes(t)) {
			detail.push({
				loc: ['body', 'parameters', 'contact_types', i],
				msg: "value is not a valid enumeration member; permitted: 'email', 'phone'",
				type: 'type_error.enum',
				ctx: { enum_values: CONTACT_TYPES },
			});
		}
	});
	return detail;
}

/**
 * v1's `/bulk_enrich`: a list of 1..50 ids; one credit per enriched row from a limited balance.
 * @param {'prospect' | 'business'} entity
 * @param {string} enrichment
 * @param {Record<string, unknown>} body
 * @param {CallContext} call
 * @param {AskedPeople} askedPeople
 * @returns {SimResponse}
 */
function bulkEnrich(entity, enrichment, body, call, askedPeople) {
	const { account } = call;
	const listKey = entity === 'prospect' ? 'prospect_ids' : 'business_ids';
	const pattern = entity === 'prospect' ? PROSPECT_ID_PATTERN : BUSINESS_ID_PATTERN;
	const detail = [
		...validateListBody(
			body,
			listKey,
			[listKey, 'parameters', 'request_context'],
			idValidator(pattern),
		),
		...validateParameters(body),
	];
	if (detail.length > 0) return unprocessable(detail);
	const ids = /** @type {string[]} */ (body[listKey]);
	const parameters = isObject(body.parameters)
		? /** @type {{contact_types?: string[]}} */ (body.parameters)
		: null;
	const known = ids.filter((id) => fake.isKnownId(id));
	if (account.credits !== undefined) {
		if (account.credits < known.length) return insufficientCredits();
		account.credits -= known.length;
	}
	const rows = known.map((id) =>
		entity === 'prospect'
			? {
					prospect_id: id,
					data: fake.prospectEnrichmentFor(enrichment, id, parameters, askedPeople.get(id)),
				}
			: { business_id: id, data: fake.businessEnrichmentFor(enrichment, id) },
	);
	const json = {
		response_context: responseContext(call.startedAt, rows.length > 0 ? 'success' : 'miss'),
		data: rows,
		total_results: rows.length,
	};
	return {
		status: 200,
		json: withCreditUsage(json, call, rows.length, creditsFor(enrichment, rows.length, parameters)),
	};
}

/**
 * v2's `{prospect_ids|business_ids}`: one id as a string, or a list of 1..50 (pydantic details
 * as for a list; a lone string's detail has no index).
 * @param {Record<string, unknown>} body @param {string} listKey @param {string} pattern
 * @returns {{detail: ValidationDetail[], ids: string[]}}
 */
function validateV2Ids(body, listKey, pattern) {
	const value = body[listKey];
	const single = typeof value === 'string';
	const asList = single ? { ...body, [listKey]: [value] } : body;
	const detail = [
		...validateListBody(
			asList,
			listKey,
			[listKey, 'parameters', 'request_context'],
			idValidator(pattern),
		),
		...validateParameters(body),
	];
	const unindexed = detail.map((d) =>
		single && d.loc[1] === listKey && d.loc[2] === 0 ? { ...d, loc: ['body', listKey] } : d,
	);
	return { detail: unindexed, ids: /** @type {string[]} */ (asList[listKey]) };
}

/**
 * v2's sync `/enrich`: ids as v2 takes them, the v2 shapes (contact information without `emails`,
 * `time_taken_in_seconds`), `data` a list of one object for some ids (fake.v2DataIsList), and a
 * limited balance spent by what `credit_usage` reports.
 * @param {'prospect' | 'business'} entity
 * @param {string} enrichment the v1 name of the enrichment
 * @param {Record<string, unknown>} body
 * @param {CallContext} call
 * @param {AskedPeople} askedPeople
 * @returns {SimResponse}
 */
function enrichV2(entity, enrichment, body, call, askedPeople) {
	const listKey = entity === 'prospect' ? 'prospect_ids' : 'business_ids';
	const { detail, ids } = validateV2Ids(
		body,
		listKey,
		entity === 'prospect' ? PROSPECT_ID_PATTERN : BUSINESS_ID_PATTERN,
	);
	if (detail.length > 0) return unprocessable(detail);
	const parameters = isObject(body.parameters)
		? /** @type {{contact_types?: string[]}} */ (body.parameters)
		: null;
	const known = ids.filter((id) => fake.isKnownId(id));
	const credits = creditsFor(enrichment, known.length, parameters);
	if (!spend(call.account, credits)) return insufficientCredits();
	const rows = known.map((id) => {
		const data =
			entity === 'business'
				? fake.businessEnrichmentFor(enrichment, id)
				: enrichment === 'contacts_information'
					? fake.contactInformationV2For(id, parameters, askedPeople.get(id))
					: fake.prospectEnrichmentFor(enrichment, id, parameters, askedPeople.get(id));
		return { [listKey.slice(0, -1)]: id, data: fake.v2DataIsList(id) ? [data] : data };
	});
	const json = {
		response_context: responseContext(call.startedAt, rows.length > 0 ? 'success' : 'miss', 'v2'),
		data: rows,
		total_results: rows.length,
	};
	return { status: 200, json: withCreditUsage(json, call, rows.length, credits) };
}

/**
 * @param {CallContext} call
 * @returns {SimResponse}
 */
function credits({ account, startedAt, api }) {
	const unlimited = 1000000;
	return {
		status: 200,
		json: {
			response_context: responseContext(startedAt, 'success', api),
			allocated_credits:
				account.credits === undefined ? unlimited : (account.allocated ?? account.credits),
			remaining_credits: account.credits === undefined ? unlimited : account.credits,
		},
	};
}

/**
 * Handles one authenticated Explorium request: v1 as it always was (saved workflows call it), and
 * v2's paths in v2's shapes. v2 has no `/bulk_enrich` and no `contacts_information` path: 404.
 * @param {{method: string, path: string, rawBody: string, headers?: Record<string, string>}} request headers lower-cased
 * @param {ExploriumAccount} account
 * @param {AskedPeople} askedPeople
 * @returns {SimResponse}
 */
function handleExplorium(request, account, askedPeople) {
	const { method, path } = request;
	const version = /^\/(v1|v2)\//.exec(path)?.[1];
	if (!version) return { status: 404, json: { detail: 'Not Found' } };
	/** @type {CallContext} */
	const call = {
		startedAt: Date.now(),
		api: version === 'v2' ? 'v2' : 'v1',
		creditUsage: String(request.headers?.['credit-usage'] ?? '').toLowerCase() === 'true',
		account,
	};
	if (path === `/${version}/credits`)
		return method === 'GET'
			? credits(call)
			: { status: 405, json: { detail: 'Method Not Allowed' } };
	const post = routePost(path, call, askedPeople);
	if (!post) return { status: 404, json: { detail: 'Not Found' } };
	if (method !== 'POST') return { status: 405, json: { detail: 'Method Not Allowed' } };
	const parsed = parseBody(request.rawBody);
	if (!parsed.ok) return parsed.response;
	return post(parsed.body);
}

/**
 * The handler of a POST path, or null (404).
 * @param {string} path @param {CallContext} call @param {AskedPeople} askedPeople
 * @returns {null | ((body: Record<string, unknown>) => SimResponse)}
 */
function routePost(path, call, askedPeople) {
	if (path === `/${call.api}/prospects/match`)
		return (body) => matchProspects(body, call, askedPeople);
	if (path === `/${call.api}/businesses/match`) return (body) => matchBusinesses(body, call);
	const v1 = /^\/v1\/(prospects|businesses)\/([a-z_]+)\/bulk_enrich$/.exec(path);
	if (v1 && call.api === 'v1') {
		const entity = v1[1] === 'prospects' ? 'prospect' : 'business';
		const enrichment = /** @type {string} */ (v1[2]);
		const allowed = entity === 'prospect' ? PROSPECT_ENRICHMENTS : BUSINESS_ENRICHMENTS;
		return allowed.includes(enrichment)
			? (body) => bulkEnrich(entity, enrichment, body, call, askedPeople)
			: null;
	}
	const v2 = /^\/v2\/(prospects|businesses)\/([a-z_]+)\/enrich$/.exec(path);
	if (!v2) return null;
	const name = /** @type {string} */ (v2[2]);
	if (v2[1] === 'prospects') {
		const enrichment = V2_PROSPECT_ENRICHMENTS[name];
		return enrichment ? (body) => enrichV2('prospect', enrichment, body, call, askedPeople) : null;
	}
	return V2_BUSINESS_ENRICHMENTS.includes(name)
		? (body) => enrichV2('business', name, body, call, askedPeople)
		: null;
}

/** @returns {SimResponse} */
function exploriumUnauthorized() {
	return { status: 401, json: { detail: 'Invalid API key' } };
}

module.exports = {
	handleExplorium,
	exploriumUnauthorized,
	PROSPECT_ENRICHMENTS,
	BUSINESS_ENRICHMENTS,
	V2_PROSPECT_ENRICHMENTS,
	V2_BUSINESS_ENRICHMENTS,
	MAX_ITEMS,
};
