import type { IHttpRequestOptions } from 'n8n-workflow';

import { failureFromException, failureFromResponse, type RequestFailure } from './classify-failure';
import type { Clock } from './clock';
import type { InFlightLimiter } from './in-flight-limiter';
import type { SlidingWindowRateLimiter } from './rate-limiter';
import { backoffDelayMs, parseRetryAfter, type RetryPolicy } from './retry-policy';
import type { ProviderResponse } from './types';

/** Sends one request; resolves with the answer whatever its status, rejects only when none came. */
export type SendRequest = (request: IHttpRequestOptions) => Promise<ProviderResponse>;

export type SendOutcome =
	| { ok: true; response: ProviderResponse; attempts: number }
	| { ok: false; failure: RequestFailure; attempts: number; cancelled?: boolean };

export interface SendDependencies {
	send: SendRequest;
	clock: Clock;
	isCancelled: () => boolean;
	rateLimiter?: SlidingWindowRateLimiter;
	inFlight?: InFlightLimiter;
}

/**
 * Sends one request, retrying rate limits and transient failures with backoff (Retry-After wins
 * when given) until the policy's attempts or total wait run out. Never retries what cannot succeed,
 * and never repeats a non-idempotent request that the provider may already have accepted.
 */
export async function sendWithRetry(
	request: IHttpRequestOptions,
	options: { idempotent: boolean; policy: RetryPolicy },
	deps: SendDependencies,
): Promise<SendOutcome> {
	const { policy } = options;
	let waitedMs = 0;
	// Whether an attempt went out and ended without proof that the provider did nothing (a timeout
	// retried on an idempotent look-up): a later cancellation then leaves the outcome unknown.
	let earlierAttemptMayHaveBeenAccepted = false;
	const stopForCancellation = (attempt: number): SendOutcome =>
		earlierAttemptMayHaveBeenAccepted
			? canceledAfterSending(attempt, 'the execution was canceled before an earlier attempt, which may have been accepted, could be retried')
			: cancelled(attempt);
	for (let attempt = 0; ; attempt++) {
		if (deps.isCancelled()) return stopForCancellation(attempt);
		const slot = deps.rateLimiter ? await deps.rateLimiter.acquire(deps.clock, deps.isCancelled) : undefined;
		if (deps.isCancelled()) {
			slot?.giveBack();
			return stopForCancellation(attempt);
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
				return { ok: true, response, attempts: attempt + 1 };
			}
			failure = failureFromResponse(response);
		} catch (error) {
			// Cancelling aborts requests in flight; but a request that went out may have been
			// accepted (Pronto answers 202 and charges): its outcome is unknown, never "not sent".
			if (deps.isCancelled()) {
				if (!sent) {
					slot?.giveBack();
					return stopForCancellation(attempt);
				}
				slot?.settle(deps.clock.now());
				return canceledAfterSending(attempt + 1, 'the execution was canceled while waiting for the answer');
			}
			failure = failureFromException(error);
		}
		if (!failure.certainlyNotAccepted) earlierAttemptMayHaveBeenAccepted = true;
		// A 429 or a connection never made was not counted by the provider: its slot goes back.
		if (failure.statusCode === 429 || (failure.statusCode === undefined && failure.certainlyNotAccepted)) slot?.giveBack();
		else slot?.settle(deps.clock.now());

		const attempts = attempt + 1;
		if (!failure.retryable) return { ok: false, failure, attempts };
		if (!options.idempotent && !failure.certainlyNotAccepted) return { ok: false, failure: outcomeUnknown(failure), attempts };
		if (attempt >= policy.maxRetries) {
			return { ok: false, failure: withNote(failure, `gave up after ${attempts} attempts`), attempts };
		}
		const retryAfterMs = failure.response
			? parseRetryAfter(readHeader(failure.response.headers, 'retry-after'), deps.clock.now())
			: undefined;
		const delayMs = retryAfterMs ?? backoffDelayMs(policy, attempt, deps.clock.random);
		if (waitedMs + delayMs > policy.maxTotalWaitMs) {
			const note = `gave up after ${attempts} attempts: waiting ${Math.ceil(delayMs / 1000)} s more would pass the ${Math.round(policy.maxTotalWaitMs / 1000)} s retry budget`;
			return { ok: false, failure: withNote(failure, note), attempts };
		}
		await deps.clock.sleep(delayMs);
		waitedMs += delayMs;
	}
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
