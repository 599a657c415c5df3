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

/** What differs between matching people and companies: the entity (it names the path and both lists), the id returned. */
type MatchKind = {
	entities: 'prospects' | 'businesses';
	idField: string;
	idLength: number;
	what: string;
};

/**
 * POST /<api>/{prospects|businesses}/match (the same bodies on v1 and v2): details to Explorium ids.
 * A match costs credits: Explorium's per-call credit page lists Match Prospects and Match Businesses
 * among the credit-consuming endpoints (no per-match price is published). So it is not `free`: it
 * counts for Max Records per Run and refuses n8n's Retry On Fail like an enrichment, and only an
 * answer reporting 0 credits shows its records as sent free.
 */
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
			const { rows, unattributed } = assignRowsToInputs(
				response,
				`matched_${kind.entities}`,
				chunk,
			);
			return rows.map((row): Answer => {
				if (!row && unattributed > 0) {
					return {
						kind: 'error',
						message: `${EXPLORIUM.name}'s answer had ${unattributed} row(s) without an "input" echo naming one input, so which of the ${chunk.length} inputs each answers cannot be proven: none was given to this item`,
					};
				}
				return readMatchRow(row, kind);
			});
		},
		findRejectedElements: (response) => findElementsNamedIn422(response, listKey),
		creditsUsedIn: readReportedCredits,
	};
}

/** Person details to prospect ids (40 hex). */
export const matchProspectsEndpoint = (api: ExploriumApi): BulkEndpoint<ProspectMatchInput> =>
	matchEndpoint(api, {
		entities: 'prospects',
		idField: 'prospect_id',
		idLength: 40,
		what: 'prospect',
	});

/** Company details to business ids (32 hex). */
export const matchBusinessesEndpoint = (api: ExploriumApi): BulkEndpoint<BusinessMatchInput> =>
	matchEndpoint(api, {
		entities: 'businesses',
		idField: 'business_id',
		idLength: 32,
		what: 'business',
	});

/**
 * The row that answers each input, or undefined. Rows echo their `input` (documented): a row goes
 * to the one input its echo matches, so a reordered answer cannot give one person another's id. The
 * order alone proves nothing (a reordered answer would swap two people's ids, and a following Enrich
 * would pay for the wrong person): a row without an echo, or whose echo fits several inputs (empty,
 * or only the company they share), is given to nobody, unless the chunk had one input and the answer
 * one row. A row whose echo matches nothing is given to nobody; the first row for an input is its answer.
 */
function assignRowsToInputs(response: ProviderResponse, key: string, chunk: object[]): Assignment {
	const rows = readRowArray(response, key);
	if (chunk.length === 1 && rows.length === 1 && !isPlainObject(rows[0].input))
		return { rows: [rows[0]], unattributed: 0 };
	const assigned: Array<IDataObject | undefined> = Array.from(
		{ length: chunk.length },
		() => undefined,
	);
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

interface Assignment {
	/** The row of each input, aligned with the chunk. */
	rows: Array<IDataObject | undefined>;
	/** Rows whose `input` echo is missing or fits several inputs, given to nobody. */
	unattributed: number;
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

function readMatchRow(
	row: IDataObject | undefined,
	{ idField, idLength, what }: MatchKind,
): Answer {
	if (!row) {
		return {
			kind: 'error',
			message: `${EXPLORIUM.name}'s answer had no row for this input (no row echoed it)`,
		};
	}
	const id = row[idField];
	if (typeof id === 'string' && id.length > 0) {
		if (!new RegExp(`^[0-9a-f]{${idLength}}$`).test(id)) {
			return {
				kind: 'error',
				message: `${EXPLORIUM.name} returned a malformed ${idField} ("${id.slice(0, 60)}")`,
			};
		}
		return { kind: 'found', data: { [idField]: id } };
	}
	if (row.error !== undefined && row.error !== null) {
		const type = typeof row.error_type === 'string' ? ` (${row.error_type})` : '';
		return {
			kind: 'error',
			message: `${EXPLORIUM.name} could not match this input: ${String(row.error)}${type}`,
		};
	}
	return {
		kind: 'notFound',
		reason: `${EXPLORIUM.name} found no matching ${what}`,
		data: { [idField]: null },
	};
}
