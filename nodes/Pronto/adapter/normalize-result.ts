import type { IDataObject } from 'n8n-workflow';

import { normalizePhone } from '../../shared/phone';
import { text } from '../../shared/standard-contact';

/** A Pronto contact result under the same names whatever shape it came in (GET /contacts/{id} or a callback). */
export interface NormalizedProntoResult {
	enrichment_id: string | null;
	enrichment_status: 'found' | 'not_found' | 'pending';
	pronto_status: string | null;
	first_name: string | null;
	last_name: string | null;
	email: string | null;
	email_status: string | null;
	personal_email: string | null;
	personal_email_status: string | null;
	/** E.164 where the number allows it, else its digits; never dropped. */
	phones: string[];
}

const PENDING_STATUSES = new Set(['pending', 'queued', 'processing', 'in_progress']);

export function normalizeProntoResult(body: IDataObject): NormalizedProntoResult {
	const status = text(body.status);
	const email = text(body.email);
	const personalEmail = text(body.personal_email);
	// Both names are read: docs show `phone` on some pages and `phones` on others.
	const phones = readPhones([body.phone, body.phones]);
	const pending = status !== null && PENDING_STATUSES.has(status.toLowerCase());
	const anything = email !== null || personalEmail !== null || phones.length > 0;
	return {
		enrichment_id: enrichmentIdOf(body),
		enrichment_status: anything ? 'found' : pending ? 'pending' : 'not_found',
		pronto_status: status,
		first_name: text(body.first_name ?? body.firstname),
		last_name: text(body.last_name ?? body.lastname),
		email,
		// A status rates its value: beside no value (Pronto's "N/A" when nothing was found) it labels nothing.
		email_status: email === null ? null : text(body.email_status),
		personal_email: personalEmail,
		personal_email_status: personalEmail === null ? null : text(body.personal_email_status),
		phones,
	};
}

/** The result's enrichment id, sent as `enrichment_id` or (by some clients' reading) `id`. */
export function enrichmentIdOf(body: IDataObject): string | null {
	return text(body.enrichment_id) ?? text(body.id);
}

/** Each source may be one number or a list of numbers, as text, digits or `{number, type}` objects. */
function readPhones(sources: unknown[]): string[] {
	const phones: string[] = [];
	for (const source of sources) {
		const list = Array.isArray(source) ? source : source === undefined || source === null ? [] : [source];
		for (const entry of list) {
			const number = entry !== null && typeof entry === 'object' ? (entry as IDataObject).number ?? (entry as IDataObject).phone : entry;
			const normalized = normalizePhone(number);
			if (normalized && !phones.includes(normalized)) phones.push(normalized);
		}
	}
	return phones;
}
