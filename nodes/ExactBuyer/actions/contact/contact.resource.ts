import type { INodeProperties } from 'n8n-workflow';

import * as bulkEnrich from './bulkEnrich.operation';
import * as enrich from './enrich.operation';

export const operations = { bulkEnrich, enrich };

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
				description: 'Enrich people by email, phone or LinkedIn URL, 1000 per request',
				action: 'Bulk enrich contacts',
			},
			{
				name: 'Enrich',
				value: 'enrich',
				description: 'Enrich one person per request, with name and company to help find them',
				action: 'Enrich a contact',
			},
		],
		default: 'bulkEnrich',
	},
	...bulkEnrich.description,
	...enrich.description,
];
