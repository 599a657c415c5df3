import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { REDIRECT_STATUSES, redirectRules } from './redirect-rules';

export class BulkEnrichmentExactBuyerApi implements ICredentialType {
	name = 'bulkEnrichmentExactBuyerApi';

	displayName = 'ExactBuyer (Bulk Enrichment) API';

	documentationUrl =
		'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/credentials.md';

	icon: Icon = {
		light: 'file:../nodes/ExactBuyer/exactbuyer.svg',
		dark: 'file:../nodes/ExactBuyer/exactbuyer.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your ExactBuyer API key, sent in the `X-API-Key` header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.exactbuyer.com',
			description: 'Change only to go through a proxy or a local simulator',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-API-Key': '={{$credentials.apiKey}}' },
		},
	};

	// ExactBuyer documents no free endpoint. An enrich call with no identifier enriches nothing (no
	// credit) and is refused as malformed (400) with a valid key but unauthorised (401) with a wrong
	// one, so every status but 401 counts as a working key (a redirect is reported, never followed).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/enrich',
			method: 'GET',
			// Never carry the key to wherever a redirect points (see redirect-rules).
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: { ignore: true, except: [401, ...REDIRECT_STATUSES] },
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'ExactBuyer rejected the API key (401)' },
			},
			...redirectRules('ExactBuyer'),
		],
	};
}
