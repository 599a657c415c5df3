import type { IDataObject } from 'n8n-workflow';

import { asRecord } from '../bulk/values';
import { toE164 } from './phone';

/**
 * The contact fields every contact-returning operation writes under the same names, whatever the
 * provider: what lets the nodes chain into a waterfall with no node between them.
 */
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

/** How one provider's data reads into the standard contact fields; `providerName` goes into `enrichment_source`. */
export interface StandardFieldsReader {
	providerName: string;
	read(data: IDataObject): StandardContact;
}

/** Which provider filled each standard field: `{ email: "Explorium", phone: "ExactBuyer" }`. */
export const SOURCE_FIELD = 'enrichment_source';

/** Text, trimmed; anything else (or blank text) is null. */
export function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
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
	if (raw === null) return null;
	const profile = /^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com(\/\S*?)\/*$/i.exec(raw);
	return profile ? `https://www.linkedin.com${profile[1]}` : raw;
}

/** The bare host of a website or domain: "https://www.acme.com/about" → "acme.com". */
export function domainText(value: unknown): string | null {
	const raw = text(value);
	if (raw === null) return null;
	const host = raw
		.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
		.split(/[/?#:]/)[0]
		.replace(/^www\./i, '')
		.toLowerCase();
	return host === '' ? null : host;
}

export function list(value: unknown): IDataObject[] {
	return Array.isArray(value) ? value.map(asRecord) : [];
}
