import type { Provider } from '../../bulk/types';

/**
 * Every Explorium match and enrich endpoint takes 1..50 inputs. The rate limit counts records, not
 * requests: 200 per sliding minute per key, each id or match row one (50 ids use 50), reported in
 * X-RateLimit headers on every answer. Four full requests fill a minute, so 4 in flight by default.
 */
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

/**
 * Explorium's match and bulk enrich calls are synchronous look-ups: they enqueue nothing, and the
 * same request gives the same rows, so a request that timed out may be sent again.
 */
export const IDEMPOTENT_LOOKUP = true;
