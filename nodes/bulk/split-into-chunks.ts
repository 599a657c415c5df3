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
