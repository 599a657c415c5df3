import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection } from '../../../bulk/bulk-options';
import { executeBulkOperation } from '../../../bulk/execute-bulk-operation';
import { prospectsBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { EXPLORIUM_CREDENTIAL, EXPLORIUM_LIMITS } from '../../adapter/limits';
import { simplifyProfile } from '../../adapter/simplify';
import { simplifyToggle } from '../common.descriptions';
import { enrichProspects, prospectIdentityFields } from './enrich-prospects';

const showOnlyFor = { show: { resource: ['prospect'], operation: ['enrichProfiles'] } };

export const description: INodeProperties[] = [
	...prospectIdentityFields('enrichProfiles'),
	simplifyToggle('prospect', ['enrichProfiles']),
	bulkOptionsCollection(EXPLORIUM_LIMITS, showOnlyFor),
];

/** Professional profile of each prospect (POST /v1/prospects/profiles/bulk_enrich). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const simplify = this.getNodeParameter('simplify', 0, true) as boolean;
	const endpoint = prospectsBulkEnrichEndpoint('profiles');
	return await executeBulkOperation(this, items, {
		credentialType: EXPLORIUM_CREDENTIAL,
		limits: EXPLORIUM_LIMITS,
		produceOutcomes: async (engine) => await enrichProspects(this, items, engine, endpoint),
		shapeData: simplify ? simplifyProfile : undefined,
	});
}
