import { runBulk } from '../../../nodes/bulk/run-bulk';
import { prospectsBulkEnrichEndpoint } from '../../../nodes/Explorium/adapter/endpoints';
import {
	FakeApi,
	FakeClock,
	expectedOutcome,
	mismatchedPositions,
	exploriumResponder,
	prospectId,
	prospectSlots,
	settings,
	paced,
} from './helpers';

const endpoint = prospectsBulkEnrichEndpoint('contacts_information');
/** Every 7th id (3, 10, 17, ...) has no data at Explorium. */
const isMissIndex = (n: number) => n % 7 === 3;

async function enrich(ids: string[], misses: Set<string>, concurrency = 5) {
	const clock = new FakeClock();
	const api = new FakeApi(exploriumResponder({ isMiss: (id) => misses.has(id) }), clock);
	const result = await runBulk(endpoint, prospectSlots(ids), settings({ concurrency }), {
		send: api.send,
		clock,
		isCancelled: () => false,
		...paced(endpoint.provider.limits),
	});
	return { result, api, clock };
}

/** The most ids sent within any 60 s (Explorium's sliding window counts each id). */
function mostIdsInAnyMinute(api: FakeApi): number {
	const sent = api.requests.map(({ at }, index) => ({
		at,
		ids: api.idsPerRequest()[index].length,
	}));
	return Math.max(
		0,
		...sent.map(({ at }) =>
			sent
				.filter((other) => other.at >= at && other.at < at + 60_000)
				.reduce((sum, other) => sum + other.ids, 0),
		),
	);
}

describe('runBulk sizes with the Explorium contacts enrichment', () => {
	const cases: Array<[number, number[]]> = [
		[0, []],
		[1, [1]],
		[49, [49]],
		[50, [50]],
		[51, [26, 25]],
		[100, [50, 50]],
		[101, [34, 34, 33]],
		[10_000, Array.from({ length: 200 }, () => 50)],
	];

	it.each(cases)(
		'%i items: ceil(n/50) balanced requests, one outcome per item at its position',
		async (size, chunkSizes) => {
			const ids = Array.from({ length: size }, (_, n) => prospectId(n));
			const misses = new Set(ids.filter((_, n) => isMissIndex(n)));
			const { result, api, clock } = await enrich(ids, misses);

			const sent = api.idsPerRequest();
			expect(sent).toHaveLength(Math.ceil(size / 50));
			expect(sent.map((chunk) => chunk.length)).toEqual(chunkSizes);
			for (const chunk of sent) expect(chunk.length).toBeLessThanOrEqual(50);
			// Every id sent exactly once, each chunk a run of consecutive inputs (chunks waiting for the
			// window may go in another order).
			const position = new Map(ids.map((id, n) => [id, n]));
			expect(
				sent
					.slice()
					.sort((a, b) => position.get(a[0])! - position.get(b[0])!)
					.flat(),
			).toEqual(ids);
			for (const { request } of api.requests) {
				expect(request.method).toBe('POST');
				expect(request.url).toBe('/v1/prospects/contacts_information/bulk_enrich');
			}

			expect(result.outcomes).toHaveLength(size);
			expect(
				mismatchedPositions(
					result.outcomes,
					ids.map((id, n) => expectedOutcome(id, isMissIndex(n))),
				),
			).toEqual([]);
			expect(result.stats).toEqual({
				distinctInputs: size,
				chunks: chunkSizes.length,
				requestsSent: chunkSizes.length,
				recordsSent: size,
				recordsSentFree: 0,
				duplicateItems: 0,
			});
			// Explorium counts records: no sliding minute ever holds more than 200 ids, and past the first
			// 200 the run waits for the window.
			expect(mostIdsInAnyMinute(api)).toBeLessThanOrEqual(200);
			if (size > 200)
				expect(clock.now() - api.requests[0].at).toBeGreaterThanOrEqual(
					(Math.ceil(size / 200) - 1) * 60_000,
				);
			else expect(clock.waits).toEqual([]);
			expect(api.maxInFlight).toBeLessThanOrEqual(5);
		},
	);

	it('counts requests by distinct ids: 10 000 items over 2 600 ids make 52 requests', async () => {
		const ids = Array.from({ length: 10_000 }, (_, n) => prospectId(n % 2600));
		const misses = new Set([prospectId(3), prospectId(2599)]);
		const { result, api } = await enrich(ids, misses);

		expect(api.requests).toHaveLength(52);
		expect(new Set(api.idsPerRequest().flat()).size).toBe(2600);
		expect(api.idsPerRequest().flat()).toHaveLength(2600);
		expect(result.stats).toEqual({
			distinctInputs: 2600,
			chunks: 52,
			requestsSent: 52,
			recordsSent: 2600,
			recordsSentFree: 0,
			duplicateItems: 7400,
		});
		expect(result.outcomes).toHaveLength(10_000);
		expect(
			mismatchedPositions(
				result.outcomes,
				ids.map((id) => expectedOutcome(id, misses.has(id))),
			),
		).toEqual([]);
	});

	it('5 chunks of 50 pass the 200-records-per-minute window: the 5th waits for the window to free', async () => {
		const ids = Array.from({ length: 5 * 50 }, (_, n) => prospectId(n));
		const { api, clock } = await enrich(ids, new Set(), 1);

		expect(api.requests).toHaveLength(5);
		expect(clock.waits).toEqual([60_000]);
		expect(api.requests[3].at - api.requests[0].at).toBe(0);
		expect(api.requests[4].at - api.requests[0].at).toBe(60_000);
	});
});
