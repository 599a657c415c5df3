import { NodeOperationError, type IDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { STANDARD_CONTACT_FIELDS, type StandardContactField } from '../shared/standard-contact';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { isToolCall } from './tool-answer';
import type { BulkRunSettings } from './run-bulk';
import type { ProviderLimits } from './types';

const INPUT_AND_ENRICHMENT = 'inputAndEnrichment';

/** The "Options" every bulk operation shares, with defaults and bounds from the provider's limits. */
export function bulkOptionsCollection(
	limits: ProviderLimits,
	displayOptions: IDisplayOptions,
	extraOptions: INodeProperties[] = [],
	kind: { spendsCredits: boolean } = { spendsCredits: true },
): INodeProperties {
	const { maxBatchSize, defaultConcurrency } = limits;
	const defaultMaxRetries = DEFAULT_RETRY_POLICY.maxRetries;
	const defaultTimeoutSeconds = limits.requestTimeoutMs / 1000;
	const defaultMaxRetryWaitSeconds = DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000;
	const defaultMaxRateLimitWaitMinutes = DEFAULT_RETRY_POLICY.maxRateLimitWaitMs / 60_000;
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
			description:
				'How often one request is retried after a transient failure (5xx, reset, timeout). A rate limit (429) is not counted here: see Max Rate-Limit Wait.',
		},
		{
			displayName: 'Max Rate-Limit Wait (Minutes)',
			name: 'maxRateLimitWaitMinutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_RATE_LIMIT_WAIT_MINUTES },
			default: defaultMaxRateLimitWaitMinutes,
			description:
				"The longest the whole run may wait for the provider's rate limit (its window, 429s and their Retry-After). Waiting is free: a request refused with 429 was not accepted, so it is sent again once the provider allows. Past this time the requests still waiting are not sent.",
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: defaultMaxRetryWaitSeconds,
			description: 'The longest one request may spend waiting between retries after transient failures, Retry-After included',
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
	const creditOptions = kind.spendsCredits ? creditControlOptions() : [];
	const options = [...sharedOptions, ...creditOptions, ...extraOptions].sort((a, b) => a.displayName.localeCompare(b.displayName));
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

/**
 * The editor's warning on operations that spend credits: with n8n's Retry On Fail on, they refuse to
 * send (see bulk-session), since a re-run of the whole node would pay again for what was enriched.
 */
export function retryOnFailNotice(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName:
			"Keep Settings › Retry On Fail off: this operation spends credits, and n8n's retry would re-run the whole node and pay again for records already enriched (the node then refuses to send). The node already retries each request safely by itself.",
		name: 'retryOnFailNotice',
		type: 'notice',
		default: '',
		displayOptions,
	};
}

/** What an operation that spends credits also offers: skip what is known, cap what is sent. */
function creditControlOptions(): INodeProperties[] {
	return [
		{
			displayName: 'Only Enrich Items Missing',
			name: 'onlyEnrichMissing',
			type: 'multiOptions',
			options: STANDARD_CONTACT_FIELDS.map((field) => ({ name: STANDARD_FIELD_NAMES[field], value: field })),
			default: [],
			description:
				'Items that already have all of these fields (non-empty) pass through as "skipped" and are not sent, so they cost no credit. Chain nodes with "Email" here for a waterfall.',
		},
		{
			displayName: 'Max Records per Run',
			name: 'maxRecordsPerRun',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'The most distinct records one run may send (0 = no limit). Over it the node fails before sending anything; with On Error set to Continue, the first ones are sent and the rest pass through as "not_sent".',
		},
	];
}

const STANDARD_FIELD_NAMES: Record<StandardContactField, string> = {
	email: 'Email',
	email_status: 'Email Status',
	personal_email: 'Personal Email',
	phone: 'Phone',
	mobile_phone: 'Mobile Phone',
	linkedin_url: 'LinkedIn URL',
	full_name: 'Full Name',
	first_name: 'First Name',
	last_name: 'Last Name',
	job_title: 'Job Title',
	company_name: 'Company Name',
	company_domain: 'Company Domain',
};

export interface BulkNodeSettings {
	run: BulkRunSettings;
	/** Items with all of these fields non-empty are skipped (Only Enrich Items Missing). */
	onlyEnrichMissing: StandardContactField[];
	includeInputFields: boolean;
	requestTimeoutMs: number;
}

/** The longest Max Retry Wait and Request Timeout a user may set: beyond them a run looks hung. */
const MAX_RETRY_WAIT_SECONDS = 3600;
const MAX_REQUEST_TIMEOUT_SECONDS = 600;
const MAX_RETRIES = 10;
/** A day: n8n's own execution timeout, if set, ends a run sooner. */
const MAX_RATE_LIMIT_WAIT_MINUTES = 1440;

/**
 * Reads the shared options once per execution (they cannot differ per item). A value out of range,
 * or not a number (an expression can give anything), is an error naming the option, before anything
 * is sent: silently clamping a Batch Size of 0 to 1 would multiply the requests.
 */
export function readBulkSettings(context: IExecuteFunctions, limits: ProviderLimits): BulkNodeSettings {
	const options = context.getNodeParameter('options', 0, {}) as Record<string, unknown>;
	const number = (name: string, label: string, fallback: number, range: { min: number; max: number; whole: boolean }) =>
		readNumberOption(context, options[name], label, fallback, range);
	const batchSize = number('batchSize', 'Batch Size', limits.maxBatchSize, {
		min: limits.minBatchSize ?? 1,
		max: limits.maxBatchSize,
		whole: true,
	});
	const concurrency = number('concurrency', 'Concurrent Requests', limits.defaultConcurrency, {
		min: 1,
		max: limits.maxConcurrency,
		whole: true,
	});
	const maxRetries = number('maxRetries', 'Max Retries per Request', DEFAULT_RETRY_POLICY.maxRetries, {
		min: 0,
		max: MAX_RETRIES,
		whole: true,
	});
	const maxRetryWaitSeconds = number('maxRetryWaitSeconds', 'Max Retry Wait (Seconds)', DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000, {
		min: 0,
		max: MAX_RETRY_WAIT_SECONDS,
		whole: false,
	});
	const maxRateLimitWaitMinutes = number(
		'maxRateLimitWaitMinutes',
		'Max Rate-Limit Wait (Minutes)',
		DEFAULT_RETRY_POLICY.maxRateLimitWaitMs / 60_000,
		{ min: 1, max: MAX_RATE_LIMIT_WAIT_MINUTES, whole: false },
	);
	const requestTimeoutSeconds = number('requestTimeoutSeconds', 'Request Timeout (Seconds)', limits.requestTimeoutMs / 1000, {
		min: 1,
		max: MAX_REQUEST_TIMEOUT_SECONDS,
		whole: false,
	});
	const maxRecordsPerRun = number('maxRecordsPerRun', 'Max Records per Run', 0, { min: 0, max: Number.MAX_SAFE_INTEGER, whole: true });
	return {
		onlyEnrichMissing: readFieldList(context, options.onlyEnrichMissing, 'Only Enrich Items Missing'),
		run: {
			maxRecordsPerRun,
			batchSize,
			concurrency,
			deduplicate: options.deduplicate !== false,
			retry: {
				...DEFAULT_RETRY_POLICY,
				maxRetries,
				maxTotalWaitMs: maxRetryWaitSeconds * 1000,
				maxRateLimitWaitMs: maxRateLimitWaitMinutes * 60_000,
			},
			// A tool call answers its agent with the failure instead of failing the agent's run.
			stopOnFirstFailure: !context.continueOnFail() && !isToolCall(context),
		},
		includeInputFields: (options.output ?? INPUT_AND_ENRICHMENT) === INPUT_AND_ENRICHMENT,
		requestTimeoutMs: requestTimeoutSeconds * 1000,
	};
}

/** A list of standard field names; an expression may give one as text, or several separated by commas. */
function readFieldList(context: IExecuteFunctions, raw: unknown, label: string): StandardContactField[] {
	if (raw === undefined || raw === null || raw === '') return [];
	const entries = typeof raw === 'string' ? raw.split(',').map((entry) => entry.trim()).filter(Boolean) : raw;
	const known = new Set<string>(STANDARD_CONTACT_FIELDS);
	if (Array.isArray(entries) && entries.every((entry) => typeof entry === 'string' && known.has(entry))) {
		return [...new Set(entries as StandardContactField[])];
	}
	throw new NodeOperationError(context.getNode(), `Options › ${label}: must be a list of ${STANDARD_CONTACT_FIELDS.join(', ')} (got ${JSON.stringify(raw)})`, {
		description: 'Nothing was sent. Fix the option and run again.',
	});
}

/**
 * An operation's own number option (e.g. Enrich and Wait's Max Wait), read and checked like the
 * shared ones: out of range or not a number is an error naming it, before anything is sent.
 */
export function readOperationNumberOption(
	context: IExecuteFunctions,
	name: string,
	label: string,
	fallback: number,
	range: { min: number; max: number; whole: boolean },
): number {
	const options = context.getNodeParameter('options', 0, {}) as Record<string, unknown>;
	return readNumberOption(context, options[name], label, fallback, range);
}

function readNumberOption(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	fallback: number,
	range: { min: number; max: number; whole: boolean },
): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
	const inRange = Number.isFinite(value) && value >= range.min && value <= range.max && (!range.whole || Number.isInteger(value));
	if (inRange) return value;
	const expected = `${range.whole ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}`;
	throw new NodeOperationError(context.getNode(), `Options › ${label}: must be ${expected} (got ${JSON.stringify(raw)})`, {
		description: 'Nothing was sent. Fix the option and run again.',
	});
}
