import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { BUSINESS_ENRICHMENT, bulkOptionsCollection, onErrorNotice, retryOnFailNotice } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { readInputSlots } from '../../../bulk/read-input-slots';
import { readBooleanParameter } from '../../../shared/option-reader';
import { businessesBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { EXPLORIUM } from '../../adapter/provider';
import { businessIdLabels, businessIdSchema } from '../../adapter/schemas';
import { simplifyFirmographics } from '../../adapter/simplify';
import { simplifyToggle } from '../common.descriptions';

const properties: INodeProperties[] = [
	retryOnFailNotice(),
	onErrorNotice(),
	{
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		required: true,
		default: '={{ $json.business_id }}',
		description: 'The Explorium business_id (32 hexadecimal characters) of each item, e.g. from the Match operation',
	},
	simplifyToggle,
	// Companies have no contact fields: Only Enrich Items Missing is not offered.
	bulkOptionsCollection(EXPLORIUM.limits, [], BUSINESS_ENRICHMENT),
];

export const description = updateDisplayOptions({ show: { resource: ['business'], operation: ['enrichFirmographics'] } }, properties);

/** Firmographics of each business (POST /v1/businesses/firmographics/bulk_enrich). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const simplify = readBooleanParameter(this, 'simplify', 'Simplify', true);
	const slots = readInputSlots(this, items, { business_id: 'businessId' }, businessIdSchema, businessIdLabels, 'business_id');
	const session = await BulkSession.open(this, items, EXPLORIUM);
	const outcomes = await session.run(businessesBulkEnrichEndpoint('firmographics'), slots);
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyFirmographics : undefined });
}
