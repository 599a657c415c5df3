import type { IHttpRequestOptions } from 'n8n-workflow';

import { failureFromException, failureFromResponse, type RequestFailure } from './classify-failure';
import { PlaceNotTaken, type InFlightLimiter } from './in-flight-limiter';
import type { AcquireRefusal, Clock, KeyPacer, RateSlot, RateWaitMeter } from './key-pacer';
import type { ProviderResponse } from './types';
import { describeDuration, readHeader } from './values';
import { readWindowReport } from './window-pacer';

/** Sends one request; resolves with the answer whatever its status, rejects only when none came. */
export type SendRequest = (request: IHttpRequestOptions) => Promise<ProviderResponse>;

export type SendOutcome =
	| { ok: true; response: ProviderResponse; attempts: number }
	| {
			ok: false;
			failure: RequestFailure;
			attempts: number;
			cancelled?: boolean;
			rateWaitSpent?: boolean; // not (re)sent: the run's budget for rate-limit waits ran out
			deadlinePassed?: boolean; // not (re)sent: SendOptions.deadline came first
	  };

export interface SendDependencies {
	send: SendRequest;
	clock: Clock;
	isCancelled: () => boolean;
	pacer: KeyPacer; // shared by every run on the key in this process, like inFlight
	inFlight: InFlightLimiter;
	rateWait: RateWaitMeter; // this run's
}

/**
 * A 429 is a refusal (certainly not accepted): the key pauses as told and the request waits its
 * turn again within Max Rate-Limit Wait, no retry counted. Transient failures are retried with
 * backoff (Retry-After wins). Never repeats a non-idempotent request that may have been accepted.
 */
export async function sendWithRetry(
	request: IHttpRequestOptions,
	options: SendOptions,
	deps: SendDependencies,
): Promise<SendOutcome> {
	const send = new RetryingSend(request, options, deps);
	for (;;) {
		const outcome = await send.attempt();
		if (outcome) return outcome;
	}
}

export interface SendOptions {
	idempotent: boolean;
	policy: RetryPolicy;
	records?: number; // its weight where the provider's window counts records (default 1)
	failureIn?: (response: ProviderResponse) => RequestFailure | undefined; // named inside a 2xx
	deadline?: number; // epoch ms no wait (rate limit, place in flight, retry) may pass: Max Wait
	onAttempt?: (failure: RequestFailure | undefined) => void; // after the key's pacer heard it
}

type AttemptResult =
	| { response: ProviderResponse }
	| { failure: RequestFailure }
	| { stop: SendOutcome };

class RetryingSend {
	private sends = 0; // 429s included
	private retries = 0; // after failures (a 429 is none)
	private waitedMs = 0; // backing off, against the policy's total
	private lastRefusal: RequestFailure | undefined; // named when the rate-limit wait budget runs out
	// An attempt may have been accepted: a later cancellation leaves the outcome unknown.
	private earlierAttemptMayHaveBeenAccepted = false;

	constructor(
		private readonly request: IHttpRequestOptions,
		private readonly options: SendOptions,
		private readonly deps: SendDependencies,
	) {}

	/** One attempt; undefined when another should follow. */
	async attempt(): Promise<SendOutcome | undefined> {
		const { deps } = this;
		if (deps.isCancelled()) return this.stopForCancellation();
		const slot = await deps.pacer.acquire(
			deps.clock,
			this.shouldStopWaiting,
			deps.rateWait.change,
			deps.pacer.weightOf(this.options.records ?? 1),
			this.leftMs,
		);
		if (typeof slot === 'string') return this.stopWaiting(slot);
		if (deps.isCancelled()) {
			slot.giveBack();
			return this.stopForCancellation();
		}
		const result = await this.sendOnce(slot);
		if ('stop' in result) return result.stop;
		if ('response' in result) {
			slot.settle(deps.clock.now(), this.windowReport(result.response));
			this.options.onAttempt?.(undefined);
			return { ok: true, response: result.response, attempts: this.sends + 1 };
		}
		this.sends++;
		const { failure } = result;
		// The key's pacer hears of the failure (a 429 pauses the key) before the caller does.
		const rateLimited = failure.kind === 'rateLimited';
		if (rateLimited) {
			// Certainly not accepted: sent again when the key may (its turn at the next acquire).
			this.lastRefusal = failure;
			deps.rateWait.refusals++;
			const now = deps.clock.now();
			slot.rateLimited(now, this.retryAfterMs(failure), this.windowReport(failure.response));
		} else {
			if (!failure.certainlyNotAccepted) this.earlierAttemptMayHaveBeenAccepted = true;
			// A connection never made was not counted by the provider: its slot goes back.
			if (failure.statusCode === undefined && failure.certainlyNotAccepted) slot.giveBack();
			else slot.settle(deps.clock.now(), this.windowReport(failure.response));
		}
		this.options.onAttempt?.(failure);
		if (rateLimited) return undefined;
		return this.reasonToStop(failure) ?? (await this.backOff(failure));
	}

	private readonly shouldStopWaiting = (): AcquireRefusal | undefined => {
		const now = this.deps.clock.now();
		if (this.deps.isCancelled()) return 'cancelled';
		if (now >= this.deadline) return 'deadlinePassed';
		if (this.deps.rateWait.spent(now)) return 'waitBudgetSpent';
		return undefined;
	};

	private readonly leftMs = (now: number): number => {
		const { rateWait } = this.deps;
		return Math.min(rateWait.budgetMs - rateWait.waitedMs(now), this.deadline - now);
	};

	private get deadline(): number {
		return this.options.deadline ?? Number.POSITIVE_INFINITY;
	}

	private stopWaiting(refusal: AcquireRefusal): SendOutcome {
		if (refusal === 'cancelled') return this.stopForCancellation();
		const now = this.deps.clock.now();
		const pauseMs = this.deps.pacer.pausedUntilTime() - now;
		if (
			refusal === 'deadlinePassed' ||
			(refusal === 'pausedTooLong' && now + pauseMs >= this.deadline)
		) {
			const failure = notAccepted('not sent before the deadline');
			return { ok: false, deadlinePassed: true, attempts: this.sends, failure };
		}
		// Unsent: the run's rate-limit wait is spent, or the key's pause outlasts what is left of it.
		const { sends, lastRefusal } = this;
		const meter = this.deps.rateWait;
		const budget = describeDuration(meter.budgetMs);
		const waited = `the run waited ${describeDuration(meter.waitedMs(now))} for the rate limit`;
		const tried =
			sends > 0 ? ` (this request was refused ${sends === 1 ? 'once' : `${sends} times`})` : '';
		const providerMessage =
			refusal !== 'pausedTooLong'
				? `${waited}${tried}, as long as Options › Max Rate-Limit Wait (${budget}) allows`
				: `the provider asks to wait ${describeDuration(pauseMs)} more (Retry-After), longer than what is left of Options › Max Rate-Limit Wait (${budget}); ${waited}${tried}`;
		const failure = {
			...notAccepted(providerMessage, 'rateLimited'),
			statusCode: lastRefusal?.statusCode,
			response: lastRefusal?.response,
		};
		return { ok: false, rateWaitSpent: true, attempts: sends, failure };
	}

	private async sendOnce(slot: RateSlot): Promise<AttemptResult> {
		const { deps } = this;
		let sent = false;
		const sendNow = async () => {
			// A request that waited for a place in flight is not sent once the execution is cancelled.
			if (deps.isCancelled()) throw new Error('the execution was canceled before sending');
			sent = true;
			return await deps.send(this.request);
		};
		try {
			const response = await deps.inFlight.run(sendNow, {
				clock: deps.clock,
				shouldStop: this.shouldStopWaiting,
				leftMs: this.leftMs,
				onWait: deps.rateWait.change,
			});
			if (response.statusCode < 200 || response.statusCode >= 300)
				return { failure: failureFromResponse(response) };
			const failure = this.options.failureIn?.(response);
			return failure ? { failure } : { response };
		} catch (error) {
			if (deps.isCancelled()) {
				if (sent) slot.settle(deps.clock.now());
				else slot.giveBack();
				return { stop: this.stopForCancellation(sent) };
			}
			if (error instanceof PlaceNotTaken) {
				slot.giveBack();
				return { stop: this.stopWaiting(error.refusal) };
			}
			return { failure: failureFromException(error) };
		}
	}

	private windowReport(response: ProviderResponse | undefined) {
		const now = this.deps.clock.now();
		return response && readWindowReport((name) => readHeader(response.headers, name), now);
	}

	// Ends a failed request that cannot succeed, may have been accepted (a non-idempotent endpoint
	// could charge twice) or used up its retries.
	private reasonToStop(failure: RequestFailure): SendOutcome | undefined {
		const attempts = this.sends;
		if (!failure.retryable) return { ok: false, failure, attempts };
		if (!this.options.idempotent && !failure.certainlyNotAccepted) {
			const unknown: RequestFailure = { ...failure, kind: 'outcomeUnknown', retryable: false };
			return { ok: false, failure: unknown, attempts };
		}
		if (this.retries < this.options.policy.maxRetries) return undefined;
		const gaveUp = withNote(failure, `gave up after ${attempts} attempts`);
		return { ok: false, failure: gaveUp, attempts };
	}

	/** Waits before the retry; the end of the request when that would pass the deadline or budget. */
	private async backOff(failure: RequestFailure): Promise<SendOutcome | undefined> {
		const { policy } = this.options;
		const delayMs =
			this.retryAfterMs(failure) ?? backoffDelayMs(policy, this.retries, this.deps.clock.random);
		if (this.deps.clock.now() + delayMs > this.deadline) return this.stopWaiting('deadlinePassed');
		if (this.waitedMs + delayMs > policy.maxTotalWaitMs) {
			const note = `gave up after ${this.sends} attempts: waiting ${Math.ceil(delayMs / 1000)} s more would pass the ${Math.round(policy.maxTotalWaitMs / 1000)} s retry budget`;
			return { ok: false, failure: withNote(failure, note), attempts: this.sends };
		}
		await this.deps.clock.sleep(delayMs);
		this.waitedMs += delayMs;
		this.retries++;
		return undefined;
	}

	private retryAfterMs(failure: RequestFailure): number | undefined {
		return failure.response
			? parseRetryAfter(readHeader(failure.response.headers, 'retry-after'), this.deps.clock.now())
			: undefined;
	}

	// n8n marks an execution "canceled" (its spelling) only when its error says so. A request that
	// went out (now or earlier) may have been accepted (Pronto answers 202 and charges): unknown.
	private stopForCancellation(sentNow = false): SendOutcome {
		if (!sentNow && !this.earlierAttemptMayHaveBeenAccepted) {
			const failure = notAccepted('the execution was canceled');
			return { ok: false, cancelled: true, attempts: this.sends, failure };
		}
		const failure: RequestFailure = {
			kind: 'outcomeUnknown',
			retryable: false,
			certainlyNotAccepted: false,
			canceled: true,
			providerMessage: sentNow
				? 'the execution was canceled while waiting for the answer'
				: 'the execution was canceled before an earlier attempt, which may have been accepted, could be retried',
		};
		return { ok: false, attempts: this.sends + (sentNow ? 1 : 0), failure };
	}
}

function notAccepted(message: string, kind: RequestFailure['kind'] = 'other'): RequestFailure {
	return { kind, retryable: false, certainlyNotAccepted: true, providerMessage: message };
}

function withNote(failure: RequestFailure, note: string): RequestFailure {
	return { ...failure, providerMessage: `${failure.providerMessage} (${note})` };
}

export interface RetryPolicy {
	maxRetries: number; // after failures (5xx, resets, timeouts); a 429 is none
	baseDelayMs: number; // doubled on each further attempt
	maxDelayMs: number; // one backoff's (a longer Retry-After is still honoured within the total)
	maxTotalWaitMs: number; // one request's backoffs
	maxRateLimitWaitMs: number; // one node run's waits for the rate limit (free: a 429 is a refusal)
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxTotalWaitMs: 120_000,
	maxRateLimitWaitMs: 3_600_000,
};

// Documented windows are a minute; a longer Retry-After speaks of a quota or misbehaves (a date
// years ahead) and would stall every run on the key: asking every 10 minutes costs a free refusal.
export const LONGEST_RETRY_AFTER_MS = 10 * 60_000;

/** Retry-After (delay-seconds or an HTTP date) in ms, at most LONGEST_RETRY_AFTER_MS. */
export function parseRetryAfter(header: unknown, nowMs: number): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	const within = (ms: number) => Math.min(LONGEST_RETRY_AFTER_MS, ms);
	if (typeof value === 'number') return value >= 0 ? within(value * 1000) : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return within(Math.ceil(Number(trimmed) * 1000));
	if (/^[-+]?\d/.test(trimmed)) return undefined; // a signed or malformed number is no HTTP date
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : within(Math.max(0, date - nowMs));
}

/** Exponential backoff with full jitter: a random wait in [base/2, base * 2^attempt], capped. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	const floor = Math.min(ceiling, policy.baseDelayMs / 2);
	return Math.round(floor + random() * (ceiling - floor));
}
