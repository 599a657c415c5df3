import type { StandardFieldsReader } from '../../bulk/output-items';
import { domainText, emailText, linkedinUrlText, list, phoneText, record, text } from '../../shared/standard-contact';
import { EXACTBUYER } from './provider';

/** An ExactBuyer contact record: the work email is `email`, the first phone `phone`. */
export const exactBuyerStandardFields: StandardFieldsReader = {
	providerName: EXACTBUYER.name,
	read: (contact) => {
		const employment = record(contact.employment);
		const emails = list(contact.emails);
		const phones = list(contact.phone_numbers);
		const numberOf = (phone: (typeof phones)[number] | undefined) => phoneText(phone?.E164 ?? phone?.number);
		return {
			email: emailText(emails.find((entry) => entry.type === 'work')?.email),
			personal_email: emailText(emails.find((entry) => entry.type === 'personal')?.email),
			phone: numberOf(phones[0]),
			mobile_phone: numberOf(phones.find((phone) => phone.type === 'mobile')),
			linkedin_url: linkedinUrlText(list(contact.social_profiles).find((profile) => profile.network === 'linkedin')?.url),
			full_name: text(contact.full_name),
			first_name: text(contact.first_name),
			last_name: text(contact.last_name),
			job_title: text(record(employment.job).title),
			company_name: text(employment.name),
			company_domain: domainText(employment.domain ?? employment.website),
		};
	},
};
