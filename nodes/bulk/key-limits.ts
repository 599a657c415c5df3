import { InFlightLimiter } from './in-flight-limiter';
import { KeyRateLimiter } from './rate-limiter';
import type { ProviderLimits } from './types';

/** The provider's limits on one API key, as every run in this n8n process shares them. */
export interface KeyLimits {
	/** The key's pace: the documented window, and what the provider's 429s taught (see rate-limiter.ts). */
	rateLimiter: KeyRateLimiter;
	/** The provider's concurrent-request limit per key (Pronto: 5). */
	inFlight: InFlightLimiter;
}

/**
 * Runs on the same key share its limits: two workflows enriching at once must not each send the
 * provider's full rate. Keyed by a hash of the credential (never the key itself). Across n8n
 * processes (queue mode) nothing is shared: each process learns its share of the key's real rate
 * from the provider's 429s.
 */
const limitsByKey = new Map<string, KeyLimits>();

export function limitsForKey(keyId: string, limits: ProviderLimits): KeyLimits {
	const existing = limitsByKey.get(keyId);
	if (existing) return existing;
	const created: KeyLimits = {
		rateLimiter: new KeyRateLimiter(limits.rateLimit),
		inFlight: new InFlightLimiter(limits.maxConcurrency),
	};
	limitsByKey.set(keyId, created);
	return created;
}
