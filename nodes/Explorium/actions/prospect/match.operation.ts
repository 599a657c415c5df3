import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection } from '../../../bulk/bulk-options';
import { executeBulkOperation } from '../../../bulk/execute-bulk-operation';
import { EXPLORIUM_CREDENTIAL, EXPLORIUM_LIMITS } from '../../adapter/limits';
import { matchProspectsEndpoint } from '../../adapter/match-endpoints';
import { personDetailsFields, readPersonDetails } from './person-details';

const showOnlyFor = { show: { resource: ['prospect'], operation: ['match'] } };

export const description: INodeProperties[] = [
	...personDetailsFields(showOnlyFor),
	bulkOptionsCollection(EXPLORIUM_LIMITS, showOnlyFor),
];

/** Finds the Explorium prospect_id of each person, 50 people per request. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeBulkOperation(this, items, {
		credentialType: EXPLORIUM_CREDENTIAL,
		limits: EXPLORIUM_LIMITS,
		produceOutcomes: async (engine) => await engine.run(matchProspectsEndpoint, readPersonDetails(this, items)),
	});
}
