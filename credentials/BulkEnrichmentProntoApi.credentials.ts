import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { apiKeyAndBaseUrl, apiKeyInHeader, apiKeyTest } from './api-key-credential';

export class BulkEnrichmentProntoApi implements ICredentialType {
	name = 'bulkEnrichmentProntoApi';
	displayName = 'Pronto (Bulk Enrichment) API';
	documentationUrl =
		'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/credentials.md';
	icon: Icon = {
		light: 'file:../nodes/Pronto/pronto.svg',
		dark: 'file:../nodes/Pronto/pronto.dark.svg',
	};
	properties: INodeProperties[] = [
		...apiKeyAndBaseUrl('Pronto', 'X-API-KEY', 'https://app.prontohq.com/api/v2'),
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional shared secret of at least 16 characters (shorter ones are refused). The Pronto node adds a token made from it to the callback URL it sends, and the Pronto Trigger rejects callbacks that do not carry it.',
		},
	];
	authenticate = apiKeyInHeader('X-API-KEY');
	// GET /credits reads the credit balance: free, and 401 on a wrong key.
	test = apiKeyTest('Pronto', '/credits');
}
