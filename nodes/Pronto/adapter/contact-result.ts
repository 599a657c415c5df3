import type { IDataObject } from 'n8n-workflow';

import type { Answer } from '../../bulk/types';
import { text } from '../../shared/standard-contact';
import { enrichmentIdOf, normalizeProntoResult } from './normalize-result';

/**
 * A contact's result (GET /contacts/{id}) as an answer: found, a finished miss, or still pending.
 * An answer that is no contact (`{"error": …}`, `{}`) is never read as a miss: it throws, and the
 * engine shows Pronto's own message or says the answer could not be read.
 */
export function readContactResult(body: unknown): Answer {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('expected a contact object');
	const record = body as IDataObject;
	if (record.error !== undefined && record.error !== null && record.error !== false) throw new Error('the answer carries an error');
	if (enrichmentIdOf(record) === null && text(record.status) === null) {
		throw new Error('expected a contact (its enrichment_id or status) in the answer');
	}
	// The status becomes the answer's kind; the node writes enrichment_status itself.
	const { enrichment_status: status, ...fields } = normalizeProntoResult(body as IDataObject);
	const data = fields as unknown as IDataObject;
	if (status === 'pending') return { kind: 'pending', reason: 'Pronto is still enriching this contact', data };
	if (status === 'not_found') return { kind: 'notFound', reason: 'Pronto finished without finding what was asked', data };
	return { kind: 'found', data };
}
