import type { IDisplayOptions, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readInputSlots } from '../../../bulk/read-input-slots';
import type { InputSlot } from '../../../bulk/types';
import { ENRICHMENT_TYPES, prontoContactLabels, prontoContactSchema, type EnrichmentType, type ProntoContact } from '../../adapter/schemas';

/** What to find, and the contact fields Pronto needs for it; each field is mapped from the input item. */
export function contactFields(displayOptions: IDisplayOptions): INodeProperties[] {
	// Each default reads the standard field our nodes write first, then the name CRMs commonly use.
	const mapped = (displayName: string, name: string, defaultFields: string[], description: string): INodeProperties => ({
		displayName,
		name,
		type: 'string',
		default: `={{ ${defaultFields.map((field) => `$json.${field}`).join(' || ')} }}`,
		description,
		displayOptions,
	});
	return [
		{
			displayName: 'Enrichment Type',
			name: 'enrichmentType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Email', value: 'email', description: 'Work email; needs first and last name and a domain or company name' },
				{ name: 'Personal Email', value: 'personal_email', description: "Needs a LinkedIn URL and your account's consent to Pronto's terms" },
				{ name: 'Phone', value: 'phone', description: 'Needs first and last name and a LinkedIn URL' },
			],
			default: 'email',
			displayOptions,
		},
		mapped('First Name', 'firstName', ['first_name', 'firstname'], 'First name of the contact'),
		mapped('Last Name', 'lastName', ['last_name', 'lastname'], 'Last name of the contact'),
		mapped(
			'Domain',
			'domain',
			['company_domain', 'domain'],
			'Company domain (a website URL is reduced to its host); Domain or Company Name is needed for email',
		),
		mapped('Company Name', 'companyName', ['company_name', 'company'], 'Company the contact works for'),
		mapped('LinkedIn URL', 'linkedinUrl', ['linkedin_url'], 'LinkedIn profile URL; needed for phone and personal email'),
		{
			displayName: 'Custom',
			name: 'custom',
			type: 'json',
			default: '{}',
			description:
				'An object Pronto echoes back with the result, to join it to your records, for example your CRM record ID. The node adds its own n8n_bulk_* correlation fields beside it.',
			displayOptions,
		},
	];
}

export function readEnrichmentType(context: IExecuteFunctions): EnrichmentType {
	const type = context.getNodeParameter('enrichmentType', 0, 'email') as EnrichmentType;
	return ENRICHMENT_TYPES.includes(type) ? type : 'email';
}

/** Reads and validates every item's contact for the run's enrichment type. */
export function readContacts(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	enrichmentType: EnrichmentType,
): Array<InputSlot<ProntoContact>> {
	return readInputSlots(
		context,
		items,
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
