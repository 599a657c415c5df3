import type { IDataObject } from 'n8n-workflow';

import { asRecord } from '../bulk/values';

/** Written under the same names by every provider: the nodes chain into a waterfall with nothing between. */
export const STANDARD_CONTACT_FIELDS = [
	'email',
	'email_status',
	'personal_email',
	'phone',
	'mobile_phone',
	'linkedin_url',
	'full_name',
	'first_name',
	'last_name',
	'job_title',
	'company_name',
	'company_domain',
] as const;

export type StandardContactField = (typeof STANDARD_CONTACT_FIELDS)[number];

/** One provider's answer read into the standard fields; absent or null = the provider did not say. */
export type StandardContact = Partial<Record<StandardContactField, string | null>>;

/** How one provider's data reads into the standard fields; `providerName` goes into `enrichment_source`. */
export interface StandardFieldsReader {
	providerName: string;
	read(data: IDataObject): StandardContact;
}

/** Which provider filled each standard field: `{ email: "Explorium", phone: "ExactBuyer" }`. */
export const SOURCE_FIELD = 'enrichment_source';

/** Text, trimmed; anything else (or blank text) is null. */
export function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' ? value.trim() || null : null;
}

export function emailText(value: unknown): string | null {
	return text(value)?.toLowerCase() ?? null;
}

/** E.164 when the number allows it, else the number as the provider wrote it. */
export function phoneText(value: unknown): string | null {
	const raw = text(value);
	return raw === null ? null : (toE164(raw) ?? raw);
}

/** `https://www.linkedin.com/in/…` however the provider wrote it (with or without scheme or www). */
export function linkedinUrlText(value: unknown): string | null {
	const raw = text(value);
	const profile = raw && /^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com(\/\S*?)\/*$/i.exec(raw);
	return profile ? `https://www.linkedin.com${profile[1]}` : raw;
}

/** The bare host of a website or domain: "https://www.acme.com/about" → "acme.com". */
export function domainText(value: unknown): string | null {
	const host = text(value)
		?.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
		.split(/[/?#:]/)[0]
		.replace(/^www\./i, '')
		.toLowerCase();
	return host || null;
}

export function list(value: unknown): IDataObject[] {
	return Array.isArray(value) ? value.map(asRecord) : [];
}

// Phone numbers as providers and CRMs write them: "+1 (415) 555-0100", "0044 20 7946 0000", 14155550100.
// E.164 allows at most 15 digits; fewer than 7 cannot be a dialable number.

/** E.164 when the text says the country code ("+…" or "00…") or it is 1 and 10 digits (North America). */
export function toE164(raw: unknown): string | undefined {
	const match = /^(?:\+|00)([1-9]\d{6,14})$|^(1\d{10})$/.exec(compactPhone(raw) ?? '');
	return match ? `+${match[1] ?? match[2]}` : undefined;
}

/** Whether the text has the digits of a phone number (7 to 15, separators allowed). */
export function looksLikePhone(raw: unknown): boolean {
	return /^\+?\d{7,15}$/.test(compactPhone(raw) ?? '');
}

/** The phone in E.164 when possible, else its digits as written (with a leading + kept). */
export function normalizePhone(raw: unknown): string | undefined {
	return toE164(raw) ?? compactPhone(raw);
}

function compactPhone(raw: unknown): string | undefined {
	if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return String(raw);
	if (typeof raw !== 'string') return undefined;
	return raw.trim().replace(/[\s().\-/]/g, '') || undefined;
}
