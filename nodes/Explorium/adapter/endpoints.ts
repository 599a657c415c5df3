import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Answer, BulkEndpoint, ProviderResponse, RejectedElement } from '../../bulk/types';
import { asRecord, isPlainObject, stableStringify } from '../../bulk/values';
import { EXPLORIUM, type ExploriumApi } from './provider';
import {
	idPattern,
	type BusinessIdInput,
	type BusinessMatchInput,
	type ProspectIdInput,
	type ProspectMatchInput,
} from './schemas';

type What = 'prospect' | 'business';
const ENTITIES = { prospect: 'prospects', business: 'businesses' };

/** Where a found item keeps the records after the first, when Explorium answers one id with several. */
const MORE_RECORDS_FIELD = 'more_records';

const failure = (message: string): Answer => ({ kind: 'error', message });

/** What every endpoint shares; each takes its 1..50 elements as the list `listField`. */
const endpointBase = (listField: string) => ({
	provider: EXPLORIUM,
	// Match and enrich are synchronous look-ups (nothing enqueued, same rows for the same request),
	// so a request that timed out may be sent again.
	idempotent: true,
	findRejectedElements: (response: ProviderResponse) => findElementsNamedIn422(response, listField),
	creditsUsedIn: readReportedCredits,
});

// Asks for `credit_usage` in each answer (free), so the run reports what was charged.
const post = (url: string, body: IDataObject): IHttpRequestOptions => ({
	method: 'POST',
	url,
	headers: { 'credit-usage': 'true' },
	body,
});

// v1's `/bulk_enrich` takes 1..50 ids, v2's `/enrich` one id or a list of 1..50 (a list is always
// sent); v2 renamed `contacts_information` to `contact_information`. Answered per id.
function enrichEndpoint(
	what: What,
	enrichment: string,
	api: ExploriumApi,
	parameters?: IDataObject,
): BulkEndpoint<Record<string, string>> {
	const idField = `${what}_id`;
	const listField = `${idField}s`;
	const idOf = (input: Record<string, string>) => input[idField];
	const url =
		api === 'v1'
			? `/v1/${ENTITIES[what]}/${enrichment}/bulk_enrich`
			: `/v2/${ENTITIES[what]}/${enrichment.replace('contacts_', 'contact_')}/enrich`;
	return {
		...endpointBase(listField),
		identityOf: idOf,
		buildRequest: (chunk) =>
			post(url, { [listField]: chunk.map(idOf), ...(parameters ? { parameters } : {}) }),
		readAnswers: (response, chunk) =>
			answersById(readRowArray(response, 'data'), what, chunk.map(idOf)),
	};
}

export const prospectsBulkEnrichEndpoint = (
	enrichment: 'contacts_information' | 'profiles',
	parameters?: IDataObject,
	api: ExploriumApi = 'v1',
): BulkEndpoint<ProspectIdInput> => enrichEndpoint('prospect', enrichment, api, parameters);

export const businessesBulkEnrichEndpoint = (
	enrichment: 'firmographics',
	api: ExploriumApi = 'v1',
): BulkEndpoint<BusinessIdInput> => enrichEndpoint('business', enrichment, api);

/**
 * Matches rows to the ids sent by the id each row echoes (never by position: a miss leaves no row).
 * Every row for an id adds the records it does not repeat (ids compared case-insensitively), so a
 * second row for the same id, empty or not, never replaces a paid one. An id with no record is "not
 * found". A row's records: v1's `data` is one object, v2's an object or a list; empty ones are none.
 */
function answersById(rows: IDataObject[], what: What, idsSent: string[]): Answer[] {
	const idField = `${what}_id`;
	const recordsById = new Map<string, IDataObject[]>();
	for (const row of rows) {
		const id = row[idField];
		if (typeof id !== 'string') continue;
		const records = recordsById.get(id.toLowerCase()) ?? [];
		const seen = new Set(records.map(stableStringify));
		const added = (Array.isArray(row.data) ? row.data : [row.data])
			.map(asRecord)
			.filter((entry) => Object.keys(entry).length > 0 && !seen.has(stableStringify(entry)));
		recordsById.set(id.toLowerCase(), [...records, ...added]);
	}
	return idsSent.map((id): Answer => {
		const [first, ...more] = recordsById.get(id.toLowerCase()) ?? [];
		if (!first)
			return {
				kind: 'notFound',
				reason: `${EXPLORIUM.name} returned no data for this ${what}`,
				data: { [idField]: id },
			};
		// The id sent identifies the item: an id inside the data never replaces it (kept aside if different).
		const { [idField]: returnedId, ...fields } = first;
		const aside =
			returnedId !== undefined && returnedId !== id ? { [`returned_${idField}`]: returnedId } : {};
		const others = more.length > 0 ? { [MORE_RECORDS_FIELD]: more } : {};
		return { kind: 'found', data: { [idField]: id, ...fields, ...aside, ...others } };
	});
}

// POST /<api>/{prospects|businesses}/match (the same bodies on v1 and v2). A match costs credits
// (Explorium lists both among its credit-consuming endpoints, with no per-match price), so it is not
// `free`: it counts for Max Records per Run and refuses n8n's Retry On Fail like an enrichment.
function matchEndpoint<TInput extends object>(api: ExploriumApi, what: What): BulkEndpoint<TInput> {
	const entities = ENTITIES[what];
	const listField = `${entities}_to_match`;
	const pattern = idPattern(what);
	return {
		...endpointBase(listField),
		identityOf: stableStringify,
		buildRequest: (chunk) => post(`/${api}/${entities}/match`, { [listField]: chunk }),
		readAnswers: (response, chunk) => {
			const rows = readRowArray(response, `matched_${entities}`);
			const { assigned, unattributed } = assignRowsToInputs(rows, chunk);
			return assigned.map((row) =>
				!row && unattributed > 0
					? failure(
							`${EXPLORIUM.name}'s answer had ${unattributed} row(s) without an "input" echo naming one input, so which of the ${chunk.length} inputs each answers cannot be proven: none was given to this item`,
						)
					: readMatchRow(row, what, pattern),
			);
		},
	};
}

export const matchProspectsEndpoint = (api: ExploriumApi) =>
	matchEndpoint<ProspectMatchInput>(api, 'prospect');
export const matchBusinessesEndpoint = (api: ExploriumApi) =>
	matchEndpoint<BusinessMatchInput>(api, 'business');

/**
 * The row that answers each input. Rows echo their `input` (documented), and a row goes only to the
 * one input its echo matches: order proves nothing (a reordered answer would swap two people's ids,
 * and a following Enrich would pay for the wrong person). A row without an echo, or whose echo fits
 * several inputs, counts as unattributed, unless the chunk had one input and the answer one row; a
 * row whose echo matches nothing is given to nobody; the first row for an input is its answer.
 */
function assignRowsToInputs(
	rows: IDataObject[],
	chunk: object[],
): { assigned: Array<IDataObject | undefined>; unattributed: number } {
	if (chunk.length === 1 && rows.length === 1 && !isPlainObject(rows[0].input))
		return { assigned: [rows[0]], unattributed: 0 };
	const assigned: Array<IDataObject | undefined> = chunk.map(() => undefined);
	let unattributed = 0;
	for (const row of rows) {
		const echo = row.input;
		const owners = isPlainObject(echo)
			? chunk.flatMap((input, index) => (echoMatches(echo, input) ? [index] : []))
			: [];
		if (owners.length === 1) assigned[owners[0]] ??= row;
		else if (owners.length !== 0 || !isPlainObject(echo)) unattributed++;
	}
	return { assigned, unattributed };
}

/** Every field the echo names holds what was sent (case and blanks aside; null means not sent). */
function echoMatches(echo: IDataObject, sent: object): boolean {
	const fields = sent as Record<string, unknown>;
	const comparable = (value: unknown) =>
		String(value ?? '')
			.trim()
			.toLowerCase();
	return Object.keys(echo).every((field) => comparable(echo[field]) === comparable(fields[field]));
}

function readMatchRow(row: IDataObject | undefined, what: What, pattern: RegExp): Answer {
	if (!row)
		return failure(`${EXPLORIUM.name}'s answer had no row for this input (no row echoed it)`);
	const idField = `${what}_id`;
	const id = row[idField];
	if (typeof id === 'string' && id.length > 0) {
		return pattern.test(id)
			? { kind: 'found', data: { [idField]: id } }
			: failure(`${EXPLORIUM.name} returned a malformed ${idField} ("${id.slice(0, 60)}")`);
	}
	if (row.error !== undefined && row.error !== null) {
		const type = typeof row.error_type === 'string' ? ` (${row.error_type})` : '';
		return failure(`${EXPLORIUM.name} could not match this input: ${String(row.error)}${type}`);
	}
	return {
		kind: 'notFound',
		reason: `${EXPLORIUM.name} found no matching ${what}`,
		data: { [idField]: null },
	};
}

/** The rows under `key`; no list there is an unreadable answer (a `request_status` failure is the engine's to judge). */
export function readRowArray(response: ProviderResponse, key: string): IDataObject[] {
	const rows = asRecord(response.body)[key];
	if (!Array.isArray(rows)) throw new Error(`expected a "${key}" list in the answer`);
	return rows.filter((row): row is IDataObject => row !== null && typeof row === 'object');
}

/** Explorium rejects a whole request for one bad element (422 `detail[].loc = ["body", field, index]`): those named. */
export function findElementsNamedIn422(
	response: ProviderResponse,
	field: string,
): RejectedElement[] {
	const detail = response.statusCode === 422 ? asRecord(response.body).detail : undefined;
	return (Array.isArray(detail) ? detail : []).flatMap((entry) => {
		const { loc, msg } = asRecord(entry);
		if (!Array.isArray(loc) || loc[0] !== 'body' || loc[1] !== field || typeof loc[2] !== 'number')
			return [];
		return [{ position: loc[2], reason: typeof msg === 'string' ? msg : 'invalid value' }];
	});
}

/** `credit_usage.total_credits` (asked for by `post`); undefined when absent or unreadable. */
export function readReportedCredits(response: ProviderResponse): number | undefined {
	const total = asRecord(asRecord(response.body).credit_usage).total_credits;
	return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

/** The fields most workflows use, for the Simplify toggle (n8n's guideline for outputs over 10 fields). */
const PROFILE_FIELDS = ['prospect_id', 'full_name', 'job_title', 'job_seniority_level']
	.concat(['job_department_main', 'company_name', 'company_website', 'linkedin'])
	.concat(['country_name', 'region_name', 'city']);
const FIRMOGRAPHICS_FIELDS = ['business_id', 'name', 'website', 'business_description']
	.concat(['country_name', 'region_name', 'city_name', 'number_of_employees_range'])
	.concat(['yearly_revenue_range', 'linkedin_industry_category', 'linkedin_profile']);

export const simplifyProfile = (data: IDataObject): IDataObject => pick(data, PROFILE_FIELDS);
export const simplifyFirmographics = (data: IDataObject): IDataObject =>
	pick(data, FIRMOGRAPHICS_FIELDS);

/** The chosen fields; records after the first (v2 may answer an id with several) are simplified alike, never dropped. */
function pick(data: IDataObject, fields: string[]): IDataObject {
	const result: IDataObject = {};
	for (const field of fields) if (data[field] !== undefined) result[field] = data[field];
	const more = data[MORE_RECORDS_FIELD];
	if (Array.isArray(more))
		result[MORE_RECORDS_FIELD] = (more as IDataObject[]).map((other) => pick(other, fields));
	return result;
}
