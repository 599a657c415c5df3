import type { IDataObject } from 'n8n-workflow';

import { emailText, phoneText, text, type StandardContact, type StandardFieldsReader } from '../../shared/standard-contact';
import { PRONTO } from './provider';

/**
 * A Pronto result as normalized by normalizeProntoResult (Enrich and Wait, Get, the trigger).
 * Pronto echoes the names it was sent; its phones carry no type, so none is called mobile.
 */
export function prontoStandardContact(result: IDataObject): StandardContact {
	const email = emailText(result.email);
	return {
		email,
		// Pronto writes "N/A" when no email was asked for: a status only goes with an email.
		email_status: email === null ? null : text(result.email_status),
		personal_email: emailText(result.personal_email),
		phone: phoneText(Array.isArray(result.phones) ? result.phones[0] : undefined),
		first_name: text(result.first_name),
		last_name: text(result.last_name),
	};
}

export const prontoStandardFields: StandardFieldsReader = { providerName: PRONTO.name, read: prontoStandardContact };
