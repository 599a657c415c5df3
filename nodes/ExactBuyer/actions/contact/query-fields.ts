import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from 'zod';

import { readListOption, readSimplify } from '../../../bulk/bulk-options';
import type { BulkEndpoint, FieldLabels } from '../../../bulk/types';
import { openContactSession } from '../../../contact/contact-part';
import { EXACTBUYER } from '../../adapter/provider';
import { exactBuyerStandardFields, simplifyContact } from '../../adapter/standard-fields';

const REQUIRED_FIELD_NAMES = {
	email: 'Email (Any)',
	work_email: 'Work Email',
	personal_email: 'Personal Email',
	phone: 'Phone',
	social_profile: 'Social Profile',
};
type RequiredField = keyof typeof REQUIRED_FIELD_NAMES;
const REQUIRED_FIELD_TYPES = Object.keys(REQUIRED_FIELD_NAMES) as RequiredField[];

/** What identifies each person: a field type (may differ per item) and its value. */
export const queryFields: INodeProperties[] = [
	{
		displayName: 'Field Type',
		name: 'fieldType',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Phone', value: 'phone' },
			{ name: 'Social Profile (LinkedIn URL)', value: 'social_profile' },
		],
		default: 'email',
		description:
			'What the Value is. An expression may choose it per item, e.g. from which CRM field is filled.',
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		required: true,
		default: '={{ $json.email }}',
		description: 'The email, phone number or LinkedIn profile URL of each person',
	},
];
export const QUERY_SOURCES = { field_type: 'fieldType', value: 'value' };

export function requiredFieldsParameter(name: string): INodeProperties {
	return {
		displayName: 'Required Fields',
		name,
		type: 'multiOptions',
		options: REQUIRED_FIELD_TYPES.map((value) => ({ name: REQUIRED_FIELD_NAMES[value], value })),
		default: [],
		description:
			'Only return contacts that have all of these (others are not found and cost no credit)',
	};
}

/** A list, or names separated by commas from an expression; an unknown name is an error before anything is sent. */
export const readRequiredFields = (context: IExecuteFunctions, raw: unknown, label: string) =>
	readListOption(
		context,
		raw,
		label,
		REQUIRED_FIELD_TYPES,
		'Nothing was sent. Pick the fields from the list, or give their names separated by commas.',
	);

/** Reads each item's query from `sources`, sends it to `endpoint`, returns the items (simplified if asked). */
export async function enrichContacts<T>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	endpoint: BulkEndpoint<T>,
	sources: Record<string, string>,
	schema: ZodType<T, ZodTypeDef, unknown>,
	labels: FieldLabels,
): Promise<INodeExecutionData[]> {
	const simplify = readSimplify(context);
	const session = await openContactSession(context, items, EXACTBUYER, exactBuyerStandardFields);
	const outcomes = await session.run(endpoint, session.readSlots(sources, schema, labels, 'value'));
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyContact : undefined });
}
