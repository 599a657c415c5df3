import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from 'zod';

import { readListOption, readSimplify, simplifyProperty } from '../../../bulk/bulk-options';
import type { BulkEndpoint, FieldLabels, ProviderLimits } from '../../../bulk/types';
import { contactOptionsCollection, openContactSession } from '../../../contact/contact-part';
import { EXACTBUYER } from '../../adapter/provider';
import { exactBuyerQueryLabels, exactBuyerQuerySchema } from '../../adapter/schemas';
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

/** What identifies each person (a field type, which may differ per item, and its value), the operation's own fields, Simplify and the Options. */
export const operationProperties = (
	operation: string,
	own: INodeProperties[],
	limits: ProviderLimits,
) =>
	updateDisplayOptions({ show: { resource: ['contact'], operation: [operation] } }, [
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
		...own,
		simplifyProperty,
		contactOptionsCollection(limits),
	]);
/** Each item's input field → its parameter path, the schema and labels. */
export const QUERY_FIELDS = [
	{ field_type: 'fieldType', value: 'value' },
	exactBuyerQuerySchema,
	exactBuyerQueryLabels,
] as const;

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

/** Reads each item's query, sends it to `endpoint`, returns the items (simplified if asked). */
export async function enrichContacts<T>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	endpoint: BulkEndpoint<T>,
	fields: readonly [Record<string, string>, ZodType<T, ZodTypeDef, unknown>, FieldLabels],
): Promise<INodeExecutionData[]> {
	const simplify = readSimplify(context);
	const session = await openContactSession(context, items, EXACTBUYER, exactBuyerStandardFields);
	const outcomes = await session.run(endpoint, session.readSlots(...fields, 'value'));
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyContact : undefined });
}
