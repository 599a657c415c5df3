import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection, openContactSession } from '../../../contact/contact-part';
import { readSimplify, simplifyProperty } from '../../../bulk/bulk-options';
import { bulkEnrichEndpoint } from '../../adapter/endpoints';
import { EXACTBUYER } from '../../adapter/provider';
import { exactBuyerQueryLabels, exactBuyerQuerySchema } from '../../adapter/schemas';
import { simplifyContact } from '../../adapter/simplify';
import { exactBuyerStandardFields } from '../../adapter/standard-fields';
import { queryFields, readRequiredFields, requiredFieldsParameter } from './query-fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['bulkEnrich'] } },
	[
		...queryFields,
		requiredFieldsParameter('requiredFields'),
		simplifyProperty,
		contactOptionsCollection(EXACTBUYER.limits),
	],
);

/** Enriches up to 1000 people per request (POST /v1/bulk-enrich). */
export const execute: OperationExecute = async function (items) {
	const requiredFields = readRequiredFields(
		this,
		this.getNodeParameter('requiredFields', 0, []),
		'Required Fields',
	);
	const simplify = readSimplify(this);
	const session = await openContactSession(this, items, EXACTBUYER, exactBuyerStandardFields);
	const slots = session.readSlots(
		{ field_type: 'fieldType', value: 'value' },
		exactBuyerQuerySchema,
		exactBuyerQueryLabels,
		'value',
	);

	const outcomes = await session.run(bulkEnrichEndpoint(requiredFields), slots);
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyContact : undefined });
};
