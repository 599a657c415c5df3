import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import {
	failureInAnswer,
	isDataAnswer,
	requestError,
	unreadableAnswerOutcome,
} from './request-outcomes';
import { forEachConcurrently, type BulkRunEnvironment, type BulkRunSettings } from './run-bulk';
import { sendWithRetry, type SendOptions } from './send-with-retry';
import type { Answer, ItemOutcome, Provider, ProviderResponse } from './types';

/** How an asynchronous provider tells the state of one submitted input. */
export interface PollEndpoint {
	provider: Provider;
	/** Reads the current state of one submitted input (from its `submitted` data). */
	buildRequest(submitted: IDataObject): IHttpRequestOptions;
	/** The settled answer, or undefined while the provider is still working on it. */
	readState(response: ProviderResponse, submitted: IDataObject): Answer | undefined;
}

export interface PollSchedule {
	timeoutMs: number; // in all, before leaving an input `pending`
	firstDelayMs: number; // after submitting; each later wait doubles, up to maxDelayMs
	maxDelayMs: number;
}

const MIN_POLL_PAUSE_MS = 1000;
const MAX_POLL_WAIT_MS = 24 * 3600 * 1000;

/** A zero, negative or non-numeric pause or wait can never make polling spin or run for ever. */
const bounded = (value: number, min: number) =>
	Number.isFinite(value) ? Math.min(MAX_POLL_WAIT_MS, Math.max(min, value)) : min;

type Submitted = Extract<ItemOutcome, { kind: 'submitted' }>;

/**
 * Replaces each `submitted` outcome (shared by identical items: polled once) by what the provider
 * finally says, polling with growing pauses; at the timeout it stays `pending`, to read later.
 */
export async function pollUntilSettled(
	endpoint: PollEndpoint,
	outcomes: ItemOutcome[],
	schedule: PollSchedule,
	settings: Pick<BulkRunSettings, 'concurrency' | 'retry'>,
	environment: BulkRunEnvironment,
): Promise<ItemOutcome[]> {
	const { clock, isCancelled } = environment;
	const timeoutMs = bounded(schedule.timeoutMs, 0);
	let delayMs = bounded(schedule.firstDelayMs, MIN_POLL_PAUSE_MS); // doubles each round
	const maxDelayMs = bounded(schedule.maxDelayMs, delayMs);
	// Every wait of a poll (a 429's pause, a retry, a place in flight) ends by Max Wait too.
	const deadline = clock.now() + timeoutMs;
	const options: SendOptions = { idempotent: true, policy: settings.retry, deadline };
	const settled = new Map<ItemOutcome, ItemOutcome>();
	const pollOne = async (outcome: Submitted) => {
		const answer = await pollOnce(endpoint, outcome, options, environment);
		if (answer) settled.set(outcome, answer);
	};
	let waiting = [...new Set(outcomes.filter((o): o is Submitted => o.kind === 'submitted'))];
	// At most one round per minimum pause of the whole wait, even if the clock misbehaves.
	let rounds = Math.ceil(timeoutMs / MIN_POLL_PAUSE_MS) + 1;
	while (rounds-- > 0 && waiting.length > 0) {
		const remainingMs = deadline - clock.now();
		if (remainingMs <= 0 || isCancelled()) break;
		await clock.sleep(Math.min(delayMs, remainingMs));
		delayMs = Math.min(delayMs * 2, maxDelayMs);
		await forEachConcurrently(waiting, settings.concurrency, pollOne, isCancelled);
		waiting = waiting.filter((outcome) => !settled.has(outcome));
	}
	// The unsettled keep their data, so their results can be read later.
	const reason = isCancelled()
		? 'the execution was canceled while waiting; the input was submitted and its result can be read later'
		: `still processing after ${Math.round(timeoutMs / 1000)} s; read the result later with its id`;
	return outcomes.map((outcome): ItemOutcome => {
		if (outcome.kind !== 'submitted') return outcome;
		return settled.get(outcome) ?? { kind: 'pending', data: outcome.data, reason };
	});
}

/** One poll of one submitted input: its settled outcome, or undefined while it is still pending. */
async function pollOnce(
	endpoint: PollEndpoint,
	outcome: Submitted,
	options: SendOptions,
	environment: BulkRunEnvironment,
): Promise<ItemOutcome | undefined> {
	const { provider } = endpoint;
	const sent = await sendWithRetry(endpoint.buildRequest(outcome.data), options, environment);
	if (!sent.ok) {
		// Reading costs nothing: a poll cancelled in flight or not sent by Max Wait leaves it pending.
		if (sent.cancelled || sent.failure.canceled || sent.deadlinePassed) return undefined;
		const { statusCode, providerMessage } = sent.failure;
		return requestError(
			`${provider.name} request failed while waiting for the result (${statusCode ? `HTTP ${statusCode}` : 'no answer'}): ${providerMessage}`,
			`The input was submitted; read its result later with its id. Attempts: ${sent.attempts}.`,
			statusCode,
		);
	}
	const { response } = sent;
	try {
		const answer = endpoint.readState(response, outcome.data);
		if (answer?.kind === 'error') return requestError(answer.message);
		// A miss must say nothing went wrong (request-outcomes.ts).
		const failure =
			answer && !isDataAnswer(answer) ? failureInAnswer(provider, response, [answer]) : undefined;
		if (failure === undefined) return answer;
		return requestError(
			`${provider.name} answered HTTP ${response.statusCode} with an error: ${failure}`,
		);
	} catch (error) {
		return unreadableAnswerOutcome(provider, response, error, { mayHaveCharged: false });
	}
}
