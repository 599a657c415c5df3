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
 * What is known of an ExactBuyer contact record (docs/providers/exactbuyer.md): the field paths read
 * by n8n's published ExactBuyer templates, run against the live API, are seen in real use:
 * `current_work_email` (a top-level string: the only email ever read from a real answer),
 * `phone_numbers[]{E164}`, `social_profiles[]{network,url}`, names, `employment`. Everything else
 * here is a guess, read after the seen path and defensively (strings or objects, any case), so a
 * different real shape still fills what it can and never breaks the read.
 */

/** Work email keys, seen first. */
const WORK_EMAIL_KEYS = ['current_work_email', 'work_email', 'professional_email'] as const;
/** Personal email keys: all guessed (no public answer shows one). */
const PERSONAL_EMAIL_KEYS = ['current_personal_email', 'personal_email'] as const;
/** List keys that may hold several emails, as strings or `{email|address|value, type}` (guessed). */
const EMAIL_LIST_KEYS = ['emails', 'work_emails', 'personal_emails'] as const;
const WORK_TYPES = new Set(['work', 'professional', 'business', 'current_work', 'current']);
const PERSONAL_TYPES = new Set(['personal', 'home', 'private']);
const MOBILE_TYPES = new Set(['mobile', 'cell', 'cellphone', 'mobile_phone']);

interface EmailEntry {
	address: string;
	/** Lower-cased type, or the kind the list's name says; undefined when nothing says. */
	type?: string;
}

/** An email written as text or as an object with the address under a usual key. */
function emailOf(value: unknown): string | null {
	if (typeof value === 'string') return emailText(value);
	const entry = asRecord(value);
	return emailText(entry.email ?? entry.address ?? entry.value);
}

function typeOf(value: unknown): string | undefined {
	return text(value)?.toLowerCase();
}

/** Every email entry of the record's email lists, with the type it carries or its list implies. */
function emailEntries(contact: IDataObject): EmailEntry[] {
	const entries: EmailEntry[] = [];
	for (const key of EMAIL_LIST_KEYS) {
		const implied =
			key === 'work_emails' ? 'work' : key === 'personal_emails' ? 'personal' : undefined;
		const values = contact[key];
		for (const value of Array.isArray(values) ? values : []) {
			const address = emailOf(value);
			if (address !== null)
				entries.push({ address, type: typeOf(asRecord(value).type) ?? implied });
		}
	}
	return entries;
}

function firstEmail(contact: IDataObject, keys: readonly string[]): string | null {
	for (const key of keys) {
		const address = emailOf(contact[key]);
		if (address !== null) return address;
	}
	return null;
}

interface PhoneEntry {
	number: string;
	type?: string;
}

/** `phone_numbers[]{E164}` (seen); other key spellings, plain strings and `type` are guesses. */
function phoneEntries(contact: IDataObject): PhoneEntry[] {
	const entries: PhoneEntry[] = [];
	const values = Array.isArray(contact.phone_numbers)
		? contact.phone_numbers
		: Array.isArray(contact.phones)
			? contact.phones
			: [];
	for (const value of values) {
		const entry = asRecord(value);
		const number = phoneText(
			typeof value === 'string' || typeof value === 'number'
				? value
				: (entry.E164 ?? entry.e164 ?? entry.number ?? entry.phone_number ?? entry.phone),
		);
		if (number !== null) entries.push({ number, type: typeOf(entry.type) });
	}
	return entries;
}

/** The LinkedIn profile among `social_profiles[]{network,url}`: network compared case-insensitively, or told by its URL. */
function linkedinOf(contact: IDataObject): string | null {
	const profiles = Array.isArray(contact.social_profiles) ? contact.social_profiles : [];
	const urls = profiles.map((profile) => {
		const entry = asRecord(profile);
		return {
			network: typeOf(entry.network) ?? '',
			url: text(typeof profile === 'string' ? profile : (entry.url ?? entry.profile_url)),
		};
	});
	const byNetwork = urls.find(
		(entry) => entry.url !== null && entry.network.replace(/\.com$/, '') === 'linkedin',
	);
	const byUrl = urls.find(
		(entry) => entry.url !== null && /linkedin\.com\/(?:in|pub)\//i.test(entry.url),
	);
	return linkedinUrlText((byNetwork ?? byUrl)?.url);
}

/** The record read last: Simplify and the standard fields read each found record one after the other. */
let lastRead: { contact: IDataObject; standard: StandardContact } | undefined;

/** An ExactBuyer contact record read into the standard fields (read once when asked twice in a row). */
export function exactBuyerStandardContact(contact: IDataObject): StandardContact {
	if (lastRead?.contact !== contact) lastRead = { contact, standard: readContact(contact) };
	return lastRead.standard;
}

function readContact(contact: IDataObject): StandardContact {
	const employment = asRecord(contact.employment);
	const emails = emailEntries(contact);
	const untyped = emails.find((entry) => entry.type === undefined)?.address ?? null;
	const phones = phoneEntries(contact);
	return {
		email:
			firstEmail(contact, WORK_EMAIL_KEYS) ??
			emails.find((entry) => entry.type !== undefined && WORK_TYPES.has(entry.type))?.address ??
			untyped,
		personal_email:
			firstEmail(contact, PERSONAL_EMAIL_KEYS) ??
			emails.find((entry) => entry.type !== undefined && PERSONAL_TYPES.has(entry.type))?.address ??
			null,
		phone: phones[0]?.number ?? null,
		mobile_phone:
			phones.find((phone) => phone.type !== undefined && MOBILE_TYPES.has(phone.type))?.number ??
			null,
		linkedin_url: linkedinOf(contact),
		full_name: text(contact.full_name),
		first_name: text(contact.first_name),
		last_name: text(contact.last_name),
		job_title: text(asRecord(employment.job).title) ?? text(contact.job_title),
		company_name: text(employment.name),
		company_domain: domainText(employment.domain ?? employment.website),
	};
}

/** An ExactBuyer contact record: the work email is `email`, the first phone `phone`. */
export const exactBuyerStandardFields: StandardFieldsReader = {
	providerName: EXACTBUYER.name,
	read: exactBuyerStandardContact,
};
