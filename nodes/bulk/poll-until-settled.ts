import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { failureInAnswer, isDataAnswer, unreadableAnswerOutcome } from './request-outcomes';
import { forEachConcurrently, type BulkRunEnvironment, type BulkRunSettings } from './run-bulk';
import { sendWithRetry, type SendOptions } from './send-with-retry';
import type { Answer, ItemOutcome, Provider, ProviderResponse } from './types';

/** How an asynchronous provider tells the state of one submitted input. */
export interface PollEndpoint {
	provider: Provider;
	/** The request that reads the current state of one submitted input (from its `submitted` data). */
	buildRequest(submitted: IDataObject): IHttpRequestOptions;
	/** The settled answer, or undefined while the provider is still working on it. */
	readState(response: ProviderResponse, submitted: IDataObject): Answer | undefined;
}

export interface PollSchedule {
	/** How long to wait in all before leaving an input `pending`. */
	timeoutMs: number;
	/** The first wait after submitting; each later wait doubles, up to `maxDelayMs`. */
	firstDelayMs: number;
	maxDelayMs: number;
}

/** The shortest pause between two polls, and the longest wait in all, whatever the schedule says. */
export const MIN_POLL_PAUSE_MS = 1000;
export const MAX_POLL_WAIT_MS = 24 * 3600 * 1000;

/** The schedule within bounds: a zero, negative or non-numeric pause or wait can never make polling spin or run for ever. */
export function boundSchedule(schedule: PollSchedule): PollSchedule {
	const within = (value: number, min: number, max: number, fallback: number) =>
		Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
	const firstDelayMs = within(
		schedule.firstDelayMs,
		MIN_POLL_PAUSE_MS,
		MAX_POLL_WAIT_MS,
		MIN_POLL_PAUSE_MS,
	);
	return {
		timeoutMs: within(schedule.timeoutMs, 0, MAX_POLL_WAIT_MS, 0),
		firstDelayMs,
		maxDelayMs: within(schedule.maxDelayMs, firstDelayMs, MAX_POLL_WAIT_MS, firstDelayMs),
	};
}

type Submitted = Extract<ItemOutcome, { kind: 'submitted' }>;

/**
 * Replaces every `submitted` outcome by what the provider finally says, polling with growing pauses
 * until all are settled or the timeout passes (those stay `pending`, with their data, so they can be
 * read later). Identical items share one outcome and are polled once. Other outcomes pass through.
 */
export async function pollUntilSettled(
	endpoint: PollEndpoint,
	outcomes: ItemOutcome[],
	schedule: PollSchedule,
	settings: Pick<BulkRunSettings, 'concurrency' | 'retry'>,
	environment: BulkRunEnvironment,
): Promise<ItemOutcome[]> {
	schedule = boundSchedule(schedule);
	let waiting = [
		...new Set(outcomes.filter((outcome): outcome is Submitted => outcome.kind === 'submitted')),
	];
	// Every wait of a poll (a 429's pause, a retry, a place in flight) ends by Max Wait too.
	const deadline = environment.clock.now() + schedule.timeoutMs;
	const options: SendOptions = { idempotent: true, policy: settings.retry, deadline };
	const settled = new Map<ItemOutcome, ItemOutcome>();
	const pollOne = async (outcome: Submitted) => {
		const answer = await pollOnce(endpoint, outcome, options, environment);
		if (answer) settled.set(outcome, answer);
	};
	let delayMs = schedule.firstDelayMs;
	// Rounds after pauses doubling up to the maximum; at most one per minimum pause of the whole wait, even if the clock misbehaves.
	const maxRounds = Math.ceil(schedule.timeoutMs / MIN_POLL_PAUSE_MS) + 1;
	for (
		let round = 0;
		waiting.length > 0 && !environment.isCancelled() && round < maxRounds;
		round++
	) {
		const remainingMs = deadline - environment.clock.now();
		if (remainingMs <= 0) break;
		await environment.clock.sleep(Math.min(delayMs, remainingMs));
		delayMs = Math.min(delayMs * 2, schedule.maxDelayMs);
		await forEachConcurrently(waiting, settings.concurrency, pollOne, () =>
			environment.isCancelled(),
		);
		waiting = waiting.filter((outcome) => !settled.has(outcome));
	}
	const waitedSeconds = Math.round(schedule.timeoutMs / 1000);
	return outcomes.map((outcome) => {
		if (outcome.kind !== 'submitted') return outcome;
		return settled.get(outcome) ?? stillPending(outcome, waitedSeconds, environment.isCancelled());
	});
}

/** One poll of one submitted input: its settled outcome, or undefined while it is still pending. */
async function pollOnce(
	endpoint: PollEndpoint,
	outcome: Submitted,
	options: SendOptions,
	environment: BulkRunEnvironment,
): Promise<ItemOutcome | undefined> {
	// Reading a state is idempotent (options say so): a poll may be retried after any transient failure.
	const sent = await sendWithRetry(endpoint.buildRequest(outcome.data), options, environment);
	if (sent.ok) return readStateSafely(endpoint, sent.response, outcome.data);
	// Reading costs nothing: a poll cancelled in flight, or not sent by Max Wait, leaves the input pending, to read later.
	if (sent.cancelled || sent.failure.canceled || sent.deadlinePassed) return undefined;
	return {
		kind: 'error',
		cause: 'request',
		message: `${endpoint.provider.name} request failed while waiting for the result (${sent.failure.statusCode ? `HTTP ${sent.failure.statusCode}` : 'no answer'}): ${sent.failure.providerMessage}`,
		description: `The input was submitted; read its result later with its id. Attempts: ${sent.attempts}.`,
		httpCode: sent.failure.statusCode ? String(sent.failure.statusCode) : undefined,
	};
}

/** An input submitted but not settled: it keeps its data, so its result can be read later. */
function stillPending(outcome: Submitted, waitedSeconds: number, cancelled: boolean): ItemOutcome {
	return {
		kind: 'pending',
		data: outcome.data,
		reason: cancelled
			? 'the execution was canceled while waiting; the input was submitted and its result can be read later'
			: `still processing after ${waitedSeconds} s; read the result later with its id`,
	};
}

function readStateSafely(
	endpoint: PollEndpoint,
	response: ProviderResponse,
	submitted: IDataObject,
): ItemOutcome | undefined {
	try {
		const answer = endpoint.readState(response, submitted);
		if (!answer) return undefined;
		if (answer.kind === 'error')
			return { kind: 'error', cause: 'request', message: answer.message };
		// A miss must say nothing went wrong (request-outcomes.ts).
		const failure = isDataAnswer(answer)
			? undefined
			: failureInAnswer(endpoint.provider, response, [answer]);
		if (failure !== undefined)
			return {
				kind: 'error',
				cause: 'request',
				message: `${endpoint.provider.name} answered HTTP ${response.statusCode} with an error: ${failure}`,
			};
		return answer;
	} catch (error) {
		return unreadableAnswerOutcome(endpoint.provider, response, error, { mayHaveCharged: false });
	}
}
