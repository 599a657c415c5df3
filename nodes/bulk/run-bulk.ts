import type { RequestFailure } from './classify-failure';
import type { Clock } from './clock';
import { groupIdenticalInputs } from './deduplicate';
import type { InFlightLimiter } from './in-flight-limiter';
import { KeyRateLimiter, RateWaitMeter } from './rate-limiter';
import type { RetryPolicy } from './retry-policy';
import { sendWithRetry, type SendRequest } from './send-with-retry';
import { explainUnreadableAnswer } from './read-answer';
import { limitDistinctInputs, recordLimitMessage } from './record-limit';
import { splitIntoChunks } from './split-into-chunks';
import type { Answer, BulkEndpoint, ChunkCorrelation, InputSlot, ItemOutcome, Provider, ProviderResponse } from './types';

export interface BulkRunSettings {
	/** Largest chunk to send; clamped to the endpoint's limits. */
	batchSize: number;
	/** Chunks worked on at once; clamped to the provider's limits. */
	concurrency: number;
	deduplicate: boolean;
	retry: RetryPolicy;
	/**
	 * Without "continue on fail" one failure fails the node: then nothing is sent when an input is
	 * invalid, and no new chunk is started once a request has failed (credits are money).
	 */
	stopOnFirstFailure: boolean;
	/**
	 * Most distinct inputs one run may send to an endpoint that costs credits (0 = no limit). Over it,
	 * nothing is sent when the node would fail; under "continue on fail" the first ones are sent.
	 */
	maxRecordsPerRun: number;
}

export interface BulkRunEnvironment {
	send: SendRequest;
	clock: Clock;
	isCancelled: () => boolean;
	/** The key's pace, shared by every run on the key in this process; one for this run alone when absent. */
	rateLimiter?: KeyRateLimiter;
	/** This node run's wait for the rate limit and its budget; one for this call alone when absent. */
	rateWait?: RateWaitMeter;
	/** Bounds requests in flight on the key, across runs (the provider's concurrent-request limit). */
	inFlight?: InFlightLimiter;
	/** The credential's Base URL, named in errors that point at it (a 404 for the request itself). */
	baseUrl?: string;
}

/** Counts for the closing note and for tests. */
export interface BulkRunStats {
	distinctInputs: number;
	chunks: number;
	requestsSent: number;
	/** Distinct inputs carried by requests the provider accepted (2xx), on endpoints that cost credits. */
	recordsSent: number;
	/** Credits the provider's answers said they used; undefined when none said. */
	creditsUsed?: number;
}

export interface BulkRunResult {
	/** Exactly one outcome per input slot, same order. */
	outcomes: ItemOutcome[];
	stats: BulkRunStats;
}

/**
 * A chunk rejected with named elements is sent again without them at most this often: each round
 * trip costs a request, and a provider that names one element at a time would cost one per element.
 */
export const MAX_NARROWING_ROUNDS = 2;

/**
 * The bulk engine: takes one slot per input item (already read and validated), sends each distinct
 * valid input once in chunks within the endpoint's limits, and returns one outcome per slot.
 */
export async function runBulk<TInput>(
	endpoint: BulkEndpoint<TInput>,
	slots: Array<InputSlot<TInput>>,
	settings: BulkRunSettings,
	environment: BulkRunEnvironment,
): Promise<BulkRunResult> {
	const outcomes: Array<ItemOutcome | undefined> = slots.map((slot) => {
		if (slot.kind === 'invalid') return { kind: 'error', cause: 'invalidInput', message: slot.message, field: slot.field };
		if (slot.kind === 'skipped') return slot.outcome;
		return undefined;
	});
	const stats: BulkRunStats = { distinctInputs: 0, chunks: 0, requestsSent: 0, recordsSent: 0 };

	const validInputs: Array<{ position: number; value: TInput }> = [];
	slots.forEach((slot, position) => {
		if (slot.kind === 'valid') validInputs.push({ position, value: slot.value });
	});

	const anyInvalid = slots.some((slot) => slot.kind === 'invalid');
	if (settings.stopOnFirstFailure && anyInvalid) {
		for (const { position } of validInputs) outcomes[position] = notSent('an input item is invalid, so nothing was sent');
		return { outcomes: outcomes as ItemOutcome[], stats };
	}

	const { limits, name: providerName } = endpoint.provider;
	const grouped = groupIdenticalInputs(validInputs, (value) => endpoint.identityOf(value), settings.deduplicate);
	stats.distinctInputs = grouped.values.length;
	const recordLimit = endpoint.free ? 0 : settings.maxRecordsPerRun;
	const { kept: distinct, heldBackPositions } = limitDistinctInputs(grouped, recordLimit);
	if (heldBackPositions.length > 0) {
		const reason = recordLimitMessage(providerName, grouped.values.length, recordLimit);
		if (settings.stopOnFirstFailure) {
			// The node would fail anyway: fail before anything is paid for.
			const refused: ItemOutcome = {
				kind: 'error',
				cause: 'notSent',
				message: `Not sent: ${reason}`,
				description: `Nothing was sent. Raise Max Records per Run (0 = no limit), send fewer items, or set the node's Settings › On Error to "Continue" to send the first ${recordLimit} and pass the rest through as not_sent.`,
			};
			for (const { position } of validInputs) outcomes[position] = refused;
			return { outcomes: outcomes as ItemOutcome[], stats };
		}
		const heldBack: ItemOutcome = { kind: 'overLimit', reason: `Not sent: ${reason}; the first ${recordLimit} were sent` };
		for (const position of heldBackPositions) outcomes[position] = heldBack;
	}
	const { maxBatchSize, minBatchSize = 1 } = endpoint.batchLimits ?? limits;
	const batchSize = clamp(settings.batchSize, minBatchSize, maxBatchSize);
	const concurrency = clamp(settings.concurrency, 1, limits.maxConcurrency);
	const distinctIndexes = distinct.values.map((_, index) => index);
	const chunks = splitIntoChunks(distinctIndexes, batchSize, minBatchSize);
	stats.chunks = chunks.length;

	const answersByDistinct: Array<ItemOutcome | undefined> = new Array(distinct.values.length);
	// A run on its own (no key shared) paces itself by the documented window, when there is one.
	const rateLimiter = environment.rateLimiter ?? (limits.rateLimit ? new KeyRateLimiter(limits.rateLimit) : undefined);
	const rateWait = environment.rateWait ?? new RateWaitMeter(settings.retry.maxRateLimitWaitMs);
	let stopReason: string | undefined;
	// Without "continue on fail" the node fails anyway: no further chunk should be paid for.
	const stopSendingIfNodeWillFail = () => {
		if (settings.stopOnFirstFailure) stopReason ??= `an earlier request to ${providerName} failed`;
	};
	// A refused key, no credits or a wrong Base URL fails every request alike: even under "continue on
	// fail", sending the rest would only repeat the failure (and a 401 is counted against the key).
	const stopSendingIfAccountWide = (failure: RequestFailure) => {
		if (ACCOUNT_WIDE_FAILURES.has(failure.kind)) {
			stopReason ??= `an earlier request to ${providerName} failed for the whole account (${failure.statusCode ? `HTTP ${failure.statusCode}: ` : ''}${failure.providerMessage})`;
		}
	};
	const countAcceptedRequest = (target: BulkEndpoint<TInput>, response: ProviderResponse, records: number) => {
		if (!target.free) stats.recordsSent += records;
		const credits = target.creditsUsedIn?.(response);
		if (credits !== undefined && Number.isFinite(credits)) stats.creditsUsed = (stats.creditsUsed ?? 0) + credits;
	};
	const settle = (indexes: number[], outcome: ItemOutcome) => {
		for (const index of indexes) answersByDistinct[index] = outcome;
	};

	/** Sends one chunk (of distinct indexes) to `target`, narrowing named rejections a bounded number of times. */
	const sendChunk = async (target: BulkEndpoint<TInput>, chunk: number[]): Promise<void> => {
		let pending = chunk;
		const targetMinimum = (target.batchLimits ?? target.provider.limits).minBatchSize ?? 1;
		for (let round = 0; pending.length > 0; round++) {
			if (pending.length < targetMinimum) {
				await sendBelowMinimum(target, pending, targetMinimum);
				return;
			}
			const values = pending.map((index) => distinct.values[index]);
			const itemIndexesOf = pending.map((index) => distinct.positionsOf[index]);
			stats.requestsSent++;
			const sent = await sendWithRetry(
				target.buildRequest(values, { itemIndexesOf }),
				{ idempotent: target.idempotent, policy: settings.retry },
				{ send: environment.send, clock: environment.clock, isCancelled: environment.isCancelled, rateLimiter, inFlight: environment.inFlight, rateWait },
			);
			if (sent.ok) {
				const answers = readAnswersSafely(target, sent.response, values, { itemIndexesOf });
				// Only a readable answer counts as sent: an error inside a 2xx did nothing, and an
				// unreadable one is an outcome unknown (its items say so).
				if (Array.isArray(answers)) countAcceptedRequest(target, sent.response, values.length);
				settleWithAnswers(pending, answers);
				if (!Array.isArray(answers)) stopSendingIfNodeWillFail(); // the chunk failed
				return;
			}
			if (sent.cancelled) {
				stats.requestsSent--;
				settle(pending, notSent('the execution was canceled'));
				return;
			}
			if (sent.rateWaitSpent) {
				// Refused or never sent, so not accepted: these items can be run again at no risk.
				if (sent.attempts === 0) stats.requestsSent--;
				settle(pending, notSent(`${sent.failure.providerMessage}; nothing was accepted, run these items again later`));
				stopSendingIfNodeWillFail();
				return;
			}
			// Cancelled after the request went out: an outcome unknown (below), unless nothing was to pay.
			if (sent.failure.canceled && target.free) {
				settle(pending, notSent('the execution was canceled'));
				return;
			}
			if (sent.failure.response && target.isMissAnswer?.(sent.failure.response)) {
				settle(pending, { kind: 'notFound', reason: `${providerName} found nothing for this input (HTTP ${sent.failure.statusCode})` });
				return;
			}
			const rejected = findNamedRejections(target, sent.failure, values);
			if (rejected.length === 0) {
				settle(pending, requestFailureOutcome(target.provider, sent.failure, sent.attempts, environment.baseUrl));
				stopSendingIfNodeWillFail();
				stopSendingIfAccountWide(sent.failure);
				return;
			}
			const rejectedPositions = new Set<number>();
			for (const element of rejected) {
				rejectedPositions.add(element.position);
				answersByDistinct[pending[element.position]] = {
					kind: 'error',
					cause: 'rejectedInput',
					message: `${providerName} rejected this input: ${element.reason}`,
					httpCode: String(sent.failure.statusCode ?? ''),
				};
			}
			pending = pending.filter((_, position) => !rejectedPositions.has(position));
			stopSendingIfNodeWillFail();
			if (stopReason) {
				settle(pending, notSent(stopReason));
				return;
			}
			if (pending.length > 0 && round >= MAX_NARROWING_ROUNDS) {
				settle(pending, {
					...requestFailureOutcome(target.provider, sent.failure, sent.attempts),
					description: `${providerName} rejected this chunk ${round + 1} times, naming other inputs each time; the rest were not sent again. Fix the rejected inputs and run again.`,
				});
				return;
			}
		}
	};

	/** Elements too few for the endpoint's minimum go one by one to its small-chunk endpoint, if it has one. */
	const sendBelowMinimum = async (target: BulkEndpoint<TInput>, pending: number[], minimum: number): Promise<void> => {
		const single = target.smallChunkEndpoint;
		if (!single) {
			settle(pending, notSent(`${providerName} takes at least ${minimum} inputs per request`));
			return;
		}
		for (const index of pending) {
			const reason = environment.isCancelled() ? 'the execution was canceled' : stopReason;
			if (reason) answersByDistinct[index] = notSent(reason);
			else await sendChunk(single, [index]);
		}
	};

	const settleWithAnswers = (pending: number[], answers: Answer[] | ItemOutcome) => {
		if (!Array.isArray(answers)) {
			settle(pending, answers);
			return;
		}
		pending.forEach((distinctIndex, position) => {
			const answer = answers[position];
			answersByDistinct[distinctIndex] = answer
				? answerToOutcome(answer)
				: { kind: 'notFound', reason: `${providerName} returned no answer for this input` };
		});
	};

	const queue = chunks.slice();
	const worker = async () => {
		for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
			const reason = environment.isCancelled() ? 'the execution was canceled' : stopReason;
			if (reason) {
				settle(chunk, notSent(reason));
				continue;
			}
			await sendChunk(endpoint, chunk);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));

	distinct.positionsOf.forEach((positions, distinctIndex) => {
		const outcome = answersByDistinct[distinctIndex] ?? notSent('no request was made for this input');
		for (const position of positions) outcomes[position] = outcome;
	});
	return { outcomes: outcomes as ItemOutcome[], stats };
}

/** Elements a whole-request rejection named, when the endpoint can tell (positions checked). */
function findNamedRejections<TInput>(endpoint: BulkEndpoint<TInput>, failure: RequestFailure, values: TInput[]) {
	if (failure.kind !== 'rejected' || !failure.response || !endpoint.findRejectedElements) return [];
	return endpoint
		.findRejectedElements(failure.response, values)
		.filter((element) => Number.isInteger(element.position) && element.position >= 0 && element.position < values.length);
}

function readAnswersSafely<TInput>(
	endpoint: BulkEndpoint<TInput>,
	response: ProviderResponse,
	values: TInput[],
	correlation: ChunkCorrelation,
): Answer[] | ItemOutcome {
	try {
		return endpoint.readAnswers(response, values, correlation);
	} catch (error) {
		return unreadableAnswerOutcome(endpoint.provider, response, error, { mayHaveCharged: !endpoint.free });
	}
}

/**
 * The outcome of a 2xx answer that could not be read: the provider's own error, or (for a request
 * that may have been charged) an outcome unknown; a free read that could not be read is just that.
 */
export function unreadableAnswerOutcome(
	provider: Provider,
	response: ProviderResponse,
	error: unknown,
	options: { mayHaveCharged: boolean },
): Extract<ItemOutcome, { kind: 'error' }> {
	const explained = explainUnreadableAnswer(response, error);
	if (explained.kind === 'providerError') {
		return {
			kind: 'error',
			cause: 'request',
			message: `${provider.name} answered HTTP ${response.statusCode} with an error: ${explained.message}`,
			description: `${provider.explainFailure?.({ statusCode: response.statusCode, providerMessage: explained.message }) ?? `${provider.name} reported a failure inside a successful answer, so nothing in this request counts as done.`} Fix the cause, then run these items again.`,
		};
	}
	if (!options.mayHaveCharged) {
		return {
			kind: 'error',
			cause: 'request',
			message: `${provider.name} sent an answer that could not be read (HTTP ${response.statusCode}): ${explained.detail}`,
			description: 'The answer may come from a proxy or be cut short; reading it again later costs nothing.',
		};
	}
	return {
		kind: 'error',
		cause: 'request',
		message: `${provider.name} accepted the request (HTTP ${response.statusCode}) but its answer could not be read (${explained.detail}): outcome unknown, not sent again`,
		description: `${FAILURE_HINTS.outcomeUnknown} The answer may come from a proxy or be cut short.`,
	};
}

function answerToOutcome(answer: Answer): ItemOutcome {
	if (answer.kind === 'error') return { kind: 'error', cause: 'rejectedInput', message: answer.message };
	return answer;
}

function requestFailureOutcome(
	provider: Provider,
	failure: RequestFailure,
	attempts: number,
	baseUrl?: string,
): Extract<ItemOutcome, { kind: 'error' }> {
	const status = failure.statusCode ? `HTTP ${failure.statusCode}` : 'no answer';
	const hint = provider.explainFailure?.(failure) ?? (failure.statusCode === 404 ? wrongAddressHint(provider, baseUrl) : FAILURE_HINTS[failure.kind]);
	const unknown = failure.kind === 'outcomeUnknown' ? 'outcome unknown, not sent again: ' : '';
	return {
		kind: 'error',
		cause: 'request',
		message: `${provider.name} request failed (${status}): ${unknown}${failure.providerMessage}`,
		description: `${hint}${failure.detail ? ` Detail: ${failure.detail}.` : ''} Attempts: ${attempts}.`,
		httpCode: failure.statusCode ? String(failure.statusCode) : undefined,
	};
}

/** A 404 that is not the endpoint's "no match" answer: most often a wrong Base URL (a typo in its path). */
function wrongAddressHint(provider: Provider, baseUrl: string | undefined): string {
	const url = baseUrl ? ` (${baseUrl})` : '';
	return `${provider.name} answered that the address itself does not exist: check the Base URL of the ${provider.name} credential${url}, which must be the provider's API address.`;
}

const ACCOUNT_WIDE_FAILURES = new Set<RequestFailure['kind']>(['auth', 'forbidden', 'redirect']);

const FAILURE_HINTS: Record<RequestFailure['kind'], string> = {
	auth: 'The API key was refused: check the credential.',
	forbidden: 'The account is out of credits or may not use this endpoint.',
	rejected: 'The provider refused the request as sent.',
	rateLimited:
		'The provider kept rate-limiting for longer than Options › Max Rate-Limit Wait allows; raise it, or run the jobs on this API key one after the other.',
	redirect:
		"Redirects are not followed, so the API key is never sent to another address: check the credential's Base URL (it must be the provider's API address).",
	transient: 'The provider or the network kept failing; try again later or raise the retry budget in Options.',
	outcomeUnknown:
		'The request may have been accepted (and charged) although no clear answer came back, so it was not sent again: sending it twice could enrich and charge twice. Check the provider (its dashboard, or whether results arrive) before running these items again.',
	other: 'The request could not be completed.',
};

function notSent(reason: string): ItemOutcome {
	return { kind: 'error', cause: 'notSent', message: `Not sent: ${reason}` };
}

function clamp(value: number, min: number, max: number): number {
	if (!Number.isFinite(value)) return max;
	return Math.min(max, Math.max(min, Math.floor(value)));
}
