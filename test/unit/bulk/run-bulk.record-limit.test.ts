import { runBulk, type BulkRunSettings } from '../../../nodes/bulk/run-bulk';
import type {
	BulkEndpoint,
	InputSlot,
	ItemOutcome,
	ProviderResponse,
} from '../../../nodes/bulk/types';
import { bulkEnrichEndpoint } from '../../../nodes/ExactBuyer/adapter/endpoints';
import {
	matchBusinessesEndpoint,
	matchProspectsEndpoint,
	prospectsBulkEnrichEndpoint,
} from '../../../nodes/Explorium/adapter/endpoints';
import { getContactEndpoint } from '../../../nodes/Pronto/adapter/endpoints';
import {
	FakeApi,
	FakeClock,
	idsOf,
	response,
	settings,
	testAnswer,
	testEndpoint,
	testResponder,
	validSlots,
	type Responder,
	type TestInput,
	paced,
} from './helpers';

async function run(
	slots: Array<InputSlot<TestInput>>,
	overrides: Partial<BulkRunSettings>,
	options: { endpoint?: BulkEndpoint<TestInput>; responder?: Responder } = {},
) {
	const clock = new FakeClock();
	const api = new FakeApi(options.responder ?? testResponder, clock);
	const endpoint = options.endpoint ?? testEndpoint();
	const result = await runBulk(endpoint, slots, settings(overrides), {
		send: api.send,
		clock,
		isCancelled: () => false,
		...paced(endpoint.provider.limits),
	});
	return { ...result, api };
}

const slotsFor = (ids: string[]) => validSlots(ids.map((id) => ({ id })));
const found = (id: string): ItemOutcome => ({
	kind: 'found',
	data: { id, value: `value of ${id}` },
});
const limitReason = (wouldSend: number, limit: number) =>
	`this run would send ${wouldSend} distinct records to TestProvider, more than Options › Max Records per Run (${limit})`;
const overLimit = (wouldSend: number, limit: number): ItemOutcome => ({
	kind: 'overLimit',
	reason: `Not sent: ${limitReason(wouldSend, limit)}; the first ${limit} were sent`,
});

describe('runBulk: Max Records per Run when the node would fail (stopOnFirstFailure)', () => {
	it('sends nothing and gives every valid item one shared notSent error naming the count and the limit', async () => {
		const ids = ['a', 'b', 'c', 'd', 'e'];
		const { outcomes, api, stats } = await run(slotsFor(ids), {
			stopOnFirstFailure: true,
			maxRecordsPerRun: 3,
		});

		expect(api.requests).toHaveLength(0);
		expect(outcomes).toHaveLength(5);
		const [first] = outcomes;
		expect(first).toEqual({
			kind: 'error',
			cause: 'notSent',
			message: `Not sent: ${limitReason(5, 3)}`,
			description: expect.stringContaining(
				'send the first 3 and pass the rest through as not_sent',
			),
		});
		expect((first as Extract<ItemOutcome, { kind: 'error' }>).description).toMatch(
			/^Nothing was sent\. Raise Max Records per Run \(0 = no limit\)/,
		);
		// One outcome object shared by all: firstItemError then names every item at once.
		for (const outcome of outcomes) expect(outcome).toBe(first);
		expect(stats).toStrictEqual({
			distinctInputs: 5,
			chunks: 0,
			requestsSent: 0,
			recordsSent: 0,
			recordsSentFree: 0,
			duplicateItems: 0,
		});
	});

	it('counts distinct inputs in the message, not items', async () => {
		const { outcomes, api } = await run(slotsFor(['a', 'b', 'a', 'c', 'b', 'a']), {
			stopOnFirstFailure: true,
			maxRecordsPerRun: 2,
		});
		expect(api.requests).toHaveLength(0);
		expect(new Set(outcomes).size).toBe(1);
		expect((outcomes[0] as Extract<ItemOutcome, { kind: 'error' }>).message).toBe(
			`Not sent: ${limitReason(3, 2)}`,
		);
	});

	it('items that were skipped keep their own outcome', async () => {
		const skipped: ItemOutcome = {
			kind: 'skipped',
			reason: 'already has email (Options › Only Enrich Items Missing): not sent',
		};
		const slots: Array<InputSlot<TestInput>> = [
			...slotsFor(['a', 'b']),
			{ kind: 'skipped', outcome: skipped },
			...slotsFor(['c']),
		];
		const { outcomes, api } = await run(slots, { stopOnFirstFailure: true, maxRecordsPerRun: 2 });
		expect(api.requests).toHaveLength(0);
		expect(outcomes[2]).toBe(skipped);
		expect(
			[outcomes[0], outcomes[1], outcomes[3]].map(
				(outcome) => outcome.kind === 'error' && outcome.cause,
			),
		).toEqual(['notSent', 'notSent', 'notSent']);
		expect((outcomes[0] as Extract<ItemOutcome, { kind: 'error' }>).message).toBe(
			`Not sent: ${limitReason(3, 2)}`,
		);
	});

	it('invalid items keep their own error (and an invalid item already stops the run before the limit is looked at)', async () => {
		const slots: Array<InputSlot<TestInput>> = [
			...slotsFor(['a', 'b']),
			{ kind: 'invalid', field: 'id', message: 'ID: is required (no value)' },
			...slotsFor(['c']),
		];
		const { outcomes, api } = await run(slots, { stopOnFirstFailure: true, maxRecordsPerRun: 2 });
		expect(api.requests).toHaveLength(0);
		expect(outcomes[2]).toEqual({
			kind: 'error',
			cause: 'invalidInput',
			field: 'id',
			message: 'ID: is required (no value)',
		});
		const notSent = {
			kind: 'error',
			cause: 'notSent',
			message: 'Not sent: an input item is invalid, so nothing was sent',
		};
		expect([outcomes[0], outcomes[1], outcomes[3]]).toEqual([notSent, notSent, notSent]);
	});

	it('at the limit exactly, everything is sent', async () => {
		const { outcomes, api, stats } = await run(slotsFor(['a', 'b', 'c']), {
			stopOnFirstFailure: true,
			maxRecordsPerRun: 3,
		});
		expect(api.idsPerRequest()).toEqual([['a', 'b', 'c']]);
		expect(outcomes).toEqual(['a', 'b', 'c'].map(found));
		expect(stats.recordsSent).toBe(3);
	});
});

describe('runBulk: Max Records per Run under continue on fail', () => {
	it('sends exactly the first N distinct inputs; their duplicates get the answer, the rest are overLimit', async () => {
		// distinct in order: a b c d e; limit 3 keeps a b c
		const ids = ['a', 'b', 'a', 'c', 'd', 'b', 'e', 'd'];
		const { outcomes, api, stats } = await run(slotsFor(ids), { maxRecordsPerRun: 3 });

		expect(api.idsPerRequest()).toEqual([['a', 'b', 'c']]);
		expect(outcomes).toEqual([
			found('a'),
			found('b'),
			found('a'),
			found('c'),
			overLimit(5, 3),
			found('b'),
			overLimit(5, 3),
			overLimit(5, 3),
		]);
		expect(stats).toStrictEqual({
			distinctInputs: 5,
			chunks: 1,
			requestsSent: 1,
			recordsSent: 3,
			recordsSentFree: 0,
			duplicateItems: 3,
		});
	});

	it('the kept inputs are chunked as usual', async () => {
		const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
		const { outcomes, api, stats } = await run(slotsFor(ids), {
			maxRecordsPerRun: 5,
			batchSize: 2,
		});
		expect(api.idsPerRequest()).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
		expect(outcomes.slice(0, 5)).toEqual(['a', 'b', 'c', 'd', 'e'].map(found));
		expect(outcomes.slice(5)).toEqual([overLimit(7, 5), overLimit(7, 5)]);
		expect(stats).toStrictEqual({
			distinctInputs: 7,
			chunks: 3,
			requestsSent: 3,
			recordsSent: 5,
			recordsSentFree: 0,
			duplicateItems: 0,
		});
	});

	it('invalid and skipped items keep their own outcome and do not count against the limit', async () => {
		const skipped: ItemOutcome = {
			kind: 'skipped',
			reason: 'ID is empty, so there is nothing to look up: not sent',
			missingIdentifier: 'ID',
		};
		const slots: Array<InputSlot<TestInput>> = [
			{ kind: 'invalid', field: 'id', message: 'ID: too long' },
			...slotsFor(['a']),
			{ kind: 'skipped', outcome: skipped },
			...slotsFor(['b', 'c']),
		];
		const { outcomes, api } = await run(slots, { maxRecordsPerRun: 2 });
		expect(api.idsPerRequest()).toEqual([['a', 'b']]);
		expect(outcomes).toEqual([
			{ kind: 'error', cause: 'invalidInput', field: 'id', message: 'ID: too long' },
			found('a'),
			skipped,
			found('b'),
			overLimit(3, 2),
		]);
	});

	it('with deduplicate off every item is its own record', async () => {
		const { outcomes, api, stats } = await run(slotsFor(['a', 'a', 'b', 'b']), {
			maxRecordsPerRun: 3,
			deduplicate: false,
		});
		expect(api.idsPerRequest()).toEqual([['a', 'a', 'b']]);
		expect(outcomes).toEqual([found('a'), found('a'), found('b'), overLimit(4, 3)]);
		expect(stats.recordsSent).toBe(3);
	});

	it('a limit of 0 is no limit', async () => {
		const ids = Array.from({ length: 25 }, (_, n) => `id-${n}`);
		const { outcomes, api, stats } = await run(slotsFor(ids), { maxRecordsPerRun: 0 });
		expect(api.idsPerRequest().flat()).toEqual(ids);
		expect(outcomes).toEqual(ids.map(found));
		expect(stats.recordsSent).toBe(25);
	});
});

describe('runBulk: what Max Records per Run counts', () => {
	it('distinct inputs: 10 items over 3 ids with a limit of 3 are all sent, in one request of 3', async () => {
		const ids = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a'];
		for (const stopOnFirstFailure of [true, false]) {
			const { outcomes, api, stats } = await run(slotsFor(ids), {
				maxRecordsPerRun: 3,
				stopOnFirstFailure,
			});
			expect(api.idsPerRequest()).toEqual([['a', 'b', 'c']]);
			expect(outcomes).toEqual(ids.map(found));
			expect(stats).toStrictEqual({
				distinctInputs: 3,
				chunks: 1,
				requestsSent: 1,
				recordsSent: 3,
				recordsSentFree: 0,
				duplicateItems: 7,
			});
		}
	});

	it('an endpoint that costs nothing (free) is never limited and sends no records', async () => {
		const free: BulkEndpoint<TestInput> = { ...testEndpoint(), free: true };
		const ids = ['a', 'b', 'c', 'd'];
		for (const stopOnFirstFailure of [true, false]) {
			const { outcomes, api, stats } = await run(
				slotsFor(ids),
				{ maxRecordsPerRun: 1, stopOnFirstFailure },
				{ endpoint: free },
			);
			expect(api.idsPerRequest()).toEqual([ids]);
			expect(outcomes).toEqual(ids.map(found));
			expect(stats).toStrictEqual({
				distinctInputs: 4,
				chunks: 1,
				requestsSent: 1,
				recordsSent: 0,
				recordsSentFree: 4,
				duplicateItems: 0,
			});
		}
	});

	it('reading a Pronto result is free; Explorium matching (a credit-consuming endpoint) and enrichment are not', () => {
		for (const api of ['v1', 'v2'] as const) {
			expect(matchProspectsEndpoint(api).free).toBeFalsy();
			expect(matchBusinessesEndpoint(api).free).toBeFalsy();
		}
		expect(getContactEndpoint.free).toBe(true);
		expect(prospectsBulkEnrichEndpoint('contacts_information').free).toBeFalsy();
		expect(bulkEnrichEndpoint([]).free).toBeFalsy();
	});
});

describe('runBulk stats: recordsSent and creditsUsed', () => {
	/** The test endpoint, answering `{results, credits}`; `credits` read by creditsUsedIn. */
	function creditedEndpoint(
		read: (response: ProviderResponse) => number | undefined = (answer) =>
			(answer.body as { credits?: number }).credits,
	) {
		return { ...testEndpoint(), creditsUsedIn: jest.fn(read) };
	}
	const withCredits =
		(credits: Array<number | undefined>): Responder =>
		(request, index) => {
			const answer = testAnswer(idsOf(request));
			return response(200, { ...(answer.body as object), credits: credits[index] });
		};

	it('recordsSent counts the inputs of 2xx-answered requests only, not those of a failed request', async () => {
		const responder: Responder = (request, index) =>
			index === 1 ? response(400, { message: 'bad request' }) : testAnswer(idsOf(request));
		const { outcomes, api, stats } = await run(
			slotsFor(['a', 'b', 'c', 'd', 'e']),
			{ batchSize: 2 },
			{ responder },
		);
		expect(api.idsPerRequest()).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
		expect(outcomes.map((outcome) => outcome.kind)).toEqual([
			'found',
			'found',
			'error',
			'error',
			'found',
		]);
		expect(stats).toStrictEqual({
			distinctInputs: 5,
			chunks: 3,
			requestsSent: 3,
			recordsSent: 3,
			recordsSentFree: 0,
			refusedStatusCodes: [400],
			duplicateItems: 0,
		});
	});

	it('recordsSent is 0 when every request failed', async () => {
		const { stats } = await run(
			slotsFor(['a', 'b']),
			{},
			{ responder: () => response(400, { message: 'bad request' }) },
		);
		expect(stats).toStrictEqual({
			distinctInputs: 2,
			chunks: 1,
			requestsSent: 1,
			recordsSent: 0,
			recordsSentFree: 0,
			refusedStatusCodes: [400],
			duplicateItems: 0,
		});
	});

	it('creditsUsed sums what each 2xx answer says', async () => {
		const endpoint = creditedEndpoint();
		const { stats } = await run(
			slotsFor(['a', 'b', 'c', 'd', 'e']),
			{ batchSize: 2 },
			{ endpoint, responder: withCredits([2, 1, 4]) },
		);
		expect(stats.creditsUsed).toBe(7);
		expect(stats.recordsSent).toBe(5);
		expect(endpoint.creditsUsedIn).toHaveBeenCalledTimes(3);
	});

	it('an answer that says nothing adds nothing; a non-finite figure is ignored', async () => {
		const endpoint = creditedEndpoint();
		const { stats } = await run(
			slotsFor(['a', 'b', 'c', 'd', 'e', 'f']),
			{ batchSize: 2 },
			{ endpoint, responder: withCredits([undefined, 3, Number.NaN]) },
		);
		expect(stats.creditsUsed).toBe(3);
	});

	it('a failed request is not asked for credits', async () => {
		const endpoint = creditedEndpoint();
		const responder: Responder = (request, index) => {
			if (index === 0) return response(400, { message: 'bad request', credits: 50 });
			return response(200, { results: idsOf(request).map((id) => ({ id })), credits: 1 });
		};
		const { stats } = await run(
			slotsFor(['a', 'b', 'c']),
			{ batchSize: 2 },
			{ endpoint, responder },
		);
		expect(stats.creditsUsed).toBe(1);
		expect(stats.recordsSent).toBe(1);
		expect(endpoint.creditsUsedIn).toHaveBeenCalledTimes(1);
	});

	it('0 credits reported is 0, not undefined', async () => {
		const { stats } = await run(
			slotsFor(['a']),
			{},
			{ endpoint: creditedEndpoint(), responder: withCredits([0]) },
		);
		expect(stats.creditsUsed).toBe(0);
	});

	it('the records of an answer reporting exactly 0 credits were sent free; one saying nothing is counted as paid', async () => {
		const endpoint = creditedEndpoint();
		const { stats } = await run(
			slotsFor(['a', 'b', 'c', 'd', 'e']),
			{ batchSize: 2 },
			{ endpoint, responder: withCredits([2, 0, undefined]) },
		);
		expect(stats).toMatchObject({ recordsSent: 3, recordsSentFree: 2, creditsUsed: 2 });
	});

	it('stays undefined when the endpoint has no creditsUsedIn', async () => {
		const { stats } = await run(slotsFor(['a', 'b']), {});
		expect(stats).not.toHaveProperty('creditsUsed');
		expect(stats.recordsSent).toBe(2);
	});

	it('stays undefined when creditsUsedIn returns undefined for every answer', async () => {
		const endpoint = creditedEndpoint(() => undefined);
		const { stats } = await run(slotsFor(['a', 'b', 'c']), { batchSize: 2 }, { endpoint });
		expect(stats.creditsUsed).toBeUndefined();
		expect(endpoint.creditsUsedIn).toHaveBeenCalledTimes(2);
	});

	it('a free endpoint may still report credits (they are counted) but sends no records', async () => {
		const endpoint = { ...creditedEndpoint(), free: true };
		const { stats } = await run(
			slotsFor(['a', 'b']),
			{},
			{ endpoint, responder: withCredits([2]) },
		);
		expect(stats.recordsSent).toBe(0);
		expect(stats.creditsUsed).toBe(2);
	});
});

describe("ExactBuyer bulk enrich: credits used are the answer's records_enriched", () => {
	const creditsUsedIn = (body: unknown) =>
		bulkEnrichEndpoint([]).creditsUsedIn?.(response(200, body));

	it.each<[unknown, number | undefined]>([
		[{ records_enriched: 7, contacts: [] }, 7],
		[{ records_enriched: 0, contacts: [] }, 0],
		[{ records_enriched: '7', contacts: [] }, undefined],
		[{ records_enriched: -1, contacts: [] }, undefined],
		[{ records_enriched: Number.POSITIVE_INFINITY }, undefined],
		[{ contacts: [] }, undefined],
		[null, undefined],
	])('%j → %p', (body, expected) => {
		expect(creditsUsedIn(body)).toBe(expected);
	});
});
