import type { Provider } from '../../bulk/types';
import { CORRELATION_FIELDS } from './correlation';
import { webhookSecretProblem, webhookTokenFor } from './webhook-token';

/**
 * Pronto takes 2..100 contacts per bulk request (one contact goes to the single endpoint) and allows
 * 5 concurrent requests per key; it documents no request window.
 */
export const PRONTO: Provider = {
	name: 'Pronto',
	credentialType: 'bulkEnrichmentProntoApi',
	secretFields: ['apiKey'],
	limits: {
		maxBatchSize: 100,
		minBatchSize: 2,
		defaultConcurrency: 5,
		maxConcurrency: 5,
		requestTimeoutMs: 60_000,
	},
	// A contact's `status` (GET /contacts/{id}): "failed" or "error" is no miss.
	answerStatusField: 'status',
	explainFailure({ statusCode, providerMessage }) {
		if (statusCode === 401) return 'Pronto refused the API key.';
		if (statusCode !== 422) return undefined;
		if (/consent|terms of use|personal email/i.test(providerMessage)) {
			return "Personal email enrichment needs your account's consent to Pronto's terms of use: give it in Pronto's app, then run these items again. Nothing was enqueued or charged.";
		}
		if (/credit/i.test(providerMessage)) {
			return 'The Pronto account has too few credits for these contacts, so nothing was enqueued or charged: add credits (or send fewer contacts), then run these items again.';
		}
		return undefined;
	},
	// Written by the adapters (normalized results, submissions): Get after Enrich and Wait updates them.
	ownFields: ['enrichment_id', 'pronto_status', ...Object.values(CORRELATION_FIELDS)],
	// Whoever reads the callback token (Pronto echoes webhook_url in some errors) could forge callbacks.
	// A Webhook Secret too short to be accepted is never used, so it is no secret to redact.
	secretsDerivedFrom: ({ webhookSecret }) =>
		typeof webhookSecret === 'string' &&
		webhookSecret !== '' &&
		!webhookSecretProblem(webhookSecret)
			? [webhookSecret, webhookTokenFor(webhookSecret)]
			: [],
};
