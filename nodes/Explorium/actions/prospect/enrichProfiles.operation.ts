import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, retryOnFailNotice } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { contactPart } from '../../../contact/contact-part';
import { prospectsBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { EXPLORIUM } from '../../adapter/provider';
import { simplifyProfile } from '../../adapter/simplify';
import { exploriumProfileStandardFields } from '../../adapter/standard-fields';
import { simplifyToggle } from '../common.descriptions';
import { enrichProspects, prospectIdentityFields } from './enrich-prospects';

const showOnlyFor = { show: { resource: ['prospect'], operation: ['enrichProfiles'] } };

export const description: INodeProperties[] = [
	retryOnFailNotice(showOnlyFor),
	...prospectIdentityFields('enrichProfiles'),
	simplifyToggle('prospect', ['enrichProfiles']),
	bulkOptionsCollection(EXPLORIUM.limits, showOnlyFor),
];

/** Professional profile of each prospect (POST /v1/prospects/profiles/bulk_enrich). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const simplify = this.getNodeParameter('simplify', 0, true) as boolean;
	const endpoint = prospectsBulkEnrichEndpoint('profiles');
	const session = await BulkSession.open(this, items, EXPLORIUM, contactPart(exploriumProfileStandardFields));
	const outcomes = await enrichProspects(this, items, session, endpoint);
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyProfile : undefined });
}
