/** Fakes for the bulk engine's unit tests: a virtual clock, a scripted `send`, ids and endpoints. */
import { createHash } from 'crypto';
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import { InFlightLimiter, pacerFor } from '../../../nodes/bulk/in-flight-limiter';
import {
	KeyPacer,
	RateWaitMeter,
	type AcquireRefusal,
	type Clock,
	type RateSlot,
} from '../../../nodes/bulk/key-pacer';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/bulk/send-with-retry';
import type { BulkRunSettings } from '../../../nodes/bulk/run-bulk';
import type { SendRequest } from '../../../nodes/bulk/send-with-retry';
import type {
	BulkEndpoint,
	InputSlot,
	ItemOutcome,
	ProviderLimits,
	ProviderResponse,
} from '../../../nodes/bulk/types';
import type { ProspectIdInput } from '../../../nodes/Explorium/adapter/schemas';

/** A whole-second instant, so HTTP dates (second precision) round-trip exactly. */
export const START_TIME = Date.UTC(2025, 0, 6, 12, 0, 0);

/**
 * Virtual time. `sleep` records the wait and registers a timer; once every pending promise callback
 * has run, time jumps to the earliest timer and wakes it, so concurrent sleepers wake in order.
 */
export class FakeClock implements Clock {
	time: number;
	readonly waits: number[] = [];
	private readonly randoms: number[];
	private readonly timers: Array<{ due: number; wake: () => void; stopEarly?: () => boolean }> = [];
	private pumping = false;

	constructor(options: { start?: number; randoms?: number[] } = {}) {
		this.time = options.start ?? START_TIME;
		this.randoms = options.randoms ?? [0.5];
	}

	now = (): number => this.time;

	/** Cycles through the scripted values. */
	random = (): number => {
		const value = this.randoms.shift() ?? 0.5;
		this.randoms.push(value);
		return value;
	};

	sleep = async (ms: number, stopEarly?: () => boolean): Promise<void> => {
		// A sleep raced against an event (it may stop early) is a bound, not a wait the code chose.
		if (!stopEarly) this.waits.push(ms);
		const woken = new Promise<void>((wake) =>
			this.timers.push({ due: this.time + ms, wake, stopEarly }),
		);
		void this.pump();
		await woken;
	};

	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			for (;;) {
				await flushMicrotasks();
				// A sleep told to stop early ends now, without moving time (as the real clock's, within a slice).
				const stopped = this.timers.findIndex((timer) => timer.stopEarly?.() === true);
				if (stopped >= 0) {
					this.timers.splice(stopped, 1)[0].wake();
					continue;
				}
				if (this.timers.length === 0) return;
				this.timers.sort((a, b) => a.due - b.due);
				const timer = this.timers.shift()!;
				this.time = Math.max(this.time, timer.due);
				timer.wake();
			}
		} finally {
			this.pumping = false;
		}
	}
}

export interface RecordedRequest {
	request: IHttpRequestOptions;
	/** Virtual time when `send` was called. */
	at: number;
}

export type Responder = (
	request: IHttpRequestOptions,
	index: number,
) => ProviderResponse | Promise<ProviderResponse>;

/** A fake `send`: records every request (and how many are in flight), answers from the responder. */
export class FakeApi {
	readonly requests: RecordedRequest[] = [];
	inFlight = 0;
	maxInFlight = 0;

	constructor(
		private readonly responder: Responder,
		private readonly clock?: Clock,
	) {}

	send: SendRequest = async (request) => {
		const index = this.requests.length;
		this.requests.push({ request, at: this.clock?.now() ?? 0 });
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			return await this.responder(request, index);
		} finally {
			this.inFlight--;
		}
	};

	/** The ids each request carried, in order (Explorium prospect / business ids, or the test endpoint's ids). */
	idsPerRequest(): string[][] {
		return this.requests.map(({ request }) => idsOf(request));
	}
}

export function idsOf(request: IHttpRequestOptions): string[] {
	const body = (request.body ?? {}) as {
		prospect_ids?: string[];
		business_ids?: string[];
		ids?: string[];
	};
	return body.prospect_ids ?? body.business_ids ?? body.ids ?? [];
}

/** The n-th deterministic 40-hex prospect id (a generated value, not a literal). */
export function prospectId(n: number): string {
	return createHash('sha1').update(`p${n}`).digest('hex');
}

/** The n-th deterministic 32-hex business id. */
export function businessId(n: number): string {
	return createHash('md5').update(`b${n}`).digest('hex');
}

/** A generated stand-in for an API key (never a literal in source). */
/** A key-like value; `seed` gives another key, whose rate window no other test shares. */
export function fakeApiKey(seed = ''): string {
	return createHash('sha256').update(`unit-test-key${seed}`).digest('hex');
}

export function validSlots<T>(values: T[]): Array<InputSlot<T>> {
	return values.map((value) => ({ kind: 'valid', value }));
}

export function prospectSlots(ids: string[]): Array<InputSlot<ProspectIdInput>> {
	return validSlots(ids.map((prospect_id) => ({ prospect_id })));
}

export function settings(overrides: Partial<BulkRunSettings> = {}): BulkRunSettings {
	return {
		batchSize: 50,
		concurrency: 1,
		deduplicate: true,
		retry: { ...DEFAULT_RETRY_POLICY },
		stopOnFirstFailure: false,
		maxRecordsPerRun: 0,
		...overrides,
	};
}

/**
 * What a run or a request needs of its key, fresh for one test (as limitsForKey builds them per
 * key): the pacer, the bound on requests in flight, and the run's rate-wait meter.
 */
export function paced(
	limits: ProviderLimits = testEndpoint().provider.limits,
	rateWaitBudgetMs = DEFAULT_RETRY_POLICY.maxRateLimitWaitMs,
) {
	const inFlight = new InFlightLimiter(limits.maxConcurrency);
	return { pacer: pacerFor(limits), inFlight, rateWait: new RateWaitMeter(rateWaitBudgetMs) };
}

/** A pacer that lets every request go at once (but for a 429's pause): for tests of what the engine does besides pacing. */
export class NoPace extends KeyPacer {
	constructor() {
		super(Number.POSITIVE_INFINITY, 60_000);
	}
	weightOf = () => 1;
	held = () => this.inFlight;
	protected delayBeforeNext = () => 0;
	protected slowStartGrowth = () => 0;
	protected acceptedShare = () => 0;
}

/** Never stops waiting (for a pacer's acquire). */
export const never = (): AcquireRefusal | undefined => undefined;

export function slotOf(acquired: RateSlot | AcquireRefusal): RateSlot {
	if (typeof acquired === 'string') throw new Error(`no slot: ${acquired}`);
	return acquired;
}

export function response(
	statusCode: number,
	body: unknown,
	headers: Record<string, unknown> = {},
): ProviderResponse {
	return { statusCode, headers, body };
}

/** What Explorium's contacts enrichment returns for a prospect id (derived, so a misplaced row shows). */
export function contactsDataFor(id: string): IDataObject {
	return {
		emails: [{ address: `${id.slice(0, 8)}@example.com`, type: 'professional' }],
		mobile_phone: `+1415${id.slice(0, 7)}`,
	};
}

/**
 * Answers a bulk_enrich request like Explorium: 200 with rows `{prospect_id, data}` in input order,
 * leaving out the ids that `isMiss` names (a miss leaves no row).
 */
export function exploriumEnrichAnswer(
	ids: string[],
	options: {
		isMiss?: (id: string) => boolean;
		reorder?: (rows: IDataObject[]) => IDataObject[];
	} = {},
): ProviderResponse {
	let rows: IDataObject[] = ids
		.filter((id) => !options.isMiss?.(id))
		.map((id) => ({ prospect_id: id, data: contactsDataFor(id) }));
	if (options.reorder) rows = options.reorder(rows);
	return response(200, {
		response_context: {
			correlation_id: 'c0ffee',
			request_status: 'success',
			time_took_in_seconds: 0.1,
		},
		data: rows,
		total_results: rows.length,
	});
}

export function exploriumResponder(options: { isMiss?: (id: string) => boolean } = {}): Responder {
	return (request) => exploriumEnrichAnswer(idsOf(request), options);
}

/** The outcome Explorium's contacts enrichment must yield for an id. */
export function expectedOutcome(id: string, miss: boolean): ItemOutcome {
	return miss
		? {
				kind: 'notFound',
				reason: 'Explorium returned no data for this prospect',
				data: { prospect_id: id },
			}
		: { kind: 'found', data: { prospect_id: id, ...contactsDataFor(id) } };
}

export interface TestInput {
	id: string;
}

/**
 * A small provider for engine tests: POST /bulk `{ids}` answers `{results: [...]}` aligned with
 * the ids; `null` is a miss.
 */
export function testEndpoint(limits: Partial<ProviderLimits> = {}): BulkEndpoint<TestInput> {
	return {
		provider: {
			name: 'TestProvider',
			credentialType: 'testApi',
			secretFields: ['apiKey'],
			limits: {
				maxBatchSize: 10,
				defaultConcurrency: 2,
				maxConcurrency: 10,
				requestTimeoutMs: 60_000,
				...limits,
			},
		},
		idempotent: true,
		identityOf: (input) => input.id,
		buildRequest: (chunk) => ({
			method: 'POST',
			url: '/bulk',
			body: { ids: chunk.map((input) => input.id) },
		}),
		readAnswers: (answer) => {
			const results = (answer.body as { results: Array<IDataObject | null> }).results;
			return results.map((result) =>
				result ? { kind: 'found', data: result } : { kind: 'notFound', reason: 'no such thing' },
			);
		},
	};
}

export function testAnswer(ids: string[]): ProviderResponse {
	return response(200, { results: ids.map((id) => ({ id, value: `value of ${id}` })) });
}

export const testResponder: Responder = (request) => testAnswer(idsOf(request));

export const NODE: INode = {
	id: 'node-under-test',
	name: 'Explorium',
	type: 'n8n-nodes-bulk-enrichment.explorium',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Positions whose outcome differs from the expected one (cheap enough for 10 000 items). */
export function mismatchedPositions(actual: unknown[], expected: unknown[]): number[] {
	const mismatched: number[] = [];
	for (let index = 0; index < Math.max(actual.length, expected.length); index++) {
		if (JSON.stringify(actual[index]) !== JSON.stringify(expected[index])) mismatched.push(index);
	}
	return mismatched;
}

/** Lets pending promise callbacks run (no timers). */
export async function flushMicrotasks(rounds = 50): Promise<void> {
	for (let i = 0; i < rounds; i++) await Promise.resolve();
}
