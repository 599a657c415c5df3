/** Distinct inputs in first-seen order, and for each, the positions that carried it. */
export interface DistinctInputs<T> {
	values: T[];
	positionsOf: number[][];
}

/**
 * Groups inputs by identity so each distinct one is sent once. With `enabled` false every input
 * stays its own group (identical inputs are then sent, and paid for, separately).
 */
export function groupIdenticalInputs<T>(
	inputs: Array<{ position: number; value: T }>,
	identityOf: (value: T) => string,
	enabled: boolean,
): DistinctInputs<T> {
	const values: T[] = [];
	const positionsOf: number[][] = [];
	const indexByIdentity = new Map<string, number>();
	for (const { position, value } of inputs) {
		const identity = enabled ? identityOf(value) : undefined;
		const existing = identity === undefined ? undefined : indexByIdentity.get(identity);
		if (existing !== undefined) {
			positionsOf[existing].push(position);
			continue;
		}
		if (identity !== undefined) indexByIdentity.set(identity, values.length);
		values.push(value);
		positionsOf.push([position]);
	}
	return { values, positionsOf };
}
