import type { IDataObject } from 'n8n-workflow';

import type { Answer } from '../../bulk/types';
import { isPlainObject } from '../../bulk/values';
import { fillStandardFields } from '../../contact/contact-part';
import {
	emailText,
	normalizePhone,
	phoneText,
	text,
	type StandardContact,
	type StandardFieldsReader,
} from '../../contact/standard-contact';
import { PRONTO, splitCorrelation } from './provider';

// One Pronto contact result (GET /contacts/{id}, or a callback's body), read once for every Pronto
// node; the verdict is kept apart from the fields, so only one writer writes `enrichment_status`.

const PENDING_STATUSES = new Set(['pending', 'queued', 'processing', 'in_progress']);

/** The result's fields under the same names whatever shape it came in, and its verdict. */
export function readProntoResult(body: IDataObject) {
	const status = text(body.status);
	const email = text(body.email);
	const personalEmail = text(body.personal_email);
	// Both names are read: docs show `phone` on some pages and `phones` on others.
	const phones = readPhones([body.phone, body.phones]);
	const pending = status !== null && PENDING_STATUSES.has(status.toLowerCase());
	const anything = email !== null || personalEmail !== null || phones.length > 0;
	return {
		verdict: anything ? 'found' : pending ? 'pending' : 'not_found',
		fields: {
			enrichment_id: enrichmentIdOf(body),
			pronto_status: status,
			first_name: text(body.first_name ?? body.firstname),
			last_name: text(body.last_name ?? body.lastname),
			email,
			// A status rates its value: beside no value (Pronto's "N/A" when nothing was found) it labels nothing.
			email_status: email === null ? null : text(body.email_status),
			personal_email: personalEmail,
			personal_email_status: personalEmail === null ? null : text(body.personal_email_status),
			phones,
		} as IDataObject,
	};
}

/** Sent as `enrichment_id` or (by some clients' reading) `id`. */
export function enrichmentIdOf(body: IDataObject): string | null {
	return text(body.enrichment_id) ?? text(body.id);
}

/**
 * A contact's result as the engine's answer (Get, Enrich and Wait). An answer that is no contact
 * (`{"error": …}`, `{}`) is never read as a miss: it throws, and the engine shows Pronto's message.
 */
export function readContactAnswer(body: unknown): Answer {
	if (!isPlainObject(body)) throw new Error('expected a contact object');
	if (body.error !== undefined && body.error !== null && body.error !== false)
		throw new Error('the answer carries an error');
	if (enrichmentIdOf(body) === null && text(body.status) === null) {
		throw new Error('expected a contact (its enrichment_id or status) in the answer');
	}
	const { verdict, fields: data } = readProntoResult(body);
	if (verdict === 'pending')
		return { kind: 'pending', reason: 'Pronto is still enriching this contact', data };
	if (verdict === 'not_found')
		return { kind: 'notFound', reason: 'Pronto finished without finding what was asked', data };
	return { kind: 'found', data };
}

/** The Pronto Trigger's output; correlation fields are null for a contact another tool sent. */
export function callbackResultJson(body: IDataObject, statusField: string): IDataObject {
	const { verdict, fields } = readProntoResult(body);
	const { correlation, userCustom } = splitCorrelation(body.custom);
	const json: IDataObject = {
		enrichment_id: fields.enrichment_id,
		[statusField]: verdict,
		...fields,
		...correlation,
		custom: userCustom,
		raw: body,
	};
	return fillStandardFields(json, {}, prontoStandardContact(fields), PRONTO.name, fields);
}

/** Pronto's phones carry no type, so none is called mobile. */
export function prontoStandardContact(fields: IDataObject): StandardContact {
	const email = emailText(fields.email);
	return {
		email,
		// Pronto writes "N/A" when no email was asked for: a status only goes with an email.
		email_status: email === null ? null : text(fields.email_status),
		personal_email: emailText(fields.personal_email),
		phone: phoneText(Array.isArray(fields.phones) ? fields.phones[0] : undefined),
		first_name: text(fields.first_name),
		last_name: text(fields.last_name),
	};
}

export const prontoStandardFields: StandardFieldsReader = {
	providerName: PRONTO.name,
	read: prontoStandardContact,
};

/**
 * Each source may be one number or a list, as text, digits or `{number, type}` objects (null: none).
 * Each number in E.164 where it allows, else its digits; never dropped.
 */
function readPhones(sources: unknown[]): string[] {
	const phones: string[] = [];
	for (const entry of sources.flat()) {
		const normalized = normalizePhone(isPlainObject(entry) ? (entry.number ?? entry.phone) : entry);
		if (normalized && !phones.includes(normalized)) phones.push(normalized);
	}
	return phones;
}
