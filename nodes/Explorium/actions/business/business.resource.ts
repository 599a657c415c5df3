import { resourceProperties } from '../../../shared/node-panel';

import * as enrichFirmographics from './enrichFirmographics.operation';
import * as match from './match.operation';

export const operations = { match, enrichFirmographics };

export const description = resourceProperties(
	'business',
	[
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
	operations,
);
