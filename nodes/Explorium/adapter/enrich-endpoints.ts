import type { IDataObject } from 'n8n-workflow';

import type { Answer, BulkEndpoint } from '../../bulk/types';
import {
	EXPLORIUM,
	IDEMPOTENT_LOOKUP,
	CREDIT_USAGE_HEADERS,
	type ExploriumApi,
	findElementsNamedIn422,
	MORE_RECORDS_FIELD,
	readReportedCredits,
	readRowArray,
	readRowRecords,
} from './provider';
import type { BusinessIdInput, ProspectIdInput } from './schemas';
import { stableStringify } from '../../bulk/values';

// v1's `/bulk_enrich` takes 1..50 ids, v2's `/enrich` one id or a list of 1..50 (a list is always
// sent); v2 renamed `contacts_information` to `contact_information`.
const enrichPath = (api: ExploriumApi, entities: string, enrichment: string) =>
	api === 'v1'
		? `/v1/${entities}/${enrichment}/bulk_enrich`
		: `/v2/${entities}/${enrichment.replace('contacts_', 'contact_')}/enrich`;

export const prospectsBulkEnrichEndpoint = (
	enrichment: 'contacts_information' | 'profiles',
	parameters?: IDataObject,
	api: ExploriumApi = 'v1',
): BulkEndpoint<ProspectIdInput> =>
	enrichByIdEndpoint('prospect', enrichPath(api, 'prospects', enrichment), parameters);

export const businessesBulkEnrichEndpoint = (
	enrichment: 'firmographics',
	api: ExploriumApi = 'v1',
): BulkEndpoint<BusinessIdInput> =>
	enrichByIdEndpoint('business', enrichPath(api, 'businesses', enrichment));

/** Ids sent as the list `<what>_ids` (with its `parameters`), answered per id. */
function enrichByIdEndpoint<W extends 'prospect' | 'business'>(
	what: W,
	url: string,
	parameters?: IDataObject,
): BulkEndpoint<Record<`${W}_id`, string>> {
	const idField = `${what}_id` as const;
	const idOf = (input: Record<`${W}_id`, string>) => input[idField];
	const listField = `${idField}s`;
	return {
		provider: EXPLORIUM,
		idempotent: IDEMPOTENT_LOOKUP,
		identityOf: idOf,
		buildRequest: (chunk) => ({
			method: 'POST',
			url,
			headers: CREDIT_USAGE_HEADERS,
			body: { [listField]: chunk.map(idOf), ...(parameters ? { parameters } : {}) },
		}),
		readAnswers: (response, chunk) =>
			answersById(readRowArray(response, 'data'), what, chunk.map(idOf)),
		findRejectedElements: (response) => findElementsNamedIn422(response, listField),
		creditsUsedIn: readReportedCredits,
	};
}

/**
 * Matches rows to the ids sent by the id each row echoes (never by position: a miss leaves no row).
 * Every row for an id adds the records it does not repeat (ids compared case-insensitively), so a
 * second row for the same id, empty or not, never replaces a paid one. An id with no record is "not found".
 */
function answersById(rows: IDataObject[], what: string, idsSent: string[]): Answer[] {
	const idField = `${what}_id`;
	const recordsById = new Map<string, IDataObject[]>();
	for (const row of rows) {
		const id = row[idField];
		if (typeof id !== 'string') continue;
		const records = recordsById.get(id.toLowerCase()) ?? [];
		const seen = new Set(records.map(stableStringify));
		recordsById.set(id.toLowerCase(), [
			...records,
			...readRowRecords(row.data).filter((entry) => !seen.has(stableStringify(entry))),
		]);
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
