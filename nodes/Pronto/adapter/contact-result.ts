import type { IDataObject } from 'n8n-workflow';

import type { Answer } from '../../bulk/types';
import { normalizeProntoResult } from './normalize-result';

/** A contact's result (GET /contacts/{id}) as an answer: found, a finished miss, or still pending. */
export function readContactResult(body: unknown): Answer {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('expected a contact object');
	const normalized = normalizeProntoResult(body as IDataObject) as unknown as IDataObject;
	if (normalized.enrichment_status === 'pending') {
		return { kind: 'pending', reason: 'Pronto is still enriching this contact', data: normalized };
	}
	if (normalized.enrichment_status === 'not_found') {
		return { kind: 'notFound', reason: 'Pronto finished without finding what was asked', data: normalized };
	}
	return { kind: 'found', data: normalized };
}
