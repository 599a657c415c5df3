import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { BulkSession } from '../../../bulk/bulk-session';
import type { InputSlot, ItemOutcome } from '../../../bulk/types';
import { prospectsBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { exploriumApiOf } from '../../adapter/provider';
import { matchProspectsEndpoint } from '../../adapter/match-endpoints';
import { prospectIdLabels, prospectIdSchema, type ProspectIdInput } from '../../adapter/schemas';
import { readChoiceOption } from '../../../bulk/bulk-options';
import { versionTwins } from '../common.descriptions';
import {
	MAPPED_PERSON_DETAILS_VERSION,
	personDetailsFields,
	readPersonDetails,
} from './person-details';

const IDENTIFY_BY = ['prospectId', 'personDetails'] as const;

const identifyBy: INodeProperties = {
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
	default: 'personDetails',
};

/**
 * How an enrich operation identifies each person: an Explorium id, or details to match first.
 * CRM rows have no prospect ID, so from version 2 Person Details is the default.
 */
export const prospectIdentityFields: INodeProperties[] = [
	...versionTwins(
		MAPPED_PERSON_DETAILS_VERSION,
		{ ...identifyBy, default: 'prospectId' },
		identifyBy,
	),
	...updateDisplayOptions({ show: { identifyBy: ['prospectId'] } }, [
		{
			displayName: 'Prospect ID',
			name: 'prospectId',
			type: 'string',
			required: true,
			default: '={{ $json.prospect_id }}',
			description: 'The Explorium prospect_id (40 hexadecimal characters) of each item',
		},
	]),
	...updateDisplayOptions({ show: { identifyBy: ['personDetails'] } }, personDetailsFields),
];

// Suggested when no item has a Prospect ID: items with a name, email or company can be matched instead.
const PERSON_DETAILS_WAY = 'Identify Prospects By › Person Details';

/** An enrichment's outcomes for every item, matching person details to prospect ids first when asked. */
export async function enrichProspects(
	context: IExecuteFunctions,
	session: BulkSession,
	enrichment: 'contacts_information' | 'profiles',
	parameters?: IDataObject,
): Promise<ItemOutcome[]> {
	const api = exploriumApiOf(context);
	const endpoint = prospectsBulkEnrichEndpoint(enrichment, parameters, api);
	const identifyBy = readChoiceOption(
		context,
		context.getNodeParameter('identifyBy', 0, 'prospectId'),
		'Identify Prospects By',
		IDENTIFY_BY,
		'prospectId',
	);
	if (identifyBy === 'prospectId') {
		const slots = session.readSlots(
			{ prospect_id: 'prospectId' },
			prospectIdSchema,
			prospectIdLabels,
			'prospect_id',
			PERSON_DETAILS_WAY,
		);
		return await session.run(endpoint, slots);
	}
	const matched = await session.run(
		matchProspectsEndpoint(api),
		readPersonDetails(context, session),
	);
	return await session.run(endpoint, matched.map(matchedSlot));
}

/** A found match is the prospect id to enrich (with its match's warnings); anything else passes through. */
const matchedSlot = (outcome: ItemOutcome): InputSlot<ProspectIdInput> =>
	outcome.kind === 'found'
		? {
				kind: 'valid',
				value: { prospect_id: String(outcome.data.prospect_id) },
				...(outcome.warnings ? { warnings: outcome.warnings } : {}),
			}
		: { kind: 'skipped', outcome };
