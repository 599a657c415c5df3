import type { IDataObject } from 'n8n-workflow';

import type { Answer, BulkEndpoint, ProviderResponse } from '../../bulk/types';
import { EXPLORIUM, IDEMPOTENT_LOOKUP } from './provider';
import { findElementsNamedIn422, readRowArray } from './read-rows';
import type { BusinessMatchInput, ProspectMatchInput } from './schemas';

/** POST /v1/prospects/match: person details to prospect ids; rows come back in input order. */
export const matchProspectsEndpoint: BulkEndpoint<ProspectMatchInput> = {
	provider: EXPLORIUM,
	idempotent: IDEMPOTENT_LOOKUP,
	identityOf: stableIdentity,
	buildRequest: (chunk) => ({ method: 'POST', url: '/v1/prospects/match', body: { prospects_to_match: chunk } }),
	readAnswers: (response, chunk) =>
		readRowsInInputOrder(response, 'matched_prospects', chunk.length).map((row) =>
			readMatchRow(row, 'prospect_id', 'prospect'),
		),
	findRejectedElements: (response) => findElementsNamedIn422(response, 'prospects_to_match'),
};

/** POST /v1/businesses/match: company details to business ids; rows come back in input order. */
export const matchBusinessesEndpoint: BulkEndpoint<BusinessMatchInput> = {
	provider: EXPLORIUM,
	idempotent: IDEMPOTENT_LOOKUP,
	identityOf: stableIdentity,
	buildRequest: (chunk) => ({ method: 'POST', url: '/v1/businesses/match', body: { businesses_to_match: chunk } }),
	readAnswers: (response, chunk) =>
		readRowsInInputOrder(response, 'matched_businesses', chunk.length).map((row) =>
			readMatchRow(row, 'business_id', 'business'),
		),
	findRejectedElements: (response) => findElementsNamedIn422(response, 'businesses_to_match'),
};

/** Match rows carry no id of ours, only their position: any other count would misplace results. */
function readRowsInInputOrder(response: ProviderResponse, key: string, expected: number): IDataObject[] {
	const rows = readRowArray(response, key);
	if (rows.length !== expected) throw new Error(`expected ${expected} "${key}" rows in input order, got ${rows.length}`);
	return rows;
}

function readMatchRow(row: IDataObject, idField: string, what: string): Answer {
	const id = row[idField];
	if (typeof id === 'string' && id.length > 0) return { kind: 'found', data: { [idField]: id } };
	if (row.error !== undefined && row.error !== null) {
		const type = typeof row.error_type === 'string' ? ` (${row.error_type})` : '';
		return { kind: 'error', message: `${EXPLORIUM.name} could not match this input: ${String(row.error)}${type}` };
	}
	return { kind: 'notFound', reason: `${EXPLORIUM.name} found no matching ${what}`, data: { [idField]: null } };
}

/** Same fields and values in any key order give the same identity. */
function stableIdentity(input: Record<string, unknown>): string {
	return JSON.stringify(Object.keys(input).sort().map((key) => [key, input[key]]));
}
