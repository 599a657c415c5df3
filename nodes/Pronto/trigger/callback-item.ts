import type { IDataObject } from 'n8n-workflow';

import { CORRELATION_FIELDS, splitCorrelation } from '../adapter/correlation';
import { normalizeProntoResult } from '../adapter/normalize-result';

/**
 * One Pronto callback as the trigger's output item: the result under normalized names, the
 * correlation fields lifted out of `custom` under their own names, the user's own `custom`, and the
 * raw body.
 */
export function callbackItem(body: IDataObject): IDataObject {
	const { correlation, userCustom } = splitCorrelation(body.custom);
	// Always the same columns: a contact sent by another tool simply has no correlation (null).
	const correlationColumns: IDataObject = {};
	for (const field of Object.values(CORRELATION_FIELDS)) correlationColumns[field] = correlation[field] ?? null;
	return { ...normalizeProntoResult(body), ...correlationColumns, custom: userCustom, raw: body };
}
