import { groupIdenticalInputs, splitIntoChunks } from '../../../nodes/bulk/plan-chunks';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sizes = (chunks: unknown[][]) => chunks.map((chunk) => chunk.length);

describe('splitIntoChunks', () => {
	it.each([
		[0, 50, 1, []],
		[1, 50, 1, [1]],
		[50, 50, 1, [50]],
		[51, 50, 1, [26, 25]],
		[99, 50, 1, [50, 49]],
		[101, 50, 1, [34, 34, 33]],
		[101, 100, 2, [51, 50]],
		[1, 100, 2, [1]],
		[7, 3, 1, [3, 2, 2]],
		[10, 1, 1, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
	])('%i values, max %i, min %i -> %j', (count, max, min, expected) => {
		const values = range(count);
		const chunks = splitIntoChunks(values, max, min);
		expect(sizes(chunks)).toEqual(expected);
		// Order kept and nothing lost or repeated.
		expect(chunks.flat()).toEqual(values);
	});

	it('is balanced (sizes differ by at most one) and within [min, max] whenever that is possible', () => {
		const failures: string[] = [];
		for (let max = 1; max <= 12; max++) {
			for (let min = 1; min <= max; min++) {
				for (let count = 0; count <= 60; count++) {
					const chunks = splitIntoChunks(range(count), max, min);
					const lengths = sizes(chunks);
					const flat = chunks.flat();
					const smallest = Math.min(...lengths);
					const largest = Math.max(...lengths);
					// k chunks of sizes in [min, max] exist exactly when k*min <= count <= k*max.
					const possible = range(count + 1).some(
						(k) => k > 0 && k * min <= count && count <= k * max,
					);
					const broken =
						chunks.length !== Math.ceil(count / max) ||
						flat.length !== count ||
						flat.some((value, index) => value !== index) ||
						(count > 0 &&
							(largest > max || largest - smallest > 1 || (possible && smallest < min)));
					if (broken)
						failures.push(`${count} values, max ${max}, min ${min}: ${JSON.stringify(lengths)}`);
				}
			}
		}
		expect(failures).toEqual([]);
	});

	it.each([
		[0, 1, 'maxSize must be a positive integer, got 0'],
		[-5, 1, 'maxSize must be a positive integer, got -5'],
		[2.5, 1, 'maxSize must be a positive integer, got 2.5'],
		[Number.NaN, 1, 'maxSize must be a positive integer, got NaN'],
		[10, 11, 'minSize 11 is larger than maxSize 10'],
	])('rejects max %p with min %p', (max, min, message) => {
		expect(() => splitIntoChunks(range(5), max, min)).toThrow(new RangeError(message));
	});
});

describe('groupIdenticalInputs', () => {
	const inputs = ['a', 'b', 'a', 'c', 'b', 'a'].map((value, position) => ({
		itemIndex: position * 10,
		value,
	}));

	it('keeps each identity once, in first-seen order, with every position that carried it', () => {
		expect(groupIdenticalInputs(inputs, (value) => value, true)).toEqual({
			values: ['a', 'b', 'c'],
			itemIndexesOf: [[0, 20, 50], [10, 40], [30]],
		});
	});

	it('groups by the identity function, not by the value', () => {
		const result = groupIdenticalInputs(
			[
				{ itemIndex: 0, value: { id: 'X' } },
				{ itemIndex: 1, value: { id: 'x' } },
			],
			(value) => value.id.toLowerCase(),
			true,
		);
		expect(result).toEqual({ values: [{ id: 'X' }], itemIndexesOf: [[0, 1]] });
	});

	it('with deduplication off, every input is its own group', () => {
		const identityOf = jest.fn((value: string) => value);
		expect(groupIdenticalInputs(inputs, identityOf, false)).toEqual({
			values: ['a', 'b', 'a', 'c', 'b', 'a'],
			itemIndexesOf: [[0], [10], [20], [30], [40], [50]],
		});
		expect(identityOf).not.toHaveBeenCalled();
	});
});
