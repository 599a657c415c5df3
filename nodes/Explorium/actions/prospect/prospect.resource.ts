import { resourceProperties } from '../../../shared/node-panel';

import * as enrichContacts from './enrichContacts.operation';
import * as enrichProfiles from './enrichProfiles.operation';
import * as match from './match.operation';

export const operations = { match, enrichContacts, enrichProfiles };

export const description = resourceProperties(
	'prospect',
	[
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
	operations,
);
