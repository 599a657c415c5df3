import type { IHttpRequestOptions } from 'n8n-workflow';

import { failureFromException, failureFromResponse, type RequestFailure } from './classify-failure';
import { PlaceNotTaken, type InFlightLimiter } from './in-flight-limiter';
import type {
	AcquireRefusal,
	Clock,
	KeyPacer,
	RateSlot,
	RateWaitMeter,
	WindowReport,
} from './key-pacer';
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
			/** The run's budget for rate-limit waits ran out before this request could be sent (again): not accepted. */
			rateWaitSpent?: boolean;
			/** The caller's deadline (SendOptions.deadline) came before this request could be sent (again): not accepted. */
			deadlinePassed?: boolean;
	  };

export interface SendDependencies {
	send: SendRequest;
	clock: Clock;
	isCancelled: () => boolean;
	/** The key's pace (shared by every run on the key in this process). */
	pacer: KeyPacer;
	/** The key's bound on requests in flight (shared likewise). */
	inFlight: InFlightLimiter;
	/** This run's time spent waiting for the rate limit, and its budget. */
	rateWait: RateWaitMeter;
}

/**
 * Sends one request. A 429 is a refusal (the provider certainly did not accept it): the key pauses
 * as the provider says and the request waits its turn again, within the run's budget for rate-limit
 * waits (Max Rate-Limit Wait), never counted against the retries. Transient failures are retried
 * with backoff (Retry-After wins when given) until the policy's attempts or total wait run out.
 * Never retries what cannot succeed, and never repeats a non-idempotent request that the provider
 * may already have accepted.
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
	/** Records the request carries: its weight where the provider's window counts records (default 1). */
	records?: number;
	/** The failure a 2xx answer names inside it (request-outcomes.ts), judged like any other failure. */
	failureIn?: (response: ProviderResponse) => RequestFailure | undefined;
	/** No wait (for the rate limit, a place in flight, a retry) goes past this time (epoch ms): Enrich and Wait's Max Wait. */
	deadline?: number;
	/** Told of each attempt the provider answered or that failed (undefined: a 2xx), once the key's pacer has heard it. */
	onAttempt?: (failure: RequestFailure | undefined) => void;
}

/** What one attempt came to: a 2xx answer, a failure to judge, or the end of the request. */
type AttemptResult =
	| { response: ProviderResponse }
	| { failure: RequestFailure }
	| { stop: SendOutcome };

/**
 * One request's attempts, with the state the retry loop carries from one to the next. Each attempt:
 * wait for the rate limit and a place in flight, send, classify the failure, then wait again after a
 * 429, or retry after a backoff, or stop.
 */
class RetryingSend {
	/** Attempts sent so far, 429s included. */
	private sends = 0;
	/** Retries after failures (429s are not failures). */
	private retries = 0;
	/** Time spent backing off between retries, against the policy's total. */
	private waitedMs = 0;
	/** The last 429, named when the run's rate-limit wait budget runs out. */
	private lastRefusal: RequestFailure | undefined;
	// Whether an attempt went out and ended without proof that the provider did nothing (a timeout
	// retried on an idempotent look-up): a later cancellation then leaves the outcome unknown.
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
		// The key's turn to send, unless the execution is cancelled or the run's wait budget is spent.
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
			// Certainly not accepted: safe and free to send again once the key may. The pacer pauses every
			// request on the key; this one waits its turn at the next acquire.
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
		if (this.options.deadline !== undefined && now >= this.options.deadline)
			return 'deadlinePassed';
		if (this.deps.rateWait.spent(now)) return 'waitBudgetSpent';
		return undefined;
	};

	/** How much longer this request may wait: what is left of the run's rate-limit budget, and before the deadline. */
	private readonly leftMs = (now: number): number => {
		const { rateWait } = this.deps;
		const budgetLeft = rateWait.budgetMs - rateWait.waitedMs(now);
		return Math.min(budgetLeft, (this.options.deadline ?? Number.POSITIVE_INFINITY) - now);
	};

	/** The end of this request, unsent, for why it stopped waiting. */
	private stopWaiting(refusal: AcquireRefusal): SendOutcome {
		if (refusal === 'cancelled') return this.stopForCancellation();
		const now = this.deps.clock.now();
		// The pause (a 429's Retry-After) that outlasts what is left to wait.
		const pauseMs = this.deps.pacer.pausedUntilTime() - now;
		const { deadline = Number.POSITIVE_INFINITY } = this.options;
		if (
			refusal === 'deadlinePassed' ||
			(refusal === 'pausedTooLong' && now + pauseMs >= deadline)
		) {
			const failure = notAccepted('not sent before the deadline');
			return { ok: false, deadlinePassed: true, attempts: this.sends, failure };
		}
		return this.rateWaitSpent(now, refusal === 'pausedTooLong' ? pauseMs : undefined);
	}

	/**
	 * The run waited as long for the rate limit as it may, or the key is paused (`pauseMs`, a 429's
	 * Retry-After) for longer than it may still wait: this request goes unsent (it is not accepted).
	 * Says how long the run really waited.
	 */
	private rateWaitSpent(now: number, pauseMs?: number): SendOutcome {
		const { sends, lastRefusal } = this;
		const meter = this.deps.rateWait;
		const budget = describeDuration(meter.budgetMs);
		const waited = `the run waited ${describeDuration(meter.waitedMs(now))} for the rate limit`;
		const tried =
			sends > 0 ? ` (this request was refused ${sends === 1 ? 'once' : `${sends} times`})` : '';
		const providerMessage =
			pauseMs === undefined
				? `${waited}${tried}, as long as Options › Max Rate-Limit Wait (${budget}) allows`
				: `the provider asks to wait ${describeDuration(pauseMs)} more (Retry-After), longer than what is left of Options › Max Rate-Limit Wait (${budget}); ${waited}${tried}`;
		const failure = notAccepted(providerMessage, 'rateLimited', {
			statusCode: lastRefusal?.statusCode,
			response: lastRefusal?.response,
		});
		return { ok: false, rateWaitSpent: true, attempts: sends, failure };
	}

	/** Sends once, within the in-flight bound: a 2xx answer, or the failure, or the end after a cancellation. */
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

	/** What the answer's X-RateLimit headers say is left in the key's window, if it has them. */
	private windowReport(response: ProviderResponse | undefined): WindowReport | undefined {
		const now = this.deps.clock.now();
		return response && readWindowReport((name) => readHeader(response.headers, name), now);
	}

	/**
	 * Why a failed request must not be sent again: it cannot succeed, or it may already have been
	 * accepted by an endpoint that is not idempotent (sending it again could pay twice), or the
	 * retries ran out. Undefined when a retry is allowed.
	 */
	private reasonToStop(failure: RequestFailure): SendOutcome | undefined {
		const attempts = this.sends;
		if (!failure.retryable) return { ok: false, failure, attempts };
		if (!this.options.idempotent && !failure.certainlyNotAccepted)
			return {
				ok: false,
				failure: { ...failure, kind: 'outcomeUnknown', retryable: false },
				attempts,
			};
		if (this.retries < this.options.policy.maxRetries) return undefined;
		const gaveUp = withNote(failure, `gave up after ${attempts} attempts`);
		return { ok: false, failure: gaveUp, attempts };
	}

	/** Waits before the retry (Retry-After, else exponential backoff); the end of the request when that would pass the retry budget. */
	private async backOff(failure: RequestFailure): Promise<SendOutcome | undefined> {
		const { policy } = this.options;
		const delayMs =
			this.retryAfterMs(failure) ?? backoffDelayMs(policy, this.retries, this.deps.clock.random);
		if (this.deps.clock.now() + delayMs > (this.options.deadline ?? Number.POSITIVE_INFINITY))
			return this.stopWaiting('deadlinePassed');
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

	/**
	 * n8n marks an execution "canceled" (its spelling) only when the error it ends with says so.
	 * Cancelling aborts requests in flight, but one that went out (`sentNow`, or an earlier attempt
	 * that ended without proof the provider did nothing) may have been accepted (Pronto answers 202
	 * and charges): its outcome is unknown, never "not sent".
	 */
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

/** A request the provider certainly did not accept (never sent, or refused), not to be sent again now. */
function notAccepted(
	providerMessage: string,
	kind: RequestFailure['kind'] = 'other',
	more?: Partial<RequestFailure>,
): RequestFailure {
	return { kind, retryable: false, certainlyNotAccepted: true, providerMessage, ...more };
}

function withNote(failure: RequestFailure, note: string): RequestFailure {
	return { ...failure, providerMessage: `${failure.providerMessage} (${note})` };
}

/** How often and how long a single request may be retried, and how long a run may wait for the rate limit. */
export interface RetryPolicy {
	/** Retries after failures (5xx, resets, timeouts); a 429 is no failure and not counted. */
	maxRetries: number;
	/** First backoff; doubled on each further attempt. */
	baseDelayMs: number;
	/** Largest single backoff (a longer Retry-After is still honoured within the total). */
	maxDelayMs: number;
	/** Total time one request may spend waiting between attempts after failures. */
	maxTotalWaitMs: number;
	/**
	 * Total time one node run may spend waiting for the provider's rate limit (its window, a pace
	 * learned from 429s, their Retry-After). Waiting is safe and free: a 429 was not accepted.
	 */
	maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxTotalWaitMs: 120_000,
	maxRateLimitWaitMs: 3_600_000,
};

/**
 * The longest pause a Retry-After may impose. The documented windows are a minute; a provider asking
 * for longer speaks of a quota (an hour, a day) or misbehaves (a 400-digit number, a date years
 * ahead). Trusting it would stall every run on the key for that long (or until n8n restarts), while
 * asking again every ten minutes costs one refused, free request each time.
 */
export const LONGEST_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Reads a Retry-After header: delay-seconds or an HTTP date. Returns milliseconds, at most
 * LONGEST_RETRY_AFTER_MS, or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: unknown, nowMs: number): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	const within = (ms: number) => Math.min(LONGEST_RETRY_AFTER_MS, ms);
	if (typeof value === 'number') return value >= 0 ? within(value * 1000) : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return within(Math.ceil(Number(trimmed) * 1000));
	if (/^[-+]?\d/.test(trimmed)) return undefined; // a signed or malformed number is no HTTP date either
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return within(Math.max(0, date - nowMs));
}

/** Exponential backoff with full jitter: a random wait in [base/2, base * 2^attempt], capped. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	const floor = Math.min(ceiling, policy.baseDelayMs / 2);
	return Math.round(floor + random() * (ceiling - floor));
}
