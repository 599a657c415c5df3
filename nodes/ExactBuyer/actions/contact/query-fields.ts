import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readListOption } from '../../../bulk/bulk-options';
import { REQUIRED_FIELD_TYPES } from '../../adapter/schemas';

const REQUIRED_FIELD_NAMES: Record<(typeof REQUIRED_FIELD_TYPES)[number], string> = {
	email: 'Email (Any)',
	work_email: 'Work Email',
	personal_email: 'Personal Email',
	phone: 'Phone',
	social_profile: 'Social Profile',
};

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

/** Contacts lacking any of these come back as not found and cost nothing. */
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

type RequiredFieldType = (typeof REQUIRED_FIELD_TYPES)[number];

/**
 * Required Fields as set, or as an expression gives them: a list, or one text with names separated
 * by commas (`{{ "phone" }}`). An unknown name is an error naming the parameter, before anything is
 * sent: ExactBuyer would otherwise be asked for something it does not know.
 */
export function readRequiredFields(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
): RequiredFieldType[] {
	return readListOption(
		context,
		raw,
		label,
		REQUIRED_FIELD_TYPES,
		'Nothing was sent. Pick the fields from the list, or give their names separated by commas.',
	);
}
