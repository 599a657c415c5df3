import type { INodeProperties } from 'n8n-workflow';

import * as enrichContacts from './enrichContacts.operation';
import * as enrichProfiles from './enrichProfiles.operation';
import * as match from './match.operation';

export const operations = { match, enrichContacts, enrichProfiles };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['prospect'] } },
		options: [
			{
				name: 'Enrich Contacts',
				value: 'enrichContacts',
				description: 'Get emails and phone numbers of prospects, 50 per request',
				action: 'Enrich prospect contacts',
			},
			{
				name: 'Enrich Profiles',
				value: 'enrichProfiles',
				description: 'Get the professional profile of prospects, 50 per request',
				action: 'Enrich prospect profiles',
			},
			{
				name: 'Match',
				value: 'match',
				description: 'Find the Explorium prospect ID of people from their email, phone, LinkedIn or name',
				action: 'Match prospects',
			},
		],
		default: 'enrichContacts',
	},
	...match.description,
	...enrichContacts.description,
	...enrichProfiles.description,
];
