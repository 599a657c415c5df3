import type { IDataObject } from 'n8n-workflow';

import type { Answer, BulkEndpoint, ProviderResponse } from '../../bulk/types';
import { stableStringify } from '../../shared/field-schemas';
import { EXPLORIUM, IDEMPOTENT_LOOKUP } from './provider';
import { findElementsNamedIn422, readRowArray } from './read-rows';
import type { BusinessMatchInput, ProspectMatchInput } from './schemas';

/** Explorium documents matching as free: Max Records per Run counts only what enrichment sends. */
const MATCHING_IS_FREE = true;

/** POST /v1/prospects/match: person details to prospect ids. */
export const matchProspectsEndpoint: BulkEndpoint<ProspectMatchInput> = {
	provider: EXPLORIUM,
	idempotent: IDEMPOTENT_LOOKUP,
	free: MATCHING_IS_FREE,
	identityOf: stableStringify,
	buildRequest: (chunk) => ({ method: 'POST', url: '/v1/prospects/match', body: { prospects_to_match: chunk } }),
	readAnswers: (response, chunk) =>
		assignRowsToInputs(response, 'matched_prospects', chunk).map((row) => readMatchRow(row, 'prospect_id', 40, 'prospect')),
	findRejectedElements: (response) => findElementsNamedIn422(response, 'prospects_to_match'),
};

/** POST /v1/businesses/match: company details to business ids. */
export const matchBusinessesEndpoint: BulkEndpoint<BusinessMatchInput> = {
	provider: EXPLORIUM,
	idempotent: IDEMPOTENT_LOOKUP,
	free: MATCHING_IS_FREE,
	identityOf: stableStringify,
	buildRequest: (chunk) => ({ method: 'POST', url: '/v1/businesses/match', body: { businesses_to_match: chunk } }),
	readAnswers: (response, chunk) =>
		assignRowsToInputs(response, 'matched_businesses', chunk).map((row) => readMatchRow(row, 'business_id', 32, 'business')),
	findRejectedElements: (response) => findElementsNamedIn422(response, 'businesses_to_match'),
};

/**
 * The row that answers each input, or undefined. Rows echo their `input`: a row goes to the input
 * its echo matches (its own position first), so a reordered answer cannot give one person another's
 * id, and a row whose echo matches nothing is given to nobody. Rows without an echo are trusted by
 * position only when the answer has exactly one row per input.
 */
function assignRowsToInputs(response: ProviderResponse, key: string, chunk: object[]): Array<IDataObject | undefined> {
	const rows = readRowArray(response, key);
	const assigned: Array<IDataObject | undefined> = Array.from({ length: chunk.length }, () => undefined);
	const withoutEcho = rows.filter((row) => !isEcho(row.input));
	if (withoutEcho.length > 0 && rows.length !== chunk.length) {
		throw new Error(`expected ${chunk.length} "${key}" rows in input order, got ${rows.length}`);
	}
	rows.forEach((row, position) => {
		if (!isEcho(row.input)) {
			assigned[position] = row;
			return;
		}
		const echo = row.input;
		if (position < chunk.length && assigned[position] === undefined && echoMatches(echo, chunk[position])) {
			assigned[position] = row;
			return;
		}
		const owner = chunk.findIndex((input, index) => assigned[index] === undefined && echoMatches(echo, input));
		if (owner >= 0) assigned[owner] = row;
	});
	return assigned;
}

function isEcho(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every field the echo names holds what was sent (case and blanks aside; null means not sent). */
function echoMatches(echo: IDataObject, sent: object): boolean {
	const fields = sent as Record<string, unknown>;
	return Object.keys(echo).every((field) => comparable(echo[field]) === comparable(fields[field]));
}

function comparable(value: unknown): string {
	if (value === null || value === undefined) return '';
	return String(value).trim().toLowerCase();
}

function readMatchRow(row: IDataObject | undefined, idField: string, idLength: number, what: string): Answer {
	if (!row) {
		return { kind: 'error', message: `${EXPLORIUM.name}'s answer had no row for this input (no row echoed it)` };
	}
	const id = row[idField];
	if (typeof id === 'string' && id.length > 0) {
		if (!new RegExp(`^[0-9a-f]{${idLength}}$`).test(id)) {
			return { kind: 'error', message: `${EXPLORIUM.name} returned a malformed ${idField} ("${id.slice(0, 60)}")` };
		}
		return { kind: 'found', data: { [idField]: id } };
	}
	if (row.error !== undefined && row.error !== null) {
		const type = typeof row.error_type === 'string' ? ` (${row.error_type})` : '';
		return { kind: 'error', message: `${EXPLORIUM.name} could not match this input: ${String(row.error)}${type}` };
	}
	return { kind: 'notFound', reason: `${EXPLORIUM.name} found no matching ${what}`, data: { [idField]: null } };
}
