import type { IExecuteFunctions } from 'n8n-workflow';

import type { Provider } from '../../bulk/types';

// Every match and enrich endpoint takes 1..50 inputs. The rate limit counts records (each id or
// match row), not requests: 200 per sliding minute per key, so four full requests fill a minute.
export const EXPLORIUM: Provider = {
	name: 'Explorium',
	credentialType: 'bulkEnrichmentExploriumApi',
	secretFields: ['apiKey'],
	limits: {
		maxBatchSize: 50,
		defaultConcurrency: 4,
		maxConcurrency: 20,
		rateLimit: { limit: 200, windowMs: 60_000, unit: 'record' },
		requestTimeoutMs: 60_000,
	},
	answerStatusField: 'response_context.request_status',
};

export type ExploriumApi = 'v1' | 'v2';

/** From this node version on, the node calls v2 (GA since 2 September 2026); older versions keep v1. */
export const V2_API_NODE_VERSION = 3;

export const exploriumApiOf = (context: Pick<IExecuteFunctions, 'getNode'>): ExploriumApi =>
	context.getNode().typeVersion >= V2_API_NODE_VERSION ? 'v2' : 'v1';

// Shown by versions that call v1 (editor and run hint): n8n never upgrades saved workflows.
export const V1_END_NOTICE =
	"Explorium ends support for its v1 API, which this node version calls, around March 2027 (v1 stops serving traffic about September 2027). To move to v2, replace this node with a new Explorium node from the nodes panel (new nodes call v2), the usual way to upgrade an n8n node's version, and copy its settings over.";
