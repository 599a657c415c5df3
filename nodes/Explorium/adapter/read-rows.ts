import type { IDataObject } from 'n8n-workflow';

import type { ProviderResponse, RejectedElement } from '../../bulk/types';

/** The array under `key` in an Explorium answer; anything else is an unreadable answer. */
export function readRowArray(response: ProviderResponse, key: string): IDataObject[] {
	const body = response.body as Record<string, unknown> | null;
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
