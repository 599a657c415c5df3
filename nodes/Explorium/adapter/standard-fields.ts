import { domainText, emailText, linkedinUrlText, list, phoneText, record, text, type StandardFieldsReader } from '../../shared/standard-contact';
import { EXPLORIUM } from './provider';

/** Enrich Contacts (contacts_information): the professional email is `email`. */
export const exploriumContactsStandardFields: StandardFieldsReader = {
	providerName: EXPLORIUM.name,
	read: (data) => {
		const emails = list(data.emails);
		const emailOfType = (type: string) => emails.find((entry) => entry.type === type)?.address;
		return {
			email: emailText(data.professions_email) ?? emailText(data.professional_email) ?? emailText(emailOfType('professional')),
			email_status: text(data.professional_email_status),
			personal_email: emailText(emailOfType('personal')),
			phone: phoneText(list(data.phone_numbers)[0]?.phone_number),
			mobile_phone: phoneText(data.mobile_phone),
		};
	},
};

/** Enrich Profiles: name, title, company and LinkedIn URL. */
export const exploriumProfileStandardFields: StandardFieldsReader = {
	providerName: EXPLORIUM.name,
	read: (data) => {
		const experience = list(data.experience);
		const current = experience.find((entry) => entry.is_primary === true) ?? experience[0] ?? {};
		return {
			full_name: text(data.full_name),
			job_title: text(data.job_title),
			company_name: text(data.company_name) ?? text(record(current.company).name),
			company_domain: domainText(data.company_website ?? record(current.company).website),
			linkedin_url: linkedinUrlText(data.linkedin ?? (Array.isArray(data.linkedin_url_array) ? data.linkedin_url_array[0] : undefined)),
		};
	},
};
