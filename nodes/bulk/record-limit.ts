import type { DistinctInputs } from './deduplicate';

/**
 * Max Records per Run: the first `limit` distinct inputs (in input order) are kept to send; the
 * positions of the rest are held back. A limit of 0 keeps everything.
 */
export function limitDistinctInputs<T>(
	distinct: DistinctInputs<T>,
	limit: number,
): { kept: DistinctInputs<T>; heldBackPositions: number[] } {
	if (limit <= 0 || distinct.values.length <= limit) return { kept: distinct, heldBackPositions: [] };
	return {
		kept: { values: distinct.values.slice(0, limit), positionsOf: distinct.positionsOf.slice(0, limit) },
		heldBackPositions: distinct.positionsOf.slice(limit).flat(),
	};
}

/** Why a run over the limit stops (or holds items back): the counts a user needs to decide. */
export function recordLimitMessage(providerName: string, wouldSend: number, limit: number): string {
	return `this run would send ${wouldSend} distinct records to ${providerName}, more than Options › Max Records per Run (${limit})`;
}
