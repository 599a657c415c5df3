/**
 * K n8n processes on one API key, as queue-mode workers run them: each with its own limiter (they
 * share nothing), against one simulated key that the provider allows fewer requests than
 * documented. Every item must be enriched, in about the time the provider's real rate needs, with
 * few 429s.
 */
import { InFlightLimiter } from '../../../nodes/bulk/in-flight-limiter';
import { KeyRateLimiter, RateWaitMeter } from '../../../nodes/bulk/rate-limiter';
import { runBulk } from '../../../nodes/bulk/run-bulk';
import type { ProviderResponse } from '../../../nodes/bulk/types';
import { prospectsBulkEnrichEndpoint } from '../../../nodes/Explorium/adapter/enrich-endpoints';
import { bulkEnrichEndpoint } from '../../../nodes/Pronto/adapter/endpoints';
import { PRONTO } from '../../../nodes/Pronto/adapter/provider';
import { FakeApi, FakeClock, exploriumEnrichAnswer, idsOf, prospectId, prospectSlots, response, settings, validSlots } from './helpers';

const endpoint = prospectsBulkEnrichEndpoint('contacts_information');
const DOCUMENTED = endpoint.provider.limits.rateLimit!;
const LATENCY_MS = 300;

/**
 * One API key at the provider: a sliding window of `limit` requests per `windowMs`, counted on
 * arrival; past it 429 with Retry-After (whole seconds until the oldest counted request leaves the
 * window), as Explorium answers and as the simulator plays it.
 */
class SimulatedKey {
	readonly arrivals: number[] = [];
	accepted = 0;
	refused = 0;
	private readonly counted: number[] = [];

	private strays = 0;

	constructor(
		private readonly clock: FakeClock,
		private readonly limit: number,
		private readonly windowMs: number,
		/** Every n-th request gets a stray 429 (Retry-After 1) whatever the window: a provider's hiccup. */
		private readonly strayEvery = 0,
	) {}

	answer = async (ids: string[]): Promise<ProviderResponse> => {
		await this.clock.sleep(LATENCY_MS / 2);
		const now = this.clock.now();
		this.arrivals.push(now);
		while (this.counted.length > 0 && this.counted[0] <= now - this.windowMs) this.counted.shift();
		let answer: ProviderResponse;
		if (this.strayEvery > 0 && ++this.strays % this.strayEvery === 0) {
			this.refused++;
			answer = response(429, { error: 'rate_limit_exceeded', message: 'API rate limit exceeded.' }, { 'Retry-After': '1' });
		} else if (this.counted.length >= this.limit) {
			this.refused++;
			const retryAfterSeconds = Math.max(1, Math.ceil((this.counted[0] + this.windowMs - now) / 1000));
			answer = response(429, { error: 'rate_limit_exceeded', message: 'API rate limit exceeded.' }, { 'Retry-After': String(retryAfterSeconds) });
		} else {
			this.counted.push(now);
			this.accepted++;
			answer = exploriumEnrichAnswer(ids);
		}
		await this.clock.sleep(LATENCY_MS / 2);
		return answer;
	};
}

interface Figures {
	processes: number;
	itemsEach: number;
	realLimit: number;
	enriched: number;
	items: number;
	accepted: number;
	refused: number;
	wallMs: number;
	boundMs: number;
	waitedMs: number[];
}

/** K processes (own limiter, own run), each enriching `itemsEach` distinct ids at default settings, started together. */
async function runProcesses(processes: number, itemsEach: number, realLimit: number, strayEvery = 0): Promise<Figures> {
	const { windowMs } = DOCUMENTED;
	const clock = new FakeClock({ start: 0 });
	const key = new SimulatedKey(clock, realLimit, windowMs, strayEvery);
	const start = clock.now();
	const ends: number[] = [];
	const waited: number[] = [];
	const runs = Array.from({ length: processes }, async (_, process) => {
		const ids = Array.from({ length: itemsEach }, (__, n) => prospectId(process * itemsEach + n));
		const api = new FakeApi(async (request) => await key.answer(idsOf(request)), clock);
		const limiter = new KeyRateLimiter({ requests: DOCUMENTED.requests, windowMs });
		const rateWait = new RateWaitMeter(3_600_000);
		const result = await runBulk(endpoint, prospectSlots(ids), settings({ batchSize: 50, concurrency: 10 }), {
			send: api.send,
			clock,
			isCancelled: () => false,
			rateLimiter: limiter,
			rateWait,
		});
		ends.push(clock.now());
		waited.push(rateWait.waitedMs(clock.now()));
		return result.outcomes.filter((outcome, index) => outcome.kind === 'found' && outcome.data.prospect_id === ids[index]).length;
	});
	const enriched = (await Promise.all(runs)).reduce((sum, n) => sum + n, 0);
	const requests = processes * Math.ceil(itemsEach / 50);
	return {
		processes,
		itemsEach,
		realLimit,
		enriched,
		items: processes * itemsEach,
		accepted: key.accepted,
		refused: key.refused,
		wallMs: Math.max(...ends) - start,
		// The provider's bound: requests ÷ its real rate.
		boundMs: (requests / realLimit) * windowMs,
		waitedMs: waited,
	};
}

describe('K processes on one key below the documented rate (each its own limiter)', () => {
	it.each([
		[2, 2000, 20],
		[4, 1000, 20],
		[2, 3000, 20],
		[4, 1500, 20],
		[2, 5000, 20],
		[4, 2500, 20],
		[3, 5000, 50],
	])('%i processes × %i items at %i requests a minute: every item enriched, wall ≤ 1.2 × bound, 429s ≤ 25 % of accepted', async (processes, itemsEach, realLimit) => {
		const figures = await runProcesses(processes, itemsEach, realLimit);
		expect(figures.enriched).toBe(figures.items);
		expect(figures.accepted).toBe(processes * Math.ceil(itemsEach / 50));
		expect(figures.wallMs).toBeLessThanOrEqual(1.2 * figures.boundMs);
		expect(figures.refused).toBeLessThanOrEqual(0.25 * figures.accepted);
	});

	it('8 processes at 20 a minute (a share of 2 or 3 requests per window each): every item, wall ≤ 1.2 × bound, 429s ≤ 30 %', async () => {
		const figures = await runProcesses(8, 1000, 20);
		expect(figures.enriched).toBe(figures.items);
		expect(figures.wallMs).toBeLessThanOrEqual(1.2 * figures.boundMs);
		expect(figures.refused).toBeLessThanOrEqual(0.3 * figures.accepted);
	});

	it('one process at the documented rate never meets a 429 and loses under 2 s to the slow start', async () => {
		const figures = await runProcesses(1, 10_000, DOCUMENTED.requests);
		expect(figures.enriched).toBe(10_000);
		expect(figures.refused).toBe(0);
		// 200 requests, 10 in flight, 300 ms each: 6 s without a slow start.
		expect(figures.wallMs).toBeLessThanOrEqual(8000);
	});

	it('stray 429s (one request in ten, as in the soak) do not slow one process down: 200 requests still go within the first minute', async () => {
		const figures = await runProcesses(1, 10_000, DOCUMENTED.requests, 10);
		expect(figures.enriched).toBe(10_000);
		expect(figures.wallMs).toBeLessThanOrEqual(40_000);
	});

	it('two processes at the documented rate share it (the 429s are the two slow starts meeting)', async () => {
		const figures = await runProcesses(2, 10_000, DOCUMENTED.requests);
		expect(figures.enriched).toBe(20_000);
		expect(figures.wallMs).toBeLessThanOrEqual(1.2 * figures.boundMs);
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
	])('%i processes × %i contacts: every contact submitted exactly once, none "outcome unknown", 429s ≤ 25 % of the accepted', async (processes, perProcess) => {
		const clock = new FakeClock({ start: 0 });
		let handling = 0;
		let refused = 0;
		const submittedNames: string[] = [];
		const answer = async (body: { contacts: Array<{ lastname: string }> }): Promise<ProviderResponse> => {
			if (handling >= 5) {
				refused++;
				return response(429, { error: 429, message: 'Too Many Requests' }, { 'Retry-After': '1' });
			}
			handling++;
			await clock.sleep(2000);
			handling--;
			submittedNames.push(...body.contacts.map((contact) => contact.lastname));
			return response(202, { enrichment_id: `job-${submittedNames.length}`, status: 'queued' });
		};
		const outcomes = await Promise.all(
			Array.from({ length: processes }, async (_, process) => {
				const endpoint = bulkEnrichEndpoint({ enrichmentType: 'email', webhookUrl: 'https://n8n.example.com/webhook/x/callback', executionId: `e${process}`, runId: `r${process}` });
				const api = new FakeApi(async (request) => await answer(request.body as { contacts: Array<{ lastname: string }> }), clock);
				const contacts = Array.from({ length: perProcess }, (__, n) => ({ firstname: 'Ada', lastname: `Person${process}-${n}`, domain: 'example.com' }));
				const result = await runBulk(endpoint, validSlots(contacts), settings({ batchSize: 100, concurrency: 5 }), {
					send: api.send,
					clock,
					isCancelled: () => false,
					rateLimiter: new KeyRateLimiter(PRONTO.limits.rateLimit),
					inFlight: new InFlightLimiter(PRONTO.limits.maxConcurrency),
					rateWait: new RateWaitMeter(3_600_000),
				});
				return result.outcomes;
			}),
		);
		const all = outcomes.flat();
		expect(all.filter((outcome) => outcome.kind !== 'submitted')).toEqual([]);
		expect(submittedNames).toHaveLength(processes * perProcess);
		expect(new Set(submittedNames).size).toBe(processes * perProcess);
		expect(refused).toBeLessThanOrEqual(0.25 * ((processes * perProcess) / 100));
	});
});
