import type { INodeProperties } from 'n8n-workflow';

import { readBooleanOption, readCollection } from '../../../bulk/bulk-options';
import type { OperationExecute } from '../../../bulk/operation';
import { singleEnrichEndpoint } from '../../adapter/endpoints';
import { EXACTBUYER } from '../../adapter/provider';
import { exactBuyerLookupLabels, exactBuyerLookupSchema } from '../../adapter/schemas';
import * as shared from './query-fields';

const detail = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
});

export const description = shared.operationProperties(
	'enrich',
	[
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				detail('Company Domain', 'companyDomain', 'Domain of the company the person works for'),
				detail('Company Name', 'companyName', 'Company the person works for'),
				detail('First Name', 'firstName', 'First name of the person'),
				detail('Last Name', 'lastName', 'Last name of the person'),
				{
					displayName: 'Realtime',
					name: 'realtime',
					type: 'boolean',
					default: false,
					description:
						'Whether ExactBuyer should look the person up live instead of only in its database (slower)',
				},
				shared.requiredFieldsParameter('required'),
				{
					displayName: 'Waterfall',
					name: 'waterfall',
					type: 'boolean',
					default: false,
					description:
						'Whether ExactBuyer may ask further sources when its own data lacks what is required',
				},
			],
		},
	],
	{ ...EXACTBUYER.limits, maxBatchSize: 1 },
);

const LOOKUP_FIELDS = [
	{
		...shared.QUERY_FIELDS[0],
		first_name: 'additionalFields.firstName',
		last_name: 'additionalFields.lastName',
		company_name: 'additionalFields.companyName',
		company_domain: 'additionalFields.companyDomain',
	},
	exactBuyerLookupSchema,
	exactBuyerLookupLabels,
] as const;

/** Enriches one person per request (GET /v1/enrich); an unset flag is not sent (ExactBuyer's default). */
export const execute: OperationExecute = async function (items) {
	const additional = readCollection(this, 'additionalFields', 'Additional Fields');
	const label = (name: string) => `Additional Fields › ${name}`;
	const endpoint = singleEnrichEndpoint({
		required: shared.readRequiredFields(this, additional.required, label('Required Fields')),
		realtime: readBooleanOption(this, additional.realtime, label('Realtime'), undefined),
		waterfall: readBooleanOption(this, additional.waterfall, label('Waterfall'), undefined),
	});
	return await shared.enrichContacts(this, items, endpoint, LOOKUP_FIELDS);
};
