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

const MAX_ITEMS = 50;
const PROSPECT_ENRICHMENTS = ['contacts_information', 'profiles', 'linkedin_posts'];
const BUSINESS_ENRICHMENTS = ['firmographics', 'technographics', 'funding_and_acquisition', 'workforce_trends', 'webstack'];
const PROSPECT_ID_PATTERN = '^[0-9a-f]{40}$';
const BUSINESS_ID_PATTERN = '^[0-9a-f]{32}$';
const CONTACT_TYPES = ['email', 'phone'];

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** @param {number} startedAt @param {string} status */
function responseContext(startedAt, status) {
	return {
		correlation_id: crypto.randomBytes(16).toString('hex'),
		request_status: status,
		time_took_in_seconds: Math.round((Date.now() - startedAt)) / 1000,
	};
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
		return { ok: false, response: unprocessable([{ loc: ['body'], msg: 'field required', type: 'value_error.missing' }]) };
	}
	/** @type {unknown} */
	let body;
	try {
		body = JSON.parse(rawBody);
	} catch (error) {
		const msg = error instanceof Error ? error.message : 'Expecting value';
		return { ok: false, response: unprocessable([{ loc: ['body', 0], msg, type: 'value_error.jsondecode' }]) };
	}
	if (!isObject(body)) {
		return { ok: false, response: unprocessable([{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }]) };
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
		detail.push({ loc: ['body', listKey], msg: 'none is not an allowed value', type: 'type_error.none.not_allowed' });
	} else if (!Array.isArray(list)) {
		detail.push({ loc: ['body', listKey], msg: 'value is not a valid list', type: 'type_error.list' });
	} else {
		list.forEach((item, index) => {
			for (const d of validateItem(item, index)) detail.push({ ...d, loc: ['body', listKey, index, ...d.loc] });
		});
		if (list.length < 1) {
			detail.push({ loc: ['body', listKey], msg: 'ensure this value has at least 1 items', type: 'value_error.list.min_items', ctx: { limit_value: 1 } });
		}
		if (list.length > MAX_ITEMS) {
			detail.push({ loc: ['body', listKey], msg: `ensure this value has at most ${MAX_ITEMS} items`, type: 'value_error.list.max_items', ctx: { limit_value: MAX_ITEMS } });
		}
	}
	if (body.request_context !== undefined && body.request_context !== null && !isObject(body.request_context)) {
		detail.push({ loc: ['body', 'request_context'], msg: 'value is not a valid dict', type: 'type_error.dict' });
	}
	for (const key of Object.keys(body)) {
		if (!allowedKeys.includes(key)) detail.push({ loc: ['body', key], msg: 'extra fields not permitted', type: 'value_error.extra' });
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
		if (item === null || item === undefined) return [{ loc: [], msg: 'none is not an allowed value', type: 'type_error.none.not_allowed' }];
		if (typeof item !== 'string') return [{ loc: [], msg: 'str type expected', type: 'type_error.str' }];
		if (!re.test(item)) return [{ loc: [], msg: `string does not match regex "${pattern}"`, type: 'value_error.str.regex', ctx: { pattern } }];
		return [];
	};
}

/**
 * @param {readonly string[]} fields
 * @returns {(item: unknown) => ValidationDetail[]}
 */
function matchInputValidator(fields) {
	return (item) => {
		if (!isObject(item)) return [{ loc: [], msg: 'value is not a valid dict', type: 'type_error.dict' }];
		/** @type {ValidationDetail[]} */
		const detail = [];
		for (const [key, value] of Object.entries(item)) {
			if (!fields.includes(key)) detail.push({ loc: [key], msg: 'extra fields not permitted', type: 'value_error.extra' });
			else if (value !== null && typeof value !== 'string') detail.push({ loc: [key], msg: 'str type expected', type: 'type_error.str' });
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
 * @param {number} startedAt
 * @param {AskedPeople} askedPeople
 * @returns {SimResponse}
 */
function matchProspects(body, startedAt, askedPeople) {
	const detail = validateListBody(body, 'prospects_to_match', ['prospects_to_match', 'request_context'], matchInputValidator(fake.PROSPECT_INPUT_FIELDS));
	if (detail.length > 0) return unprocessable(detail);
	const inputs = /** @type {Record<string, unknown>[]} */ (body.prospects_to_match);
	let matches = 0;
	const rows = inputs.map((item) => {
		const input = echoInput(item, fake.PROSPECT_INPUT_FIELDS);
		const outcome = fake.prospectMatchOutcome(item);
		if (outcome.kind === 'error') return { input, error: outcome.error, error_type: outcome.error_type };
		if (outcome.kind === 'nomatch') return { input, prospect_id: null };
		matches += 1;
		rememberAskedPerson(askedPeople, outcome.prospect_id, item);
		return { input, prospect_id: outcome.prospect_id };
	});
	return {
		status: 200,
		json: {
			response_context: responseContext(startedAt, 'success'),
			total_results: rows.length,
			total_matches: matches,
			matched_prospects: rows,
		},
	};
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
	if (askedPeople.size > MAX_ASKED_PEOPLE) askedPeople.delete(/** @type {string} */ (askedPeople.keys().next().value));
}

/**
 * @param {Record<string, unknown>} body
 * @param {number} startedAt
 * @returns {SimResponse}
 */
function matchBusinesses(body, startedAt) {
	const detail = validateListBody(body, 'businesses_to_match', ['businesses_to_match', 'request_context'], matchInputValidator(fake.BUSINESS_INPUT_FIELDS));
	if (detail.length > 0) return unprocessable(detail);
	const inputs = /** @type {Record<string, unknown>[]} */ (body.businesses_to_match);
	let matches = 0;
	const rows = inputs.map((item) => {
		const input = echoInput(item, fake.BUSINESS_INPUT_FIELDS);
		const outcome = fake.businessMatchOutcome(item);
		if (outcome.kind === 'error') return { input, error: outcome.error, error_type: outcome.error_type };
		if (outcome.kind === 'nomatch') return { input, business_id: null };
		matches += 1;
		return { input, business_id: outcome.business_id };
	});
	return {
		status: 200,
		json: {
			response_context: responseContext(startedAt, 'success'),
			total_results: rows.length,
			total_matches: matches,
			matched_businesses: rows,
		},
	};
}

/**
 * @param {Record<string, unknown>} body
 * @returns {ValidationDetail[]}
 */
function validateParameters(body) {
	const parameters = body.parameters;
	if (parameters === undefined || parameters === null) return [];
	if (!isObject(parameters)) return [{ loc: ['body', 'parameters'], msg: 'value is not a valid dict', type: 'type_error.dict' }];
	const types = parameters.contact_types;
	if (types === undefined || types === null) return [];
	if (!Array.isArray(types)) return [{ loc: ['body', 'parameters', 'contact_types'], msg: 'value is not a valid list', type: 'type_error.list' }];
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
 * @param {'prospect' | 'business'} entity
 * @param {string} enrichment
 * @param {Record<string, unknown>} body
 * @param {ExploriumAccount} account
 * @param {AskedPeople} askedPeople
 * @param {number} startedAt
 * @returns {SimResponse}
 */
function bulkEnrich(entity, enrichment, body, account, askedPeople, startedAt) {
	const listKey = entity === 'prospect' ? 'prospect_ids' : 'business_ids';
	const pattern = entity === 'prospect' ? PROSPECT_ID_PATTERN : BUSINESS_ID_PATTERN;
	const detail = [...validateListBody(body, listKey, [listKey, 'parameters', 'request_context'], idValidator(pattern)), ...validateParameters(body)];
	if (detail.length > 0) return unprocessable(detail);
	const ids = /** @type {string[]} */ (body[listKey]);
	const parameters = isObject(body.parameters) ? /** @type {{contact_types?: string[]}} */ (body.parameters) : null;
	const known = ids.filter((id) => fake.isKnownId(id));
	if (account.credits !== undefined) {
		if (account.credits < known.length) return { status: 403, json: { detail: 'Insufficient credits' } };
		account.credits -= known.length;
	}
	const rows = known.map((id) =>
		entity === 'prospect'
			? { prospect_id: id, data: fake.prospectEnrichmentFor(enrichment, id, parameters, askedPeople.get(id)) }
			: { business_id: id, data: fake.businessEnrichmentFor(enrichment, id) },
	);
	return {
		status: 200,
		json: {
			response_context: responseContext(startedAt, rows.length > 0 ? 'success' : 'miss'),
			data: rows,
			total_results: rows.length,
		},
	};
}

/**
 * @param {ExploriumAccount} account
 * @param {number} startedAt
 * @returns {SimResponse}
 */
function credits(account, startedAt) {
	const unlimited = 1000000;
	return {
		status: 200,
		json: {
			response_context: responseContext(startedAt, 'success'),
			allocated_credits: account.credits === undefined ? unlimited : (account.allocated ?? account.credits),
			remaining_credits: account.credits === undefined ? unlimited : account.credits,
		},
	};
}

/**
 * Handles one authenticated Explorium request.
 * @param {{method: string, path: string, rawBody: string}} request
 * @param {ExploriumAccount} account
 * @param {AskedPeople} askedPeople
 * @returns {SimResponse}
 */
function handleExplorium(request, account, askedPeople) {
	const startedAt = Date.now();
	const { method, path } = request;
	/** @type {null | ((body: Record<string, unknown>) => SimResponse)} */
	let post = null;
	let known = false;
	if (path === '/v1/credits') {
		if (method === 'GET') return credits(account, startedAt);
		known = true;
	} else if (path === '/v1/prospects/match') {
		post = (body) => matchProspects(body, startedAt, askedPeople);
	} else if (path === '/v1/businesses/match') {
		post = (body) => matchBusinesses(body, startedAt);
	} else {
		const m = /^\/v1\/(prospects|businesses)\/([a-z_]+)\/bulk_enrich$/.exec(path);
		if (m) {
			const entity = m[1] === 'prospects' ? 'prospect' : 'business';
			const enrichment = /** @type {string} */ (m[2]);
			const allowed = entity === 'prospect' ? PROSPECT_ENRICHMENTS : BUSINESS_ENRICHMENTS;
			if (allowed.includes(enrichment)) post = (body) => bulkEnrich(entity, enrichment, body, account, askedPeople, startedAt);
		}
	}
	if (post) {
		if (method !== 'POST') return { status: 405, json: { detail: 'Method Not Allowed' } };
		const parsed = parseBody(request.rawBody);
		if (!parsed.ok) return parsed.response;
		return post(parsed.body);
	}
	if (known) return { status: 405, json: { detail: 'Method Not Allowed' } };
	return { status: 404, json: { detail: 'Not Found' } };
}

/** @returns {SimResponse} */
function exploriumUnauthorized() {
	return { status: 401, json: { detail: 'Invalid API key' } };
}

module.exports = { handleExplorium, exploriumUnauthorized, PROSPECT_ENRICHMENTS, BUSINESS_ENRICHMENTS, MAX_ITEMS };
