import type { INodeProperties } from 'n8n-workflow';

import * as bulkEnrich from './bulkEnrich.operation';
import * as enrich from './enrich.operation';
import * as get from './get.operation';

export const operations = { bulkEnrich, enrich, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Bulk Enrich',
				value: 'bulkEnrich',
				description: 'Submit contacts for enrichment, 100 per request; results arrive at a Pronto Trigger',
				action: 'Bulk enrich contacts',
			},
			{
				name: 'Enrich and Wait',
				value: 'enrich',
				description: 'Enrich each contact and wait for its result in this execution (small volumes)',
				action: 'Enrich a contact and wait',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the state and results of a contact enrichment by its ID',
				action: 'Get a contact enrichment',
			},
		],
		default: 'bulkEnrich',
	},
	...bulkEnrich.description,
	...enrich.description,
	...get.description,
];
