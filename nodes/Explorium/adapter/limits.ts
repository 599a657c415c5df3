import type { ProviderLimits } from '../../bulk/types';

/** Every Explorium match and bulk endpoint takes 1..50 inputs; 200 requests per minute per key. */
export const EXPLORIUM_LIMITS: ProviderLimits = {
	maxBatchSize: 50,
	defaultConcurrency: 5,
	maxConcurrency: 20,
	rateLimit: { requests: 200, windowMs: 60_000 },
};

export const EXPLORIUM_PROVIDER = 'Explorium';
export const EXPLORIUM_CREDENTIAL = 'exploriumApi';
