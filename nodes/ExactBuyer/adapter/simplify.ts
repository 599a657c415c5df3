import type { IDataObject } from 'n8n-workflow';

import { list, record } from '../../shared/standard-contact';

/**
 * The fields CRM updates use, flat, from ExactBuyer's contact record (n8n's guideline for outputs
 * over 10 fields): name, title, company, work and personal email, phone, LinkedIn URL, location.
 */
export function simplifyContact(contact: IDataObject): IDataObject {
	const employment = record(contact.employment);
	const location = record(contact.location);
	const emails = list(contact.emails);
	const emailOf = (type: string) => emails.find((email) => email.type === type)?.email ?? null;
	const linkedin = list(contact.social_profiles).find((profile) => profile.network === 'linkedin')?.url;
	return {
		full_name: contact.full_name ?? null,
		first_name: contact.first_name ?? null,
		last_name: contact.last_name ?? null,
		job_title: record(employment.job).title ?? null,
		company_name: employment.name ?? null,
		work_email: emailOf('work'),
		personal_email: emailOf('personal'),
		phone: list(contact.phone_numbers)[0]?.E164 ?? null,
		linkedin_url: typeof linkedin === 'string' ? (/^https?:\/\//.test(linkedin) ? linkedin : `https://${linkedin}`) : null,
		city: location.city ?? null,
		region: location.region ?? null,
		country: location.country ?? null,
	};
}
