import type { IHttpRequestOptions } from 'n8n-workflow';

import { PlaceNotTaken, type InFlightLimiter, type PlaceWait } from './in-flight-limiter';
import type { AcquireRefusal, Clock, KeyPacer, RateSlot, RateWaitMeter } from './key-pacer';
import {
	failureFromException,
	failureFromResponse,
	requestFailure,
	type RequestFailure,
} from './request-outcomes';
import type { ProviderResponse } from './types';
import { describeDuration, readHeader } from './values';
import { readWindowReport } from './window-pacer';

/** Sends one request; resolves with the answer whatever its status, rejects only when none came. */
export type SendRequest = (request: IHttpRequestOptions) => Promise<ProviderResponse>;

/** Why a request was not (re)sent: cancelled, the run's rate-limit wait spent, or Max Wait passed. */
type NotSent = { cancelled?: true; rateWaitSpent?: true; deadlinePassed?: true };
/** How a request ended. */
export type SendOutcome =
	| { ok: true; response: ProviderResponse; attempts: number }
	| ({ ok: false; failure: RequestFailure; attempts: number } & NotSent);

export interface SendDependencies {
	send: SendRequest;
	clock: Clock;
	isCancelled: () => boolean;
	pacer: KeyPacer; // shared by every run on the key in this process, like inFlight
	inFlight: InFlightLimiter;
	rateWait: RateWaitMeter; // this run's
}

export interface SendOptions {
	idempotent: boolean;
	policy: RetryPolicy;
	records?: number; // its weight where the provider's window counts records (default 1)
	failureIn?: (response: ProviderResponse) => RequestFailure | undefined; // named inside a 2xx
	deadline?: number; // epoch ms no wait (rate limit, place in flight, retry) may pass: Max Wait
	onAttempt?: (failure: RequestFailure | undefined) => void; // after the key's pacer heard it
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

class RetryingSend {
	private sends = 0; // 429s included
	private retries = 0; // after failures (a 429 is none)
	private waitedMs = 0; // backing off, against the policy's total
	private lastRefusal: RequestFailure | undefined; // named when the rate-limit wait budget runs out
	// An attempt may have been accepted: a later cancellation leaves the outcome unknown.
	private mayHaveBeenAccepted = false;
	private readonly deadline: number;
	private readonly wait: PlaceWait; // for a turn of the key's pace, and for a place in flight

	constructor(
		private readonly request: IHttpRequestOptions,
		private readonly options: SendOptions,
		private readonly deps: SendDependencies,
	) {
		const { clock, rateWait } = deps;
		const deadline = (this.deadline = options.deadline ?? Number.POSITIVE_INFINITY);
		this.wait = {
			clock,
			onWait: rateWait.change,
			shouldStop: () => {
				const now = clock.now();
				if (deps.isCancelled()) return 'cancelled';
				if (now >= deadline) return 'deadlinePassed';
				return rateWait.spent(now) ? 'waitBudgetSpent' : undefined;
			},
			leftMs: (now) => Math.min(rateWait.budgetMs - rateWait.waitedMs(now), deadline - now),
		};
	}

	/** One attempt; undefined when another should follow. */
	async attempt(): Promise<SendOutcome | undefined> {
		const { deps } = this;
		const { clock, shouldStop, onWait, leftMs } = this.wait;
		if (deps.isCancelled()) return this.stopForCancellation();
		const weight = deps.pacer.weightOf(this.options.records ?? 1);
		const slot = await deps.pacer.acquire(clock, shouldStop, onWait, weight, leftMs);
		if (typeof slot === 'string') return this.stopWaiting(slot);
		const answer = await this.sendOnce(slot);
		const heard = 'ok' in answer ? answer : this.hear(slot, answer);
		if (!('kind' in heard)) return heard;
		// A 429 was certainly not accepted: sent again when the key may (its turn at the next acquire).
		if (heard.kind === 'rateLimited') return undefined;
		return this.reasonToStop(heard) ?? (await this.backOff(heard));
	}

	private readonly sendNow = async (): Promise<ProviderResponse> => {
		// Not sent once the execution is cancelled (while it waited for a place in flight, say).
		if (this.deps.isCancelled()) throw new Error('the execution was canceled before sending');
		this.sends++;
		return await this.deps.send(this.request);
	};

	/** The answer (a failure when it names one), or the end of the request when none may come. */
	private async sendOnce(slot: RateSlot): Promise<SendOutcome | ProviderResponse | RequestFailure> {
		const { deps } = this;
		const sendsBefore = this.sends;
		try {
			const response = await deps.inFlight.run(this.sendNow, this.wait);
			const ok = response.statusCode >= 200 && response.statusCode < 300;
			return (ok ? this.options.failureIn?.(response) : failureFromResponse(response)) ?? response;
		} catch (error) {
			const sent = this.sends > sendsBefore;
			if (deps.isCancelled()) {
				if (sent) slot.settle(deps.clock.now());
				else slot.giveBack();
				return this.stopForCancellation(sent);
			}
			if (error instanceof PlaceNotTaken) {
				slot.giveBack();
				return this.stopWaiting(error.refusal);
			}
			return failureFromException(error);
		}
	}

	// The key's pacer hears how an attempt went (a 429 pauses the key) before the caller does.
	private hear(slot: RateSlot, answer: ProviderResponse | RequestFailure) {
		const now = this.deps.clock.now();
		const failure = 'kind' in answer ? answer : undefined;
		const response = failure ? failure.response : (answer as ProviderResponse);
		const report = response && readWindowReport((name) => readHeader(response.headers, name), now);
		if (failure?.kind === 'rateLimited') {
			this.lastRefusal = failure;
			this.deps.rateWait.refusals++;
			slot.rateLimited(now, this.retryAfterMs(failure), report);
		} else if (failure?.certainlyNotAccepted && failure.statusCode === undefined) {
			slot.giveBack(); // a connection never made: the provider did not count it
		} else slot.settle(now, report);
		if (failure && !failure.certainlyNotAccepted) this.mayHaveBeenAccepted = true;
		this.options.onAttempt?.(failure);
		return (
			failure ?? { ok: true as const, response: answer as ProviderResponse, attempts: this.sends }
		);
	}

	// Ends a failed request that cannot succeed, may have been accepted (a non-idempotent endpoint
	// could charge twice) or used up its retries.
	private reasonToStop(failure: RequestFailure): SendOutcome | undefined {
		if (!failure.retryable) return this.ended(failure);
		if (!this.options.idempotent && !failure.certainlyNotAccepted)
			return this.ended({ ...failure, kind: 'outcomeUnknown', retryable: false });
		if (this.retries < this.options.policy.maxRetries) return undefined;
		return this.ended(withNote(failure, `gave up after ${this.sends} attempts`));
	}

	/** Waits before the retry; the end of the request when that would pass the deadline or budget. */
	private async backOff(failure: RequestFailure): Promise<SendOutcome | undefined> {
		const { sends, retries, options, deps } = this;
		const { policy } = options;
		const delayMs =
			this.retryAfterMs(failure) ?? backoffDelayMs(policy, retries, deps.clock.random);
		if (deps.clock.now() + delayMs > this.deadline) return this.stopWaiting('deadlinePassed');
		if (this.waitedMs + delayMs > policy.maxTotalWaitMs) {
			const note = `gave up after ${sends} attempts: waiting ${Math.ceil(delayMs / 1000)} s more would pass the ${Math.round(policy.maxTotalWaitMs / 1000)} s retry budget`;
			return this.ended(withNote(failure, note));
		}
		await deps.clock.sleep(delayMs);
		this.waitedMs += delayMs;
		this.retries++;
		return undefined;
	}

	private retryAfterMs(failure: RequestFailure): number | undefined {
		return failure.response
			? parseRetryAfter(readHeader(failure.response.headers, 'retry-after'), this.deps.clock.now())
			: undefined;
	}

	private stopWaiting(refusal: AcquireRefusal): SendOutcome {
		if (refusal === 'cancelled') return this.stopForCancellation();
		const { sends, lastRefusal, deadline } = this;
		const now = this.deps.clock.now();
		const pauseMs = this.deps.pacer.pausedUntilTime() - now;
		if (
			refusal === 'deadlinePassed' ||
			(refusal === 'pausedTooLong' && now + pauseMs >= deadline)
		) {
			const failure = requestFailure('other', 'not sent before the deadline', true);
			return this.ended(failure, { deadlinePassed: true });
		}
		// Unsent: the run's rate-limit wait is spent, or the key's pause outlasts what is left of it.
		const meter = this.deps.rateWait;
		const budget = describeDuration(meter.budgetMs);
		const waited = `the run waited ${describeDuration(meter.waitedMs(now))} for the rate limit`;
		const tried =
			sends > 0 ? ` (this request was refused ${sends === 1 ? 'once' : `${sends} times`})` : '';
		const providerMessage =
			refusal !== 'pausedTooLong'
				? `${waited}${tried}, as long as Options › Max Rate-Limit Wait (${budget}) allows`
				: `the provider asks to wait ${describeDuration(pauseMs)} more (Retry-After), longer than what is left of Options › Max Rate-Limit Wait (${budget}); ${waited}${tried}`;
		const { statusCode, response } = lastRefusal ?? {};
		const more = { retryable: false, statusCode, response };
		const failure = requestFailure('rateLimited', providerMessage, true, more);
		return this.ended(failure, { rateWaitSpent: true });
	}

	// n8n marks an execution "canceled" (its spelling) only when its error says so. A request that
	// went out (now or earlier) may have been accepted (Pronto answers 202 and charges): unknown.
	private stopForCancellation(sentNow = false): SendOutcome {
		if (!sentNow && !this.mayHaveBeenAccepted) {
			const failure = requestFailure('other', 'the execution was canceled', true);
			return this.ended(failure, { cancelled: true });
		}
		const providerMessage = sentNow
			? 'the execution was canceled while waiting for the answer'
			: 'the execution was canceled before an earlier attempt, which may have been accepted, could be retried';
		return this.ended(requestFailure('outcomeUnknown', providerMessage, false, { canceled: true }));
	}

	private ended(failure: RequestFailure, why?: NotSent): SendOutcome {
		return { ok: false, failure, attempts: this.sends, ...why };
	}
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
