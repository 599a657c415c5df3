import type { IDataObject } from 'n8n-workflow';

// The value primitives of the whole package, one meaning each: providers and parts import them here.

/** A JSON object: not null, not a list. */
export function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value when it is a JSON object, else an empty one. */
export function asRecord(value: unknown): IDataObject {
	return isPlainObject(value) ? value : {};
}

/** Whether a field counts as missing: absent, null, blank text (spaces only too), an empty list or object. */
export function isBlank(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * Whether no value came into a field: absent, or blank text. Unlike isBlank, a null (or an empty list)
 * is a value the input gave, not a field mapped to a name the item does not have.
 */
export function nothingReached(value: unknown): boolean {
	return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * Whether nothing was given: undefined, null or blank text (spaces only too). Unlike isBlank, an
 * empty list or object is a value given; unlike nothingReached, null is not.
 */
export function isNotGiven(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/**
 * The same JSON value: identical, or lists or objects with the same JSON text (keys in the same
 * order). Not the same contact value written two ways: that is the contact part's sameValue.
 */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}

/** A JSON value's text with object keys in a fixed order: equal inputs give equal identities whatever order CRMs write them in. */
export function stableStringify(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value as object)
			.sort()
			.map(
				(key) =>
					`${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`,
			);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'undefined';
}

/** A LinkedIn person profile URL, with or without scheme, `www.` or a country host; group 1 is its handle. */
export const LINKEDIN_PROFILE =
	/^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/(?:in|pub)\/([^\s/?#]+)\/?(?:[?#]\S*)?$/i;

/** "45 s", "1 min 30 s", "3 min", "1 h 5 min": whole seconds under an hour, whole minutes beyond. */
export function describeDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	if (seconds < 3600)
		return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
	const minutes = Math.round(seconds / 60);
	const rest = minutes % 60;
	return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
}

/** A header's value whatever the case of its name (HTTP header names are case-insensitive). */
export function readHeader(headers: Record<string, unknown>, name: string): unknown {
	if (name in headers) return headers[name];
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers))
		if (key.toLowerCase() === wanted) return value;
	return undefined;
}
