import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection } from '../../../bulk/bulk-options';
import { executeBulkOperation } from '../../../bulk/execute-bulk-operation';
import { readInputSlots } from '../../../bulk/read-input-slots';
import { businessesBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { EXPLORIUM_CREDENTIAL, EXPLORIUM_LIMITS } from '../../adapter/limits';
import { businessIdLabels, businessIdSchema } from '../../adapter/schemas';
import { simplifyFirmographics } from '../../adapter/simplify';
import { simplifyToggle } from '../common.descriptions';

const showOnlyFor = { show: { resource: ['business'], operation: ['enrichFirmographics'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		required: true,
		default: '={{ $json.business_id }}',
		description: 'The Explorium business_id (32 hexadecimal characters) of each item, e.g. from the Match operation',
		displayOptions: showOnlyFor,
	},
	simplifyToggle('business', ['enrichFirmographics']),
	bulkOptionsCollection(EXPLORIUM_LIMITS, showOnlyFor),
];

/** Firmographics of each business (POST /v1/businesses/firmographics/bulk_enrich). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const simplify = this.getNodeParameter('simplify', 0, true) as boolean;
	const slots = readInputSlots(this, items, { business_id: 'businessId' }, businessIdSchema, businessIdLabels);
	return await executeBulkOperation(this, items, {
		credentialType: EXPLORIUM_CREDENTIAL,
		limits: EXPLORIUM_LIMITS,
		produceOutcomes: async (engine) => await engine.run(businessesBulkEnrichEndpoint('firmographics'), slots),
		shapeData: simplify ? simplifyFirmographics : undefined,
	});
}
