import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection } from '../../../contact/contact-part';
import { simplifyProperty } from '../../../bulk/bulk-options';
import { bulkEnrichEndpoint } from '../../adapter/endpoints';
import { EXACTBUYER } from '../../adapter/provider';
import { exactBuyerQueryLabels, exactBuyerQuerySchema } from '../../adapter/schemas';
import {
	enrichContacts,
	QUERY_SOURCES,
	queryFields,
	readRequiredFields,
	requiredFieldsParameter,
} from './query-fields';

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
	const required = this.getNodeParameter('requiredFields', 0, []);
	return await enrichContacts(
		this,
		items,
		bulkEnrichEndpoint(readRequiredFields(this, required, 'Required Fields')),
		QUERY_SOURCES,
		exactBuyerQuerySchema,
		exactBuyerQueryLabels,
	);
};
