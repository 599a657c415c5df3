import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, retryOnFailNotice } from '../../../bulk/bulk-options';
import { openBulkSession } from '../../../bulk/bulk-session';
import { prospectsBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { EXPLORIUM } from '../../adapter/provider';
import { exploriumContactsStandardFields } from '../../adapter/standard-fields';
import { enrichProspects, prospectIdentityFields } from './enrich-prospects';

const showOnlyFor = { show: { resource: ['prospect'], operation: ['enrichContacts'] } };

export const description: INodeProperties[] = [
	retryOnFailNotice(showOnlyFor),
	...prospectIdentityFields('enrichContacts'),
	bulkOptionsCollection(EXPLORIUM.limits, showOnlyFor, [
		{
			displayName: 'Contact Types',
			name: 'contactTypes',
			type: 'options',
			options: [
				{ name: 'Email and Phone', value: 'emailAndPhone' },
				{ name: 'Email Only', value: 'email', description: 'Cheaper when phones are not needed' },
			],
			default: 'emailAndPhone',
			description: 'Which contact details to ask for',
		},
	]),
];

/** Emails and phones of each prospect (POST /v1/prospects/contacts_information/bulk_enrich). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as { contactTypes?: string };
	const parameters = options.contactTypes === 'email' ? { contact_types: ['email'] } : undefined;
	const endpoint = prospectsBulkEnrichEndpoint('contacts_information', parameters);
	const session = await openBulkSession(this, items, EXPLORIUM);
	const outcomes = await enrichProspects(this, items, session, endpoint);
	return session.toOutputItems(outcomes, { standardFields: exploriumContactsStandardFields });
}
