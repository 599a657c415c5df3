import type { INodeProperties } from 'n8n-workflow';

import * as enrichFirmographics from './enrichFirmographics.operation';
import * as match from './match.operation';

export const operations = { match, enrichFirmographics };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['business'] } },
		options: [
			{
				name: 'Enrich Firmographics',
				value: 'enrichFirmographics',
				description:
					'Find the size, revenue, industry and location of companies from their Explorium business ID. Costs Explorium credits; 50 per request.',
				action: 'Enrich companies with firmographics',
			},
			{
				name: 'Match',
				value: 'match',
				description:
					'Find the Explorium business ID of companies from their name, domain or LinkedIn page. Costs Explorium credits; 50 per request.',
				action: 'Match companies to a business ID',
			},
		],
		default: 'enrichFirmographics',
	},
	...match.description,
	...enrichFirmographics.description,
];
