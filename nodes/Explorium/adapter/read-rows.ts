import type { IDataObject } from 'n8n-workflow';

import { ProviderReportedFailure } from '../../bulk/read-answer';
import type { ProviderResponse, RejectedElement } from '../../bulk/types';

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
