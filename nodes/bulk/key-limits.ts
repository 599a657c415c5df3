import { InFlightLimiter } from './in-flight-limiter';
import { SlidingWindowRateLimiter } from './rate-limiter';
import type { ProviderLimits } from './types';

/** The provider's limits on one API key, as every run in this n8n process shares them. */
export interface KeyLimits {
	rateLimiter?: SlidingWindowRateLimiter;
	/** The provider's concurrent-request limit per key (Pronto: 5). */
	inFlight: InFlightLimiter;
}

/**
 * Runs on the same key share its limits: two workflows enriching at once must not each send the
 * provider's full rate. Keyed by a hash of the credential (never the key itself). Across n8n
 * processes (queue mode) nothing is shared: there the 429 handling keeps the runs correct.
 */
const limitsByKey = new Map<string, KeyLimits>();

export function limitsForKey(keyId: string, limits: ProviderLimits): KeyLimits {
	const existing = limitsByKey.get(keyId);
	if (existing) return existing;
	const created: KeyLimits = {
		rateLimiter: limits.rateLimit ? new SlidingWindowRateLimiter(limits.rateLimit.requests, limits.rateLimit.windowMs) : undefined,
		inFlight: new InFlightLimiter(limits.maxConcurrency),
	};
	limitsByKey.set(keyId, created);
	return created;
}
