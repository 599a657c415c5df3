import { failureInsideAnswer, type RequestFailure } from './classify-failure';
import type { DistinctInputs } from './plan-chunks';
import {
	answerToOutcome,
	failureInAnswer,
	isDataAnswer,
	notSent,
	requestFailureOutcome,
	unreadableAnswerOutcome,
} from './request-outcomes';
import {
	sendWithRetry,
	type RetryPolicy,
	type SendDependencies,
	type SendOutcome,
} from './send-with-retry';
import type {
	Answer,
	BulkEndpoint,
	ChunkCorrelation,
	ChunkPosition,
	DistinctIndex,
	ItemOutcome,
	ProviderResponse,
	RejectedElement,
} from './types';

/**
 * A chunk rejected with named elements is sent again without them at most this often: each round
 * trip costs a request, and a provider that names one element at a time would cost one per element.
 */
export const MAX_NARROWING_ROUNDS = 2;

/** What the requests of one run cost, counted as they are answered. */
export interface RequestCounts {
	requestsSent: number;
	/** Distinct inputs carried by requests the provider accepted (2xx), on endpoints that cost credits. */
	recordsSent: number;
	/** Distinct inputs carried by accepted requests to free endpoints, or whose answer reported 0 credits used: sent, at no cost. */
	recordsSentFree: number;
	/** Credits the provider's answers said they used; absent when none said. */
	creditsUsed?: number;
	/** The HTTP status of each request the provider refused (a 401, 403, 422…; a 2xx that named a refusal inside). */
	refusedStatusCodes?: number[];
}

export interface ChunkSenderOptions {
	/** The provider named in outcomes (that of the run's endpoint). */
	providerName: string;
	retry: RetryPolicy;
	/** Without "continue on fail" the node fails anyway: no further chunk is paid for after a failure. */
	stopOnFirstFailure: boolean;
	/** The credential's Base URL, named in errors that point at it. */
	baseUrl?: string;
	/** The node run's first request goes alone (see FirstRequestGate). */
	firstRequest: FirstRequestGate;
}

/**
 * The first request of a node run goes alone and the others follow its answer, so a wrong key, an
 * account out of credits or a wrong Base URL costs one refused request, not a burst of Concurrent
 * Requests. A success or a failure to retry (a 429, a 5xx, no answer) lets them go at once, to the
 * key's pacer; a refusal lets them go once it is settled: one that concerns the whole account has
 * then stopped the run, so they are not sent.
 */
export class FirstRequestGate {
	private taken = false;
	private open = () => {};
	private readonly opened = new Promise<void>((resolve) => (this.open = resolve));

	/** True for the first caller, who sends alone; the others resolve (false) once it lets them go. */
	async take(): Promise<boolean> {
		if (!this.taken) return (this.taken = true);
		await this.opened;
		return false;
	}

	/** Lets the others go (once the first request's answer allows, see above). */
	release(): void {
		this.open();
	}
}

/** A failed request refused for the whole account: sending the rest would only repeat the failure. */
const ACCOUNT_WIDE_FAILURES = new Set<RequestFailure['kind']>(['auth', 'forbidden', 'redirect']);
/** A failed request the provider answered with a refusal (of the key, the account or the inputs). */
const REFUSALS = new Set<RequestFailure['kind']>(['auth', 'forbidden', 'rejected']);

type FailedSend = Extract<SendOutcome, { ok: false }>;

/**
 * One run's chunks, each sent with retry, narrowed after a rejection that names elements, and sent
 * one by one to the small-chunk endpoint when too few are left. It keeps one outcome per distinct
 * input, the request counts, and why no further chunk should be sent (a failure the node will fail
 * on anyway, an account-wide failure, a cancelled execution).
 */
export class ChunkSender<TInput> {
	/** One outcome per distinct input, once its chunk is settled. */
	readonly outcomes: Array<ItemOutcome | undefined>;
	readonly counts: RequestCounts = { requestsSent: 0, recordsSent: 0, recordsSentFree: 0 };
	private stopReason: string | undefined;
	/** Whether the address of an endpoint whose 404 reads as a miss exists: probed once per run (BulkEndpoint.addressProbe). */
	private addressExists: Promise<boolean> | undefined;

	constructor(
		private readonly distinct: DistinctInputs<TInput>,
		private readonly transport: SendDependencies,
		private readonly options: ChunkSenderOptions,
	) {
		this.outcomes = new Array(distinct.values.length);
	}

	/** Why a chunk not yet sent should not be: the execution was cancelled, or sending stopped. */
	reasonNotToSend(): string | undefined {
		return this.transport.isCancelled() ? 'the execution was canceled' : this.stopReason;
	}

	/** Settles `chunk` without sending it. */
	skip(chunk: DistinctIndex[], reason: string): void {
		this.settle(chunk, notSent(reason));
	}

	/** Sends one chunk to `target`, narrowing named rejections a bounded number of times. */
	async send(target: BulkEndpoint<TInput>, chunk: DistinctIndex[]): Promise<void> {
		const minimum = (target.batchLimits ?? target.provider.limits).minBatchSize ?? 1;
		let pending = chunk;
		for (let round = 0; pending.length > 0; round++) {
			if (pending.length < minimum) {
				await this.sendBelowMinimum(target, pending, minimum);
				return;
			}
			pending = await this.sendRound(target, pending, round);
		}
	}

	/** One request for `pending`, alone when it is the node run's first; returns what a named rejection left to send again. */
	private async sendRound(
		target: BulkEndpoint<TInput>,
		pending: DistinctIndex[],
		round: number,
	): Promise<DistinctIndex[]> {
		const gate = this.options.firstRequest;
		const leads = await gate.take();
		// A request that waited for the first one's answer is not sent if that answer stopped the run.
		const reason = leads ? undefined : this.reasonNotToSend();
		if (reason) {
			this.skip(pending, reason);
			return [];
		}
		try {
			return await this.sendRequest(target, pending, round, leads ? gate : undefined);
		} finally {
			if (leads) gate.release();
		}
	}

	private async sendRequest(
		target: BulkEndpoint<TInput>,
		pending: DistinctIndex[],
		round: number,
		gate?: FirstRequestGate,
	): Promise<DistinctIndex[]> {
		const values = pending.map((distinctIndex) => this.distinct.values[distinctIndex]);
		const correlation: ChunkCorrelation = {
			itemIndexesOf: pending.map((distinctIndex) => this.distinct.itemIndexesOf[distinctIndex]),
		};
		this.counts.requestsSent++;
		const { readOnce, failureIn } = answerReader(target, values, correlation);
		const sent = await sendWithRetry(
			target.buildRequest(values, correlation),
			{
				idempotent: target.idempotent,
				policy: this.options.retry,
				records: values.length,
				failureIn,
				// The others follow a success or a failure to retry at once; a refusal only once it is settled
				// (a refused key, no credits or a wrong Base URL has then stopped the run).
				onAttempt:
					gate &&
					((failure) => (failure === undefined || failure.retryable ? gate.release() : undefined)),
			},
			this.transport,
		);
		if (sent.ok) {
			this.settleAccepted(target, pending, sent.response, values.length, readOnce(sent.response));
			return [];
		}
		return await this.settleFailed(target, pending, sent, values, round);
	}

	/** Elements too few for the endpoint's minimum go one by one to its small-chunk endpoint, if it has one. */
	private async sendBelowMinimum(
		target: BulkEndpoint<TInput>,
		pending: DistinctIndex[],
		minimum: number,
	): Promise<void> {
		const single = target.smallChunkEndpoint;
		if (!single) {
			this.skip(
				pending,
				`${this.options.providerName} takes at least ${minimum} inputs per request`,
			);
			return;
		}
		for (const distinctIndex of pending) {
			const reason = this.reasonNotToSend();
			if (reason) this.skip([distinctIndex], reason);
			else await this.send(single, [distinctIndex]);
		}
	}

	private settleAccepted(
		target: BulkEndpoint<TInput>,
		pending: DistinctIndex[],
		response: ProviderResponse,
		records: number,
		answers: Answer[] | ItemOutcome,
	): void {
		// Only a readable answer counts as sent: an error inside a 2xx did nothing, and an
		// unreadable one is an outcome unknown (its items say so).
		if (!Array.isArray(answers)) {
			this.settle(pending, answers);
			this.stopIfNodeWillFail();
			return;
		}
		this.countAccepted(target, response, records);
		// Beside data, a named failure keeps what was found (it was paid for) but makes no miss.
		const failure = failureInAnswer(target.provider, response, answers);
		const failed =
			failure === undefined
				? undefined
				: requestFailureOutcome(target.provider, failureInsideAnswer(response, failure, false), 1);
		pending.forEach((distinctIndex, chunkPosition) => {
			const answer: Answer | undefined = answers[chunkPosition];
			if (failed && !(answer && isDataAnswer(answer))) this.outcomes[distinctIndex] = failed;
			else
				this.outcomes[distinctIndex] = answer
					? answerToOutcome(answer)
					: {
							kind: 'notFound',
							reason: `${this.options.providerName} returned no answer for this input`,
						};
		});
	}

	/** Settles a failed request's elements; returns those to send again after a named rejection. */
	private async settleFailed(
		target: BulkEndpoint<TInput>,
		pending: DistinctIndex[],
		sent: FailedSend,
		values: TInput[],
		round: number,
	): Promise<DistinctIndex[]> {
		const { failure } = sent;
		if (sent.cancelled) {
			this.counts.requestsSent--;
			this.skip(pending, 'the execution was canceled');
		} else if (sent.rateWaitSpent) {
			// Refused or never sent, so not accepted: these items can be run again at no risk.
			if (sent.attempts === 0) this.counts.requestsSent--;
			this.skip(
				pending,
				`${failure.providerMessage}; nothing was accepted, run these items again later`,
			);
			this.stopIfNodeWillFail();
		} else if (failure.canceled && target.free) {
			// Cancelled after the request went out: an outcome unknown (below), unless nothing was to pay.
			this.skip(pending, 'the execution was canceled');
		} else if (
			failure.response &&
			target.isMissAnswer?.(failure.response) &&
			(await this.addressExistsFor(target))
		) {
			this.settle(pending, {
				kind: 'notFound',
				reason: `${this.options.providerName} found nothing for this input (HTTP ${failure.statusCode})`,
			});
		} else {
			return this.settleRefused(target, pending, sent, values, round);
		}
		return [];
	}

	/** A request that failed for good: its elements fail, unless the provider named the ones at fault. */
	private settleRefused(
		target: BulkEndpoint<TInput>,
		pending: DistinctIndex[],
		sent: FailedSend,
		values: TInput[],
		round: number,
	): DistinctIndex[] {
		const { failure } = sent;
		if (REFUSALS.has(failure.kind))
			(this.counts.refusedStatusCodes ??= []).push(failure.statusCode ?? 0);
		const rejected = findNamedRejections(target, failure, values);
		if (rejected.length > 0) return this.narrow(target, pending, rejected, sent, round);
		this.settle(
			pending,
			requestFailureOutcome(target.provider, failure, sent.attempts, this.options.baseUrl),
		);
		this.stopIfNodeWillFail();
		this.stopIfAccountWide(failure);
		return [];
	}

	/** Settles the rejected elements; returns the rest to send again, unless sending stopped or rounds ran out. */
	private narrow(
		target: BulkEndpoint<TInput>,
		pending: DistinctIndex[],
		rejected: RejectedElement[],
		sent: FailedSend,
		round: number,
	): DistinctIndex[] {
		const { providerName } = this.options;
		const rejectedPositions = new Set<ChunkPosition>();
		for (const element of rejected) {
			rejectedPositions.add(element.position);
			this.outcomes[pending[element.position]] = {
				kind: 'error',
				cause: 'rejectedInput',
				message: `${providerName} rejected this input: ${element.reason}`,
				httpCode: String(sent.failure.statusCode ?? ''),
			};
		}
		const rest = pending.filter((_, chunkPosition) => !rejectedPositions.has(chunkPosition));
		this.stopIfNodeWillFail();
		if (this.stopReason) {
			this.skip(rest, this.stopReason);
			return [];
		}
		if (rest.length > 0 && round >= MAX_NARROWING_ROUNDS) {
			this.settle(rest, {
				...requestFailureOutcome(target.provider, sent.failure, sent.attempts),
				description: `${providerName} rejected this chunk ${round + 1} times, naming other inputs each time; the rest were not sent again. Fix the rejected inputs and run again.`,
			});
			return [];
		}
		return rest;
	}

	/**
	 * Whether the endpoint's address exists, by its probe, once per run: a 404 there means a wrong Base
	 * URL, so no 404 is a miss and the run stops. Without a probe, or without an answer to it, the
	 * endpoint's own reading of the 404 stands.
	 */
	private async addressExistsFor(target: BulkEndpoint<TInput>): Promise<boolean> {
		const probe = target.addressProbe;
		if (!probe) return true;
		// Not counted in `requests` (those that carried records): it carries none and costs nothing.
		this.addressExists ??= (async () => {
			const sent = await sendWithRetry(
				probe,
				{ idempotent: true, policy: this.options.retry },
				this.transport,
			);
			return sent.ok || sent.failure.statusCode !== 404;
		})();
		const exists = await this.addressExists;
		if (!exists)
			this.stopReason ??= `${this.options.providerName} answered that the address itself does not exist (HTTP 404): check the Base URL`;
		return exists;
	}

	private settle(distinctIndexes: DistinctIndex[], outcome: ItemOutcome): void {
		for (const distinctIndex of distinctIndexes) this.outcomes[distinctIndex] = outcome;
	}

	private countAccepted(
		target: BulkEndpoint<TInput>,
		response: ProviderResponse,
		records: number,
	): void {
		const credits = target.creditsUsedIn?.(response);
		const reported = credits !== undefined && Number.isFinite(credits);
		// An answer that reports exactly 0 credits used sent its records free, whatever the endpoint usually costs.
		if (target.free || (reported && credits === 0)) this.counts.recordsSentFree += records;
		else this.counts.recordsSent += records;
		if (reported) this.counts.creditsUsed = (this.counts.creditsUsed ?? 0) + credits;
	}

	// Without "continue on fail" the node fails anyway: no further chunk should be paid for.
	private stopIfNodeWillFail(): void {
		if (this.options.stopOnFirstFailure)
			this.stopReason ??= `an earlier request to ${this.options.providerName} failed`;
	}

	// A refused key, no credits or a wrong Base URL fails every request alike: even under "continue on
	// fail", sending the rest would only repeat the failure (and a 401 is counted against the key).
	private stopIfAccountWide(failure: RequestFailure): void {
		if (!ACCOUNT_WIDE_FAILURES.has(failure.kind)) return;
		const status = failure.statusCode ? `HTTP ${failure.statusCode}: ` : '';
		this.stopReason ??= `an earlier request to ${this.options.providerName} failed for the whole account (${status}${failure.providerMessage})`;
	}
}

/** Elements a whole-request rejection named, when the endpoint can tell (positions checked). */
function findNamedRejections<TInput>(
	endpoint: BulkEndpoint<TInput>,
	failure: RequestFailure,
	values: TInput[],
): RejectedElement[] {
	if (failure.kind !== 'rejected' || !failure.response || !endpoint.findRejectedElements) return [];
	return endpoint
		.findRejectedElements(failure.response, values)
		.filter(
			(element) =>
				Number.isInteger(element.position) &&
				element.position >= 0 &&
				element.position < values.length,
		);
}

/**
 * Reads each 2xx answer of a request once: judged for a failure inside it, then settled with the
 * same reading. An answer with no data that names a failure is that failure (retried, or not, like
 * its status).
 */
function answerReader<TInput>(
	target: BulkEndpoint<TInput>,
	values: TInput[],
	correlation: ChunkCorrelation,
) {
	let lastRead: { response: ProviderResponse; answers: Answer[] | ItemOutcome } | undefined;
	const readOnce = (response: ProviderResponse) => {
		if (lastRead?.response !== response)
			lastRead = { response, answers: readAnswersSafely(target, response, values, correlation) };
		return lastRead.answers;
	};
	const failureIn = (response: ProviderResponse) => {
		const read = readOnce(response);
		const answers = Array.isArray(read) ? read : undefined;
		if (answers?.some(isDataAnswer)) return undefined;
		const failure = failureInAnswer(target.provider, response, answers);
		return failure === undefined
			? undefined
			: failureInsideAnswer(response, failure, target.idempotent);
	};
	return { readOnce, failureIn };
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
		return unreadableAnswerOutcome(endpoint.provider, response, error, {
			mayHaveCharged: !endpoint.free,
		});
	}
}
