import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { BulkSession } from '../../../bulk/bulk-session';
import { readInputSlots } from '../../../bulk/read-input-slots';
import type { BulkEndpoint, InputSlot, ItemOutcome } from '../../../bulk/types';
import { matchProspectsEndpoint } from '../../adapter/match-endpoints';
import { prospectIdLabels, prospectIdSchema, type ProspectIdInput } from '../../adapter/schemas';
import { personDetailsFields, readPersonDetails } from './person-details';

/** How an enrich operation identifies each person: an Explorium id, or details to match first. */
export function prospectIdentityFields(operation: string): INodeProperties[] {
	const show = (identifyBy: string) => ({
		show: { resource: ['prospect'], operation: [operation], identifyBy: [identifyBy] },
	});
	return [
		{
			displayName: 'Identify Prospects By',
			name: 'identifyBy',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Prospect ID',
					value: 'prospectId',
					description: 'An Explorium prospect_id, e.g. from the Match operation',
				},
				{
					name: 'Person Details',
					value: 'personDetails',
					description: 'Email, phone, LinkedIn URL or name and company: matched first, then enriched',
				},
			],
			default: 'prospectId',
			displayOptions: { show: { resource: ['prospect'], operation: [operation] } },
		},
		{
			displayName: 'Prospect ID',
			name: 'prospectId',
			type: 'string',
			required: true,
			default: '={{ $json.prospect_id }}',
			description: 'The Explorium prospect_id (40 hexadecimal characters) of each item',
			displayOptions: show('prospectId'),
		},
		...personDetailsFields(show('personDetails')),
	];
}

/** Outcomes of an enrichment for every item, matching person details to prospect ids first when asked. */
export async function enrichProspects(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	session: BulkSession,
	endpoint: BulkEndpoint<ProspectIdInput>,
): Promise<ItemOutcome[]> {
	const identifyBy = context.getNodeParameter('identifyBy', 0, 'prospectId') as string;
	if (identifyBy === 'prospectId') {
		const slots = readInputSlots(context, items, { prospect_id: 'prospectId' }, prospectIdSchema, prospectIdLabels, 'prospect_id');
		return await session.run(endpoint, slots);
	}
	const matched = await session.run(matchProspectsEndpoint, readPersonDetails(context, items));
	const slots = matched.map(
		(outcome): InputSlot<ProspectIdInput> =>
			outcome.kind === 'found'
				? { kind: 'valid', value: { prospect_id: String(outcome.data.prospect_id) }, ...(outcome.warnings ? { warnings: outcome.warnings } : {}) }
				: { kind: 'skipped', outcome },
	);
	return await session.run(endpoint, slots);
}
