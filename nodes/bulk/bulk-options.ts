import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	numberProperty,
	numberRange,
	OptionValues,
	type NumberOption,
} from '../shared/option-reader';
import { DEFAULT_RETRY_POLICY } from './send-with-retry';
import { isToolCall } from './operation';
import type { BulkRunSettings } from './run-bulk';
import type { ProviderLimits } from './types';

const INPUT_AND_ENRICHMENT = 'inputAndEnrichment';

/** What an operation does, which decides the options it offers: only one spending credits caps them. */
export const BUSINESS_ENRICHMENT = { spendsCredits: true };
export const FREE_LOOKUP = { spendsCredits: false };

// Beyond the longest Max Retry Wait and Request Timeout a run looks hung; the longest Max
// Rate-Limit Wait is a day (n8n's own execution timeout, if set, ends a run sooner).
const maxRetries: NumberOption = {
	displayName: 'Max Retries per Request',
	name: 'maxRetries',
	default: DEFAULT_RETRY_POLICY.maxRetries,
	...numberRange(0, 10, true),
	description:
		'How often one request is retried after a transient failure (5xx, reset, timeout). A rate limit (429) is not counted here: see Max Rate-Limit Wait.',
};
const maxRetryWaitSeconds: NumberOption = {
	displayName: 'Max Retry Wait (Seconds)',
	name: 'maxRetryWaitSeconds',
	default: DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000,
	...numberRange(0, 3600, false),
	description:
		'The longest one request may spend waiting between retries after transient failures, Retry-After included',
};
const maxRateLimitWaitMinutes: NumberOption = {
	displayName: 'Max Rate-Limit Wait (Minutes)',
	name: 'maxRateLimitWaitMinutes',
	default: DEFAULT_RETRY_POLICY.maxRateLimitWaitMs / 60_000,
	...numberRange(1, 1440, false),
	description:
		"The longest the whole run may wait for the provider's rate limit (its window, 429s and their Retry-After). Waiting is free: a request refused with 429 was not accepted, so it is sent again once the provider allows. Past this time the requests still waiting are not sent.",
};
/** Caps what one run may buy. */
const maxRecordsPerRun: NumberOption = {
	displayName: 'Max Records per Run',
	name: 'maxRecordsPerRun',
	default: 0,
	...numberRange(0, Number.MAX_SAFE_INTEGER, true),
	description:
		'The most distinct records one run may send (0 = no limit). Over it the node fails before sending anything; with On Error set to Continue, the first ones are sent and the rest pass through as "not_sent".',
};

/** The shared number options, each declared once: the panel offers and the reader accepts one range. */
export function bulkNumberOptions(limits: ProviderLimits) {
	const { maxBatchSize } = limits;
	const batchSize: NumberOption = {
		displayName: 'Batch Size',
		name: 'batchSize',
		default: maxBatchSize,
		...numberRange(limits.minBatchSize ?? 1, maxBatchSize, true),
		description: `How many inputs to send per request (at most ${maxBatchSize}, the provider's limit)`,
	};
	const concurrency: NumberOption = {
		displayName: 'Concurrent Requests',
		name: 'concurrency',
		default: limits.defaultConcurrency,
		...numberRange(1, limits.maxConcurrency, true),
		description: 'How many requests may be in flight at once',
	};
	const requestTimeoutSeconds: NumberOption = {
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeoutSeconds',
		default: limits.requestTimeoutMs / 1000,
		...numberRange(1, 600, false),
		description:
			'How long to wait for one answer before retrying (or, for requests that must not be sent twice, giving up)',
	};
	return {
		batchSize,
		concurrency,
		requestTimeoutSeconds,
		maxRetries,
		maxRetryWaitSeconds,
		maxRateLimitWaitMinutes,
		maxRecordsPerRun,
	};
}

const deduplicateOption: INodeProperties = {
	displayName: 'Deduplicate Inputs',
	name: 'deduplicate',
	type: 'boolean',
	default: true,
	description:
		'Whether to send identical inputs once and give the result to every item that had them (saves credits)',
};

const outputOption: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	options: [
		{
			name: 'Input Fields and Enrichment',
			value: INPUT_AND_ENRICHMENT,
			description: "Keep the input item's fields and add the enrichment beside them",
		},
		{ name: 'Enrichment Only', value: 'enrichmentOnly', description: 'Output only the enrichment' },
	],
	default: INPUT_AND_ENRICHMENT,
};

/** The "Options" every bulk operation shares, with defaults and bounds from the provider's limits. */
export function bulkOptionsCollection(
	limits: ProviderLimits,
	extraOptions: INodeProperties[] = [],
	kind: { spendsCredits: boolean } = BUSINESS_ENRICHMENT,
): INodeProperties {
	const { batchSize, maxRecordsPerRun, ...numbers } = bulkNumberOptions(limits);
	// An endpoint that takes one input per request has no batch size to choose.
	const batchSizes = limits.maxBatchSize > 1 ? [batchSize] : [];
	const credits = kind.spendsCredits ? [maxRecordsPerRun] : [];
	const options = [
		...[...batchSizes, ...Object.values(numbers), ...credits].map(numberProperty),
		deduplicateOption,
		outputOption,
		...extraOptions,
	].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

export interface BulkNodeSettings {
	run: BulkRunSettings;
	includeInputFields: boolean;
	requestTimeoutMs: number;
}

/**
 * Reads the shared options once per execution (they cannot differ per item). A value out of range,
 * or not a number (an expression can give anything), is an error naming the option, before anything
 * is sent: silently clamping a Batch Size of 0 to 1 would multiply the requests.
 */
export function readBulkSettings(
	context: IExecuteFunctions,
	limits: ProviderLimits,
	options = OptionValues.read(context),
): BulkNodeSettings {
	const declared = bulkNumberOptions(limits);
	// Read in this order, so that of two wrong options the same one is named first.
	const batchSize = options.number(declared.batchSize);
	const concurrency = options.number(declared.concurrency);
	const maxRetries = options.number(declared.maxRetries);
	const maxRetryWaitSeconds = options.number(declared.maxRetryWaitSeconds);
	const maxRateLimitWaitMinutes = options.number(declared.maxRateLimitWaitMinutes);
	const requestTimeoutSeconds = options.number(declared.requestTimeoutSeconds);
	const maxRecordsPerRun = options.number(declared.maxRecordsPerRun);
	return {
		run: {
			maxRecordsPerRun,
			batchSize,
			concurrency,
			deduplicate: options.boolean(deduplicateOption),
			retry: {
				...DEFAULT_RETRY_POLICY,
				maxRetries,
				maxTotalWaitMs: maxRetryWaitSeconds * 1000,
				maxRateLimitWaitMs: maxRateLimitWaitMinutes * 60_000,
			},
			// A tool call answers its agent with the failure instead of failing the agent's run.
			stopOnFirstFailure: !context.continueOnFail() && !isToolCall(context),
		},
		includeInputFields: options.choice(outputOption) === INPUT_AND_ENRICHMENT,
		requestTimeoutMs: requestTimeoutSeconds * 1000,
	};
}
