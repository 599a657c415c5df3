import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { redirectRules } from './redirect-rules';

export class BulkEnrichmentExploriumApi implements ICredentialType {
	name = 'bulkEnrichmentExploriumApi';

	displayName = 'Explorium (Bulk Enrichment) API';

	documentationUrl =
		'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/credentials.md';

	icon: Icon = {
		light: 'file:../nodes/Explorium/explorium.svg',
		dark: 'file:../nodes/Explorium/explorium.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your Explorium API key, sent in the `api_key` header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.explorium.ai',
			description: 'Change only to go through a proxy or a local simulator',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { api_key: '={{$credentials.apiKey}}' },
		},
	};

	// GET /v2/credits reads the credit balance (v2's path; v1's is retired with v1): free, and 401 on a wrong key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v2/credits',
			method: 'GET',
			// Never carry the key to wherever a redirect points (see redirect-rules).
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Explorium rejected the API key (401)' },
			},
			...redirectRules('Explorium'),
		],
	};
}
