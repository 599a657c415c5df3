import type { IDataObject } from 'n8n-workflow';

import type { Answer, BulkEndpoint, ProviderResponse } from '../../bulk/types';
import { stableStringify } from '../../shared/field-schemas';
import { CREDIT_USAGE_HEADERS, type ExploriumApi } from './api-version';
import { EXPLORIUM, IDEMPOTENT_LOOKUP } from './provider';
import { findElementsNamedIn422, readReportedCredits, readRowArray } from './read-rows';
import type { BusinessMatchInput, ProspectMatchInput } from './schemas';

/** What differs between matching people and companies: the entity (it names the path and both lists), the id returned. */
type MatchKind = { entities: 'prospects' | 'businesses'; idField: string; idLength: number; what: string };

/**
 * POST /<api>/{prospects|businesses}/match (the same bodies on v1 and v2): details to Explorium ids.
 * A match costs credits: Explorium's per-call credit page lists Match Prospects and Match Businesses
 * among the credit-consuming endpoints (no per-match price is published). So it is not `free`: it
 * counts for Max Records per Run and refuses n8n's Retry On Fail like an enrichment, and only an
 * answer reporting 0 credits shows its records as sent free.
 */
function matchEndpoint<TInput extends object>(api: ExploriumApi, kind: MatchKind): BulkEndpoint<TInput> {
	const listKey = `${kind.entities}_to_match`;
	return {
		provider: EXPLORIUM,
		idempotent: IDEMPOTENT_LOOKUP,
		identityOf: stableStringify,
		buildRequest: (chunk) => ({ method: 'POST', url: `/${api}/${kind.entities}/match`, headers: CREDIT_USAGE_HEADERS, body: { [listKey]: chunk } }),
		readAnswers: (response, chunk) => readAssignedRows(assignRowsToInputs(response, `matched_${kind.entities}`, chunk), chunk, kind.idField, kind.idLength, kind.what),
		findRejectedElements: (response) => findElementsNamedIn422(response, listKey),
		creditsUsedIn: readReportedCredits,
	};
}

/** Person details to prospect ids (40 hex). */
export const matchProspectsEndpoint = (api: ExploriumApi): BulkEndpoint<ProspectMatchInput> =>
	matchEndpoint(api, { entities: 'prospects', idField: 'prospect_id', idLength: 40, what: 'prospect' });

/** Company details to business ids (32 hex). */
export const matchBusinessesEndpoint = (api: ExploriumApi): BulkEndpoint<BusinessMatchInput> =>
	matchEndpoint(api, { entities: 'businesses', idField: 'business_id', idLength: 32, what: 'business' });

/**
 * The row that answers each input, or undefined. Rows echo their `input` (documented): a row goes
 * to the input its echo matches (its own position first), so a reordered answer cannot give one
 * person another's id, and a row whose echo matches nothing is given to nobody. A row without an
 * echo cannot be attributed (the order alone proves nothing: a reordered answer would swap two
 * people's ids, and a following Enrich would pay for the wrong person), unless the chunk had one
 * input and the answer one row.
 */
function assignRowsToInputs(response: ProviderResponse, key: string, chunk: object[]): Assignment {
	const rows = readRowArray(response, key);
	const assigned: Array<IDataObject | undefined> = Array.from({ length: chunk.length }, () => undefined);
	const unattributed = rows.filter((row) => !isEcho(row.input)).length;
	if (unattributed > 0 && chunk.length === 1 && rows.length === 1) return { rows: [rows[0]], unattributed: 0 };
	rows.forEach((row, position) => {
		if (!isEcho(row.input)) return;
		const echo = row.input;
		if (position < chunk.length && assigned[position] === undefined && echoMatches(echo, chunk[position])) {
			assigned[position] = row;
			return;
		}
		const owner = chunk.findIndex((input, index) => assigned[index] === undefined && echoMatches(echo, input));
		if (owner >= 0) assigned[owner] = row;
	});
	return { rows: assigned, unattributed };
}

interface Assignment {
	/** The row of each input, aligned with the chunk. */
	rows: Array<IDataObject | undefined>;
	/** Rows without an `input` echo, given to nobody. */
	unattributed: number;
}

/** Each input's answer from the rows assigned to it. */
function readAssignedRows(
	assignment: Assignment,
	chunk: object[],
	idField: string,
	idLength: number,
	what: string,
): Answer[] {
	return assignment.rows.map((row) => {
		if (!row && assignment.unattributed > 0) {
			return {
				kind: 'error',
				message: `${EXPLORIUM.name}'s answer had ${assignment.unattributed} row(s) without the "input" echo, so which of the ${chunk.length} inputs each answers cannot be proven: none was given to this item`,
			};
		}
		return readMatchRow(row, idField, idLength, what);
	});
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
