import { resourceProperties } from '../../../shared/node-panel';

import * as bulkEnrich from './bulkEnrich.operation';
import * as enrich from './enrich.operation';

export const operations = { bulkEnrich, enrich };

export const description = resourceProperties(
	'contact',
	[
		{
			name: 'Bulk Enrich',
			value: 'bulkEnrich',
			description:
				'Find the contact details and profile of many people by email, phone or LinkedIn URL, 1000 per request. One ExactBuyer credit per person found.',
			action: 'Enrich people in bulk with contact details',
		},
		{
			name: 'Enrich',
			value: 'enrich',
			description:
				'Find the work email, phones, LinkedIn URL, job title and company of one person from an email, phone or LinkedIn URL (name and company help). One ExactBuyer credit if found.',
			action: 'Enrich a person with contact details',
		},
	],
	operations,
);
