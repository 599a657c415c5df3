import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, retryOnFailNotice } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { skipItemsAlreadyHoldingPart } from '../../../contact/contact-part';
import { readInputSlots } from '../../../bulk/read-input-slots';
import { businessesBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { EXPLORIUM } from '../../adapter/provider';
import { businessIdLabels, businessIdSchema } from '../../adapter/schemas';
import { simplifyFirmographics } from '../../adapter/simplify';
import { simplifyToggle } from '../common.descriptions';

const showOnlyFor = { show: { resource: ['business'], operation: ['enrichFirmographics'] } };

export const description: INodeProperties[] = [
	retryOnFailNotice(showOnlyFor),
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
	bulkOptionsCollection(EXPLORIUM.limits, showOnlyFor),
];

/** Firmographics of each business (POST /v1/businesses/firmographics/bulk_enrich). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const simplify = this.getNodeParameter('simplify', 0, true) as boolean;
	const slots = readInputSlots(this, items, { business_id: 'businessId' }, businessIdSchema, businessIdLabels, 'business_id');
	const session = await BulkSession.open(this, items, EXPLORIUM, skipItemsAlreadyHoldingPart);
	const outcomes = await session.run(businessesBulkEnrichEndpoint('firmographics'), slots);
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyFirmographics : undefined });
}
