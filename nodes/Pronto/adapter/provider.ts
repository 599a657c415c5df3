import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../bulk/types';
import { asRecord } from '../../bulk/values';
import { webhookSecretOf, webhookSecretProblem, webhookTokenFor } from './webhook-token';

/** Added to every contact's `custom`, echoed in its callback; user keys with it are refused. */
export const CORRELATION_PREFIX = 'n8n_bulk_';

export const CORRELATION_FIELDS = {
	/** The (first) input item the contact came from. */
	itemIndex: `${CORRELATION_PREFIX}item_index`,
	/** Every input item the contact stands for (identical contacts are sent once). */
	itemIndexes: `${CORRELATION_PREFIX}item_indexes`,
	executionId: `${CORRELATION_PREFIX}execution_id`,
	/** One id per node run, so two runs of one execution (loops) are told apart. */
	runId: `${CORRELATION_PREFIX}run_id`,
} as const;

/** As sent in `custom` and shown on the output items. */
export const correlationFields = (
	{ executionId, runId }: { executionId: string; runId: string },
	itemIndexes: number[],
) => ({
	[CORRELATION_FIELDS.itemIndex]: itemIndexes[0],
	[CORRELATION_FIELDS.itemIndexes]: itemIndexes,
	[CORRELATION_FIELDS.executionId]: executionId,
	[CORRELATION_FIELDS.runId]: runId,
});

/** An echoed `custom` split: the correlation fields (null for a contact another tool sent) and the user's. */
export function splitCorrelation(custom: unknown) {
	const correlation: IDataObject = {};
	for (const field of Object.values(CORRELATION_FIELDS)) correlation[field] = null;
	const userCustom: IDataObject = {};
	for (const [key, value] of Object.entries(asRecord(custom))) {
		if (!key.startsWith(CORRELATION_PREFIX)) userCustom[key] = value;
		else if (key in correlation) correlation[key] = value ?? null;
	}
	return { correlation, userCustom };
}

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
	secretsDerivedFrom(credentials) {
		const secret = webhookSecretOf(credentials);
		return secret && !webhookSecretProblem(secret) ? [secret, webhookTokenFor(secret)] : [];
	},
};
