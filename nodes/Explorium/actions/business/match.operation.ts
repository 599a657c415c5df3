import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { bulkOptionsCollection } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { EXPLORIUM, exploriumApiOf } from '../../adapter/provider';
import { matchBusinessesEndpoint } from '../../adapter/endpoints';
import { businessMatchLabels, businessMatchSchema } from '../../adapter/schemas';
import { mappedTextField } from '../common.descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['business'], operation: ['match'] } },
	[
		// Defaults read the standard fields our nodes write, then the name CRMs commonly use.
		mappedTextField(
			'Company Name',
			'companyName',
			'Name of the company',
			'Acme Inc',
			'={{ $json.company_name || $json.company }}',
		),
		mappedTextField(
			'Domain',
			'domain',
			'Domain of the company website',
			'acme.com',
			'={{ $json.company_domain || $json.domain }}',
		),
		mappedTextField(
			'Website URL',
			'websiteUrl',
			'Full URL of the company website',
			'https://www.acme.com',
		),
		mappedTextField(
			'LinkedIn URL',
			'linkedinUrl',
			'LinkedIn company page URL',
			'https://www.linkedin.com/company/acme',
		),
		// A match spends credits (Explorium lists it among its credit-consuming endpoints).
		bulkOptionsCollection(EXPLORIUM.limits),
	],
);

/** Finds the Explorium business_id of each company, 50 companies per request (POST /v1 or /v2/businesses/match by node version). */
export const execute: OperationExecute = async function (items) {
	const session = await BulkSession.open(this, items, EXPLORIUM);
	const slots = session.readSlots(
		{ name: 'companyName', domain: 'domain', url: 'websiteUrl', linkedin_url: 'linkedinUrl' },
		businessMatchSchema,
		businessMatchLabels,
	);
	const outcomes = await session.run(matchBusinessesEndpoint(exploriumApiOf(this)), slots);
	return session.toOutputItems(outcomes);
};
