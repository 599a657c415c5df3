import type { IHttpRequestOptions } from 'n8n-workflow';

import { failureFromException, failureFromResponse, type RequestFailure } from './classify-failure';
import type { Clock } from './clock';
import type { InFlightLimiter } from './in-flight-limiter';
import type { AcquireRefusal, KeyRateLimiter, RateSlot, RateWaitMeter } from './rate-limiter';
import { backoffDelayMs, parseRetryAfter, type RetryPolicy } from './retry-policy';
import type { ProviderResponse } from './types';

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
	  };

export interface SendDependencies {
	send: SendRequest;
	clock: Clock;
	isCancelled: () => boolean;
	/** The key's pace (shared by every run on the key in this process). */
	rateLimiter?: KeyRateLimiter;
	inFlight?: InFlightLimiter;
	/** This run's time spent waiting for the rate limit, and its budget. */
	rateWait?: RateWaitMeter;
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
	options: { idempotent: boolean; policy: RetryPolicy },
	deps: SendDependencies,
): Promise<SendOutcome> {
	const { policy } = options;
	let waitedMs = 0;
	/** Retries after failures (429s are not failures). */
	let retries = 0;
	/** Attempts sent so far, 429s included. */
	let sends = 0;
	let lastRefusal: RequestFailure | undefined;
	// Whether an attempt went out and ended without proof that the provider did nothing (a timeout
	// retried on an idempotent look-up): a later cancellation then leaves the outcome unknown.
	let earlierAttemptMayHaveBeenAccepted = false;
	const stopForCancellation = (attempts: number): SendOutcome =>
		earlierAttemptMayHaveBeenAccepted
			? canceledAfterSending(attempts, 'the execution was canceled before an earlier attempt, which may have been accepted, could be retried')
			: cancelled(attempts);
	const shouldStop = (): AcquireRefusal | undefined => {
		if (deps.isCancelled()) return 'cancelled';
		if (deps.rateWait?.spent(deps.clock.now())) return 'waitBudgetSpent';
		return undefined;
	};
	for (;;) {
		if (deps.isCancelled()) return stopForCancellation(sends);
		let slot: RateSlot | undefined;
		if (deps.rateLimiter) {
			const acquired = await deps.rateLimiter.acquire(deps.clock, shouldStop, deps.rateWait?.change);
			if (acquired === 'cancelled') return stopForCancellation(sends);
			if (acquired === 'waitBudgetSpent') return rateWaitSpent(lastRefusal, sends, deps.rateWait);
			slot = acquired;
		}
		if (deps.isCancelled()) {
			slot?.giveBack();
			return stopForCancellation(sends);
		}

		let failure: RequestFailure;
		let sent = false;
		const sendNow = async () => {
			// A request that waited for a place in flight is not sent once the execution is cancelled.
			if (deps.isCancelled()) throw new Error('the execution was canceled before sending');
			sent = true;
			return await deps.send(request);
		};
		try {
			const response = deps.inFlight ? await deps.inFlight.run(sendNow) : await sendNow();
			if (response.statusCode >= 200 && response.statusCode < 300) {
				slot?.settle(deps.clock.now());
				return { ok: true, response, attempts: sends + 1 };
			}
			failure = failureFromResponse(response);
		} catch (error) {
			// Cancelling aborts requests in flight; but a request that went out may have been
			// accepted (Pronto answers 202 and charges): its outcome is unknown, never "not sent".
			if (deps.isCancelled()) {
				if (!sent) {
					slot?.giveBack();
					return stopForCancellation(sends);
				}
				slot?.settle(deps.clock.now());
				return canceledAfterSending(sends + 1, 'the execution was canceled while waiting for the answer');
			}
			failure = failureFromException(error);
		}
		sends++;

		if (failure.statusCode === 429) {
			// Refused for the rate, so certainly not accepted: safe and free to send again once the key may.
			lastRefusal = failure;
			if (deps.rateWait) deps.rateWait.refusals++;
			const retryAfterMs = failure.response
				? parseRetryAfter(readHeader(failure.response.headers, 'retry-after'), deps.clock.now())
				: undefined;
			if (slot) {
				slot.rateLimited(deps.clock.now(), retryAfterMs);
				continue;
			}
			// No key pacer (a bare caller): wait here, still within the rate-wait budget.
			const delayMs = retryAfterMs ?? backoffDelayMs(policy, Math.min(sends - 1, 10), deps.clock.random);
			deps.rateWait?.change(true, deps.clock.now());
			await deps.clock.sleep(delayMs);
			deps.rateWait?.change(false, deps.clock.now());
			if (shouldStop() === 'waitBudgetSpent') return rateWaitSpent(lastRefusal, sends, deps.rateWait);
			continue;
		}
		if (!failure.certainlyNotAccepted) earlierAttemptMayHaveBeenAccepted = true;
		// A connection never made was not counted by the provider: its slot goes back.
		if (failure.statusCode === undefined && failure.certainlyNotAccepted) slot?.giveBack();
		else slot?.settle(deps.clock.now());

		if (!failure.retryable) return { ok: false, failure, attempts: sends };
		if (!options.idempotent && !failure.certainlyNotAccepted) return { ok: false, failure: outcomeUnknown(failure), attempts: sends };
		if (retries >= policy.maxRetries) {
			return { ok: false, failure: withNote(failure, `gave up after ${sends} attempts`), attempts: sends };
		}
		const retryAfterMs = failure.response
			? parseRetryAfter(readHeader(failure.response.headers, 'retry-after'), deps.clock.now())
			: undefined;
		const delayMs = retryAfterMs ?? backoffDelayMs(policy, retries, deps.clock.random);
		if (waitedMs + delayMs > policy.maxTotalWaitMs) {
			const note = `gave up after ${sends} attempts: waiting ${Math.ceil(delayMs / 1000)} s more would pass the ${Math.round(policy.maxTotalWaitMs / 1000)} s retry budget`;
			return { ok: false, failure: withNote(failure, note), attempts: sends };
		}
		await deps.clock.sleep(delayMs);
		waitedMs += delayMs;
		retries++;
	}
}

/** The run waited as long for the rate limit as it may: this request goes unsent (it is not accepted). */
function rateWaitSpent(lastRefusal: RequestFailure | undefined, sends: number, meter: RateWaitMeter | undefined): SendOutcome {
	const budget = describeDuration(meter?.budgetMs ?? 0);
	const tried = sends > 0 ? ` (this request was refused ${sends === 1 ? 'once' : `${sends} times`})` : '';
	const failure: RequestFailure = {
		kind: 'rateLimited',
		retryable: false,
		certainlyNotAccepted: true,
		statusCode: lastRefusal?.statusCode,
		providerMessage: `the run waited ${budget} for the rate limit${tried}, as long as Options › Max Rate-Limit Wait allows`,
		response: lastRefusal?.response,
	};
	return { ok: false, rateWaitSpent: true, attempts: sends, failure };
}

/** "45 s", "3 min", "1 h 5 min". */
export function describeDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return `${minutes} min`;
	const rest = minutes % 60;
	return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
}

/** n8n marks an execution "canceled" (its spelling) only when the error it ends with says so. */
function cancelled(attempts: number): SendOutcome {
	return {
		ok: false,
		cancelled: true,
		attempts,
		failure: { kind: 'other', retryable: false, certainlyNotAccepted: true, providerMessage: 'the execution was canceled' },
	};
}

/**
 * The execution was cancelled while a request that went out was waiting for its answer: the
 * provider may have accepted (and charged) it, so it is an outcome unknown, not a request never sent.
 */
function canceledAfterSending(attempts: number, providerMessage: string): SendOutcome {
	return {
		ok: false,
		attempts,
		failure: {
			kind: 'outcomeUnknown',
			retryable: false,
			certainlyNotAccepted: false,
			canceled: true,
			providerMessage,
		},
	};
}

/** A failure after which the provider may or may not have acted on the request: not to be repeated. */
function outcomeUnknown(failure: RequestFailure): RequestFailure {
	return { ...failure, kind: 'outcomeUnknown', retryable: false };
}

function withNote(failure: RequestFailure, note: string): RequestFailure {
	return { ...failure, providerMessage: `${failure.providerMessage} (${note})` };
}

export function readHeader(headers: Record<string, unknown>, name: string): unknown {
	if (name in headers) return headers[name];
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
	return undefined;
}
