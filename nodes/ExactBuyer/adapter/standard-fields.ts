import type { IDataObject } from 'n8n-workflow';

import {
	domainText,
	emailText,
	linkedinUrlText,
	phoneText,
	text,
	type StandardContact,
	type StandardFieldsReader,
} from '../../contact/standard-contact';
import { asRecord } from '../../bulk/values';
import { EXACTBUYER } from './provider';

/*
 * What is known of an ExactBuyer contact record (docs/providers/exactbuyer.md): n8n's published
 * templates, run against the live API, read `current_work_email` (the only email ever seen in a real
 * answer), `phone_numbers[]{E164}`, `social_profiles[]{network,url}`, names and `employment`.
 * Everything else is a guess, read after the seen path and defensively (strings or objects, any
 * case), so a different real shape still fills what it can and never breaks the read.
 */
const WORK_EMAIL_KEYS = ['current_work_email', 'work_email', 'professional_email'];
const PERSONAL_EMAIL_KEYS = ['current_personal_email', 'personal_email'];
/** Lists of strings or `{email|address|value, type}`, with the type their name implies. */
const EMAIL_LISTS = [
	['emails', ''],
	['work_emails', 'work'],
	['personal_emails', 'personal'],
] as const;
const WORK_TYPES = new Set(['work', 'professional', 'business', 'current_work', 'current']);
const PERSONAL_TYPES = new Set(['personal', 'home', 'private']);
const MOBILE_TYPES = new Set(['mobile', 'cell', 'cellphone', 'mobile_phone']);
const UNTYPED = new Set(['']);
const NONE: unknown[] = [];

const typeOf = (value: unknown) => text(value)?.toLowerCase();
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : NONE);

/** An email written as text or as an object with the address under a usual key. */
function emailOf(value: unknown): string | null {
	if (typeof value === 'string') return emailText(value);
	const entry = asRecord(value);
	return emailText(entry.email ?? entry.address ?? entry.value);
}

/** The first email under `keys` (seen first), else the first listed one whose type ('' for none) is in `types`. */
function emailIn(contact: IDataObject, keys: string[], types: Set<string>): string | null {
	for (const key of keys) {
		const address = emailOf(contact[key]);
		if (address !== null) return address;
	}
	for (const [key, implied] of EMAIL_LISTS) {
		for (const value of listOf(contact[key])) {
			if (!types.has(typeOf(asRecord(value).type) ?? implied)) continue;
			const address = emailOf(value);
			if (address !== null) return address;
		}
	}
	return null;
}

/** The first phone and the first mobile of `phone_numbers[]{E164}` (seen); other key spellings, plain strings and `type` are guesses. */
function phonesOf(contact: IDataObject): [phone: string | null, mobile: string | null] {
	let phone: string | null = null;
	for (const value of listOf(
		Array.isArray(contact.phone_numbers) ? contact.phone_numbers : contact.phones,
	)) {
		const entry = asRecord(value);
		const number = phoneText(
			typeof value === 'string' || typeof value === 'number'
				? value
				: (entry.E164 ?? entry.e164 ?? entry.number ?? entry.phone_number ?? entry.phone),
		);
		if (number === null) continue;
		phone ??= number;
		if (MOBILE_TYPES.has(typeOf(entry.type) ?? '')) return [phone, number];
	}
	return [phone, null];
}

/** The LinkedIn profile among `social_profiles[]{network,url}`: by network (any case), else by URL. */
function linkedinOf(contact: IDataObject): string | null {
	let byUrl: string | null = null;
	for (const profile of listOf(contact.social_profiles)) {
		const entry = asRecord(profile);
		const url = text(typeof profile === 'string' ? profile : (entry.url ?? entry.profile_url));
		if (url === null) continue;
		if (typeOf(entry.network)?.replace(/\.com$/, '') === 'linkedin') return linkedinUrlText(url);
		if (byUrl === null && /linkedin\.com\/(?:in|pub)\//i.test(url)) byUrl = url;
	}
	return linkedinUrlText(byUrl);
}

// The record read last: Simplify and the standard fields read each found record one after the other.
let lastContact: IDataObject | undefined;
let lastStandard: StandardContact = {};

/** An ExactBuyer contact record read into the standard fields (read once when asked twice in a row). */
function readContact(contact: IDataObject): StandardContact {
	if (contact === lastContact) return lastStandard;
	const employment = asRecord(contact.employment);
	const [phone, mobile] = phonesOf(contact);
	lastContact = contact;
	lastStandard = {
		email: emailIn(contact, WORK_EMAIL_KEYS, WORK_TYPES) ?? emailIn(contact, [], UNTYPED),
		personal_email: emailIn(contact, PERSONAL_EMAIL_KEYS, PERSONAL_TYPES),
		phone,
		mobile_phone: mobile,
		linkedin_url: linkedinOf(contact),
		full_name: text(contact.full_name),
		first_name: text(contact.first_name),
		last_name: text(contact.last_name),
		job_title: text(asRecord(employment.job).title) ?? text(contact.job_title),
		company_name: text(employment.name),
		company_domain: domainText(employment.domain ?? employment.website),
	};
	return lastStandard;
}

/** The work email is `email`, the first phone `phone`. */
export const exactBuyerStandardFields: StandardFieldsReader = {
	providerName: EXACTBUYER.name,
	read: readContact,
};

/** The fields CRM updates use, flat, read as the standard fields are (n8n's guideline for outputs over 10 fields). */
export function simplifyContact(contact: IDataObject): IDataObject {
	const standard = readContact(contact);
	const location = asRecord(contact.location);
	return {
		full_name: standard.full_name ?? null,
		first_name: standard.first_name ?? null,
		last_name: standard.last_name ?? null,
		job_title: standard.job_title ?? null,
		company_name: standard.company_name ?? null,
		work_email: standard.email ?? null,
		personal_email: standard.personal_email ?? null,
		phone: standard.phone ?? null,
		linkedin_url: standard.linkedin_url ?? null,
		city: location.city ?? null,
		region: location.region ?? null,
		country: location.country ?? null,
		// ExactBuyer's full schema is not public: its record stays beside them, so nothing it sent is lost.
		exactbuyer_contact: contact,
	};
}
