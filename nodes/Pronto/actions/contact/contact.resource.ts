import { resourceProperties } from '../../../shared/node-panel';

import * as bulkEnrich from './bulkEnrich.operation';
import * as enrich from './enrich.operation';
import * as get from './get.operation';

export const operations = { bulkEnrich, enrich, get };

export const description = resourceProperties(
	'contact',
	[
		{
			name: 'Bulk Enrich',
			value: 'bulkEnrich',
			description:
				'Submit contacts for enrichment, 100 per request; results arrive later at a Pronto Trigger workflow. Costs Pronto credits.',
			action: 'Submit contacts for enrichment by webhook',
		},
		{
			name: 'Enrich and Wait',
			value: 'enrich',
			description:
				'Find the work email or phone of each person (first and last name and a company domain or name; LinkedIn URL for phones) and wait for the result. Costs Pronto credits.',
			action: 'Enrich a person with email or phone and wait',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get the state and results of a contact enrichment by its ID. Free.',
			action: 'Get a contact enrichment result',
		},
	],
	operations,
);
