import type { Provider } from '../../bulk/types';

// 200 requests a minute, probably per endpoint: counted per key, never more than ExactBuyer allows.
// A full batch of 1000 takes longer to answer than one of 50: hence the longer timeout.
export const EXACTBUYER: Provider = {
	name: 'ExactBuyer',
	credentialType: 'bulkEnrichmentExactBuyerApi',
	secretFields: ['apiKey'],
	limits: {
		maxBatchSize: 1000,
		// 200 a minute at answers of up to 3 s needs 10 in flight (rate × latency).
		defaultConcurrency: 10,
		maxConcurrency: 10,
		rateLimit: { limit: 200, windowMs: 60_000, unit: 'request' },
		requestTimeoutMs: 120_000,
	},
	explainFailure({ statusCode }) {
		if (statusCode === 401) return 'ExactBuyer refused the API key.';
		if (statusCode === 403)
			return 'The ExactBuyer account is out of credits (one credit per enriched record): add credits, then run the items that were not enriched again.';
		return undefined;
	},
};
