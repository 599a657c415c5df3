import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Provider, ProviderResponse, RejectedElement } from '../../bulk/types';
import { asRecord } from '../../bulk/values';

// Every match and enrich endpoint takes 1..50 inputs. The rate limit counts records (each id or
// match row), not requests: 200 per sliding minute per key, so four full requests fill a minute.
export const EXPLORIUM: Provider = {
	name: 'Explorium',
	credentialType: 'bulkEnrichmentExploriumApi',
	secretFields: ['apiKey'],
	limits: {
		maxBatchSize: 50,
		defaultConcurrency: 4,
		maxConcurrency: 20,
		rateLimit: { limit: 200, windowMs: 60_000, unit: 'record' },
		requestTimeoutMs: 60_000,
	},
	answerStatusField: 'response_context.request_status',
};

// Match and enrich are synchronous look-ups (nothing enqueued, same rows for the same request),
// so a request that timed out may be sent again.
export const IDEMPOTENT_LOOKUP = true;

export type ExploriumApi = 'v1' | 'v2';

/** From this node version on, the node calls v2 (GA since 2 September 2026); older versions keep v1. */
export const V2_API_NODE_VERSION = 3;

export const exploriumApiOf = (context: Pick<IExecuteFunctions, 'getNode'>): ExploriumApi =>
	context.getNode().typeVersion >= V2_API_NODE_VERSION ? 'v2' : 'v1';

// Shown by versions that call v1 (editor and run hint): n8n never upgrades saved workflows.
export const V1_END_NOTICE =
	"Explorium ends support for its v1 API, which this node version calls, around March 2027 (v1 stops serving traffic about September 2027). To move to v2, replace this node with a new Explorium node from the nodes panel (new nodes call v2), the usual way to upgrade an n8n node's version, and copy its settings over.";

/** Asks for `credit_usage` in each answer (free), so the run reports what was charged. */
export const CREDIT_USAGE_HEADERS = { 'credit-usage': 'true' };

/** Where a found item keeps the records after the first, when Explorium answers one id with several. */
export const MORE_RECORDS_FIELD = 'more_records';

/** The rows under `key`; no list there is an unreadable answer (a `request_status` failure is the engine's to judge). */
export function readRowArray(response: ProviderResponse, key: string): IDataObject[] {
	const rows = asRecord(response.body)[key];
	if (!Array.isArray(rows)) throw new Error(`expected a "${key}" list in the answer`);
	return rows.filter((row): row is IDataObject => row !== null && typeof row === 'object');
}

/** Explorium rejects a whole request for one bad element (422 `detail[].loc = ["body", field, index]`): those named. */
export function findElementsNamedIn422(
	response: ProviderResponse,
	field: string,
): RejectedElement[] {
	const detail = response.statusCode === 422 ? asRecord(response.body).detail : undefined;
	return (Array.isArray(detail) ? detail : []).flatMap((entry) => {
		const { loc, msg } = asRecord(entry);
		if (!Array.isArray(loc) || loc[0] !== 'body' || loc[1] !== field || typeof loc[2] !== 'number')
			return [];
		return [{ position: loc[2], reason: typeof msg === 'string' ? msg : 'invalid value' }];
	});
}

/** `credit_usage.total_credits` (see CREDIT_USAGE_HEADERS); undefined when absent or unreadable. */
export function readReportedCredits(response: ProviderResponse): number | undefined {
	const total = asRecord(asRecord(response.body).credit_usage).total_credits;
	return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

/** A row's records: v1's `data` is one object, v2's an object or a list; empty ones are no record. */
export function readRowRecords(data: unknown): IDataObject[] {
	return (Array.isArray(data) ? data : [data])
		.map(asRecord)
		.filter((entry) => Object.keys(entry).length > 0);
}
