import type { Icon, ICredentialType } from 'n8n-workflow';

import { apiKeyAndBaseUrl, apiKeyInHeader, apiKeyTest } from './api-key-credential';

export class BulkEnrichmentExploriumApi implements ICredentialType {
	name = 'bulkEnrichmentExploriumApi';
	displayName = 'Explorium (Bulk Enrichment) API';
	documentationUrl =
		'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/credentials.md';
	icon: Icon = {
		light: 'file:../nodes/Explorium/explorium.svg',
		dark: 'file:../nodes/Explorium/explorium.dark.svg',
	};
	properties = apiKeyAndBaseUrl('Explorium', 'api_key', 'https://api.explorium.ai');
	authenticate = apiKeyInHeader('api_key');
	// GET /v2/credits reads the credit balance (v2's path; v1's is retired with v1): free, and 401 on a wrong key.
	test = apiKeyTest('Explorium', '/v2/credits');
}
