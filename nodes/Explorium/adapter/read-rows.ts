import type { IDataObject } from 'n8n-workflow';

import { ProviderReportedFailure } from '../../bulk/read-answer';
import type { ProviderResponse, RejectedElement } from '../../bulk/types';
import { record } from '../../shared/standard-contact';

/** Where a found item keeps the records after the first, when Explorium answers one id with several. */
export const MORE_RECORDS_FIELD = 'more_records';

/**
 * The array under `key` in an Explorium answer; anything else is an unreadable answer. An answer
 * whose `response_context.request_status` is "failure" failed, whatever rows it holds (an empty
 * `data` then means nothing, not "no match").
 */
export function readRowArray(response: ProviderResponse, key: string): IDataObject[] {
	const body = response.body as Record<string, unknown> | null;
	assertNotFailure(body);
	const rows = body && typeof body === 'object' ? body[key] : undefined;
	if (!Array.isArray(rows)) throw new Error(`expected a "${key}" list in the answer`);
	return rows.filter((row): row is IDataObject => row !== null && typeof row === 'object');
}

/**
 * Explorium rejects a whole request when one element is bad (422 `detail[].loc = ["body", field, index]`).
 * Returns the elements it named, so the rest can be sent again.
 */
export function findElementsNamedIn422(response: ProviderResponse, field: string): RejectedElement[] {
	if (response.statusCode !== 422) return [];
	const detail = (response.body as { detail?: unknown } | null)?.detail;
	if (!Array.isArray(detail)) return [];
	const rejected: RejectedElement[] = [];
	for (const entry of detail) {
		const loc = (entry as { loc?: unknown })?.loc;
		if (!Array.isArray(loc) || loc[0] !== 'body' || loc[1] !== field || typeof loc[2] !== 'number') continue;
		const message = (entry as { msg?: unknown }).msg;
		rejected.push({ position: loc[2], reason: typeof message === 'string' ? message : 'invalid value' });
	}
	return rejected;
}

/**
 * The credits Explorium says an answer used (`credit_usage.total_credits`, present when the request
 * carried the `credit-usage: true` header); undefined when it says nothing or something unreadable.
 */
export function readReportedCredits(response: ProviderResponse): number | undefined {
	const total = record(record(response.body).credit_usage).total_credits;
	return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

/**
 * A row's `data`: v1 gives one object, v2 an object or a list of objects. The item takes the first
 * record's fields; the others are returned too, so a list of several never silently loses the rest.
 */
export function readRowData(data: unknown): { first?: IDataObject; more: IDataObject[] } {
	const records = (Array.isArray(data) ? data : [data]).map(record).filter((entry) => Object.keys(entry).length > 0);
	return { first: records[0], more: records.slice(1) };
}

function assertNotFailure(body: Record<string, unknown> | null): void {
	if (!body || typeof body !== 'object') return;
	const context = body.response_context as Record<string, unknown> | undefined;
	const status = context && typeof context === 'object' ? context.request_status : undefined;
	if (typeof status !== 'string' || status.toLowerCase() !== 'failure') return;
	const said = [context?.message, context?.error, body.message, body.error, body.detail].find(
		(value): value is string => typeof value === 'string' && value.trim() !== '',
	);
	throw new ProviderReportedFailure(`request_status "failure"${said ? `: ${said}` : ''}`);
}
