import {
	groupIdenticalInputs,
	limitDistinctInputs,
	recordLimitMessage,
	type DistinctInputs,
} from '../../../nodes/bulk/plan-chunks';

/** Distinct inputs as the engine groups them: `values` in first-seen order, each with its positions. */
function grouped(values: string[]): DistinctInputs<string> {
	return groupIdenticalInputs(
		values.map((value, itemIndex) => ({ itemIndex, value })),
		(value) => value,
		true,
	);
}

describe('limitDistinctInputs', () => {
	// a b a c b d a: distinct a (0, 2, 6), b (1, 4), c (3), d (5)
	const inputs = grouped(['a', 'b', 'a', 'c', 'b', 'd', 'a']);

	it('the fixture groups as expected', () => {
		expect(inputs).toEqual({
			values: ['a', 'b', 'c', 'd'],
			itemIndexesOf: [[0, 2, 6], [1, 4], [3], [5]],
		});
	});

	it('a limit of 0 keeps everything', () => {
		const { kept, heldBackItemIndexes } = limitDistinctInputs(inputs, 0);
		expect(kept).toEqual(inputs);
		expect(heldBackItemIndexes).toEqual([]);
	});

	it('a negative limit is no limit either', () => {
		expect(limitDistinctInputs(inputs, -3)).toEqual({ kept: inputs, heldBackItemIndexes: [] });
	});

	it.each([4, 5, 1000])(
		'a limit of %i (at or over the distinct count) keeps everything',
		(limit) => {
			expect(limitDistinctInputs(inputs, limit)).toEqual({ kept: inputs, heldBackItemIndexes: [] });
		},
	);

	it('over the limit: the first N distinct inputs in input order are kept, the rest held back with all their positions', () => {
		const { kept, heldBackItemIndexes } = limitDistinctInputs(inputs, 2);
		expect(kept).toEqual({
			values: ['a', 'b'],
			itemIndexesOf: [
				[0, 2, 6],
				[1, 4],
			],
		});
		expect(heldBackItemIndexes).toEqual([3, 5]);
	});

	it('a held-back input that occurs several times is held back at every position', () => {
		// x y z y z: distinct x (0), y (1, 3), z (2, 4)
		const { kept, heldBackItemIndexes } = limitDistinctInputs(
			grouped(['x', 'y', 'z', 'y', 'z']),
			1,
		);
		expect(kept).toEqual({ values: ['x'], itemIndexesOf: [[0]] });
		expect(heldBackItemIndexes.slice().sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
	});

	it('a limit of 1 over one distinct input repeated keeps it (duplicates are not counted)', () => {
		const repeated = grouped(['a', 'a', 'a']);
		expect(limitDistinctInputs(repeated, 1)).toEqual({ kept: repeated, heldBackItemIndexes: [] });
	});

	it('does not change the grouping it was given', () => {
		const before = JSON.stringify(inputs);
		limitDistinctInputs(inputs, 1);
		expect(JSON.stringify(inputs)).toBe(before);
	});
});

describe('recordLimitMessage', () => {
	it('names the provider, how many would have been sent and the limit', () => {
		expect(recordLimitMessage('Explorium', 120, 100)).toBe(
			'this run would send 120 distinct records to Explorium, more than Options › Max Records per Run (100)',
		);
	});
});
