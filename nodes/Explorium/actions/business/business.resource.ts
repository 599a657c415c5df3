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
				description: 'Get size, revenue, industry and location of businesses, 50 per request',
				action: 'Enrich business firmographics',
			},
			{
				name: 'Match',
				value: 'match',
				description: 'Find the Explorium business ID of companies from their name, domain or LinkedIn page',
				action: 'Match businesses',
			},
		],
		default: 'enrichFirmographics',
	},
	...match.description,
	...enrichFirmographics.description,
];
