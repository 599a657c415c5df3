import { notSent } from './request-outcomes';
import type { BulkEndpoint, DistinctIndex, ItemIndex, ItemOutcome } from './types';

// A run's plan: dedupe the valid inputs, hold back those over Max Records per Run, chunk the rest.

/** Distinct inputs in first-seen order (by DistinctIndex), and the items that carried each. */
export interface DistinctInputs<T> {
	values: T[];
	itemIndexesOf: ItemIndex[][];
}

/** Each distinct input is sent once; not `enabled`, identical inputs are sent and paid apart. */
export function groupIdenticalInputs<T>(
	inputs: Array<{ itemIndex: ItemIndex; value: T }>,
	identityOf: (value: T) => string,
	enabled: boolean,
): DistinctInputs<T> {
	const values: T[] = [];
	const itemIndexesOf: ItemIndex[][] = [];
	// Parallel arrays, no object per distinct input (100 000 items).
	const distinctIndexOf = new Map<string | ItemIndex, DistinctIndex>();
	for (const { itemIndex, value } of inputs) {
		const key = enabled ? identityOf(value) : itemIndex;
		const known = distinctIndexOf.get(key);
		if (known !== undefined) itemIndexesOf[known].push(itemIndex);
		else {
			distinctIndexOf.set(key, values.length);
			values.push(value);
			itemIndexesOf.push([itemIndex]);
		}
	}
	return { values, itemIndexesOf };
}

/** Keeps the first `limit` distinct inputs (0: all) and holds back the items of the rest. */
export function limitDistinctInputs<T>(
	distinct: DistinctInputs<T>,
	limit: number,
): { kept: DistinctInputs<T>; heldBackItemIndexes: ItemIndex[] } {
	if (limit <= 0 || distinct.values.length <= limit)
		return { kept: distinct, heldBackItemIndexes: [] };
	const { values, itemIndexesOf } = distinct;
	const kept = { values: values.slice(0, limit), itemIndexesOf: itemIndexesOf.slice(0, limit) };
	return { kept, heldBackItemIndexes: itemIndexesOf.slice(limit).flat() };
}

export function recordLimitMessage(providerName: string, wouldSend: number, limit: number): string {
	return `this run would send ${wouldSend} distinct records to ${providerName}, more than Options › Max Records per Run (${limit})`;
}

/**
 * The fewest chunks of at most `maxSize`, balanced (sizes differ by at most one), so none is
 * smaller than `minSize` whenever such a split exists (Pronto's 2..100: always, from two values).
 */
export function splitIntoChunks<T>(values: T[], maxSize: number, minSize = 1): T[][] {
	if (!Number.isInteger(maxSize) || maxSize < 1)
		throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
	if (minSize > maxSize)
		throw new RangeError(`minSize ${minSize} is larger than maxSize ${maxSize}`);
	const count = Math.ceil(values.length / maxSize);
	// The smallest is floor(n / count) >= minSize when n >= minSize; the first n % count are larger.
	const start = (i: number) =>
		i * Math.floor(values.length / count) + Math.min(i, values.length % count);
	return Array.from({ length: count }, (_, i) => values.slice(start(i), start(i + 1)));
}

/**
 * Max Records per Run, on endpoints that cost credits. Over it, a node that would fail anyway fails
 * before anything is paid for; under "continue on fail" the first ones are sent.
 */
export function applyRecordLimit<TInput>(
	endpoint: BulkEndpoint<TInput>,
	grouped: DistinctInputs<TInput>,
	settings: { maxRecordsPerRun: number; stopOnFirstFailure: boolean },
):
	| {
			distinct: DistinctInputs<TInput>;
			heldBack?: { itemIndexes: ItemIndex[]; outcome: ItemOutcome };
	  }
	| { refusal: ItemOutcome } {
	const limit = endpoint.free ? 0 : settings.maxRecordsPerRun;
	const { kept, heldBackItemIndexes: itemIndexes } = limitDistinctInputs(grouped, limit);
	if (itemIndexes.length === 0) return { distinct: kept };
	const reason = recordLimitMessage(endpoint.provider.name, grouped.values.length, limit);
	if (!settings.stopOnFirstFailure) {
		const outcome = {
			kind: 'overLimit',
			reason: `Not sent: ${reason}; the first ${limit} were sent`,
		} as const;
		return { distinct: kept, heldBack: { itemIndexes, outcome } };
	}
	const description = `Nothing was sent. Raise Max Records per Run (0 = no limit), send fewer items, or set the node's Settings › On Error to "Continue" to send the first ${limit} and pass the rest through as not_sent.`;
	return { refusal: { ...notSent(reason), description } };
}

/** The distinct inputs in chunks within the endpoint's sizes, and how many go at once. */
export function planChunks<TInput>(
	endpoint: BulkEndpoint<TInput>,
	distinct: DistinctInputs<TInput>,
	settings: { batchSize: number; concurrency: number },
) {
	const { limits } = endpoint.provider;
	const { maxBatchSize, minBatchSize = 1 } = endpoint.batchLimits ?? limits;
	const batchSize = clamp(settings.batchSize, minBatchSize, maxBatchSize);
	const distinctIndexes: DistinctIndex[] = distinct.values.map((_, distinctIndex) => distinctIndex);
	return {
		chunks: splitIntoChunks(distinctIndexes, batchSize, minBatchSize),
		concurrency: clamp(settings.concurrency, 1, limits.maxConcurrency),
	};
}

function clamp(value: number, min: number, max: number): number {
	if (!Number.isFinite(value)) return max;
	return Math.min(max, Math.max(min, Math.floor(value)));
}
