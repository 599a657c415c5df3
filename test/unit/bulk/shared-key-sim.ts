/**
 * One simulated API key shared by K processes, as queue-mode workers use it: each process has its own
 * pacer and run (they share nothing), the key counts requests or records in a sliding window and
 * answers 429 past it. Used by shared-key.test.ts and bench/shared-key-sweep.bench.ts.
 */
import { runBulk } from '../../../nodes/bulk/run-bulk';
import { WindowPacer } from '../../../nodes/bulk/window-pacer';
import type { ProviderResponse } from '../../../nodes/bulk/types';
import { prospectsBulkEnrichEndpoint } from '../../../nodes/Explorium/adapter/endpoints';
import {
	FakeApi,
	FakeClock,
	exploriumEnrichAnswer,
	idsOf,
	prospectId,
	prospectSlots,
	response,
	settings,
	paced,
} from './helpers';

export const endpoint = prospectsBulkEnrichEndpoint('contacts_information');
export const DOCUMENTED = endpoint.provider.limits.rateLimit!;
const LATENCY_MS = 300;

/** How the simulated key counts: requests (as ExactBuyer, and Explorium's old rule) or records (Explorium now), with or without X-RateLimit headers. */
export interface KeyRule {
	limit: number;
	unit: 'request' | 'record';
	headers: boolean;
}

/**
 * One API key at the provider: a sliding window of `limit` requests or records per `windowMs`,
 * counted on arrival; past it 429 with Retry-After (whole seconds until enough leaves the window),
 * as Explorium answers and as the simulator plays it; with `headers`, X-RateLimit-Limit/-Remaining/
 * -Reset on every answer.
 */
export class SimulatedKey {
	readonly arrivals: number[] = [];
	accepted = 0;
	refused = 0;
	/** Most counted in any window at once, in the rule's unit. */
	peak = 0;
	private readonly counted: Array<{ at: number; weight: number }> = [];

	private strays = 0;

	constructor(
		private readonly clock: FakeClock,
		private readonly rule: KeyRule,
		private readonly windowMs: number,
		/** Every n-th request gets a stray 429 (Retry-After 1) whatever the window: a provider's hiccup. */
		private readonly strayEvery = 0,
		/** Each leg's latency varies by up to this much either way (a seeded sequence). */
		private readonly jitterMs = 0,
		private seed = 1,
		/** ms before the provider counts a request, and from then to the answer (the simulator: 300 then ~0). */
		private readonly legs = [LATENCY_MS / 2, LATENCY_MS / 2],
	) {}

	private leg(toProvider: boolean): number {
		const base = this.legs[toProvider ? 0 : 1];
		if (this.jitterMs === 0) return base;
		this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
		return Math.max(
			0,
			base + Math.round((this.seed / 2147483648) * 2 * this.jitterMs) - this.jitterMs,
		);
	}

	answer = async (ids: string[]): Promise<ProviderResponse> => {
		await this.clock.sleep(this.leg(true));
		const now = this.clock.now();
		this.arrivals.push(now);
		while (this.counted.length > 0 && this.counted[0].at <= now - this.windowMs)
			this.counted.shift();
		const weight = this.rule.unit === 'record' ? ids.length : 1;
		const used = () => this.counted.reduce((sum, entry) => sum + entry.weight, 0);
		let answer: ProviderResponse;
		if (this.strayEvery > 0 && ++this.strays % this.strayEvery === 0) {
			this.refused++;
			answer = response(
				429,
				{ error: 'rate_limit_exceeded', message: 'API rate limit exceeded.' },
				{ 'Retry-After': '1' },
			);
		} else if (used() + weight > this.rule.limit) {
			this.refused++;
			answer = response(
				429,
				{ error: 'rate_limit_exceeded', message: 'API rate limit exceeded.' },
				{ 'Retry-After': String(Math.max(1, Math.ceil((this.roomAt(weight) - now) / 1000))) },
			);
		} else {
			this.counted.push({ at: now, weight });
			this.accepted++;
			this.peak = Math.max(this.peak, used());
			answer = exploriumEnrichAnswer(ids);
		}
		if (this.rule.headers) {
			answer.headers['X-RateLimit-Limit'] = String(this.rule.limit);
			answer.headers['X-RateLimit-Remaining'] = String(Math.max(0, this.rule.limit - used()));
			answer.headers['X-RateLimit-Reset'] = String(
				Math.ceil(((this.counted[0]?.at ?? now) + this.windowMs) / 1000),
			);
		}
		await this.clock.sleep(this.leg(false));
		return answer;
	};

	/** When enough has left the window for `weight` more. */
	private roomAt(weight: number): number {
		let used = this.counted.reduce((sum, entry) => sum + entry.weight, 0);
		for (const entry of this.counted) {
			used -= entry.weight;
			if (used + weight <= this.rule.limit) return entry.at + this.windowMs;
		}
		return this.clock.now();
	}
}

export interface Figures {
	enriched: number;
	items: number;
	accepted: number;
	refused: number;
	peak: number;
	wallMs: number;
	/** What the key's rule needs at the least: everything past the first window's worth, at the limit per window. */
	boundMs: number;
	/** The older, looser bound: everything at the limit per window. */
	wholeBoundMs: number;
}

export interface Scenario {
	processes: number;
	itemsEach: number;
	rule: KeyRule;
	/** What each process's limiter counts: Explorium's documented window, or one in requests. */
	limiterUnit?: 'request' | 'record';
	strayEvery?: number;
	/** The second and later processes start this much later (queue-mode workers pick jobs up seconds apart). */
	staggerMs?: number;
	concurrency?: number;
	/** The key's real window, when shorter than the documented one (the limiters still know only that). */
	keyWindowMs?: number;
	jitterMs?: number;
	seed?: number;
	legs?: [number, number];
}

/** K processes (own limiter, own run), each enriching `itemsEach` distinct ids at default settings. */
export async function runProcesses({
	processes,
	itemsEach,
	rule,
	limiterUnit = rule.unit,
	strayEvery = 0,
	staggerMs = 0,
	concurrency = 10,
	keyWindowMs = DOCUMENTED.windowMs,
	jitterMs = 0,
	seed = 1,
	legs,
}: Scenario): Promise<Figures> {
	const { windowMs } = DOCUMENTED;
	// A real epoch: X-RateLimit-Reset is a Unix time (a small number would read as seconds from now).
	const clock = new FakeClock();
	const key = new SimulatedKey(clock, rule, keyWindowMs, strayEvery, jitterMs, seed, legs);
	const start = clock.now();
	const ends: number[] = [];
	const runs = Array.from({ length: processes }, async (_, process) => {
		if (process > 0 && staggerMs > 0) await clock.sleep(staggerMs);
		const ids = Array.from({ length: itemsEach }, (__, n) => prospectId(process * itemsEach + n));
		const api = new FakeApi(async (request) => await key.answer(idsOf(request)), clock);
		const result = await runBulk(
			endpoint,
			prospectSlots(ids),
			settings({ batchSize: 50, concurrency }),
			{
				send: api.send,
				clock,
				isCancelled: () => false,
				...paced(endpoint.provider.limits),
				pacer: new WindowPacer({ limit: DOCUMENTED.limit, windowMs, unit: limiterUnit }),
			},
		);
		ends.push(clock.now());
		return result.outcomes.filter(
			(outcome, index) => outcome.kind === 'found' && outcome.data.prospect_id === ids[index],
		).length;
	});
	const enriched = (await Promise.all(runs)).reduce((sum, n) => sum + n, 0);
	const units =
		rule.unit === 'record' ? processes * itemsEach : processes * Math.ceil(itemsEach / 50);
	return {
		enriched,
		items: processes * itemsEach,
		accepted: key.accepted,
		refused: key.refused,
		peak: key.peak,
		wallMs: Math.max(...ends) - start,
		boundMs: (Math.max(0, units - rule.limit) / rule.limit) * keyWindowMs,
		wholeBoundMs: (units / rule.limit) * keyWindowMs,
	};
}

export const requestKey = (limit: number): KeyRule => ({ limit, unit: 'request', headers: false });
export const EXPLORIUM_KEY: KeyRule = { limit: 200, unit: 'record', headers: true };
export const EXPLORIUM_CONCURRENCY = endpoint.provider.limits.defaultConcurrency;
