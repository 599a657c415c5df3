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

/** `phone_numbers[]{E164}` (seen); other key spellings, plain strings and `type` are guesses. */
function phoneEntries(contact: IDataObject): Array<{ value: string | null; type: string }> {
	const values = listOf(
		Array.isArray(contact.phone_numbers) ? contact.phone_numbers : contact.phones,
	);
	return values.map((value) => {
		const entry = asRecord(value);
		return {
			value: phoneText(
				typeof value === 'string' || typeof value === 'number'
					? value
					: (entry.E164 ?? entry.e164 ?? entry.number ?? entry.phone_number ?? entry.phone),
			),
			type: typeOf(entry.type) ?? '',
		};
	});
}

/** The LinkedIn profile among `social_profiles[]{network,url}`: by network (any case), else by URL. */
function linkedinOf(contact: IDataObject): string | null {
	const urls = listOf(contact.social_profiles).map((profile) => {
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
	const phones = phoneEntries(contact).filter((phone) => phone.value !== null);
	return {
		email: emailIn(contact, WORK_EMAIL_KEYS, WORK_TYPES) ?? emailIn(contact, [], UNTYPED),
		personal_email: emailIn(contact, PERSONAL_EMAIL_KEYS, PERSONAL_TYPES),
		phone: phones[0]?.value ?? null,
		mobile_phone: phones.find((phone) => MOBILE_TYPES.has(phone.type))?.value ?? null,
		linkedin_url: linkedinOf(contact),
		full_name: text(contact.full_name),
		first_name: text(contact.first_name),
		last_name: text(contact.last_name),
		job_title: text(asRecord(employment.job).title) ?? text(contact.job_title),
		company_name: text(employment.name),
		company_domain: domainText(employment.domain ?? employment.website),
	};
}

/** The work email is `email`, the first phone `phone`. */
export const exactBuyerStandardFields: StandardFieldsReader = {
	providerName: EXACTBUYER.name,
	read: exactBuyerStandardContact,
};
