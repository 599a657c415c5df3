import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { redirectRules } from './redirect-rules';

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
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your Pronto API key, sent in the `X-API-KEY` header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.prontohq.com/api/v2',
			description: 'Change only to go through a proxy or a local simulator',
		},
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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-API-KEY': '={{$credentials.apiKey}}' },
		},
	};

	// GET /credits reads the credit balance: free, and 401 on a wrong key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/credits',
			method: 'GET',
			// Never carry the key to wherever a redirect points (see redirect-rules).
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Pronto rejected the API key (401)' },
			},
			...redirectRules('Pronto'),
		],
	};
}
