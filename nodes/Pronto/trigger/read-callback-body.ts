import type { IDataObject } from 'n8n-workflow';

import { enrichmentIdOf } from '../adapter/normalize-result';

export type CallbackBody = { ok: true; body: IDataObject } | { ok: false; reason: string };

/**
 * The callback's body if it is one Pronto result: a JSON object with an enrichment id. n8n hands the
 * node an empty request as undefined and a text/plain one as a string; a JSON body n8n cannot parse
 * never reaches the node (n8n answers 422 itself).
 */
export function readCallbackBody(body: unknown): CallbackBody {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { ok: false, reason: 'the body must be a JSON object (one Pronto result)' };
	}
	if (enrichmentIdOf(body as IDataObject) === null) {
		return { ok: false, reason: 'the body has no enrichment_id (or id): it is not a Pronto result' };
	}
	return { ok: true, body: body as IDataObject };
}
