import { notSent } from './request-outcomes';
import type { BulkEndpoint, DistinctIndex, ItemIndex, ItemOutcome } from './types';

// The plan step of a run: dedupe the valid inputs, hold back those over Max Records per Run, chunk the rest.

/** Distinct inputs in first-seen order (indexed by DistinctIndex), and for each, the input items that carried it. */
export interface DistinctInputs<T> {
	values: T[];
	itemIndexesOf: ItemIndex[][];
}

/**
 * Groups inputs by identity so each distinct one is sent once. With `enabled` false every input
 * stays its own group (identical inputs are then sent, and paid for, separately).
 */
export function groupIdenticalInputs<T>(
	inputs: Array<{ itemIndex: ItemIndex; value: T }>,
	identityOf: (value: T) => string,
	enabled: boolean,
): DistinctInputs<T> {
	const values: T[] = [];
	const itemIndexesOf: ItemIndex[][] = [];
	const distinctIndexByKey = new Map<string | ItemIndex, DistinctIndex>();
	for (const { itemIndex, value } of inputs) {
		const key = enabled ? identityOf(value) : itemIndex;
		const existing = distinctIndexByKey.get(key);
		if (existing !== undefined) {
			itemIndexesOf[existing].push(itemIndex);
			continue;
		}
		distinctIndexByKey.set(key, values.length);
		values.push(value);
		itemIndexesOf.push([itemIndex]);
	}
	return { values, itemIndexesOf };
}

/**
 * Max Records per Run: the first `limit` distinct inputs (in input order) are kept to send; the
 * input items of the rest are held back. A limit of 0 keeps everything.
 */
export function limitDistinctInputs<T>(
	distinct: DistinctInputs<T>,
	limit: number,
): { kept: DistinctInputs<T>; heldBackItemIndexes: ItemIndex[] } {
	if (limit <= 0 || distinct.values.length <= limit)
		return { kept: distinct, heldBackItemIndexes: [] };
	return {
		kept: {
			values: distinct.values.slice(0, limit),
			itemIndexesOf: distinct.itemIndexesOf.slice(0, limit),
		},
		heldBackItemIndexes: distinct.itemIndexesOf.slice(limit).flat(),
	};
}

/** Why a run over the limit stops (or holds items back): the counts a user needs to decide. */
export function recordLimitMessage(providerName: string, wouldSend: number, limit: number): string {
	return `this run would send ${wouldSend} distinct records to ${providerName}, more than Options › Max Records per Run (${limit})`;
}

/**
 * Splits values into the fewest chunks of at most `maxSize`, balanced (sizes differ by at most one)
 * so that no chunk is smaller than `minSize` whenever such a split exists (for Pronto's 2..100,
 * always with two values or more).
 */
export function splitIntoChunks<T>(values: T[], maxSize: number, minSize = 1): T[][] {
	if (!Number.isInteger(maxSize) || maxSize < 1)
		throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
	if (minSize > maxSize)
		throw new RangeError(`minSize ${minSize} is larger than maxSize ${maxSize}`);
	if (values.length === 0) return [];
	const chunkCount = Math.ceil(values.length / maxSize);
	// Balanced sizes differ by at most one, so the smallest is floor(n / chunks) >= minSize when n >= minSize.
	const baseSize = Math.floor(values.length / chunkCount);
	const largerChunks = values.length % chunkCount;
	const chunks: T[][] = [];
	let start = 0;
	for (let i = 0; i < chunkCount; i++) {
		const size = baseSize + (i < largerChunks ? 1 : 0);
		chunks.push(values.slice(start, start + size));
		start += size;
	}
	return chunks;
}

type LimitedInputs<TInput> =
	| {
			distinct: DistinctInputs<TInput>;
			heldBack?: { itemIndexes: ItemIndex[]; outcome: ItemOutcome };
	  }
	| { refusal: ItemOutcome };

/**
 * Limit: Max Records per Run, on endpoints that cost credits. Over it, the node that would fail
 * anyway fails before anything is paid for; under "continue on fail" the first ones are sent.
 */
export function applyRecordLimit<TInput>(
	endpoint: BulkEndpoint<TInput>,
	grouped: DistinctInputs<TInput>,
	settings: { maxRecordsPerRun: number; stopOnFirstFailure: boolean },
): LimitedInputs<TInput> {
	const recordLimit = endpoint.free ? 0 : settings.maxRecordsPerRun;
	const { kept, heldBackItemIndexes } = limitDistinctInputs(grouped, recordLimit);
	if (heldBackItemIndexes.length === 0) return { distinct: kept };
	const reason = recordLimitMessage(endpoint.provider.name, grouped.values.length, recordLimit);
	if (settings.stopOnFirstFailure) {
		return {
			refusal: {
				...notSent(reason),
				description: `Nothing was sent. Raise Max Records per Run (0 = no limit), send fewer items, or set the node's Settings › On Error to "Continue" to send the first ${recordLimit} and pass the rest through as not_sent.`,
			},
		};
	}
	const heldBack: ItemOutcome = {
		kind: 'overLimit',
		reason: `Not sent: ${reason}; the first ${recordLimit} were sent`,
	};
	return { distinct: kept, heldBack: { itemIndexes: heldBackItemIndexes, outcome: heldBack } };
}

/** Chunk: the distinct inputs in chunks within the endpoint's sizes, and how many go at once. */
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
