import type { IAuthenticateGeneric, ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

// What each credential of the package shares: an API key sent in a header, a Base URL, a Test.

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export const apiKeyAndBaseUrl = (
	providerName: string,
	header: string,
	baseUrl: string,
): INodeProperties[] => [
	{
		displayName: 'API Key',
		name: 'apiKey',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: `Your ${providerName} API key, sent in the \`${header}\` header`,
	},
	{
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: baseUrl,
		description: 'Change only to go through a proxy or a local simulator',
	},
];

export const apiKeyInHeader = (header: string): IAuthenticateGeneric => ({
	type: 'generic',
	properties: { headers: { [header]: '={{$credentials.apiKey}}' } },
});

/**
 * A GET Test of the key; a 401 says the key was rejected. It never follows a redirect: n8n would send
 * the key to wherever the Base URL points it and report the other host's answer as a success.
 * `anyOtherStatusPasses`: every other status (a redirect aside) says the key works.
 */
export const apiKeyTest = (
	providerName: string,
	url: string,
	anyOtherStatusPasses = false,
): ICredentialTestRequest => ({
	request: {
		baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
		method: 'GET',
		disableFollowRedirect: true,
		url,
		...(anyOtherStatusPasses && {
			ignoreHttpStatusErrors: { ignore: true, except: [401, ...REDIRECT_STATUSES] },
		}),
	},
	rules: [
		{
			type: 'responseCode',
			properties: { value: 401, message: `${providerName} rejected the API key (401)` },
		},
		...REDIRECT_STATUSES.map((value) => ({
			type: 'responseCode' as const,
			properties: {
				value,
				message: `${providerName}'s Base URL answered with a redirect (HTTP ${value}), which is not followed so the API key never goes to another address: set Base URL to the provider's API address`,
			},
		})),
	],
});
