import type { IDataObject } from 'n8n-workflow';

import type { Answer } from '../../bulk/types';
import { normalizeProntoResult } from './normalize-result';

/** A contact's result (GET /contacts/{id}) as an answer: found, a finished miss, or still pending. */
export function readContactResult(body: unknown): Answer {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('expected a contact object');
	// The status becomes the answer's kind; the node writes enrichment_status itself.
	const { enrichment_status: status, ...fields } = normalizeProntoResult(body as IDataObject);
	const data = fields as unknown as IDataObject;
	if (status === 'pending') return { kind: 'pending', reason: 'Pronto is still enriching this contact', data };
	if (status === 'not_found') return { kind: 'notFound', reason: 'Pronto finished without finding what was asked', data };
	return { kind: 'found', data };
}
