import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, retryOnFailNotice } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { contactPart } from '../../../contact/contact-part';
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
	const parameters = readContactTypes(this);
	const endpoint = prospectsBulkEnrichEndpoint('contacts_information', parameters);
	const session = await BulkSession.open(this, items, EXPLORIUM, contactPart(exploriumContactsStandardFields));
	const outcomes = await enrichProspects(this, items, session, endpoint);
	return session.toOutputItems(outcomes);
}

const CONTACT_TYPES = ['emailAndPhone', 'email'];

/**
 * The `parameters` Explorium is sent for Contact Types. An expression may give anything: a value
 * that is not one of the options (e.g. "Email") is an error, not a silent purchase of emails and phones.
 */
function readContactTypes(context: IExecuteFunctions): IDataObject | undefined {
	const options = context.getNodeParameter('options', 0, {}) as { contactTypes?: unknown };
	const raw = options.contactTypes;
	if (raw === undefined || raw === null || raw === '' || raw === 'emailAndPhone') return undefined;
	if (raw === 'email') return { contact_types: ['email'] };
	throw new NodeOperationError(context.getNode(), `Options › Contact Types: must be one of ${CONTACT_TYPES.join(', ')} (got ${JSON.stringify(raw)})`, {
		description: 'Nothing was sent. Fix the option and run again.',
	});
}
