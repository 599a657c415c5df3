import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	readBooleanOption,
	readChoiceOption,
	readCollection,
	readListOption,
	readNumberOption,
	type NumberRange,
} from '../shared/option-reader';
import { STANDARD_CONTACT_FIELDS, type StandardContactField } from '../contact/standard-contact';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { isToolCall } from './tool-answer';
import type { BulkRunSettings } from './run-bulk';
import type { ProviderLimits } from './types';

const INPUT_AND_ENRICHMENT = 'inputAndEnrichment';
const OUTPUT_CHOICES = [INPUT_AND_ENRICHMENT, 'enrichmentOnly'] as const;

/**
 * What an operation does, which decides the options it offers (and reads): only an operation that
 * spends credits offers the credit controls, and only one enriching people offers Only Enrich Items
 * Missing (its fields are contact fields).
 */
export interface BulkOperationKind {
	spendsCredits: boolean;
	enrichesContacts: boolean;
}
export const CONTACT_ENRICHMENT: BulkOperationKind = {
	spendsCredits: true,
	enrichesContacts: true,
};
export const BUSINESS_ENRICHMENT: BulkOperationKind = {
	spendsCredits: true,
	enrichesContacts: false,
};
export const FREE_LOOKUP: BulkOperationKind = { spendsCredits: false, enrichesContacts: false };

/** The "Options" every bulk operation shares, with defaults and bounds from the provider's limits. */
export function bulkOptionsCollection(
	limits: ProviderLimits,
	extraOptions: INodeProperties[] = [],
	kind: BulkOperationKind = CONTACT_ENRICHMENT,
): INodeProperties {
	const sharedOptions: INodeProperties[] = [
		...batchSizeOptions(limits),
		concurrencyOption(limits),
		deduplicateOption(),
		...retryOptions(),
		outputOption(),
		requestTimeoutOption(limits),
	];
	const creditOptions = kind.spendsCredits ? [maxRecordsPerRunOption] : [];
	const contactOptions =
		kind.spendsCredits && kind.enrichesContacts ? [onlyEnrichMissingOption] : [];
	const options = [...sharedOptions, ...creditOptions, ...contactOptions, ...extraOptions].sort(
		(a, b) => a.displayName.localeCompare(b.displayName),
	);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** An endpoint that takes one input per request has no batch size to choose. */
function batchSizeOptions(limits: ProviderLimits): INodeProperties[] {
	if (limits.maxBatchSize <= 1) return [];
	const { maxBatchSize } = limits;
	return [
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: limits.minBatchSize ?? 1, maxValue: limits.maxBatchSize },
			default: maxBatchSize,
			description: `How many inputs to send per request (at most ${limits.maxBatchSize}, the provider's limit)`,
		},
	];
}

function concurrencyOption(limits: ProviderLimits): INodeProperties {
	const { defaultConcurrency } = limits;
	return {
		displayName: 'Concurrent Requests',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: limits.maxConcurrency },
		default: defaultConcurrency,
		description: 'How many requests may be in flight at once',
	};
}

function deduplicateOption(): INodeProperties {
	return {
		displayName: 'Deduplicate Inputs',
		name: 'deduplicate',
		type: 'boolean',
		default: true,
		description:
			'Whether to send identical inputs once and give the result to every item that had them (saves credits)',
	};
}

/** Retries after transient failures, and the rate-limit wait apart from them (a 429 is no failure). */
function retryOptions(): INodeProperties[] {
	const defaultMaxRetries = DEFAULT_RETRY_POLICY.maxRetries;
	const defaultMaxRateLimitWaitMinutes = DEFAULT_RETRY_POLICY.maxRateLimitWaitMs / 60_000;
	const defaultMaxRetryWaitSeconds = DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000;
	return [
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
			description:
				'The longest one request may spend waiting between retries after transient failures, Retry-After included',
		},
	];
}

function outputOption(): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Input Fields and Enrichment',
				value: INPUT_AND_ENRICHMENT,
				description: "Keep the input item's fields and add the enrichment beside them",
			},
			{
				name: 'Enrichment Only',
				value: 'enrichmentOnly',
				description: 'Output only the enrichment',
			},
		],
		default: INPUT_AND_ENRICHMENT,
	};
}

function requestTimeoutOption(limits: ProviderLimits): INodeProperties {
	const defaultTimeoutSeconds = limits.requestTimeoutMs / 1000;
	return {
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: defaultTimeoutSeconds,
		description:
			'How long to wait for one answer before retrying (or, for requests that must not be sent twice, giving up)',
	};
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

/** Skip what is already known: costs nothing for items that have the fields. */
const onlyEnrichMissingOption: INodeProperties = {
	displayName: 'Only Enrich Items Missing',
	name: 'onlyEnrichMissing',
	type: 'multiOptions',
	options: STANDARD_CONTACT_FIELDS.map((field) => ({
		name: STANDARD_FIELD_NAMES[field],
		value: field,
	})),
	default: [],
	description:
		'Items that already have all of these fields (non-empty) pass through as "skipped" and are not sent, so they cost no credit. Chain nodes with "Email" here for a waterfall.',
};

/** Cap what one run may buy. */
const maxRecordsPerRunOption: INodeProperties = {
	displayName: 'Max Records per Run',
	name: 'maxRecordsPerRun',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description:
		'The most distinct records one run may send (0 = no limit). Over it the node fails before sending anything; with On Error set to Continue, the first ones are sent and the rest pass through as "not_sent".',
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
 * is sent: silently clamping a Batch Size of 0 to 1 would multiply the requests. An option the
 * operation does not offer is not read (Only Enrich Items Missing is empty for a business operation).
 */
export function readBulkSettings(
	context: IExecuteFunctions,
	limits: ProviderLimits,
	kind: BulkOperationKind = CONTACT_ENRICHMENT,
): BulkNodeSettings {
	const options = readCollection(context, 'options', 'Options');
	const number: OptionNumberReader = (name, label, fallback, range) =>
		readNumberOption(context, options[name], `Options › ${label}`, fallback, range);
	// Read in this order, so that of two wrong options the same one is named first.
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
	const retry = readRetryPolicy(number);
	const requestTimeoutSeconds = number(
		'requestTimeoutSeconds',
		'Request Timeout (Seconds)',
		limits.requestTimeoutMs / 1000,
		{
			min: 1,
			max: MAX_REQUEST_TIMEOUT_SECONDS,
			whole: false,
		},
	);
	const maxRecordsPerRun = number('maxRecordsPerRun', 'Max Records per Run', 0, {
		min: 0,
		max: Number.MAX_SAFE_INTEGER,
		whole: true,
	});
	const offersOnlyEnrichMissing = kind.spendsCredits && kind.enrichesContacts;
	return {
		onlyEnrichMissing: offersOnlyEnrichMissing
			? readListOption(
					context,
					options.onlyEnrichMissing,
					'Options › Only Enrich Items Missing',
					STANDARD_CONTACT_FIELDS,
				)
			: [],
		run: {
			maxRecordsPerRun,
			batchSize,
			concurrency,
			deduplicate: readBooleanOption(
				context,
				options.deduplicate,
				'Options › Deduplicate Inputs',
				true,
			),
			retry,
			// A tool call answers its agent with the failure instead of failing the agent's run.
			stopOnFirstFailure: !context.continueOnFail() && !isToolCall(context),
		},
		includeInputFields:
			readChoiceOption(
				context,
				options.output,
				'Options › Output',
				OUTPUT_CHOICES,
				INPUT_AND_ENRICHMENT,
			) === INPUT_AND_ENRICHMENT,
		requestTimeoutMs: requestTimeoutSeconds * 1000,
	};
}

/** Reads one number of the Options collection, checked against its range (an error naming it). */
type OptionNumberReader = (
	name: string,
	label: string,
	fallback: number,
	range: NumberRange,
) => number;

/** Max Retries per Request, Max Retry Wait and Max Rate-Limit Wait, over the default policy. */
function readRetryPolicy(number: OptionNumberReader): RetryPolicy {
	const maxRetries = number(
		'maxRetries',
		'Max Retries per Request',
		DEFAULT_RETRY_POLICY.maxRetries,
		{
			min: 0,
			max: MAX_RETRIES,
			whole: true,
		},
	);
	const maxRetryWaitSeconds = number(
		'maxRetryWaitSeconds',
		'Max Retry Wait (Seconds)',
		DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000,
		{
			min: 0,
			max: MAX_RETRY_WAIT_SECONDS,
			whole: false,
		},
	);
	const maxRateLimitWaitMinutes = number(
		'maxRateLimitWaitMinutes',
		'Max Rate-Limit Wait (Minutes)',
		DEFAULT_RETRY_POLICY.maxRateLimitWaitMs / 60_000,
		{ min: 1, max: MAX_RATE_LIMIT_WAIT_MINUTES, whole: false },
	);
	return {
		...DEFAULT_RETRY_POLICY,
		maxRetries,
		maxTotalWaitMs: maxRetryWaitSeconds * 1000,
		maxRateLimitWaitMs: maxRateLimitWaitMinutes * 60_000,
	};
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
	range: NumberRange,
): number {
	const options = readCollection(context, 'options', 'Options');
	return readNumberOption(context, options[name], `Options › ${label}`, fallback, range);
}
