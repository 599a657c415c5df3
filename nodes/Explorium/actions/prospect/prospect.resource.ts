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
				description:
					'Find the work email (with its status), personal email and phone numbers of people, from a prospect ID or from their name and company, email, phone or LinkedIn URL. Costs Explorium credits; 50 per request.',
				action: 'Enrich people with emails and phones',
			},
			{
				name: 'Enrich Profiles',
				value: 'enrichProfiles',
				description:
					'Find the job title, company, location and career of people, from a prospect ID or their details. Costs Explorium credits; 50 per request.',
				action: 'Enrich people with job and profile',
			},
			{
				name: 'Match',
				value: 'match',
				description:
					'Find the Explorium prospect ID of people from their email, phone, LinkedIn URL or name and company. Costs Explorium credits; 50 per request.',
				action: 'Match people to a prospect ID',
			},
		],
		default: 'enrichContacts',
	},
	...match.description,
	...enrichContacts.description,
	...enrichProfiles.description,
];
