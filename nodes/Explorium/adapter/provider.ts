import type { Provider } from '../../bulk/types';

/**
 * Every Explorium match and bulk endpoint takes 1..50 inputs; 200 requests per minute per key.
 * Reaching 200 a minute takes rate × latency requests in flight: bulk calls answer in 1-3 s, so
 * 10 by default (5 would cap a run at 100 a minute when answers take 3 s).
 */
export const EXPLORIUM: Provider = {
	name: 'Explorium',
	credentialType: 'bulkEnrichmentExploriumApi',
	limits: {
		maxBatchSize: 50,
		defaultConcurrency: 10,
		maxConcurrency: 20,
		rateLimit: { requests: 200, windowMs: 60_000 },
		requestTimeoutMs: 60_000,
	},
};

/**
 * Explorium's match and bulk enrich calls are synchronous look-ups: they enqueue nothing, and the
 * same request gives the same rows, so a request that timed out may be sent again.
 */
export const IDEMPOTENT_LOOKUP = true;
