import type { IDataObject } from 'n8n-workflow';

import { CORRELATION_FIELDS, splitCorrelation } from '../adapter/correlation';
import { normalizeProntoResult } from '../adapter/normalize-result';

export type CallbackReading = { ok: true; item: IDataObject } | { ok: false; reason: string };

/**
 * One Pronto callback as one output item: the result under normalized names (whatever shape it came
 * in), the correlation fields lifted out of `custom` under their own names, the user's own `custom`,
 * and the raw body. A body that is not a Pronto result (not an object, no enrichment id) is refused.
 */
export function readCallback(body: unknown): CallbackReading {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { ok: false, reason: 'the body must be a JSON object (one Pronto result)' };
	}
	const result = normalizeProntoResult(body as IDataObject);
	if (result.enrichment_id === null) {
		return { ok: false, reason: 'the body has no enrichment_id (or id): it is not a Pronto result' };
	}
	const { correlation, userCustom } = splitCorrelation((body as IDataObject).custom);
	// Always the same columns: a contact sent by another tool simply has no correlation (null).
	const correlationColumns: IDataObject = {};
	for (const field of Object.values(CORRELATION_FIELDS)) correlationColumns[field] = correlation[field] ?? null;
	return { ok: true, item: { ...result, ...correlationColumns, custom: userCustom, raw: body as IDataObject } };
}
