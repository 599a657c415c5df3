import type { IDataObject } from 'n8n-workflow';

import { asRecord } from '../../bulk/values';
import { exactBuyerStandardContact } from './standard-fields';

/** Where Simplify keeps ExactBuyer's own record: its full schema is not public, so nothing it sent is lost. */
const EXACTBUYER_RECORD_FIELD = 'exactbuyer_contact';

/**
 * The fields CRM updates use, flat, from ExactBuyer's contact record (n8n's guideline for outputs
 * over 10 fields): name, title, company, work and personal email, phone, LinkedIn URL, location,
 * read the same way as the standard fields; the record itself stays beside them, to map what
 * the node does not read.
 */
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
		[EXACTBUYER_RECORD_FIELD]: contact,
	};
}
