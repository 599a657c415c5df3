import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { EXPLORIUM } from '../../adapter/provider';
import { matchProspectsEndpoint } from '../../adapter/match-endpoints';
import { personDetailsFields, readPersonDetails } from './person-details';

const showOnlyFor = { show: { resource: ['prospect'], operation: ['match'] } };

export const description: INodeProperties[] = [
	...personDetailsFields(showOnlyFor),
	bulkOptionsCollection(EXPLORIUM.limits, showOnlyFor, [], { spendsCredits: false }),
];

/** Finds the Explorium prospect_id of each person, 50 people per request. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const slots = readPersonDetails(this, items);
	const session = await BulkSession.open(this, items, EXPLORIUM);
	const outcomes = await session.run(matchProspectsEndpoint, slots);
	return session.toOutputItems(outcomes);
}
