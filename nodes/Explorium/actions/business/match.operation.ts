import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, FREE_LOOKUP, onErrorNotice } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { readInputSlots } from '../../../bulk/read-input-slots';
import { EXPLORIUM } from '../../adapter/provider';
import { matchBusinessesEndpoint } from '../../adapter/match-endpoints';
import { businessMatchLabels, businessMatchSchema } from '../../adapter/schemas';
import { mappedTextField } from '../common.descriptions';

const properties: INodeProperties[] = [
	onErrorNotice(),
	// Defaults read the standard fields our nodes write, then the name CRMs commonly use.
	mappedTextField('Company Name', 'companyName', 'Name of the company', 'Acme Inc', '={{ $json.company_name || $json.company }}'),
	mappedTextField('Domain', 'domain', 'Domain of the company website', 'acme.com', '={{ $json.company_domain || $json.domain }}'),
	mappedTextField('Website URL', 'websiteUrl', 'Full URL of the company website', 'https://www.acme.com'),
	mappedTextField('LinkedIn URL', 'linkedinUrl', 'LinkedIn company page URL', 'https://www.linkedin.com/company/acme'),
	bulkOptionsCollection(EXPLORIUM.limits, [], FREE_LOOKUP),
];

export const description = updateDisplayOptions({ show: { resource: ['business'], operation: ['match'] } }, properties);

/** Finds the Explorium business_id of each company, 50 companies per request. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const slots = readInputSlots(
		this,
		items,
		{ name: 'companyName', domain: 'domain', url: 'websiteUrl', linkedin_url: 'linkedinUrl' },
		businessMatchSchema,
		businessMatchLabels,
	);
	const session = await BulkSession.open(this, items, EXPLORIUM);
	const outcomes = await session.run(matchBusinessesEndpoint, slots);
	return session.toOutputItems(outcomes);
}
