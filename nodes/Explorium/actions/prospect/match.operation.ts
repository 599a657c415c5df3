import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, FREE_LOOKUP, onErrorNotice } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { EXPLORIUM } from '../../adapter/provider';
import { matchProspectsEndpoint } from '../../adapter/match-endpoints';
import { personDetailsFields, readPersonDetails } from './person-details';

const properties: INodeProperties[] = [onErrorNotice(), ...personDetailsFields, bulkOptionsCollection(EXPLORIUM.limits, [], FREE_LOOKUP)];

export const description = updateDisplayOptions({ show: { resource: ['prospect'], operation: ['match'] } }, properties);

/** Finds the Explorium prospect_id of each person, 50 people per request. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const slots = readPersonDetails(this, items);
	const session = await BulkSession.open(this, items, EXPLORIUM);
	const outcomes = await session.run(matchProspectsEndpoint, slots);
	return session.toOutputItems(outcomes);
}
