import type { Icon, ICredentialType } from 'n8n-workflow';

import { apiKeyAndBaseUrl, apiKeyInHeader, apiKeyTest } from './api-key-credential';

export class BulkEnrichmentExactBuyerApi implements ICredentialType {
	name = 'bulkEnrichmentExactBuyerApi';
	displayName = 'ExactBuyer (Bulk Enrichment) API';
	documentationUrl =
		'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/credentials.md';
	icon: Icon = {
		light: 'file:../nodes/ExactBuyer/exactbuyer.svg',
		dark: 'file:../nodes/ExactBuyer/exactbuyer.dark.svg',
	};
	properties = apiKeyAndBaseUrl('ExactBuyer', 'X-API-Key', 'https://api.exactbuyer.com');
	authenticate = apiKeyInHeader('X-API-Key');
	// ExactBuyer documents no free endpoint. An enrich call with no identifier enriches nothing (no
	// credit) and is refused as malformed (400) with a valid key but unauthorised (401) with a wrong
	// one, so every status but 401 counts as a working key (a redirect is reported, never followed).
	test = apiKeyTest('ExactBuyer', '/v1/enrich', true);
}
