import type { OperationExecute } from '../../../bulk/operation';
import { bulkEnrichEndpoint } from '../../adapter/endpoints';
import { EXACTBUYER } from '../../adapter/provider';
import * as shared from './query-fields';

export const description = shared.operationProperties(
	'bulkEnrich',
	[shared.requiredFieldsParameter('requiredFields')],
	EXACTBUYER.limits,
);

/** Enriches up to 1000 people per request (POST /v1/bulk-enrich). */
export const execute: OperationExecute = async function (items) {
	const required = this.getNodeParameter('requiredFields', 0, []);
	const endpoint = bulkEnrichEndpoint(shared.readRequiredFields(this, required, 'Required Fields'));
	return await shared.enrichContacts(this, items, endpoint, shared.QUERY_FIELDS);
};
