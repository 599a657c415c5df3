import type { IDataObject } from 'n8n-workflow';

import type { Answer, BulkEndpoint, ProviderResponse } from '../../bulk/types';
import { isPlainObject, stableStringify } from '../../bulk/values';
import {
	EXPLORIUM,
	IDEMPOTENT_LOOKUP,
	CREDIT_USAGE_HEADERS,
	type ExploriumApi,
	findElementsNamedIn422,
	readReportedCredits,
	readRowArray,
} from './provider';
import type { BusinessMatchInput, ProspectMatchInput } from './schemas';

/** The entity names the path and both lists; the id returned is `<what>_id`, idLength hex. */
type MatchKind = { what: 'prospect' | 'business'; entities: string; idLength: number };

const failure = (message: string): Answer => ({ kind: 'error', message });

// POST /<api>/{prospects|businesses}/match (the same bodies on v1 and v2). A match costs credits
// (Explorium lists both among its credit-consuming endpoints, with no per-match price), so it is not
// `free`: it counts for Max Records per Run and refuses n8n's Retry On Fail like an enrichment.
function matchEndpoint<TInput extends object>(
	api: ExploriumApi,
	kind: MatchKind,
): BulkEndpoint<TInput> {
	const listKey = `${kind.entities}_to_match`;
	return {
		provider: EXPLORIUM,
		idempotent: IDEMPOTENT_LOOKUP,
		identityOf: stableStringify,
		buildRequest: (chunk) => ({
			method: 'POST',
			url: `/${api}/${kind.entities}/match`,
			headers: CREDIT_USAGE_HEADERS,
			body: { [listKey]: chunk },
		}),
		readAnswers: (response, chunk) => {
			const { rows, unattributed } = assignRowsToInputs(response, kind.entities, chunk);
			return rows.map((row) =>
				!row && unattributed > 0
					? failure(
							`${EXPLORIUM.name}'s answer had ${unattributed} row(s) without an "input" echo naming one input, so which of the ${chunk.length} inputs each answers cannot be proven: none was given to this item`,
						)
					: readMatchRow(row, kind),
			);
		},
		findRejectedElements: (response) => findElementsNamedIn422(response, listKey),
		creditsUsedIn: readReportedCredits,
	};
}

export const matchProspectsEndpoint = (api: ExploriumApi): BulkEndpoint<ProspectMatchInput> =>
	matchEndpoint(api, { what: 'prospect', entities: 'prospects', idLength: 40 });

export const matchBusinessesEndpoint = (api: ExploriumApi): BulkEndpoint<BusinessMatchInput> =>
	matchEndpoint(api, { what: 'business', entities: 'businesses', idLength: 32 });

/**
 * The row that answers each input. Rows echo their `input` (documented), and a row goes only to the
 * one input its echo matches: order proves nothing (a reordered answer would swap two people's ids,
 * and a following Enrich would pay for the wrong person). A row without an echo, or whose echo fits
 * several inputs, counts as unattributed, unless the chunk had one input and the answer one row; a
 * row whose echo matches nothing is given to nobody; the first row for an input is its answer.
 */
function assignRowsToInputs(
	response: ProviderResponse,
	entities: string,
	chunk: object[],
): { rows: Array<IDataObject | undefined>; unattributed: number } {
	const rows = readRowArray(response, `matched_${entities}`);
	if (chunk.length === 1 && rows.length === 1 && !isPlainObject(rows[0].input))
		return { rows: [rows[0]], unattributed: 0 };
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
	return { rows: assigned, unattributed };
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

function readMatchRow(row: IDataObject | undefined, { what, idLength }: MatchKind): Answer {
	if (!row)
		return failure(`${EXPLORIUM.name}'s answer had no row for this input (no row echoed it)`);
	const idField = `${what}_id`;
	const id = row[idField];
	if (typeof id === 'string' && id.length > 0) {
		return new RegExp(`^[0-9a-f]{${idLength}}$`).test(id)
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
