import type { IDataObject } from 'n8n-workflow';

import type { Answer, BulkEndpoint } from '../../bulk/types';
import { isPlainObject } from '../../bulk/values';
import { EXACTBUYER, SYNCHRONOUS_LOOKUP } from './provider';
import { comparableValue, type ExactBuyerLookup, type ExactBuyerQuery } from './schemas';

/**
 * POST /v1/bulk-enrich: up to 1000 identifiers, sent as form fields whose values are JSON strings
 * (`query_list`, `required_fields`). Rows come back in input order and echo `value`.
 */
export function bulkEnrichEndpoint(requiredFields: string[]): BulkEndpoint<ExactBuyerQuery> {
	const requiredJson = JSON.stringify(requiredFields.map((field_type) => ({ field_type })));
	return {
		provider: EXACTBUYER,
		idempotent: SYNCHRONOUS_LOOKUP,
		identityOf: (query) => `${query.field_type}\n${query.value}`,
		buildRequest: (chunk) => ({
			method: 'POST',
			url: '/v1/bulk-enrich',
			// n8n's request helper sends an object body as url-encoded form fields with this header.
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { query_list: JSON.stringify(chunk), required_fields: requiredJson },
		}),
		readAnswers: (response, chunk) => {
			const contacts = (response.body as { contacts?: unknown } | null)?.contacts;
			if (!Array.isArray(contacts)) throw new Error('expected a "contacts" list in the answer');
			const rows = contacts.filter(isPlainObject) as ContactRow[];
			return assignRowsByValue(rows, chunk).map(readContactRow);
		},
		// One credit per record enriched, as the answer says.
		creditsUsedIn: (response) => {
			const enriched = (response.body as { records_enriched?: unknown } | null)?.records_enriched;
			return typeof enriched === 'number' && Number.isFinite(enriched) && enriched >= 0
				? enriched
				: undefined;
		},
	};
}

/** GET /v1/enrich, one person per request; a miss is a 404. */
export function singleEnrichEndpoint(options: {
	required: string[];
	realtime?: boolean;
	waterfall?: boolean;
}): BulkEndpoint<ExactBuyerLookup> {
	return {
		provider: EXACTBUYER,
		batchLimits: { maxBatchSize: 1 },
		idempotent: SYNCHRONOUS_LOOKUP,
		identityOf: (lookup) => JSON.stringify(lookup),
		buildRequest: ([lookup]) => {
			const { field_type: fieldType, value, ...details } = lookup;
			const qs: IDataObject = { [fieldType]: value, ...details };
			if (options.required.length > 0) qs.required = options.required.join(',');
			if (options.realtime !== undefined) qs.realtime = options.realtime;
			if (options.waterfall !== undefined) qs.waterfall = options.waterfall;
			return { method: 'GET', url: '/v1/enrich', qs };
		},
		readAnswers: (response) => {
			// `{result}` is the answer; anything else (`{"error": "Insufficient credits"}`, an HTML page)
			// is no answer at all, never a miss.
			const body = response.body;
			if (!isPlainObject(body) || !('result' in body))
				throw new Error('expected a "result" in the answer');
			const { result } = body;
			return [
				isPlainObject(result) && Object.keys(result).length > 0
					? { kind: 'found', data: result }
					: miss(),
			];
		},
		// ExactBuyer's "no match": a 404 with its JSON error body (`{"error": "Not found"}`). A 404
		// page in HTML (its web server's, as its 429 page is, after a typo in the path) or any other
		// body is not.
		isMissAnswer: (response) => {
			if (response.statusCode !== 404 || !isPlainObject(response.body)) return false;
			const { error } = response.body;
			return typeof error === 'string' && /not\s*found|no match/i.test(error);
		},
		// Its 404 for a miss is a guess and an unknown path answers the same JSON 404: a look-up with no
		// identifier (refused as malformed, enriching nothing, as the credential Test relies on) shows
		// whether /v1/enrich exists at the Base URL before any 404 counts as a miss.
		addressProbe: { method: 'GET', url: '/v1/enrich' },
	};
}

interface ContactRow {
	value?: unknown;
	enriched_contact?: unknown;
}

/**
 * The row that answers each query: the row at its position when that row echoes its value, else
 * the first unused row that does (a reordered answer), else none. A row whose value matches nothing
 * sent is given to nobody.
 */
function assignRowsByValue(
	rows: ContactRow[],
	chunk: ExactBuyerQuery[],
): Array<ContactRow | undefined> {
	const used = new Set<number>();
	const sent = chunk.map((query) => comparableValue(query.value));
	return sent.map((value, position) => {
		const atPosition = rows[position];
		if (atPosition && !used.has(position) && comparableValue(atPosition.value) === value) {
			used.add(position);
			return atPosition;
		}
		const elsewhere = rows.findIndex(
			(row, index) => !used.has(index) && comparableValue(row.value) === value,
		);
		if (elsewhere < 0) return undefined;
		used.add(elsewhere);
		return rows[elsewhere];
	});
}

function readContactRow(row: ContactRow | undefined): Answer {
	if (!row)
		return { kind: 'error', message: `${EXACTBUYER.name}'s answer had no row echoing this value` };
	if (row.enriched_contact === null || row.enriched_contact === undefined) return miss();
	if (!isPlainObject(row.enriched_contact))
		return { kind: 'error', message: `${EXACTBUYER.name} sent a contact that is not an object` };
	return { kind: 'found', data: row.enriched_contact };
}

function miss(): Answer {
	return { kind: 'notFound', reason: `${EXACTBUYER.name} has no contact with the data asked for` };
}
