import type { IDataObject } from 'n8n-workflow';

import { CORRELATION_FIELDS, splitCorrelation } from '../adapter/correlation';
import { normalizeProntoResult } from '../adapter/normalize-result';
import { PRONTO } from '../adapter/provider';
import { prontoStandardContact } from '../adapter/standard-fields';
import { fillStandardFields } from '../../shared/fill-standard-fields';

/**
 * One Pronto callback as the trigger's output item: the result under normalized names, the
 * correlation fields lifted out of `custom` under their own names, the user's own `custom`, the
 * standard contact fields with `enrichment_source`, and the raw body.
 */
export function callbackItem(body: IDataObject): IDataObject {
	const { correlation, userCustom } = splitCorrelation(body.custom);
	// Always the same columns: a contact sent by another tool simply has no correlation (null).
	const correlationColumns: IDataObject = {};
	for (const field of Object.values(CORRELATION_FIELDS)) correlationColumns[field] = correlation[field] ?? null;
	const result = normalizeProntoResult(body) as unknown as IDataObject;
	const item: IDataObject = { ...result, ...correlationColumns, custom: userCustom, raw: body };
	// The standard contact fields (phone beside phones) and enrichment_source, as the action nodes write them.
	return fillStandardFields(item, {}, prontoStandardContact(result), PRONTO.name, result);
}
