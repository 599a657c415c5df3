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

// Every option is read one way: an expression can give anything, so a wrong value is an error naming
// it before anything is sent, never a silent fallback that could buy something else than asked.
const NOTHING_SENT = 'Nothing was sent. Fix the option and run again.';

export const numberRange = (min: number, max: number, whole: boolean) => ({ min, max, whole });
type NumberRange = ReturnType<typeof numberRange>;

/** Declared once: the panel offers the range it is read with; the value read is times `unit`. */
export interface NumberOption extends NumberRange {
	displayName: string;
	name: string;
	default: number;
	description: string;
	unit?: number;
}

export function numberProperty(option: NumberOption): INodeProperties {
	const { displayName, name, description, min, max, default: fallback } = option;
	const typeOptions = { minValue: min, maxValue: max };
	return { displayName, name, type: 'number', typeOptions, default: fallback, description };
}

/** The node's Options collection, read once per run; each option is named as `Options › Name`. */
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
		return readNumberOption(...this.at(option), option.default, option) * (option.unit ?? 1);
	}

	boolean(property: INodeProperties): boolean {
		return readBooleanOption(...this.at(property), property.default as boolean);
	}

	choice<T extends string>(property: INodeProperties): T {
		return readChoiceOption(...this.at(property), valuesOf<T>(property), property.default as T);
	}

	list<T extends string>(property: INodeProperties): T[] {
		return readListOption(...this.at(property), valuesOf<T>(property));
	}

	private at(option: { name: string; displayName: string }) {
		return [this.context, this.values[option.name], `Options › ${option.displayName}`] as const;
	}
}

const valuesOf = <T extends string>(property: INodeProperties) =>
	(property.options ?? []).map((option) => (option as INodePropertyOptions).value as T);

function refuse(
	context: IExecuteFunctions,
	label: string,
	expected: string,
	raw: unknown,
	description = NOTHING_SENT,
): never {
	const message = `${label}: must be ${expected} (got ${JSON.stringify(raw)})`;
	throw new NodeOperationError(context.getNode(), message, { description });
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
	{ min, max, whole }: NumberRange,
): number {
	if (isNotGiven(raw)) return fallback;
	const value = typeof raw === 'number' || typeof raw === 'string' ? Number(raw) : Number.NaN;
	if (Number.isFinite(value) && value >= min && value <= max && (!whole || Number.isInteger(value)))
		return value;
	const expected = `${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`;
	return refuse(context, label, expected, raw);
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

export function readChoiceOption<T extends string>(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	choices: readonly T[],
	fallback: T,
): T {
	if (isNotGiven(raw)) return fallback;
	if ((choices as readonly unknown[]).includes(raw)) return raw as T;
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
		typeof raw === 'string' ? raw.split(',').flatMap((name) => name.trim() || []) : raw;
	const isKnown = (entry: unknown) => (known as readonly unknown[]).includes(entry);
	if (Array.isArray(entries) && entries.every(isKnown)) return [...new Set(entries as T[])];
	return refuse(context, label, `a list of ${known.join(', ')}`, raw, description);
}

/** A top-level boolean parameter of the node (e.g. Simplify), read like an option. */
export const readBooleanParameter = (
	context: IExecuteFunctions,
	name: string,
	label: string,
	fallback: boolean,
) => readBooleanOption(context, context.getNodeParameter(name, 0, fallback), label, fallback);

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

/** What an operation does, which decides the options it offers: only one spending credits caps them. */
export const BUSINESS_ENRICHMENT = { spendsCredits: true };
export const FREE_LOOKUP = { spendsCredits: false };

const retryOptions = {
	maxRetries: {
		displayName: 'Max Retries per Request',
		name: 'maxRetries',
		default: DEFAULT_RETRY_POLICY.maxRetries,
		...numberRange(0, 10, true),
		description:
			'How often one request is retried after a transient failure (5xx, reset, timeout). A rate limit (429) is not counted here: see Max Rate-Limit Wait.',
	},
	// Beyond the longest Max Retry Wait and Request Timeout a run looks hung; the longest Max
	// Rate-Limit Wait is a day (n8n's own execution timeout, if set, ends a run sooner).
	maxTotalWaitMs: {
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWaitSeconds',
		default: DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000,
		...numberRange(0, 3600, false),
		unit: 1000,
		description:
			'The longest one request may spend waiting between retries after transient failures, Retry-After included',
	},
	maxRateLimitWaitMs: {
		displayName: 'Max Rate-Limit Wait (Minutes)',
		name: 'maxRateLimitWaitMinutes',
		default: DEFAULT_RETRY_POLICY.maxRateLimitWaitMs / 60_000,
		...numberRange(1, 1440, false),
		unit: 60_000,
		description:
			"The longest the whole run may wait for the provider's rate limit (its window, 429s and their Retry-After). Waiting is free: a request refused with 429 was not accepted, so it is sent again once the provider allows. Past this time the requests still waiting are not sent.",
	},
} satisfies Record<string, NumberOption>;
/** Caps what one run may buy. */
const maxRecordsPerRun: NumberOption = {
	displayName: 'Max Records per Run',
	name: 'maxRecordsPerRun',
	default: 0,
	...numberRange(0, Number.MAX_SAFE_INTEGER, true),
	description:
		'The most distinct records one run may send (0 = no limit). Over it the node fails before sending anything; with On Error set to Continue, the first ones are sent and the rest pass through as "not_sent".',
};

/**
 * The shared number options, keyed by the setting each gives (in the unit the engine uses), in the
 * order they are read: of two wrong ones, the same is named first.
 */
export function bulkNumberOptions(limits: ProviderLimits) {
	const { maxBatchSize } = limits;
	return {
		batchSize: {
			displayName: 'Batch Size',
			name: 'batchSize',
			default: maxBatchSize,
			...numberRange(limits.minBatchSize ?? 1, maxBatchSize, true),
			description: `How many inputs to send per request (at most ${maxBatchSize}, the provider's limit)`,
		},
		concurrency: {
			displayName: 'Concurrent Requests',
			name: 'concurrency',
			default: limits.defaultConcurrency,
			...numberRange(1, limits.maxConcurrency, true),
			description: 'How many requests may be in flight at once',
		},
		...retryOptions,
		requestTimeoutMs: {
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			default: limits.requestTimeoutMs / 1000,
			...numberRange(1, 600, false),
			unit: 1000,
			description:
				'How long to wait for one answer before retrying (or, for requests that must not be sent twice, giving up)',
		},
		maxRecordsPerRun,
	} satisfies Record<string, NumberOption>;
}

const deduplicateOption: INodeProperties = {
	displayName: 'Deduplicate Inputs',
	name: 'deduplicate',
	type: 'boolean',
	default: true,
	description:
		'Whether to send identical inputs once and give the result to every item that had them (saves credits)',
};

const INPUT_AND_ENRICHMENT = 'inputAndEnrichment';
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
	const options = [
		// An endpoint that takes one input per request has no batch size to choose.
		...(limits.maxBatchSize > 1 ? [batchSize] : []),
		...Object.values(numbers),
		...(kind.spendsCredits ? [maxRecordsPerRun] : []),
	].map(numberProperty);
	options.push(deduplicateOption, outputOption, ...extraOptions);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export type BulkNodeSettings = ReturnType<typeof readBulkSettings>;

/** The shared options, read once per execution (they cannot differ per item). */
export function readBulkSettings(
	context: IExecuteFunctions,
	limits: ProviderLimits,
	options = OptionValues.read(context),
) {
	const declared = Object.entries(bulkNumberOptions(limits));
	const read = Object.fromEntries(declared.map(([key, option]) => [key, options.number(option)]));
	const { requestTimeoutMs, maxRetries, maxTotalWaitMs, maxRateLimitWaitMs, ...run } = read as {
		[key in keyof ReturnType<typeof bulkNumberOptions>]: number;
	};
	const retry = { ...DEFAULT_RETRY_POLICY, maxRetries, maxTotalWaitMs, maxRateLimitWaitMs };
	const deduplicate = options.boolean(deduplicateOption);
	// A tool call answers its agent with the failure instead of failing the agent's run.
	const stopOnFirstFailure = !context.continueOnFail() && !isToolCall(context);
	return {
		run: { ...run, deduplicate, retry, stopOnFirstFailure } satisfies BulkRunSettings,
		includeInputFields: options.choice(outputOption) === INPUT_AND_ENRICHMENT,
		requestTimeoutMs,
	};
}
