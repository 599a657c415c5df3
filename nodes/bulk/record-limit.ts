import type { DistinctInputs } from './deduplicate';
import type { ItemIndex } from './types';

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
