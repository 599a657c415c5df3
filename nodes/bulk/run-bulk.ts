import type { RequestFailure } from './classify-failure';
import type { Clock } from './clock';
import { groupIdenticalInputs } from './deduplicate';
import { SlidingWindowRateLimiter } from './rate-limiter';
import type { RetryPolicy } from './retry-policy';
import { sendWithRetry, type SendRequest } from './send-with-retry';
import { splitIntoChunks } from './split-into-chunks';
import type { Answer, BulkEndpoint, InputSlot, ItemOutcome, ProviderResponse } from './types';

export interface BulkRunSettings {
	/** Largest chunk to send; clamped to the provider's limits. */
	batchSize: number;
	/** Requests in flight at once; clamped to the provider's limits. */
	concurrency: number;
	deduplicate: boolean;
	retry: RetryPolicy;
	/**
	 * Without "continue on fail" one failure fails the node: then nothing is sent when an input is
	 * invalid, and no new chunk is started once a request has failed (credits are money).
	 */
	stopOnFirstFailure: boolean;
}

export interface BulkRunEnvironment {
	send: SendRequest;
	clock: Clock;
	isCancelled: () => boolean;
}

/** Counts for the closing note and for tests. */
export interface BulkRunStats {
	distinctInputs: number;
	chunks: number;
	requestsSent: number;
}

export interface BulkRunResult {
	/** Exactly one outcome per input slot, same order. */
	outcomes: ItemOutcome[];
	stats: BulkRunStats;
}

/**
 * The bulk engine: takes one slot per input item (already read and validated), sends each distinct
 * valid input once in chunks within the provider's limits, and returns one outcome per slot.
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
	const stats: BulkRunStats = { distinctInputs: 0, chunks: 0, requestsSent: 0 };

	const validInputs: Array<{ position: number; value: TInput }> = [];
	slots.forEach((slot, position) => {
		if (slot.kind === 'valid') validInputs.push({ position, value: slot.value });
	});

	const anyInvalid = slots.some((slot) => slot.kind === 'invalid');
	if (settings.stopOnFirstFailure && anyInvalid) {
		for (const { position } of validInputs) outcomes[position] = notSent('an input item is invalid, so nothing was sent');
		return { outcomes: outcomes as ItemOutcome[], stats };
	}

	const distinct = groupIdenticalInputs(validInputs, (value) => endpoint.identityOf(value), settings.deduplicate);
	stats.distinctInputs = distinct.values.length;
	const { limits } = endpoint;
	const batchSize = clamp(settings.batchSize, limits.minBatchSize ?? 1, limits.maxBatchSize);
	const concurrency = clamp(settings.concurrency, 1, limits.maxConcurrency);
	const distinctIndexes = distinct.values.map((_, index) => index);
	const chunks = splitIntoChunks(distinctIndexes, batchSize, limits.minBatchSize ?? 1);
	stats.chunks = chunks.length;

	const answersByDistinct: Array<ItemOutcome | undefined> = new Array(distinct.values.length);
	const rateLimiter = limits.rateLimit
		? new SlidingWindowRateLimiter(limits.rateLimit.requests, limits.rateLimit.windowMs, environment.clock)
		: undefined;
	let stopReason: string | undefined;
	// Without "continue on fail" the node fails anyway: no further chunk should be paid for.
	const stopSendingIfNodeWillFail = () => {
		if (settings.stopOnFirstFailure) stopReason ??= `an earlier request to ${endpoint.provider} failed`;
	};

	const sendChunk = async (chunk: number[]): Promise<void> => {
		let pending = chunk;
		// Each pass either settles the chunk or removes at least one named element, so this ends.
		while (pending.length > 0) {
			const values = pending.map((index) => distinct.values[index]);
			stats.requestsSent++;
			const sent = await sendWithRetry(endpoint.buildRequest(values), settings.retry, {
				send: environment.send,
				clock: environment.clock,
				isCancelled: environment.isCancelled,
				rateLimiter,
			});
			if (sent.ok) {
				const answers = readAnswersSafely(endpoint, sent.response, values);
				settleWithAnswers(pending, answers);
				if (!Array.isArray(answers)) stopSendingIfNodeWillFail(); // unreadable: the chunk failed
				return;
			}
			if (sent.cancelled) {
				stats.requestsSent--;
				for (const index of pending) answersByDistinct[index] = notSent('the execution was canceled');
				return;
			}
			const rejected = findNamedRejections(endpoint, sent.failure, values);
			if (rejected.length > 0) {
				const rejectedPositions = new Set<number>();
				for (const element of rejected) {
					rejectedPositions.add(element.position);
					answersByDistinct[pending[element.position]] = {
						kind: 'error',
						cause: 'rejectedInput',
						message: `${endpoint.provider} rejected this input: ${element.reason}`,
						httpCode: String(sent.failure.statusCode ?? ''),
					};
				}
				pending = pending.filter((_, position) => !rejectedPositions.has(position));
				stopSendingIfNodeWillFail();
				if (stopReason) {
					for (const index of pending) answersByDistinct[index] = notSent(stopReason);
					return;
				}
				continue;
			}
			const failure = requestFailureOutcome(endpoint.provider, sent.failure, sent.attempts);
			for (const index of pending) answersByDistinct[index] = failure;
			stopSendingIfNodeWillFail();
			return;
		}
	};

	const settleWithAnswers = (pending: number[], answers: Answer[] | ItemOutcome) => {
		pending.forEach((distinctIndex, position) => {
			if (!Array.isArray(answers)) {
				answersByDistinct[distinctIndex] = answers;
				return;
			}
			const answer = answers[position];
			answersByDistinct[distinctIndex] = answer
				? answerToOutcome(answer)
				: { kind: 'notFound', reason: `${endpoint.provider} returned no answer for this input` };
		});
	};

	const queue = chunks.slice();
	const worker = async () => {
		for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
			const reason = environment.isCancelled() ? 'the execution was canceled' : stopReason;
			if (reason) {
				for (const index of chunk) answersByDistinct[index] = notSent(reason);
				continue;
			}
			await sendChunk(chunk);
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
): Answer[] | ItemOutcome {
	try {
		return endpoint.readAnswers(response, values);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return { kind: 'error', cause: 'request', message: `${endpoint.provider} sent an answer that could not be read: ${detail}` };
	}
}

function answerToOutcome(answer: Answer): ItemOutcome {
	if (answer.kind === 'error') return { kind: 'error', cause: 'rejectedInput', message: answer.message };
	return answer;
}

function requestFailureOutcome(provider: string, failure: RequestFailure, attempts: number): ItemOutcome {
	const status = failure.statusCode ? `HTTP ${failure.statusCode}` : 'no answer';
	const hint = FAILURE_HINTS[failure.kind];
	return {
		kind: 'error',
		cause: 'request',
		message: `${provider} request failed (${status}): ${failure.providerMessage}`,
		description: `${hint}${failure.detail ? ` Detail: ${failure.detail}.` : ''} Attempts: ${attempts}.`,
		httpCode: failure.statusCode ? String(failure.statusCode) : undefined,
	};
}

const FAILURE_HINTS: Record<RequestFailure['kind'], string> = {
	auth: 'The API key was refused: check the credential.',
	forbidden: 'The account is out of credits or may not use this endpoint.',
	rejected: 'The provider refused the request as sent.',
	rateLimited: 'The provider kept rate-limiting; lower the concurrency or raise the retry budget in Options.',
	transient: 'The provider or the network kept failing; try again later or raise the retry budget in Options.',
	other: 'The request could not be completed.',
};

function notSent(reason: string): ItemOutcome {
	return { kind: 'error', cause: 'notSent', message: `Not sent: ${reason}` };
}

function clamp(value: number, min: number, max: number): number {
	if (!Number.isFinite(value)) return max;
	return Math.min(max, Math.max(min, Math.floor(value)));
}
