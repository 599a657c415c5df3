import type { IDataObject } from 'n8n-workflow';

// The value primitives of the whole package, one meaning each.

export function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asRecord(value: unknown): IDataObject {
	return isPlainObject(value) ? value : {};
}

/** Missing: absent, null, blank text (spaces only too), an empty list or object. */
export function isBlank(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	return typeof value === 'object' && Object.keys(value).length === 0;
}

/** No value came into a field: absent or blank text. A null or empty list is a value given. */
export function nothingReached(value: unknown): boolean {
	return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Nothing given: undefined, null or blank text. An empty list or object is a value given. */
export function isNotGiven(value: unknown): boolean {
	return value === null || nothingReached(value);
}

/** Identical, or the same JSON text (keys in the same order). Contact values: their sameValue. */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}

/** JSON with keys sorted: equal inputs give equal identities whatever order CRMs write keys in. */
export function stableStringify(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	if (!isPlainObject(value)) return JSON.stringify(value) ?? 'undefined';
	const entry = (key: string) => `${JSON.stringify(key)}:${stableStringify(value[key])}`;
	return `{${Object.keys(value).sort().map(entry).join(',')}}`;
}

/** A LinkedIn profile URL, with or without scheme, `www.` or country host; group 1: its handle. */
export const LINKEDIN_PROFILE =
	/^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/(?:in|pub)\/([^\s/?#]+)\/?(?:[?#]\S*)?$/i;

/** "45 s", "1 min 30 s", "1 h 5 min": whole seconds under an hour, whole minutes beyond. */
export function describeDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	if (seconds < 3600)
		return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
	const minutes = Math.round(seconds / 60);
	const rest = minutes % 60;
	return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
}

/** A header's value whatever the case of its name. */
export function readHeader(headers: Record<string, unknown>, name: string): unknown {
	if (name in headers) return headers[name];
	const key = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
	return key === undefined ? undefined : headers[key];
}
