import type { IDataObject } from 'n8n-workflow';

import { asRecord } from '../../bulk/values';
import { exactBuyerStandardContact } from './standard-fields';

/** The fields CRM updates use, flat, read as the standard fields are (n8n's guideline for outputs over 10 fields). */
export function simplifyContact(contact: IDataObject): IDataObject {
	const standard = exactBuyerStandardContact(contact);
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
