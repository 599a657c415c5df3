import type { IDataObject } from 'n8n-workflow';

import { firstItemError, validateInput } from '../../../nodes/bulk/operation';
import { InFlightLimiter, limitsForKey } from '../../../nodes/bulk/in-flight-limiter';
import { runBulk, type BulkRunSettings } from '../../../nodes/bulk/run-bulk';
import { FirstRequestGate } from '../../../nodes/bulk/send-chunk';
import type {
	BulkEndpoint,
	InputSlot,
	ItemOutcome,
	ProviderResponse,
} from '../../../nodes/bulk/types';
import { prospectsBulkEnrichEndpoint } from '../../../nodes/Explorium/adapter/endpoints';
import {
	prospectIdLabels,
	prospectIdSchema,
	type ProspectIdInput,
} from '../../../nodes/Explorium/adapter/schemas';
import {
	FakeApi,
	FakeClock,
	NODE,
	contactsDataFor,
	expectedOutcome,
	exploriumEnrichAnswer,
	exploriumResponder,
	flushMicrotasks,
	idsOf,
	prospectId,
	prospectSlots,
	response,
	settings,
	testAnswer,
	testEndpoint,
	testResponder,
	validSlots,
	type Responder,
	type TestInput,
	NoPace,
	paced,
} from './helpers';

const endpoint = prospectsBulkEnrichEndpoint('contacts_information');

async function run<T>(
	slots: Array<InputSlot<T>>,
	responder: Responder,
	overrides: Partial<BulkRunSettings> = {},
	bulkEndpoint: BulkEndpoint<T> = endpoint as unknown as BulkEndpoint<T>,
) {
	const clock = new FakeClock();
	const api = new FakeApi(responder, clock);
	const result = await runBulk(bulkEndpoint, slots, settings(overrides), {
		send: api.send,
		clock,
		isCancelled: () => false,
		...paced(bulkEndpoint.provider.limits),
	});
	return { ...result, api, clock };
}

/** Reads raw prospect ids like the node does: validated by the Explorium schema. */
function readProspectIds(raw: unknown[]): Array<InputSlot<ProspectIdInput>> {
	return raw.map((prospect_id) =>
		validateInput(prospectIdSchema, { prospect_id }, prospectIdLabels),
	);
}

const found = (id: string) => expectedOutcome(id, false);
const notFound = (id: string) => expectedOutcome(id, true);

describe('runBulk: duplicates', () => {
	const a = prospectId(1);
	const b = prospectId(2);
	const c = prospectId(3);

	it('sends identical ids once and gives every position the result', async () => {
		const ids = [a, b, a, c, a, b];
		const { outcomes, api, stats } = await run(
			prospectSlots(ids),
			exploriumResponder({ isMiss: (id) => id === c }),
		);
		expect(api.idsPerRequest()).toEqual([[a, b, c]]);
		expect(outcomes).toEqual([found(a), found(b), found(a), notFound(c), found(a), found(b)]);
		expect(stats).toEqual({
			distinctInputs: 3,
			chunks: 1,
			requestsSent: 1,
			recordsSent: 3,
			recordsSentFree: 0,
			duplicateItems: 3,
		});
	});

	it('with deduplicate false sends (and pays for) each one', async () => {
		const ids = [a, b, a, c, a, b];
		const { outcomes, api, stats } = await run(prospectSlots(ids), exploriumResponder(), {
			deduplicate: false,
		});
		expect(api.idsPerRequest()).toEqual([ids]);
		expect(outcomes).toEqual(ids.map(found));
		expect(stats).toEqual({
			distinctInputs: 6,
			chunks: 1,
			requestsSent: 1,
			recordsSent: 6,
			recordsSentFree: 0,
			duplicateItems: 0,
		});
	});

	it('dedupes by the normalised identity: an upper-case id is lower-cased by the schema', async () => {
		const slots = readProspectIds([a.toUpperCase(), ` ${a} `, a, b.toUpperCase()]);
		const { outcomes, api } = await run(slots, exploriumResponder());
		expect(api.idsPerRequest()).toEqual([[a, b]]);
		expect(outcomes).toEqual([found(a), found(a), found(a), found(b)]);
	});

	it('counts chunks over distinct ids: 120 items carrying 60 ids make 2 requests of 30', async () => {
		const ids = Array.from({ length: 120 }, (_, n) => prospectId(n % 60));
		const { outcomes, api } = await run(prospectSlots(ids), exploriumResponder());
		expect(api.idsPerRequest().map((chunk) => chunk.length)).toEqual([30, 30]);
		expect(outcomes).toEqual(ids.map(found));
	});
});

describe('runBulk: invalid ids', () => {
	const raw = [
		prospectId(0),
		'not-an-id',
		prospectId(2),
		null,
		prospectId(4),
		prospectId(5).slice(0, 39),
	];
	const invalidAt1: ItemOutcome = {
		kind: 'error',
		cause: 'invalidInput',
		field: 'prospect_id',
		message:
			'Prospect ID: must be 40 hexadecimal characters (an Explorium prospect id) (got "not-an-id")',
	};
	const invalidAt3: ItemOutcome = {
		kind: 'error',
		cause: 'invalidInput',
		field: 'prospect_id',
		message: 'Prospect ID: must be a text prospect id (got null)',
	};
	const invalidAt5: ItemOutcome = {
		kind: 'error',
		cause: 'invalidInput',
		field: 'prospect_id',
		message: `Prospect ID: must be 40 hexadecimal characters (an Explorium prospect id) (got "${prospectId(5).slice(0, 39)}")`,
	};

	it('with stopOnFirstFailure sends nothing: invalid items name the field and reason, the others are "not sent"', async () => {
		const { outcomes, api, stats } = await run(readProspectIds(raw), exploriumResponder(), {
			stopOnFirstFailure: true,
		});
		expect(api.requests).toHaveLength(0);
		const notSent: ItemOutcome = {
			kind: 'error',
			cause: 'notSent',
			message: 'Not sent: an input item is invalid, so nothing was sent',
		};
		expect(outcomes).toEqual([notSent, invalidAt1, notSent, invalidAt3, notSent, invalidAt5]);
		expect(stats).toEqual({
			distinctInputs: 0,
			chunks: 0,
			requestsSent: 0,
			recordsSent: 0,
			recordsSentFree: 0,
			duplicateItems: 0,
		});

		const error = firstItemError(NODE, outcomes, []);
		expect(error?.message).toBe(`${invalidAt1.message} [item 1]`);
		expect(error?.context.itemIndex).toBe(1);
	});

	it('without it, invalid items are errors at their positions and the valid ones are still sent', async () => {
		const { outcomes, api } = await run(readProspectIds(raw), exploriumResponder());
		expect(api.idsPerRequest()).toEqual([[prospectId(0), prospectId(2), prospectId(4)]]);
		expect(outcomes).toEqual([
			found(prospectId(0)),
			invalidAt1,
			found(prospectId(2)),
			invalidAt3,
			found(prospectId(4)),
			invalidAt5,
		]);
	});

	it('passes skipped slots through untouched and does not count them as invalid', async () => {
		const skipped: ItemOutcome = {
			kind: 'notFound',
			reason: 'Explorium found no matching prospect',
			data: { prospect_id: null },
		};
		const slots: Array<InputSlot<ProspectIdInput>> = [
			{ kind: 'skipped', outcome: skipped },
			{ kind: 'valid', value: { prospect_id: prospectId(1) } },
		];
		const { outcomes, api } = await run(slots, exploriumResponder(), { stopOnFirstFailure: true });
		expect(api.idsPerRequest()).toEqual([[prospectId(1)]]);
		expect(outcomes).toEqual([skipped, found(prospectId(1))]);
	});
});

describe('runBulk: rows missing or reordered in the answer', () => {
	const ids = Array.from({ length: 6 }, (_, n) => prospectId(n));

	it('maps reordered rows by their prospect_id', async () => {
		const { outcomes } = await run(prospectSlots(ids), (request) =>
			exploriumEnrichAnswer(idsOf(request), { reorder: (rows) => rows.slice().reverse() }),
		);
		expect(outcomes).toEqual(ids.map(found));
	});

	it('makes a missing row an explicit notFound with a reason, never drops it', async () => {
		const missing = new Set([ids[0], ids[3], ids[5]]);
		const { outcomes } = await run(prospectSlots(ids), (request) =>
			exploriumEnrichAnswer(idsOf(request), {
				isMiss: (id) => missing.has(id),
				reorder: (rows) => [rows[2], rows[0], rows[1]],
			}),
		);
		expect(outcomes).toHaveLength(6);
		expect(outcomes).toEqual([
			notFound(ids[0]),
			found(ids[1]),
			found(ids[2]),
			notFound(ids[3]),
			found(ids[4]),
			notFound(ids[5]),
		]);
	});

	it('treats a row with empty data as not found, matches upper-case row ids, and ignores rows for ids never sent', async () => {
		const { outcomes } = await run(prospectSlots(ids.slice(0, 3)), () =>
			response(200, {
				data: [
					{ prospect_id: ids[0], data: {} },
					{ prospect_id: ids[1].toUpperCase(), data: contactsDataFor(ids[1]) },
					{ prospect_id: prospectId(99), data: contactsDataFor(prospectId(99)) },
					null,
				],
			}),
		);
		expect(outcomes).toEqual([notFound(ids[0]), found(ids[1]), notFound(ids[2])]);
	});

	it('an unreadable 2xx answer is an error on every item of that chunk only', async () => {
		const many = Array.from({ length: 60 }, (_, n) => prospectId(n));
		const { outcomes } = await run(prospectSlots(many), (request, index) =>
			index === 0 ? response(200, { unexpected: true }) : exploriumEnrichAnswer(idsOf(request)),
		);
		const unreadable: ItemOutcome = {
			kind: 'error',
			cause: 'request',
			message:
				'Explorium accepted the request (HTTP 200) but its answer could not be read (expected a "data" list in the answer): outcome unknown, not sent again',
			description: expect.stringContaining(
				'may have been accepted (and charged)',
			) as unknown as string,
		};
		expect(outcomes.slice(0, 30)).toEqual(Array.from({ length: 30 }, () => unreadable));
		expect(outcomes.slice(30)).toEqual(many.slice(30).map(found));
	});

	it('with stopOnFirstFailure, an unreadable answer starts no further chunk', async () => {
		const many = Array.from({ length: 120 }, (_, n) => prospectId(n));
		const { outcomes, api } = await run(
			prospectSlots(many),
			() => response(200, { unexpected: true }),
			{
				stopOnFirstFailure: true,
			},
		);
		expect(api.requests).toHaveLength(1);
		expect(outcomes[0]).toMatchObject({
			kind: 'error',
			cause: 'request',
			message:
				'Explorium accepted the request (HTTP 200) but its answer could not be read (expected a "data" list in the answer): outcome unknown, not sent again',
		});
		expect(outcomes[40]).toEqual({
			kind: 'error',
			cause: 'notSent',
			message: 'Not sent: an earlier request to Explorium failed',
		});
		expect(firstItemError(NODE, outcomes, [])?.context.itemIndex).toBe(0);
	});

	it('the generic engine: an answer list shorter than the chunk leaves explicit notFound outcomes', async () => {
		const inputs = ['a', 'b', 'c'].map((id) => ({ id }));
		const { outcomes } = await run<TestInput>(
			validSlots(inputs),
			() => response(200, { results: [{ id: 'a' }, null] }),
			{},
			testEndpoint(),
		);
		expect(outcomes).toEqual([
			{ kind: 'found', data: { id: 'a' } },
			{ kind: 'notFound', reason: 'no such thing' },
			{ kind: 'notFound', reason: 'TestProvider returned no answer for this input' },
		]);
	});

	it('a 2xx answer carrying data beside an error keeps the data (it was paid for), fails the rest, and is not sent again', async () => {
		const inputs = ['a', 'b'].map((id) => ({ id }));
		const { outcomes, api } = await run<TestInput>(
			validSlots(inputs),
			() => response(200, { error: 'the second look-up broke', results: [{ id: 'a' }, null] }),
			{},
			testEndpoint(),
		);
		expect(api.requests).toHaveLength(1);
		expect(outcomes[0]).toEqual({ kind: 'found', data: { id: 'a' } });
		expect(outcomes[1]).toMatchObject({
			kind: 'error',
			cause: 'request',
			message: 'TestProvider answered HTTP 200 with an error: the second look-up broke',
		});
	});
});

describe('runBulk: stopOnFirstFailure after a failed request', () => {
	const ids = Array.from({ length: 120 }, (_, n) => prospectId(n));
	const unauthorized = () => response(401, { detail: 'Not authenticated' });
	const authFailure: ItemOutcome = {
		kind: 'error',
		cause: 'request',
		message: 'Explorium request failed (HTTP 401): Not authenticated',
		description: 'The API key was refused. Attempts: 1.',
		httpCode: '401',
	};
	const notSent: ItemOutcome = {
		kind: 'error',
		cause: 'notSent',
		message: 'Not sent: an earlier request to Explorium failed',
	};

	it('a 401 on the first chunk starts no further chunk; the rest are "not sent"', async () => {
		const { outcomes, api, stats } = await run(prospectSlots(ids), unauthorized, {
			stopOnFirstFailure: true,
		});
		expect(api.requests).toHaveLength(1);
		expect(api.idsPerRequest()[0]).toEqual(ids.slice(0, 40));
		expect(outcomes.slice(0, 40)).toEqual(Array.from({ length: 40 }, () => authFailure));
		expect(outcomes.slice(40)).toEqual(Array.from({ length: 80 }, () => notSent));
		expect(stats).toEqual({
			distinctInputs: 120,
			chunks: 3,
			requestsSent: 1,
			recordsSent: 0,
			recordsSentFree: 0,
			refusedStatusCodes: [401],
			duplicateItems: 0,
		});

		const error = firstItemError(NODE, outcomes, []);
		expect(error?.message).toBe(
			'Explorium request failed (HTTP 401): Not authenticated [items 0-39]',
		);
		expect(error?.context.itemIndex).toBe(0);
	});

	it('firstItemError reports the failed request, not an earlier "not sent" item', async () => {
		// Chunk 1 (items 0..39) succeeds, chunk 2 (40..79) gets 401, chunk 3 (80..119) is not sent.
		const { outcomes, api } = await run(
			prospectSlots(ids),
			(request, index) => (index === 1 ? unauthorized() : exploriumEnrichAnswer(idsOf(request))),
			{ stopOnFirstFailure: true },
		);
		expect(api.requests).toHaveLength(2);
		expect(outcomes.slice(0, 40)).toEqual(ids.slice(0, 40).map(found));
		expect(outcomes.slice(40, 80)).toEqual(Array.from({ length: 40 }, () => authFailure));
		expect(outcomes.slice(80)).toEqual(Array.from({ length: 40 }, () => notSent));

		const error = firstItemError(NODE, outcomes, []);
		expect(error?.message).toBe(
			'Explorium request failed (HTTP 401): Not authenticated [items 40-79]',
		);
		expect(error?.context.itemIndex).toBe(40);
		expect(firstItemError(NODE, [notSent, found(ids[0]), authFailure], [])?.context.itemIndex).toBe(
			2,
		);
		expect(firstItemError(NODE, [found(ids[0]), notSent], [])?.message).toBe(
			'Not sent: an earlier request to Explorium failed [item 1]',
		);
		expect(firstItemError(NODE, [found(ids[0]), notFound(ids[1])], [])).toBeUndefined();
	});

	it('without stopOnFirstFailure every chunk is still sent after a failure of that chunk alone', async () => {
		const { outcomes, api } = await run(prospectSlots(ids), (request, index) =>
			index === 0
				? response(400, { detail: 'Bad request' })
				: exploriumEnrichAnswer(idsOf(request)),
		);
		expect(api.requests).toHaveLength(3);
		expect(
			outcomes
				.slice(0, 40)
				.every((outcome) => outcome.kind === 'error' && outcome.httpCode === '400'),
		).toBe(true);
		expect(outcomes.slice(40)).toEqual(ids.slice(40).map(found));
	});

	it.each([
		[401, 'Not authenticated'],
		[403, 'Insufficient credits'],
		[
			302,
			'the provider answered with a redirect to https://elsewhere.example, which was not followed',
		],
	])(
		'even without stopOnFirstFailure, an account-wide %i ends the sending; the unsent items say why',
		async (status, said) => {
			const failure =
				status === 302
					? response(302, '', { Location: 'https://elsewhere.example/v1/x?key=abc' })
					: response(status, { detail: said });
			const { outcomes, api } = await run(prospectSlots(ids), (request, index) =>
				index === 0 ? failure : exploriumEnrichAnswer(idsOf(request)),
			);
			expect(api.requests).toHaveLength(1);
			expect(outcomes[0]).toMatchObject({
				kind: 'error',
				cause: 'request',
				message: `Explorium request failed (HTTP ${status}): ${said}`,
			});
			for (const outcome of outcomes.slice(40)) {
				expect(outcome).toEqual({
					kind: 'error',
					cause: 'notSent',
					message: `Not sent: an earlier request to Explorium failed for the whole account (HTTP ${status}: ${said})`,
				});
			}
		},
	);
});

describe('runBulk: the first request goes alone, the rest follow its answer (issue 27 point 9)', () => {
	const inputs = Array.from({ length: 40 }, (_, n) => ({ id: `id-${n}` }));
	const endpoint = testEndpoint({ maxBatchSize: 2, maxConcurrency: 10 });
	const runWith = (responder: Responder, overrides: Partial<BulkRunSettings> = {}) =>
		run(validSlots(inputs), responder, { batchSize: 2, concurrency: 10, ...overrides }, endpoint);

	it.each([
		[401, 'Invalid API key'],
		[403, 'Insufficient credits'],
	])(
		'a %i on the first request, under continue on fail: the others are never sent, and say why',
		async (status, said) => {
			const { outcomes, api, stats } = await runWith(() => response(status, { message: said }));
			expect(api.requests).toHaveLength(1);
			expect(stats.requestsSent).toBe(1);
			expect(stats.refusedStatusCodes).toEqual([status]);
			expect(outcomes.slice(0, 2)).toEqual(
				Array.from({ length: 2 }, () =>
					expect.objectContaining({ kind: 'error', cause: 'request', httpCode: String(status) }),
				),
			);
			for (const outcome of outcomes.slice(2)) {
				expect(outcome).toEqual({
					kind: 'error',
					cause: 'notSent',
					message: `Not sent: an earlier request to TestProvider failed for the whole account (HTTP ${status}: ${said})`,
				});
			}
		},
	);

	it("a failure that is not the account's lets the others go at its answer, before its own retry", async () => {
		const clock = new FakeClock();
		const order: string[] = [];
		const api = new FakeApi((request, index) => {
			order.push(index === 0 ? '503' : idsOf(request).join(','));
			return index === 0 ? response(503, { message: 'busy' }) : testAnswer(idsOf(request));
		}, clock);
		const { outcomes } = await runBulk(
			endpoint,
			validSlots(inputs),
			settings({ batchSize: 2, concurrency: 10 }),
			{ send: api.send, clock, isCancelled: () => false, ...paced(endpoint.provider.limits) },
		);
		expect(order[0]).toBe('503');
		// The 19 other chunks went while the first waited out its backoff; its retry came last.
		expect(order.slice(1, 20)).not.toContain('id-0,id-1');
		expect(order[20]).toBe('id-0,id-1');
		expect(outcomes.every((outcome) => outcome.kind === 'found')).toBe(true);
	});

	it('one gate for a node run: once its first request was answered, a second endpoint sends at once', async () => {
		const firstRequest = new FirstRequestGate();
		const inFlightAtFirstSend: number[] = [];
		for (let step = 0; step < 2; step++) {
			const waiting: Array<() => void> = [];
			const api = new FakeApi(
				(request) =>
					new Promise<ProviderResponse>((resolve) =>
						waiting.push(() => resolve(testAnswer(idsOf(request)))),
					),
			);
			const running = runBulk(
				endpoint,
				validSlots(inputs.slice(0, 10)),
				settings({ batchSize: 2, concurrency: 5 }),
				{
					send: api.send,
					clock: new FakeClock(),
					isCancelled: () => false,
					...paced(endpoint.provider.limits),
					pacer: new NoPace(),
					firstRequest,
				},
			);
			await flushMicrotasks();
			inFlightAtFirstSend.push(api.inFlight);
			while (waiting.length > 0) {
				waiting.shift()?.();
				await flushMicrotasks();
			}
			await running;
		}
		expect(inFlightAtFirstSend).toEqual([1, 5]);
	});
});

describe('runBulk: concurrency', () => {
	/** A send whose answers come only when the test releases them, oldest first. */
	function deferredApi() {
		const waiting: Array<() => void> = [];
		const api = new FakeApi(
			(request) =>
				new Promise<ProviderResponse>((resolve) =>
					waiting.push(() => resolve(testAnswer(idsOf(request)))),
				),
		);
		return { api, waiting };
	}

	async function drive(concurrency: number, maxConcurrency: number, count: number) {
		const { api, waiting } = deferredApi();
		const inputs = Array.from({ length: count }, (_, n) => ({ id: `id-${n}` }));
		let done = false;
		const running = runBulk(
			testEndpoint({ maxBatchSize: 2, maxConcurrency }),
			validSlots(inputs),
			settings({ batchSize: 2, concurrency }),
			{
				send: api.send,
				clock: new FakeClock(),
				isCancelled: () => false,
				...paced(testEndpoint({ maxConcurrency }).provider.limits),
				pacer: new NoPace(),
			},
		).then((result) => {
			done = true;
			return result;
		});
		const inFlightSeen: number[] = [];
		while (!done) {
			await flushMicrotasks();
			inFlightSeen.push(api.inFlight);
			waiting.shift()?.();
		}
		return { result: await running, api, inFlightSeen, inputs };
	}

	it('never has more than 3 requests in flight with concurrency 3', async () => {
		const { result, api, inFlightSeen, inputs } = await drive(3, 10, 30);
		expect(api.requests).toHaveLength(15);
		expect(api.maxInFlight).toBe(3);
		expect(Math.max(...inFlightSeen)).toBe(3);
		// The first request goes alone; once it is answered, three at once.
		expect(inFlightSeen.slice(0, 2)).toEqual([1, 3]);
		expect(result.outcomes).toEqual(
			inputs.map(({ id }) => ({ kind: 'found', data: { id, value: `value of ${id}` } })),
		);
	});

	it('clamps the concurrency to the provider maximum', async () => {
		const { api } = await drive(50, 4, 30);
		expect(api.maxInFlight).toBe(4);
	});

	it('concurrency 1 sends one chunk after the other', async () => {
		const { api } = await drive(1, 10, 10);
		expect(api.maxInFlight).toBe(1);
		expect(api.idsPerRequest()).toEqual([0, 2, 4, 6, 8].map((n) => [`id-${n}`, `id-${n + 1}`]));
	});
});

describe('runBulk: rate limit', () => {
	const inputs = Array.from({ length: 6 }, (_, n) => ({ id: `id-${n}` }));

	it.each([1, 3])(
		'with 2 requests per 1000 ms (concurrency %i) the 3rd start waits until the window frees',
		async (concurrency) => {
			const clock = new FakeClock();
			const api = new FakeApi(testResponder, clock);
			const limited = testEndpoint({
				maxBatchSize: 2,
				rateLimit: { limit: 2, windowMs: 1000, unit: 'request' },
			});
			const { outcomes } = await runBulk(
				limited,
				validSlots(inputs),
				settings({ batchSize: 2, concurrency }),
				{
					send: api.send,
					clock,
					isCancelled: () => false,
					...paced(limited.provider.limits),
				},
			);
			expect(api.requests.map(({ at }) => at - api.requests[0].at)).toEqual([0, 0, 1000]);
			expect(clock.waits.reduce((sum, wait) => sum + wait, 0)).toBe(1000); // rechecked while the first two were in flight
			expect(outcomes.every((outcome) => outcome.kind === 'found')).toBe(true);
		},
	);

	it('a lone 429 before anything was accepted gives its slot back and pauses the key, and teaches no pace', async () => {
		const clock = new FakeClock();
		const api = new FakeApi(
			(request, index) =>
				index === 0
					? response(429, { detail: 'slow down' }, { 'Retry-After': '1' })
					: testAnswer(idsOf(request)),
			clock,
		);
		const limited = testEndpoint({
			maxBatchSize: 2,
			rateLimit: { limit: 2, windowMs: 60_000, unit: 'request' },
		});
		const { outcomes } = await runBulk(
			limited,
			validSlots(inputs.slice(0, 4)),
			settings({ batchSize: 2, concurrency: 1 }),
			{
				send: api.send,
				clock,
				isCancelled: () => false,
				...paced(limited.provider.limits),
			},
		);
		// The refused attempt did not count: the retry and the second chunk fit the window of 2.
		expect(api.requests.map(({ at }) => at - api.requests[0].at)).toEqual([0, 1000, 1000]);
		expect(outcomes.every((outcome) => outcome.kind === 'found')).toBe(true);
	});

	it('runs that share a limiter (one key) share its window', async () => {
		const clock = new FakeClock();
		const api = new FakeApi(testResponder, clock);
		const limited = testEndpoint({ maxBatchSize: 2 });
		const shared = limitsForKey('unit-test-key', {
			...limited.provider.limits,
			rateLimit: { limit: 2, windowMs: 1000, unit: 'request' },
		});
		const runOne = async () =>
			await runBulk(
				limited,
				validSlots(inputs.slice(0, 4)),
				settings({ batchSize: 2, concurrency: 2 }),
				{
					send: api.send,
					clock,
					isCancelled: () => false,
					...paced(),
					...shared,
				},
			);
		await Promise.all([runOne(), runOne()]);
		const starts = api.requests.map(({ at }) => at - api.requests[0].at).sort((a, b) => a - b);
		expect(starts).toEqual([0, 0, 1000, 1000]);
		expect(limitsForKey('unit-test-key', limited.provider.limits)).toBe(shared);
	});
});

describe('runBulk: cancellation', () => {
	const cancelledOutcome: ItemOutcome = {
		kind: 'error',
		cause: 'notSent',
		message: 'Not sent: the execution was canceled',
	};

	it('no request starts once the execution is cancelled; the rest are "not sent: the execution was canceled"', async () => {
		const ids = Array.from({ length: 150 }, (_, n) => prospectId(n));
		let cancelled = false;
		const clock = new FakeClock();
		const api = new FakeApi((request) => {
			cancelled = true;
			return exploriumEnrichAnswer(idsOf(request));
		}, clock);
		const { outcomes, stats } = await runBulk(endpoint, prospectSlots(ids), settings(), {
			send: api.send,
			clock,
			isCancelled: () => cancelled,
			...paced(endpoint.provider.limits),
		});
		expect(api.requests).toHaveLength(1);
		expect(outcomes.slice(0, 50)).toEqual(ids.slice(0, 50).map(found));
		expect(outcomes.slice(50)).toEqual(Array.from({ length: 100 }, () => cancelledOutcome));
		expect(stats.requestsSent).toBe(1);
	});

	const unknownAfterCancel = (providerMessage: string, attempts: number): ItemOutcome => ({
		kind: 'error',
		cause: 'request',
		message: `Explorium request failed (no answer): outcome unknown, not sent again: ${providerMessage}`,
		description: expect.stringMatching(
			new RegExp(`may have been accepted \\(and charged\\).* Attempts: ${attempts}\\.$`),
		) as unknown as string,
	});

	it('a request aborted by the cancellation after it went out is an outcome unknown (it may have been accepted); the rest are not sent', async () => {
		let cancelled = false;
		const send = async () => {
			cancelled = true;
			throw Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' });
		};
		const { outcomes, stats } = await runBulk(
			prospectsBulkEnrichEndpoint('contacts_information'),
			prospectSlots(Array.from({ length: 120 }, (_, n) => prospectId(n))),
			settings({ concurrency: 1 }),
			{
				send,
				clock: new FakeClock(),
				isCancelled: () => cancelled,
				...paced(endpoint.provider.limits),
			},
		);
		const unknown = unknownAfterCancel(
			'the execution was canceled while waiting for the answer',
			1,
		);
		expect(outcomes.slice(0, 40)).toEqual(Array.from({ length: 40 }, () => unknown));
		expect(outcomes.slice(40)).toEqual(Array.from({ length: 80 }, () => cancelledOutcome));
		expect(stats.requestsSent).toBe(1);
	});

	it('a cancellation during a retry wait stops retrying; the attempt that went out leaves the outcome unknown', async () => {
		const ids = [prospectId(1), prospectId(2)];
		let cancelled = false;
		const clock = new FakeClock();
		const sleep = clock.sleep;
		clock.sleep = async (ms) => {
			await sleep(ms);
			cancelled = true;
		};
		const api = new FakeApi(() => response(503, { message: 'Service Unavailable' }), clock);
		const { outcomes } = await runBulk(endpoint, prospectSlots(ids), settings(), {
			send: api.send,
			clock,
			isCancelled: () => cancelled,
			...paced(endpoint.provider.limits),
		});
		expect(api.requests).toHaveLength(1);
		const unknown = unknownAfterCancel(
			'the execution was canceled before an earlier attempt, which may have been accepted, could be retried',
			1,
		);
		expect(outcomes).toEqual([unknown, unknown]);
	});

	it('a request still waiting for a place in flight is not sent once the execution is cancelled', async () => {
		let cancelled = false;
		const inFlight = new InFlightLimiter(1);
		let release: () => void = () => {};
		const held = inFlight.run(() => new Promise<void>((resolve) => (release = resolve)));
		const api = new FakeApi(exploriumResponder());
		const running = runBulk(endpoint, prospectSlots([prospectId(1)]), settings(), {
			send: api.send,
			clock: new FakeClock(),
			isCancelled: () => cancelled,
			...paced(endpoint.provider.limits),
			inFlight,
		});
		await flushMicrotasks();
		cancelled = true;
		release();
		await held;
		const { outcomes } = await running;
		expect(api.requests).toHaveLength(0);
		expect(outcomes).toEqual([cancelledOutcome]);
	});

	it('nothing is sent when cancelled before the start', async () => {
		const api = new FakeApi(exploriumResponder());
		const { outcomes } = await runBulk(endpoint, prospectSlots([prospectId(1)]), settings(), {
			send: api.send,
			clock: new FakeClock(),
			isCancelled: () => true,
			...paced(endpoint.provider.limits),
		});
		expect(api.requests).toHaveLength(0);
		expect(outcomes).toEqual([cancelledOutcome]);
	});
});

describe('runBulk: settings are clamped to the provider limits', () => {
	it.each([
		[500, [40, 40, 40]],
		[0, Array.from({ length: 120 }, () => 1)],
		[Number.NaN, [40, 40, 40]],
		[25.9, [24, 24, 24, 24, 24]],
	])('batch size %p', async (batchSize, expected) => {
		const ids = Array.from({ length: 120 }, (_, n) => prospectId(n));
		const { api, outcomes } = await run(prospectSlots(ids), exploriumResponder(), {
			batchSize,
			concurrency: 20,
		});
		expect(api.idsPerRequest().map((chunk) => chunk.length)).toEqual(expected);
		expect(outcomes).toEqual(ids.map(found));
	});

	it('found data is passed through as the provider sent it', async () => {
		const data: IDataObject = { nested: { deep: [1, 2, 3] } };
		const { outcomes } = await run<TestInput>(
			validSlots([{ id: 'x' }]),
			() => response(200, { results: [data] }),
			{},
			testEndpoint(),
		);
		expect(outcomes).toEqual([{ kind: 'found', data }]);
	});
});
