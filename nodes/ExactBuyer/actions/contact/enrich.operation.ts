import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection, openContactSession } from '../../../contact/contact-part';
import {
	readBooleanOption,
	readSimplify,
	readCollection,
	simplifyProperty,
} from '../../../bulk/bulk-options';
import { singleEnrichEndpoint } from '../../adapter/endpoints';
import { EXACTBUYER } from '../../adapter/provider';
import { exactBuyerLookupLabels, exactBuyerLookupSchema } from '../../adapter/schemas';
import { simplifyContact } from '../../adapter/simplify';
import { exactBuyerStandardFields } from '../../adapter/standard-fields';
import { queryFields, readRequiredFields, requiredFieldsParameter } from './query-fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['enrich'] } },
	[
		...queryFields,
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Company Domain',
					name: 'companyDomain',
					type: 'string',
					default: '',
					description: 'Domain of the company the person works for',
				},
				{
					displayName: 'Company Name',
					name: 'companyName',
					type: 'string',
					default: '',
					description: 'Company the person works for',
				},
				{
					displayName: 'First Name',
					name: 'firstName',
					type: 'string',
					default: '',
					description: 'First name of the person',
				},
				{
					displayName: 'Last Name',
					name: 'lastName',
					type: 'string',
					default: '',
					description: 'Last name of the person',
				},
				{
					displayName: 'Realtime',
					name: 'realtime',
					type: 'boolean',
					default: false,
					description:
						'Whether ExactBuyer should look the person up live instead of only in its database (slower)',
				},
				requiredFieldsParameter('required'),
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
		simplifyProperty,
		contactOptionsCollection({ ...EXACTBUYER.limits, maxBatchSize: 1 }),
	],
);

/** Enriches one person per request (GET /v1/enrich), with the details that help find them; a miss is not found. */
export const execute: OperationExecute = async function (items) {
	const lookupOptions = readLookupOptions(this);
	const simplify = readSimplify(this);
	const session = await openContactSession(this, items, EXACTBUYER, exactBuyerStandardFields);
	const slots = session.readSlots(
		{
			field_type: 'fieldType',
			value: 'value',
			first_name: 'additionalFields.firstName',
			last_name: 'additionalFields.lastName',
			company_name: 'additionalFields.companyName',
			company_domain: 'additionalFields.companyDomain',
		},
		exactBuyerLookupSchema,
		exactBuyerLookupLabels,
		'value',
	);
	const outcomes = await session.run(singleEnrichEndpoint(lookupOptions), slots);
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyContact : undefined });
};

/** Required Fields, Realtime and Waterfall; an unset flag is not sent (ExactBuyer then uses its own default). */
function readLookupOptions(context: IExecuteFunctions) {
	const additional = readCollection(context, 'additionalFields', 'Additional Fields');
	const label = (name: string) => `Additional Fields › ${name}`;
	return {
		required: readRequiredFields(context, additional.required, label('Required Fields')),
		realtime: readBooleanOption(context, additional.realtime, label('Realtime'), undefined),
		waterfall: readBooleanOption(context, additional.waterfall, label('Waterfall'), undefined),
	};
}
