import { randomUUID } from 'crypto';
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { BulkSession } from '../../../bulk/bulk-session';
import type { InputSlot } from '../../../bulk/types';
import { OptionValues, readChoiceOption } from '../../../bulk/bulk-options';
import type { ProntoSubmission } from '../../adapter/endpoints';
import {
	ENRICHMENT_TYPES,
	parsePhoneCountryCodes,
	prontoContactLabels,
	prontoContactSchema,
	type EnrichmentType,
	type ProntoContact,
} from '../../adapter/schemas';

// Each default reads the standard field our nodes write first, then the name CRMs commonly use.
const mapped = (
	displayName: string,
	name: string,
	defaultFields: string[],
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: `={{ ${defaultFields.map((field) => `$json.${field}`).join(' || ')} }}`,
	description,
});

export const contactFields: INodeProperties[] = [
	{
		displayName: 'Enrichment Type',
		name: 'enrichmentType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Email',
				value: 'email',
				description: 'Work email; needs first and last name and a domain or company name',
			},
			{
				name: 'Personal Email',
				value: 'personal_email',
				description: "Needs a LinkedIn URL and your account's consent to Pronto's terms",
			},
			{
				name: 'Phone',
				value: 'phone',
				description: 'Needs first and last name and a LinkedIn URL',
			},
		],
		default: 'email',
	},
	mapped('First Name', 'firstName', ['first_name', 'firstname'], 'First name of the contact'),
	mapped('Last Name', 'lastName', ['last_name', 'lastname'], 'Last name of the contact'),
	mapped(
		'Domain',
		'domain',
		['company_domain', 'domain'],
		'Company domain (a website URL is reduced to its host); Domain or Company Name is needed for email',
	),
	mapped(
		'Company Name',
		'companyName',
		['company_name', 'company'],
		'Company the contact works for',
	),
	mapped(
		'LinkedIn URL',
		'linkedinUrl',
		['linkedin_url'],
		'LinkedIn profile URL; needed for phone and personal email',
	),
	{
		displayName: 'Custom',
		name: 'custom',
		type: 'json',
		default: '{}',
		description:
			'An object Pronto echoes back with each result: how a result finds its CRM record again. Map the record ID under a key of your choice, e.g. crm_id, and each result item carries it as custom.crm_id. The node adds its own n8n_bulk_* correlation fields beside it.',
	},
];

export function readEnrichmentType(context: IExecuteFunctions): EnrichmentType {
	return readChoiceOption(
		context,
		context.getNodeParameter('enrichmentType', 0, 'email'),
		'Enrichment Type',
		ENRICHMENT_TYPES,
		'email',
	);
}

export const phoneCountryCodesOption: INodeProperties = {
	displayName: 'Phone Country Codes',
	name: 'phoneCountryCodes',
	type: 'string',
	default: '',
	placeholder: 'US, FR',
	description: 'Only return phone numbers of these countries (two-letter codes, comma-separated)',
};

export function readPhoneCountryCodes(options: OptionValues): string[] | undefined {
	try {
		return parsePhoneCountryCodes(options.raw(phoneCountryCodesOption.name));
	} catch (error) {
		throw new NodeOperationError(
			options.context.getNode(),
			`Phone Country Codes: ${(error as Error).message}`,
			{ description: 'Nothing was sent.' },
		);
	}
}

/** Read before the session opens; a fresh run id tells two runs of one execution apart. */
export function readSubmission(context: IExecuteFunctions) {
	const enrichmentType = readEnrichmentType(context);
	const options = OptionValues.read(context);
	const phoneCountryCodes = readPhoneCountryCodes(options);
	const executionId = String(context.getExecutionId() ?? '');
	const runId = randomUUID();
	const submission: ProntoSubmission = { enrichmentType, phoneCountryCodes, executionId, runId };
	return { options, submission };
}

export function readContacts(
	session: BulkSession,
	{ enrichmentType }: ProntoSubmission,
): Array<InputSlot<ProntoContact>> {
	return session.readSlots(
		{
			firstname: 'firstName',
			lastname: 'lastName',
			domain: 'domain',
			company_name: 'companyName',
			linkedin_url: 'linkedinUrl',
			custom: 'custom',
		},
		prontoContactSchema(enrichmentType),
		prontoContactLabels,
	);
}
