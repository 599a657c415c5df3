import type { Provider } from '../../bulk/types';

/** Every Explorium match and bulk endpoint takes 1..50 inputs; 200 requests per minute per key. */
export const EXPLORIUM: Provider = {
	name: 'Explorium',
	credentialType: 'exploriumApi',
	limits: {
		maxBatchSize: 50,
		defaultConcurrency: 5,
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
