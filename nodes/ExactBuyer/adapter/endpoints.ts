import type { IDataObject } from 'n8n-workflow';

import type { Answer, BulkEndpoint } from '../../bulk/types';
import { isPlainObject } from '../../bulk/values';
import { EXACTBUYER } from './provider';
import { comparableValue, type ExactBuyerLookup, type ExactBuyerQuery } from './schemas';

// Look-ups are synchronous and enqueue nothing: a re-sent request returns the same records (it may
// be charged again, but the records paid for are not lost).
const EXACTBUYER_ENDPOINT = { provider: EXACTBUYER, idempotent: true };

/** POST /v1/bulk-enrich: form fields whose values are JSON strings; rows come back in order and echo `value`. */
export function bulkEnrichEndpoint(requiredFields: string[]): BulkEndpoint<ExactBuyerQuery> {
	const requiredJson = JSON.stringify(requiredFields.map((field_type) => ({ field_type })));
	return {
		...EXACTBUYER_ENDPOINT,
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
			return answersByValue(rows, chunk);
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
		...EXACTBUYER_ENDPOINT,
		batchLimits: { maxBatchSize: 1 },
		identityOf: (lookup) => JSON.stringify(lookup),
		buildRequest: ([{ field_type: fieldType, value, ...details }]) => {
			const qs: IDataObject = { [fieldType]: value, ...details };
			if (options.required.length > 0) qs.required = options.required.join(',');
			if (options.realtime !== undefined) qs.realtime = options.realtime;
			if (options.waterfall !== undefined) qs.waterfall = options.waterfall;
			return { method: 'GET', url: '/v1/enrich', qs };
		},
		readAnswers: ({ body }) => {
			// `{result}` is the answer; anything else (`{"error": "Insufficient credits"}`, an HTML page)
			// is no answer at all, never a miss.
			if (!isPlainObject(body) || !('result' in body))
				throw new Error('expected a "result" in the answer');
			const { result } = body;
			return [
				isPlainObject(result) && Object.keys(result).length > 0
					? { kind: 'found', data: result }
					: miss(),
			];
		},
		// A miss is a 404 with ExactBuyer's JSON error body (`{"error": "Not found"}`); an HTML 404 (its
		// web server's, as its 429 page is, after a typo in the path) or any other body is not.
		isMissAnswer: ({ statusCode, body }) =>
			statusCode === 404 &&
			isPlainObject(body) &&
			typeof body.error === 'string' &&
			/not\s*found|no match/i.test(body.error),
		// The miss 404 is a guess and an unknown path answers the same JSON 404: a look-up with no identifier (refused as malformed,
		// enriching nothing, as the credential Test relies on) shows whether /v1/enrich exists at the
		// Base URL before any 404 counts as a miss.
		addressProbe: { method: 'GET', url: '/v1/enrich' },
	};
}

interface ContactRow {
	value?: unknown;
	enriched_contact?: unknown;
}

/**
 * Each query's answer from the row at its position when it echoes its value, else the first unused
 * one that does (a reordered answer), else none. A row matching nothing sent goes to nobody.
 */
function answersByValue(rows: ContactRow[], chunk: ExactBuyerQuery[]): Answer[] {
	const used = new Set<number>();
	return chunk.map((query, position): Answer => {
		const value = comparableValue(query.value);
		const echoes = (index: number) =>
			rows[index] && !used.has(index) && comparableValue(rows[index].value) === value;
		const index = echoes(position) ? position : rows.findIndex((_, i) => echoes(i));
		if (index < 0)
			return {
				kind: 'error',
				message: `${EXACTBUYER.name}'s answer had no row echoing this value`,
			};
		used.add(index);
		const contact = rows[index].enriched_contact;
		if (contact === null || contact === undefined) return miss();
		if (!isPlainObject(contact))
			return { kind: 'error', message: `${EXACTBUYER.name} sent a contact that is not an object` };
		return { kind: 'found', data: contact };
	});
}

function miss(): Answer {
	return { kind: 'notFound', reason: `${EXACTBUYER.name} has no contact with the data asked for` };
}
