import type { IDataObject } from 'n8n-workflow';

import type { Answer, BulkEndpoint } from '../../bulk/types';
import { EXPLORIUM, IDEMPOTENT_LOOKUP } from './provider';
import { findElementsNamedIn422, readRowArray } from './read-rows';
import type { BusinessIdInput, ProspectIdInput } from './schemas';

export type ProspectEnrichment = 'contacts_information' | 'profiles';
export type BusinessEnrichment = 'firmographics';

/** POST /v1/prospects/<enrichment>/bulk_enrich; rows carry their prospect_id. */
export function prospectsBulkEnrichEndpoint(
	enrichment: ProspectEnrichment,
	parameters?: IDataObject,
): BulkEndpoint<ProspectIdInput> {
	return {
		provider: EXPLORIUM,
		idempotent: IDEMPOTENT_LOOKUP,
		identityOf: (input) => input.prospect_id,
		buildRequest: (chunk) => ({
			method: 'POST',
			url: `/v1/prospects/${enrichment}/bulk_enrich`,
			body: { prospect_ids: chunk.map((input) => input.prospect_id), ...(parameters ? { parameters } : {}) },
		}),
		readAnswers: (response, chunk) =>
			answersById(readRowArray(response, 'data'), 'prospect_id', chunk.map((input) => input.prospect_id), 'prospect'),
		findRejectedElements: (response) => findElementsNamedIn422(response, 'prospect_ids'),
	};
}

/** POST /v1/businesses/<enrichment>/bulk_enrich; rows carry their business_id. */
export function businessesBulkEnrichEndpoint(enrichment: BusinessEnrichment): BulkEndpoint<BusinessIdInput> {
	return {
		provider: EXPLORIUM,
		idempotent: IDEMPOTENT_LOOKUP,
		identityOf: (input) => input.business_id,
		buildRequest: (chunk) => ({
			method: 'POST',
			url: `/v1/businesses/${enrichment}/bulk_enrich`,
			body: { business_ids: chunk.map((input) => input.business_id) },
		}),
		readAnswers: (response, chunk) =>
			answersById(readRowArray(response, 'data'), 'business_id', chunk.map((input) => input.business_id), 'business'),
		findRejectedElements: (response) => findElementsNamedIn422(response, 'business_ids'),
	};
}

/**
 * Matches rows to the ids sent by the id each row echoes (never by position: a miss leaves no row).
 * An id with no row, or a row with empty data, is an explicit "not found".
 */
function answersById(rows: IDataObject[], idField: string, idsSent: string[], what: string): Answer[] {
	const rowById = new Map<string, IDataObject>();
	for (const row of rows) {
		const id = row[idField];
		if (typeof id === 'string') rowById.set(id.toLowerCase(), row);
	}
	return idsSent.map((id): Answer => {
		const data = rowById.get(id)?.data;
		if (data && typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length > 0) {
			// The id sent identifies the item: an id inside the data never replaces it (kept aside if different).
			const { [idField]: returnedId, ...fields } = data as IDataObject;
			const aside = returnedId !== undefined && returnedId !== id ? { [`returned_${idField}`]: returnedId } : {};
			return { kind: 'found', data: { [idField]: id, ...fields, ...aside } };
		}
		return { kind: 'notFound', reason: `${EXPLORIUM.name} returned no data for this ${what}`, data: { [idField]: id } };
	});
}
