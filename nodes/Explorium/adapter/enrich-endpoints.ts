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

export type ProspectEnrichment = 'contacts_information' | 'profiles';
export type BusinessEnrichment = 'firmographics';

/**
 * Each enrichment's path per API: v1's `/bulk_enrich` (1..50 ids), v2's `/enrich` (one id or a list
 * of 1..50: a list is always sent). v2 renamed `contacts_information` to `contact_information`.
 */
const ENRICH_PATHS: Record<
	ExploriumApi,
	Record<ProspectEnrichment | BusinessEnrichment, string>
> = {
	v1: {
		contacts_information: '/v1/prospects/contacts_information/bulk_enrich',
		profiles: '/v1/prospects/profiles/bulk_enrich',
		firmographics: '/v1/businesses/firmographics/bulk_enrich',
	},
	v2: {
		contacts_information: '/v2/prospects/contact_information/enrich',
		profiles: '/v2/prospects/profiles/enrich',
		firmographics: '/v2/businesses/firmographics/enrich',
	},
};

/** A prospect enrichment (see ENRICH_PATHS); rows carry their prospect_id. */
export const prospectsBulkEnrichEndpoint = (
	enrichment: ProspectEnrichment,
	parameters?: IDataObject,
	api: ExploriumApi = 'v1',
): BulkEndpoint<ProspectIdInput> =>
	enrichByIdEndpoint('prospect_id', 'prospect', ENRICH_PATHS[api][enrichment], parameters);

/** A business enrichment (see ENRICH_PATHS); rows carry their business_id. */
export const businessesBulkEnrichEndpoint = (
	enrichment: BusinessEnrichment,
	api: ExploriumApi = 'v1',
): BulkEndpoint<BusinessIdInput> =>
	enrichByIdEndpoint('business_id', 'business', ENRICH_PATHS[api][enrichment]);

/** An enrichment of ids sent as the list `<idField>s` (with its `parameters`), answered per id. */
function enrichByIdEndpoint<K extends string>(
	idField: K,
	what: string,
	url: string,
	parameters?: IDataObject,
): BulkEndpoint<Record<K, string>> {
	const idOf = (input: Record<K, string>) => input[idField];
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
			answersById(readRowArray(response, 'data'), idField, chunk.map(idOf), what),
		findRejectedElements: (response) => findElementsNamedIn422(response, listField),
		creditsUsedIn: readReportedCredits,
	};
}

/**
 * Matches rows to the ids sent by the id each row echoes (never by position: a miss leaves no row).
 * Every row for an id adds the records it does not repeat (ids compared case-insensitively), so a
 * second row for the same id, empty or not, never replaces a paid one. An id with no record is "not found".
 */
function answersById(
	rows: IDataObject[],
	idField: string,
	idsSent: string[],
	what: string,
): Answer[] {
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
