import type { ItemIndex } from './types';

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
	const distinctIndexByIdentity = new Map<string, number>();
	for (const { itemIndex, value } of inputs) {
		const identity = enabled ? identityOf(value) : undefined;
		const existing = identity === undefined ? undefined : distinctIndexByIdentity.get(identity);
		if (existing !== undefined) {
			itemIndexesOf[existing].push(itemIndex);
			continue;
		}
		if (identity !== undefined) distinctIndexByIdentity.set(identity, values.length);
		values.push(value);
		itemIndexesOf.push([itemIndex]);
	}
	return { values, itemIndexesOf };
}
