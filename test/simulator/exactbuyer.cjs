// @ts-check
'use strict';
/**
 * ExactBuyer (https://api.exactbuyer.com) as the simulator plays it. Paths here are without the
 * `/exactbuyer` prefix, e.g. `/v1/bulk-enrich`.
 */
const fake = require('./fake-data.cjs');

/** @typedef {import('./faults.cjs').SimResponse} SimResponse */
/** @typedef {{credits?: number, contactShape?: import('./fake-data.cjs').ExactBuyerContactShape}} ExactBuyerAccount */

const MAX_INPUTS = 1000;

/** @param {number} status @param {string} message @returns {SimResponse} */
function fail(status, message) {
	return { status, json: { error: message } };
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * @param {string} name
 * @param {string | undefined} text
 * @returns {{ok: true, value: unknown} | {ok: false, response: SimResponse}}
 */
function parseJsonField(name, text) {
	try {
		return { ok: true, value: JSON.parse(String(text)) };
	} catch (error) {
		return {
			ok: false,
			response: fail(
				400,
				`${name} must be a JSON string: ${error instanceof Error ? error.message : 'invalid JSON'}`,
			),
		};
	}
}

/**
 * @param {unknown} list
 * @returns {{ok: true, types: string[]} | {ok: false, response: SimResponse}}
 */
function checkRequiredFields(list) {
	if (!Array.isArray(list))
		return { ok: false, response: fail(400, 'required_fields must be a JSON array') };
	/** @type {string[]} */
	const types = [];
	for (let i = 0; i < list.length; i++) {
		const item = list[i];
		const type = isObject(item) ? item.field_type : undefined;
		if (
			typeof type !== 'string' ||
			!fake.EXACTBUYER_REQUIRED_TYPES.includes(/** @type {any} */ (type))
		) {
			return {
				ok: false,
				response: fail(
					400,
					`required_fields[${i}]: unknown field_type ${JSON.stringify(type ?? null)} (expected one of ${fake.EXACTBUYER_REQUIRED_TYPES.join(', ')})`,
				),
			};
		}
		types.push(type);
	}
	return { ok: true, types };
}

/**
 * @param {ExactBuyerAccount} account
 * @param {number} count
 */
function spend(account, count) {
	if (account.credits === undefined) return true;
	if (account.credits < count) return false;
	account.credits -= count;
	return true;
}

/**
 * @param {URLSearchParams} query
 * @param {ExactBuyerAccount} account
 * @returns {SimResponse}
 */
function enrichOne(query, account) {
	/** @type {Array<[string, string]>} */
	const identifiers = [];
	for (const type of ['email', 'social_profile', 'phone']) {
		const value = query.get(type);
		if (value !== null && value.trim() !== '') identifiers.push([type, value]);
	}
	if (identifiers.length === 0)
		return fail(400, 'One of email, phone or social_profile is required');
	/** @type {string[]} */
	let required = [];
	const requiredParam = query.get('required');
	if (requiredParam) {
		required = requiredParam
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		const unknown = required.find(
			(r) => !fake.EXACTBUYER_REQUIRED_TYPES.includes(/** @type {any} */ (r)),
		);
		if (unknown) return fail(400, `required: unknown field type "${unknown}"`);
	}
	if (identifiers.some(([, v]) => v.toLowerCase().includes('nomatch')))
		return fail(404, 'Not found');
	const [type, value] = /** @type {[string, string]} */ (identifiers[0]);
	const contact = fake.exactBuyerResultFor(value, type, required, account.contactShape);
	if (!contact) return fail(404, 'Not found');
	if (!spend(account, 1)) return fail(403, 'Insufficient credits');
	return { status: 200, json: { result: contact } };
}

/**
 * @param {{contentType: string, form: Record<string, string> | null, formError?: string}} request
 * @param {ExactBuyerAccount} account
 * @returns {SimResponse}
 */
function bulkEnrich(request, account) {
	const mediaType = request.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
	if (mediaType !== 'multipart/form-data' && mediaType !== 'application/x-www-form-urlencoded') {
		return fail(
			400,
			'Send query_list and required_fields as form fields (multipart/form-data or application/x-www-form-urlencoded)',
		);
	}
	if (request.formError || !request.form)
		return fail(400, `Malformed form body: ${request.formError ?? 'unreadable'}`);
	const form = request.form;
	if (form.query_list === undefined) return fail(400, 'query_list is required');
	const parsedList = parseJsonField('query_list', form.query_list);
	if (!parsedList.ok) return parsedList.response;
	const list = parsedList.value;
	if (!Array.isArray(list)) return fail(400, 'query_list must be a JSON array');
	if (list.length === 0) return fail(400, 'query_list must contain at least 1 input');
	if (list.length > MAX_INPUTS)
		return fail(400, `query_list can contain at most ${MAX_INPUTS} inputs (got ${list.length})`);
	/** @type {Array<{type: string, value: string}>} */
	const queries = [];
	for (let i = 0; i < list.length; i++) {
		const item = list[i];
		if (!isObject(item))
			return fail(400, `query_list[${i}] must be an object with field_type and value`);
		const type = item.field_type;
		if (
			typeof type !== 'string' ||
			!fake.EXACTBUYER_QUERY_TYPES.includes(/** @type {any} */ (type))
		) {
			return fail(
				400,
				`query_list[${i}]: unknown field_type ${JSON.stringify(type ?? null)} (expected one of ${fake.EXACTBUYER_QUERY_TYPES.join(', ')})`,
			);
		}
		if (typeof item.value !== 'string' || item.value.trim() === '')
			return fail(400, `query_list[${i}]: value must be a non-empty string`);
		queries.push({ type, value: item.value });
	}
	/** @type {string[]} */
	let required = [];
	if (form.required_fields !== undefined && form.required_fields.trim() !== '') {
		const parsedRequired = parseJsonField('required_fields', form.required_fields);
		if (!parsedRequired.ok) return parsedRequired.response;
		const checked = checkRequiredFields(parsedRequired.value);
		if (!checked.ok) return checked.response;
		required = checked.types;
	}
	const contacts = queries.map((q) => ({
		enriched_contact: fake.exactBuyerResultFor(q.value, q.type, required, account.contactShape),
		value: q.value,
	}));
	const enriched = contacts.filter((c) => c.enriched_contact !== null).length;
	if (!spend(account, enriched)) return fail(403, 'Insufficient credits');
	return { status: 200, json: { contacts, records_enriched: enriched } };
}

/**
 * Handles one authenticated ExactBuyer request.
 * @param {{method: string, path: string, query: URLSearchParams, contentType: string, form: Record<string, string> | null, formError?: string}} request
 * @param {ExactBuyerAccount} account
 * @returns {SimResponse}
 */
function handleExactBuyer(request, account) {
	if (request.path === '/v1/enrich') {
		if (request.method !== 'GET') return fail(405, 'Method not allowed');
		return enrichOne(request.query, account);
	}
	if (request.path === '/v1/bulk-enrich') {
		if (request.method !== 'POST') return fail(405, 'Method not allowed');
		return bulkEnrich(request, account);
	}
	return fail(404, 'Not found');
}

/** @returns {SimResponse} */
function exactBuyerUnauthorized() {
	return fail(401, 'Unauthorized');
}

module.exports = { handleExactBuyer, exactBuyerUnauthorized, MAX_INPUTS };
