import type { IDataObject } from 'n8n-workflow';

import type { ProviderResponse, RejectedElement } from '../../bulk/types';
import { asRecord } from '../../bulk/values';

/** Where a found item keeps the records after the first, when Explorium answers one id with several. */
export const MORE_RECORDS_FIELD = 'more_records';

/**
 * The array under `key` in an Explorium answer; anything else is an unreadable answer. (An answer
 * naming a failure, e.g. `request_status: "failure"`, is the engine's to judge: request-outcomes.ts.)
 */
export function readRowArray(response: ProviderResponse, key: string): IDataObject[] {
	const rows = asRecord(response.body)[key];
	if (!Array.isArray(rows)) throw new Error(`expected a "${key}" list in the answer`);
	return rows.filter((row): row is IDataObject => row !== null && typeof row === 'object');
}

/**
 * Explorium rejects a whole request when one element is bad (422 `detail[].loc = ["body", field, index]`).
 * Returns the elements it named, so the rest can be sent again.
 */
export function findElementsNamedIn422(
	response: ProviderResponse,
	field: string,
): RejectedElement[] {
	if (response.statusCode !== 422) return [];
	const detail = (response.body as { detail?: unknown } | null)?.detail;
	if (!Array.isArray(detail)) return [];
	const rejected: RejectedElement[] = [];
	for (const entry of detail) {
		const loc = (entry as { loc?: unknown })?.loc;
		if (!Array.isArray(loc) || loc[0] !== 'body' || loc[1] !== field || typeof loc[2] !== 'number')
			continue;
		const message = (entry as { msg?: unknown }).msg;
		rejected.push({
			position: loc[2],
			reason: typeof message === 'string' ? message : 'invalid value',
		});
	}
	return rejected;
}

/**
 * The credits Explorium says an answer used (`credit_usage.total_credits`, present when the request
 * carried the `credit-usage: true` header); undefined when it says nothing or something unreadable.
 */
export function readReportedCredits(response: ProviderResponse): number | undefined {
	const total = asRecord(asRecord(response.body).credit_usage).total_credits;
	return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

/**
 * A row's records: v1 gives one object as `data`, v2 an object or a list of objects; empty ones are
 * no record. The item takes the first record's fields and keeps the others, never silently losing them.
 */
export function readRowRecords(data: unknown): IDataObject[] {
	return (Array.isArray(data) ? data : [data])
		.map(asRecord)
		.filter((entry) => Object.keys(entry).length > 0);
}
