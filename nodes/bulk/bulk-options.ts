import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY } from './send-with-retry';
import { isToolCall } from './operation';
import type { BulkRunSettings } from './run-bulk';
import type { ProviderLimits } from './types';
import { isNotGiven, isPlainObject } from './values';

/**
 * Options declared once (the panel property and the reader's range from one declaration), and one way
 * to read every option and parameter a user sets: an expression can give anything, so each value is
 * checked, and a wrong one is an error naming it before anything is sent (never a silent fallback
 * that could buy something else than asked). Then the engine's own options (batching, concurrency,
 * retries, limits) for every bulk operation.
 */
const NOTHING_SENT = 'Nothing was sent. Fix the option and run again.';

export interface NumberRange {
	min: number;
	max: number;
	whole: boolean;
}

export const numberRange = (min: number, max: number, whole: boolean): NumberRange => ({
	min,
	max,
	whole,
});

/** A number option declared once: its panel property's min and max are the range it is read with. */
export interface NumberOption extends NumberRange {
	displayName: string;
	name: string;
	default: number;
	description: string;
}

/** The panel property of a number option: its range as minValue and maxValue. */
export function numberProperty(option: NumberOption): INodeProperties {
	const { displayName, name, description, min, max, default: fallback } = option;
	const typeOptions = { minValue: min, maxValue: max };
	return { displayName, name, type: 'number', typeOptions, default: fallback, description };
}

/** The node's Options collection, read once per run; each option is read from it as `Options › Name`. */
export class OptionValues {
	private constructor(
		readonly context: IExecuteFunctions,
		private readonly values: Record<string, unknown>,
	) {}

	static read(context: IExecuteFunctions): OptionValues {
		return new OptionValues(context, readCollection(context, 'options', 'Options'));
	}

	raw(name: string): unknown {
		return this.values[name];
	}

	number(option: NumberOption): number {
		const raw = this.values[option.name];
		return readNumberOption(this.context, raw, labelOf(option), option.default, option);
	}

	boolean(property: INodeProperties): boolean {
		const fallback = property.default as boolean;
		return readBooleanOption(this.context, this.values[property.name], labelOf(property), fallback);
	}

	/** One of the property's values; unset gives its default. */
	choice<T extends string>(property: INodeProperties): T {
		const raw = this.values[property.name];
		return readChoiceOption(
			this.context,
			raw,
			labelOf(property),
			valuesOf<T>(property),
			property.default as T,
		);
	}

	/** Some of the property's values (a multiOptions). */
	list<T extends string>(property: INodeProperties): T[] {
		return readListOption(
			this.context,
			this.values[property.name],
			labelOf(property),
			valuesOf<T>(property),
		);
	}
}

const labelOf = (option: { displayName: string }) => `Options › ${option.displayName}`;
const valuesOf = <T extends string>(property: INodeProperties) =>
	(property.options ?? []).map((option) => (option as INodePropertyOptions).value as T);

function refuse(
	context: IExecuteFunctions,
	label: string,
	expected: string,
	raw: unknown,
	description = NOTHING_SENT,
): never {
	throw new NodeOperationError(
		context.getNode(),
		`${label}: must be ${expected} (got ${JSON.stringify(raw)})`,
		{ description },
	);
}

/** The values of a collection parameter (e.g. "Options"); anything but an object is an error. */
export function readCollection(
	context: IExecuteFunctions,
	name: string,
	label: string,
): Record<string, unknown> {
	const raw = context.getNodeParameter(name, 0, {});
	if (isNotGiven(raw)) return {};
	if (isPlainObject(raw)) return raw;
	return refuse(context, label, 'a collection of options', raw);
}

export function readNumberOption(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	fallback: number,
	range: NumberRange,
): number {
	if (isNotGiven(raw)) return fallback;
	const value =
		typeof raw === 'number'
			? raw
			: typeof raw === 'string' && raw.trim() !== ''
				? Number(raw)
				: Number.NaN;
	const inRange =
		Number.isFinite(value) &&
		value >= range.min &&
		value <= range.max &&
		(!range.whole || Number.isInteger(value));
	if (inRange) return value;
	return refuse(
		context,
		label,
		`${range.whole ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}`,
		raw,
	);
}

/** true/false, or the text "true"/"false" an expression may give; unset gives the fallback. */
export function readBooleanOption<Fallback extends boolean | undefined>(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	fallback: Fallback,
): boolean | Fallback {
	if (isNotGiven(raw)) return fallback;
	if (typeof raw === 'boolean') return raw;
	const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
	if (text === 'true' || text === 'false') return text === 'true';
	return refuse(context, label, 'true or false', raw);
}

/** One of the option's values; unset gives the fallback. */
export function readChoiceOption<T extends string>(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	choices: readonly T[],
	fallback: T,
): T {
	if (isNotGiven(raw)) return fallback;
	if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
	return refuse(context, label, `one of ${choices.join(', ')}`, raw);
}

/** A list of known names; an expression may give one text with names separated by commas. */
export function readListOption<T extends string>(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	known: readonly T[],
	description = NOTHING_SENT,
): T[] {
	if (isNotGiven(raw)) return [];
	const entries =
		typeof raw === 'string'
			? raw
					.split(',')
					.map((entry) => entry.trim())
					.filter(Boolean)
			: raw;
	const knownNames = new Set<string>(known);
	if (
		Array.isArray(entries) &&
		entries.every((entry) => typeof entry === 'string' && knownNames.has(entry))
	) {
		return [...new Set(entries as T[])];
	}
	return refuse(context, label, `a list of ${known.join(', ')}`, raw, description);
}

/** A top-level boolean parameter of the node (e.g. Simplify), read like an option. */
export function readBooleanParameter(
	context: IExecuteFunctions,
	name: string,
	label: string,
	fallback: boolean,
): boolean {
	return readBooleanOption<boolean>(
		context,
		context.getNodeParameter(name, 0, fallback),
		label,
		fallback,
	);
}

/** Simplify, shown where an output would have more than 10 fields. */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export const readSimplify = (context: IExecuteFunctions) =>
	readBooleanParameter(context, 'simplify', 'Simplify', true);

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
