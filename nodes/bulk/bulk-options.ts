import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY } from './retry-policy';
import type { BulkRunSettings } from './run-bulk';
import type { ProviderLimits } from './types';

const INPUT_AND_ENRICHMENT = 'inputAndEnrichment';

/** The "Options" every bulk operation shares, with defaults and bounds from the provider's limits. */
export function bulkOptionsCollection(
	limits: ProviderLimits,
	displayOptions: IDisplayOptions,
	extraOptions: INodeProperties[] = [],
): INodeProperties {
	const { maxBatchSize, defaultConcurrency } = limits;
	const defaultMaxRetries = DEFAULT_RETRY_POLICY.maxRetries;
	const defaultTimeoutSeconds = limits.requestTimeoutMs / 1000;
	const defaultMaxRetryWaitSeconds = DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000;
	// An endpoint that takes one input per request has no batch size to choose.
	const batchSizeOptions: INodeProperties[] =
		limits.maxBatchSize > 1
			? [
					{
						displayName: 'Batch Size',
						name: 'batchSize',
						type: 'number',
						typeOptions: { minValue: limits.minBatchSize ?? 1, maxValue: limits.maxBatchSize },
						default: maxBatchSize,
						description: `How many inputs to send per request (at most ${limits.maxBatchSize}, the provider's limit)`,
					},
				]
			: [];
	const sharedOptions: INodeProperties[] = [
		...batchSizeOptions,
		{
			displayName: 'Concurrent Requests',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: limits.maxConcurrency },
			default: defaultConcurrency,
			description: 'How many requests may be in flight at once',
		},
		{
			displayName: 'Deduplicate Inputs',
			name: 'deduplicate',
			type: 'boolean',
			default: true,
			description:
				'Whether to send identical inputs once and give the result to every item that had them (saves credits)',
		},
		{
			displayName: 'Max Retries per Request',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: defaultMaxRetries,
			description: 'How often one request is retried after a rate limit (429) or a transient failure (5xx, reset, timeout)',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: defaultMaxRetryWaitSeconds,
			description: 'The longest one request may spend waiting between retries, Retry-After included',
		},
		{
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
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: defaultTimeoutSeconds,
			description: 'How long to wait for one answer before retrying (or, for requests that must not be sent twice, giving up)',
		},
	];
	const options = [...sharedOptions, ...extraOptions].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options,
	};
}

export interface BulkNodeSettings {
	run: BulkRunSettings;
	includeInputFields: boolean;
	requestTimeoutMs: number;
}

/** Reads the shared options once per execution (they cannot differ per item). */
export function readBulkSettings(context: IExecuteFunctions, limits: ProviderLimits): BulkNodeSettings {
	const options = context.getNodeParameter('options', 0, {}) as {
		batchSize?: number;
		concurrency?: number;
		deduplicate?: boolean;
		maxRetries?: number;
		maxRetryWaitSeconds?: number;
		output?: string;
		requestTimeoutSeconds?: number;
	};
	return {
		run: {
			batchSize: options.batchSize ?? limits.maxBatchSize,
			concurrency: options.concurrency ?? limits.defaultConcurrency,
			deduplicate: options.deduplicate ?? true,
			retry: {
				...DEFAULT_RETRY_POLICY,
				maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
				maxTotalWaitMs: (options.maxRetryWaitSeconds ?? DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000) * 1000,
			},
			stopOnFirstFailure: !context.continueOnFail(),
		},
		includeInputFields: (options.output ?? INPUT_AND_ENRICHMENT) === INPUT_AND_ENRICHMENT,
		requestTimeoutMs: options.requestTimeoutSeconds !== undefined ? options.requestTimeoutSeconds * 1000 : limits.requestTimeoutMs,
	};
}
