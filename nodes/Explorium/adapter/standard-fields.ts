import {
	domainText,
	emailText,
	linkedinUrlText,
	list,
	phoneText,
	text,
	type StandardFieldsReader,
} from '../../contact/standard-contact';
import { asRecord } from '../../bulk/values';
import { EXPLORIUM } from './provider';

// Work-email types in v1's `emails` (real answers say `current`, Explorium's examples the others).
// v2 has no `emails` list (no personal email at all).
const WORK_EMAIL_TYPES = ['professional', 'current_professional', 'current'];

/** Enrich Contacts: `email` is v2's `professional_email`, v1's `professions_email` (sic) or `emails`. */
export const exploriumContactsStandardFields: StandardFieldsReader = {
	providerName: EXPLORIUM.name,
	read: (data) => {
		const emails = list(data.emails);
		const emailOfType = (types: string[]) =>
			types
				.map((type) => emails.find((entry) => entry.type === type)?.address)
				.find((address) => emailText(address));
		return {
			email:
				emailText(data.professions_email) ??
				emailText(data.professional_email) ??
				emailText(emailOfType(WORK_EMAIL_TYPES)),
			email_status: text(data.professional_email_status),
			personal_email: emailText(emailOfType(['personal'])),
			phone: phoneText(firstPhoneNumber(data.phone_numbers)),
			mobile_phone: phoneText(data.mobile_phone),
		};
	},
};

/** The first of `phone_numbers`: `{phone_number}` (v1), objects of unnamed numbers (v2) or texts. */
function firstPhoneNumber(value: unknown): unknown {
	if (!Array.isArray(value)) return undefined;
	for (const entry of value) {
		if (typeof entry === 'string' && text(entry)) return entry;
		const fields = asRecord(entry);
		const number =
			text(fields.phone_number) ??
			Object.values(fields)
				.map(text)
				.find((candidate) => candidate !== null);
		if (number) return number;
	}
	return undefined;
}

export const exploriumProfileStandardFields: StandardFieldsReader = {
	providerName: EXPLORIUM.name,
	read: (data) => {
		const experience = list(data.experience);
		const current = experience.find((entry) => entry.is_primary === true) ?? experience[0] ?? {};
		return {
			full_name: text(data.full_name),
			job_title: text(data.job_title),
			company_name: text(data.company_name) ?? text(asRecord(current.company).name),
			company_domain: domainText(data.company_website ?? asRecord(current.company).website),
			linkedin_url: linkedinUrlText(
				data.linkedin ??
					(Array.isArray(data.linkedin_url_array) ? data.linkedin_url_array[0] : undefined),
			),
		};
	},
};
