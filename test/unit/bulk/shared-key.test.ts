/**
 * K n8n processes on one API key, as queue-mode workers run them: each with its own limiter (they
 * share nothing), against one simulated key that the provider allows fewer requests than
 * documented. Every item must be enriched, in about the time the provider's real rate needs, with
 * few 429s.
 */
import { runBulk } from '../../../nodes/bulk/run-bulk';
import { WindowPacer } from '../../../nodes/bulk/window-pacer';
import type { ProviderResponse } from '../../../nodes/bulk/types';
import { bulkEnrichEndpoint } from '../../../nodes/Pronto/adapter/endpoints';
import { PRONTO } from '../../../nodes/Pronto/adapter/provider';
import {
	FakeApi,
	FakeClock,
	idsOf,
	prospectId,
	prospectSlots,
	response,
	settings,
	validSlots,
	paced,
} from './helpers';
import {
	DOCUMENTED,
	EXPLORIUM_CONCURRENCY,
	EXPLORIUM_KEY,
	SimulatedKey,
	endpoint,
	requestKey,
	runProcesses,
} from './shared-key-sim';

describe('Explorium counts records (each id one) and says what is left in X-RateLimit headers', () => {
	it('one process, 600 ids at default settings: no 429, the window never over 200 records, wall ≤ 1.15 × the bound (120 s)', async () => {
		const figures = await runProcesses({
			processes: 1,
			itemsEach: 600,
			rule: EXPLORIUM_KEY,
			concurrency: EXPLORIUM_CONCURRENCY,
		});
		expect(figures.enriched).toBe(600);
		expect(figures.refused).toBe(0);
		expect(figures.peak).toBeLessThanOrEqual(200);
		expect(figures.boundMs).toBe(120_000);
		expect(figures.wallMs).toBeLessThanOrEqual(1.15 * figures.boundMs);
	});

	it.each([0, 300, 1000, 3000, 20_000])(
		'two processes × 300 ids on one key (the second starting %i ms later; queue-mode workers pick jobs up apart): at most one 429, wall ≤ 1.15 × bound',
		async (staggerMs) => {
			const figures = await runProcesses({
				processes: 2,
				itemsEach: 300,
				rule: EXPLORIUM_KEY,
				staggerMs,
				concurrency: EXPLORIUM_CONCURRENCY,
			});
			expect(figures.enriched).toBe(600);
			expect(figures.refused).toBeLessThanOrEqual(1);
			expect(figures.wallMs).toBeLessThanOrEqual(1.15 * figures.boundMs + staggerMs);
		},
	);

	/** The simulator in a real n8n: it counts a request after its 300 ms and answers at once. */
	const asTheSimulator = (staggerMs: number) =>
		runProcesses({
			processes: 2,
			itemsEach: 300,
			rule: EXPLORIUM_KEY,
			staggerMs,
			concurrency: EXPLORIUM_CONCURRENCY,
			legs: [300, 10],
		});

	it.each([0, 250, 750, 1000])(
		'two processes × 300 ids, the provider counting as the simulator does, the second starting %i ms later: at most one 429, wall ≤ 1.15 × bound',
		async (staggerMs) => {
			const figures = await asTheSimulator(staggerMs);
			expect(figures.enriched).toBe(600);
			expect(figures.refused).toBeLessThanOrEqual(1);
			expect(figures.wallMs).toBeLessThanOrEqual(1.15 * figures.boundMs + staggerMs);
		},
	);

	it('the same, the second starting 500 ms later (issue 25 asks for one 429: not met, as in a real n8n)', async () => {
		// The newcomer's first place lands 0.1 s before the first process's last; a window later its
		// retake's answer comes in the gap between that place leaving and its owner taking it again,
		// and reads it as free room. Nothing tells the two apart in one answer.
		const figures = await asTheSimulator(500);
		expect(figures.enriched).toBe(600);
		expect(figures.refused).toBeLessThanOrEqual(2);
		expect(figures.wallMs).toBeLessThanOrEqual(1.15 * figures.boundMs + 500);
	});

	it('two processes × 300 ids, 100 ms of jitter on each leg, 40 start-up gaps up to 3 s: every id, never over 200 records, at most two 429s (issue 25 asks for one: not met in about one run in twelve; `npm run bench:shared-key-sweep` for more)', async () => {
		const refusals: number[] = [];
		for (let seed = 1; seed <= 40; seed++) {
			const figures = await runProcesses({
				processes: 2,
				itemsEach: 300,
				rule: EXPLORIUM_KEY,
				staggerMs: (seed * 977) % 3000,
				concurrency: EXPLORIUM_CONCURRENCY,
				jitterMs: 100,
				seed,
			});
			expect(figures.enriched).toBe(600);
			expect(figures.peak).toBeLessThanOrEqual(200);
			refusals.push(figures.refused);
		}
		expect(Math.max(...refusals)).toBeLessThanOrEqual(2);
		expect(refusals.filter((n) => n > 1).length).toBeLessThanOrEqual(6);
	});

	it("without headers (a proxy strips them), two processes × 2 000 ids learn their shares from 429s: every id, wall ≤ 1.2 × bound (issue 25's goal)", async () => {
		const figures = await runProcesses({
			processes: 2,
			itemsEach: 2000,
			rule: { ...EXPLORIUM_KEY, headers: false },
			concurrency: EXPLORIUM_CONCURRENCY,
		});
		expect(figures.enriched).toBe(4000);
		expect(figures.wallMs).toBeLessThanOrEqual(1.2 * figures.boundMs);
	});

	it('another app on the key shows in the headers: this process leaves it its share and meets no 429', async () => {
		const clock = new FakeClock({ start: 0 });
		const key = new SimulatedKey(clock, EXPLORIUM_KEY, DOCUMENTED.windowMs);
		// Another app takes 150 of the 200 records at the start.
		await key.answer(Array.from({ length: 150 }, (_, n) => prospectId(90_000 + n)));
		const ids = Array.from({ length: 250 }, (_, n) => prospectId(n));
		const api = new FakeApi(async (request) => await key.answer(idsOf(request)), clock);
		const result = await runBulk(
			endpoint,
			prospectSlots(ids),
			settings({ batchSize: 50, concurrency: 4 }),
			{
				send: api.send,
				clock,
				isCancelled: () => false,
				...paced(endpoint.provider.limits),
				pacer: new WindowPacer(DOCUMENTED),
			},
		);
		expect(result.outcomes.every((outcome) => outcome.kind === 'found')).toBe(true);
		expect(key.refused).toBe(0);
	});
});

describe('K processes on one key below the documented rate, counted in requests, no headers (each its own limiter)', () => {
	it.each([
		[2, 2000, 20, 0],
		[4, 1000, 20, 0],
		[2, 3000, 20, 0],
		[4, 1500, 20, 0],
		[2, 5000, 20, 0],
		[4, 2500, 20, 0],
		[3, 5000, 50, 0],
	])(
		'%i processes × %i items at %i requests a minute (staggered %i ms): every item enriched, wall ≤ 1.2 × bound, 429s ≤ 25 % of accepted',
		async (processes, itemsEach, realLimit, staggerMs) => {
			const figures = await runProcesses({
				processes,
				itemsEach,
				rule: requestKey(realLimit),
				staggerMs,
			});
			expect(figures.enriched).toBe(figures.items);
			expect(figures.accepted).toBe(processes * Math.ceil(itemsEach / 50));
			expect(figures.wallMs).toBeLessThanOrEqual(1.2 * figures.wholeBoundMs + staggerMs);
			expect(figures.refused).toBeLessThanOrEqual(0.25 * figures.accepted);
		},
	);

	it('8 processes at 20 a minute (a share of 2 or 3 requests per window each): every item, wall ≤ 1.2 × bound, 429s ≤ 30 %', async () => {
		const figures = await runProcesses({ processes: 8, itemsEach: 1000, rule: requestKey(20) });
		expect(figures.enriched).toBe(figures.items);
		expect(figures.wallMs).toBeLessThanOrEqual(1.2 * figures.wholeBoundMs);
		expect(figures.refused).toBeLessThanOrEqual(0.3 * figures.accepted);
	});

	it('one process at the documented rate never meets a 429 and loses under 2 s to the slow start', async () => {
		const figures = await runProcesses({ processes: 1, itemsEach: 10_000, rule: requestKey(200) });
		expect(figures.enriched).toBe(10_000);
		expect(figures.refused).toBe(0);
		// 200 requests, 10 in flight, 300 ms each: 6 s without a slow start.
		expect(figures.wallMs).toBeLessThanOrEqual(8000);
	});

	it('stray 429s (one request in ten, as in the soak) do not slow one process down: 200 requests still go within the first minute', async () => {
		const figures = await runProcesses({
			processes: 1,
			itemsEach: 10_000,
			rule: requestKey(200),
			strayEvery: 10,
		});
		expect(figures.enriched).toBe(10_000);
		expect(figures.wallMs).toBeLessThanOrEqual(40_000);
	});

	it('two processes at the documented rate share it (the 429s are the two slow starts meeting)', async () => {
		const figures = await runProcesses({ processes: 2, itemsEach: 10_000, rule: requestKey(200) });
		expect(figures.enriched).toBe(20_000);
		expect(figures.wallMs).toBeLessThanOrEqual(1.2 * figures.wholeBoundMs);
		expect(figures.refused).toBeLessThanOrEqual(0.25 * figures.accepted);
	});
});

describe("Pronto's 5 requests in flight per key, across processes", () => {
	/**
	 * A Pronto key that refuses (429, Retry-After 1) a request arriving while 5 are being handled, as
	 * K processes that each keep 5 in flight would meet it. Submissions are not idempotent: a 429 is
	 * a refusal, so the contacts are sent again; nothing may be submitted twice or called unknown.
	 */
	it.each([
		[3, 500],
		[3, 2000],
		[2, 3000],
	])(
		'%i processes × %i contacts: every contact submitted exactly once, none "outcome unknown", 429s ≤ 25 % of the accepted',
		async (processes, perProcess) => {
			const clock = new FakeClock({ start: 0 });
			let handling = 0;
			let refused = 0;
			const submittedNames: string[] = [];
			const answer = async (body: {
				contacts: Array<{ lastname: string }>;
			}): Promise<ProviderResponse> => {
				if (handling >= 5) {
					refused++;
					return response(
						429,
						{ error: 429, message: 'Too Many Requests' },
						{ 'Retry-After': '1' },
					);
				}
				handling++;
				await clock.sleep(2000);
				handling--;
				submittedNames.push(...body.contacts.map((contact) => contact.lastname));
				return response(202, { enrichment_id: `job-${submittedNames.length}`, status: 'queued' });
			};
			const outcomes = await Promise.all(
				Array.from({ length: processes }, async (_, process) => {
					const endpoint = bulkEnrichEndpoint({
						enrichmentType: 'email',
						webhookUrl: 'https://n8n.example.com/webhook/x/callback',
						executionId: `e${process}`,
						runId: `r${process}`,
					});
					const api = new FakeApi(
						async (request) =>
							await answer(request.body as { contacts: Array<{ lastname: string }> }),
						clock,
					);
					const contacts = Array.from({ length: perProcess }, (__, n) => ({
						firstname: 'Ada',
						lastname: `Person${process}-${n}`,
						domain: 'example.com',
					}));
					const result = await runBulk(
						endpoint,
						validSlots(contacts),
						settings({ batchSize: 100, concurrency: 5 }),
						{
							send: api.send,
							clock,
							isCancelled: () => false,
							...paced(PRONTO.limits),
						},
					);
					return result.outcomes;
				}),
			);
			const all = outcomes.flat();
			expect(all.filter((outcome) => outcome.kind !== 'submitted')).toEqual([]);
			expect(submittedNames).toHaveLength(processes * perProcess);
			expect(new Set(submittedNames).size).toBe(processes * perProcess);
			expect(refused).toBeLessThanOrEqual(0.25 * ((processes * perProcess) / 100));
		},
	);
});

describe('a key whose real window is shorter than the documented minute (issue 26, point 7)', () => {
	it('30 requests per 3 s, 120 requests at concurrency 20: near the 12 s that allows (a pace learned per minute took 183 s)', async () => {
		const figures = await runProcesses({
			processes: 1,
			itemsEach: 50 * 120,
			rule: requestKey(30),
			keyWindowMs: 3000,
			concurrency: 20,
		});
		expect(figures.enriched).toBe(6000);
		expect(figures.wholeBoundMs).toBe(12_000);
		expect(figures.wallMs).toBeLessThanOrEqual(1.5 * figures.wholeBoundMs);
	});
});
