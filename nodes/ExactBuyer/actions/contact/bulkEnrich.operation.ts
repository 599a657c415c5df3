import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection } from '../../../contact/contact-part';
import { simplifyProperty } from '../../../bulk/bulk-options';
import { bulkEnrichEndpoint } from '../../adapter/endpoints';
import { EXACTBUYER } from '../../adapter/provider';
import { exactBuyerQueryLabels, exactBuyerQuerySchema } from '../../adapter/schemas';
import * as shared from './query-fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['bulkEnrich'] } },
	[
		...shared.queryFields,
		shared.requiredFieldsParameter('requiredFields'),
		simplifyProperty,
		contactOptionsCollection(EXACTBUYER.limits),
	],
);

/** Enriches up to 1000 people per request (POST /v1/bulk-enrich). */
export const execute: OperationExecute = async function (items) {
	const required = this.getNodeParameter('requiredFields', 0, []);
	return await shared.enrichContacts(
		this,
		items,
		bulkEnrichEndpoint(shared.readRequiredFields(this, required, 'Required Fields')),
		shared.QUERY_SOURCES,
		exactBuyerQuerySchema,
		exactBuyerQueryLabels,
	);
};
