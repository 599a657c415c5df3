import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { readInputSlots } from '../../../bulk/read-input-slots';
import { EXPLORIUM } from '../../adapter/provider';
import { matchBusinessesEndpoint } from '../../adapter/match-endpoints';
import { businessMatchLabels, businessMatchSchema } from '../../adapter/schemas';
import { mappedTextField } from '../common.descriptions';

const showOnlyFor = { show: { resource: ['business'], operation: ['match'] } };

const field = (displayName: string, name: string, description: string, placeholder: string, defaultValue = '') => ({
	...mappedTextField(showOnlyFor, displayName, name, description, placeholder),
	default: defaultValue,
});

export const description: INodeProperties[] = [
	// Defaults read the standard fields our nodes write, then the name CRMs commonly use.
	field('Company Name', 'companyName', 'Name of the company', 'Acme Inc', '={{ $json.company_name || $json.company }}'),
	field('Domain', 'domain', 'Domain of the company website', 'acme.com', '={{ $json.company_domain || $json.domain }}'),
	field('Website URL', 'websiteUrl', 'Full URL of the company website', 'https://www.acme.com'),
	field('LinkedIn URL', 'linkedinUrl', 'LinkedIn company page URL', 'https://www.linkedin.com/company/acme'),
	bulkOptionsCollection(EXPLORIUM.limits, showOnlyFor, [], { spendsCredits: false }),
];

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
