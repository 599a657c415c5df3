import type { DistinctInputs } from './plan-chunks';
import {
	failureInAnswer,
	failureInsideAnswer,
	isDataAnswer,
	notSent,
	requestFailureOutcome,
	unreadableAnswerOutcome,
	type RequestFailure,
} from './request-outcomes';
import { sendWithRetry, type RetryPolicy, type SendDependencies } from './send-with-retry';
import type { Answer, BulkEndpoint, DistinctIndex, ItemOutcome, ProviderResponse } from './types';

/** Rounds of re-sending a chunk without the elements a rejection named: a provider naming one at a time would cost a request each. */
export const MAX_NARROWING_ROUNDS = 2;

/** What the requests of one run cost, counted as they are answered. */
export interface RequestCounts {
	requestsSent: number;
	recordsSent: number; // distinct inputs in accepted (2xx) requests that cost credits
	recordsSentFree: number; // in accepted requests that cost nothing (free endpoint, or 0 credits reported)
	creditsUsed?: number; // what the answers said they used; absent when none said
	refusedStatusCodes?: number[]; // of each refused request (401, 403, 422…, or a 2xx naming a refusal)
}

interface ChunkSenderOptions {
	providerName: string;
	retry: RetryPolicy;
	/** Without "continue on fail" the node fails anyway: no further chunk is paid for after a failure. */
	stopOnFirstFailure: boolean;
	/** The credential's Base URL, named in errors that point at it. */
	baseUrl?: string;
	firstRequest: FirstRequestGate;
}

/**
 * A node run's first request goes alone, so a wrong key, no credits or a wrong Base URL costs one
 * refused request, not a burst. A success or a failure to retry (429, 5xx, no answer) lets the others
 * go at once; a refusal once it is settled, when an account-wide one has stopped the run.
 */
export class FirstRequestGate {
	private taken = false;
	/** Lets the others go (a no-op once they went); declared before `opened`, which sets it. */
	release = () => {};
	private readonly opened = new Promise<void>((resolve) => (this.release = resolve));

	/** True for the first caller, who sends alone; the others resolve (false) once it lets them go. */
	async take(): Promise<boolean> {
		if (!this.taken) return (this.taken = true);
		await this.opened;
		return false;
	}
}

/** A failed request refused for the whole account: sending the rest would only repeat the failure. */
const ACCOUNT_WIDE_FAILURES = new Set<RequestFailure['kind']>(['auth', 'forbidden', 'redirect']);
/** A failed request the provider answered with a refusal (of the key, the account or the inputs). */
const REFUSALS = new Set<RequestFailure['kind']>(['auth', 'forbidden', 'rejected']);

type FailedSend = Extract<Awaited<ReturnType<typeof sendWithRetry>>, { ok: false }>;
/** One request: the distinct inputs it carries to `target`, and which narrowing round it is. */
interface ChunkRequest<TInput> {
	target: BulkEndpoint<TInput>;
	pending: DistinctIndex[];
	values: TInput[];
	round: number;
}
/** A 2xx answer as read: its answers (its items' outcome if unreadable), a failure named beside data. */
interface Read {
	answers: Answer[] | ItemOutcome;
	namedBesideData?: RequestFailure;
}

/**
 * Sends a run's chunks with retry, narrowed after a rejection naming elements, one by one to the
 * small-chunk endpoint when too few are left; keeps one outcome per distinct input, the request
 * counts, and why no further chunk should be sent.
 */
export class ChunkSender<TInput> {
	/** One outcome per distinct input, once its chunk is settled. */
	readonly outcomes: Array<ItemOutcome | undefined>;
	readonly counts: RequestCounts = { requestsSent: 0, recordsSent: 0, recordsSentFree: 0 };
	private stopReason: string | undefined;
	/** Whether the address of an endpoint whose 404 reads as a miss exists (addressProbe), once per run. */
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

	skip(chunk: DistinctIndex[], reason: string): void {
		this.settle(chunk, notSent(reason));
	}

	/** Sends one chunk to `target`, narrowing named rejections a bounded number of times. */
	async send(target: BulkEndpoint<TInput>, chunk: DistinctIndex[]): Promise<void> {
		const minimum = (target.batchLimits ?? target.provider.limits).minBatchSize ?? 1;
		const gate = this.options.firstRequest;
		let pending = chunk;
		for (let round = 0; pending.length > 0 && pending.length >= minimum; round++) {
			// A request that waited for the first one's answer is not sent if that answer stopped the run.
			const reason = (await gate.take()) ? undefined : this.reasonNotToSend();
			if (reason) return this.skip(pending, reason);
			const values = pending.map((distinctIndex) => this.distinct.values[distinctIndex]);
			// Only the first request's release counts: the others passed the gate once it was open.
			const request = { target, pending, values, round };
			pending = (await this.sendRequest(request).finally(gate.release)) ?? [];
		}
		if (pending.length === 0) return;
		// Too few for the endpoint's minimum: one by one to its small-chunk endpoint, if it has one
		// (each passes the gate, where it is not sent once sending stopped).
		const single = target.smallChunkEndpoint;
		const tooFew = `${this.options.providerName} takes at least ${minimum} inputs per request`;
		if (!single) return this.skip(pending, tooFew);
		for (const distinctIndex of pending) await this.send(single, [distinctIndex]);
	}

	/** One request; returns what a named rejection left to send again. */
	private async sendRequest(request: ChunkRequest<TInput>): Promise<DistinctIndex[] | void> {
		const { target, pending, values } = request;
		const correlation = {
			itemIndexesOf: pending.map((distinctIndex) => this.distinct.itemIndexesOf[distinctIndex]),
		};
		const read: Read = { answers: [] };
		const { retry: policy, firstRequest } = this.options;
		const sent = await sendWithRetry(
			target.buildRequest(values, correlation),
			{
				idempotent: target.idempotent,
				policy,
				records: values.length,
				failureIn: (response) =>
					readAnswer(target, response, read, () =>
						target.readAnswers(response, values, correlation),
					),
				// A success or a failure to retry lets the others go (FirstRequestGate).
				onAttempt: (failure) => (failure?.retryable === false ? undefined : firstRequest.release()),
			},
			this.transport,
		);
		// Not counted: cancelled before it went out, or never sent for the rate-limit wait.
		if (sent.ok || !(sent.cancelled || (sent.rateWaitSpent && sent.attempts === 0)))
			this.counts.requestsSent++;
		if (!sent.ok) return await this.settleFailed(request, sent);
		this.settleAnswered(request, sent.response, read);
	}

	private settleAnswered(
		{ target, pending }: ChunkRequest<TInput>,
		response: ProviderResponse,
		{ answers, namedBesideData }: Read,
	): void {
		// Only a readable answer counts as sent: an error inside a 2xx did nothing, an unreadable one
		// is an outcome unknown (its items say so).
		if (!Array.isArray(answers)) return this.fail(pending, answers);
		const credits = target.creditsUsedIn?.(response);
		const reported = credits !== undefined && Number.isFinite(credits);
		// An answer reporting exactly 0 credits used sent its records free, whatever the endpoint costs.
		if (target.free || (reported && credits === 0)) this.counts.recordsSentFree += pending.length;
		else this.counts.recordsSent += pending.length;
		if (reported) this.counts.creditsUsed = (this.counts.creditsUsed ?? 0) + credits;
		// Beside data, a named failure keeps what was found (it was paid for) but makes no miss.
		const failed = namedBesideData && requestFailureOutcome(target.provider, namedBesideData, 1);
		const noAnswer = `${this.options.providerName} returned no answer for this input`;
		pending.forEach((distinctIndex, chunkPosition) => {
			const answer: Answer = answers[chunkPosition] ?? { kind: 'notFound', reason: noAnswer };
			this.outcomes[distinctIndex] =
				failed && !isDataAnswer(answer)
					? failed
					: answer.kind === 'error'
						? { kind: 'error', cause: 'rejectedInput', message: answer.message }
						: answer;
		});
	}

	/** Settles a failed request's elements; returns those to send again after a named rejection. */
	private async settleFailed(
		request: ChunkRequest<TInput>,
		{ failure, attempts, cancelled, rateWaitSpent }: FailedSend,
	): Promise<DistinctIndex[] | void> {
		const { target, pending, values } = request;
		const { providerName, baseUrl } = this.options;
		// Cancelled after the request went out: an outcome unknown (below), unless nothing was to pay.
		if (cancelled || (failure.canceled && target.free))
			return this.skip(pending, 'the execution was canceled');
		// Refused or never sent, so not accepted: these items can be run again at no risk.
		if (rateWaitSpent)
			return this.fail(
				pending,
				notSent(`${failure.providerMessage}; nothing was accepted, run these items again later`),
			);
		const { response, statusCode } = failure;
		if (response && target.isMissAnswer?.(response) && (await this.addressExistsFor(target)))
			return this.settle(pending, {
				kind: 'notFound',
				reason: `${providerName} found nothing for this input (HTTP ${statusCode})`,
			});
		if (REFUSALS.has(failure.kind)) (this.counts.refusedStatusCodes ??= []).push(statusCode ?? 0);
		const named =
			failure.kind === 'rejected' && response
				? target.findRejectedElements?.(response, values)
				: undefined;
		const rejected = (named ?? []).filter(
			({ position }) => Number.isInteger(position) && position >= 0 && position < values.length,
		);
		if (rejected.length > 0) return this.narrow(request, rejected, { failure, attempts });
		const outcome = requestFailureOutcome(target.provider, failure, attempts, baseUrl);
		this.fail(pending, outcome, failure);
	}

	/**
	 * Settles the elements a whole-request rejection named; returns the rest to send again, unless
	 * sending stopped or rounds ran out.
	 */
	private narrow(
		{ target, pending, round }: ChunkRequest<TInput>,
		rejected: Array<{ position: number; reason: string }>,
		{ failure, attempts }: Pick<FailedSend, 'failure' | 'attempts'>,
	): DistinctIndex[] | void {
		const { providerName } = this.options;
		const httpCode = String(failure.statusCode ?? '');
		for (const { position, reason } of rejected) {
			const message = `${providerName} rejected this input: ${reason}`;
			this.outcomes[pending[position]] = {
				kind: 'error',
				cause: 'rejectedInput',
				message,
				httpCode,
			};
		}
		const rejectedPositions = new Set(rejected.map(({ position }) => position));
		const rest = pending.filter((_, chunkPosition) => !rejectedPositions.has(chunkPosition));
		this.stopAfterFailure();
		if (this.stopReason) return this.skip(rest, this.stopReason);
		if (rest.length === 0 || round < MAX_NARROWING_ROUNDS) return rest;
		this.settle(rest, {
			...requestFailureOutcome(target.provider, failure, attempts),
			description: `${providerName} rejected this chunk ${round + 1} times, naming other inputs each time; the rest were not sent again. Fix the rejected inputs and run again.`,
		});
	}

	/**
	 * Whether the endpoint's address exists, by its probe: a 404 there means a wrong Base URL, so no
	 * 404 is a miss and the run stops. Without a probe or an answer to it, the endpoint's reading stands.
	 */
	private async addressExistsFor(target: BulkEndpoint<TInput>): Promise<boolean> {
		const probe = target.addressProbe;
		if (!probe) return true;
		// Not counted in requestsSent: it carries no records and costs nothing.
		this.addressExists ??= sendWithRetry(
			probe,
			{ idempotent: true, policy: this.options.retry },
			this.transport,
		).then((sent) => sent.ok || sent.failure.statusCode !== 404);
		const exists = await this.addressExists;
		if (!exists)
			this.stopReason ??= `${this.options.providerName} answered that the address itself does not exist (HTTP 404): check the Base URL`;
		return exists;
	}

	private settle(distinctIndexes: DistinctIndex[], outcome: ItemOutcome): void {
		for (const distinctIndex of distinctIndexes) this.outcomes[distinctIndex] = outcome;
	}

	private fail(distinctIndexes: DistinctIndex[], outcome: ItemOutcome, failure?: RequestFailure) {
		this.settle(distinctIndexes, outcome);
		this.stopAfterFailure(failure);
	}

	// A refused key, no credits or a wrong Base URL fails every request alike: even under "continue on
	// fail", sending the rest would only repeat the failure (and a 401 is counted against the key).
	private stopAfterFailure(failure?: RequestFailure): void {
		const { providerName, stopOnFirstFailure } = this.options;
		if (stopOnFirstFailure) this.stopReason ??= `an earlier request to ${providerName} failed`;
		if (!failure || !ACCOUNT_WIDE_FAILURES.has(failure.kind)) return;
		const status = failure.statusCode ? `HTTP ${failure.statusCode}: ` : '';
		this.stopReason ??= `an earlier request to ${providerName} failed for the whole account (${status}${failure.providerMessage})`;
	}
}

/**
 * Reads a 2xx answer (once: `read` keeps it to settle the request). One with data is no failed
 * request, though a failure named beside it is kept; one without that names a failure is that failure
 * (retried, or not, like its status; a rate limit retried only where resending cannot pay twice).
 */
function readAnswer<TInput>(
	target: BulkEndpoint<TInput>,
	response: ProviderResponse,
	read: Read,
	readAnswers: () => Answer[],
): RequestFailure | undefined {
	try {
		read.answers = readAnswers();
	} catch (error) {
		const mayHaveCharged = !target.free;
		read.answers = unreadableAnswerOutcome(target.provider, response, error, { mayHaveCharged });
	}
	const answers = Array.isArray(read.answers) ? read.answers : undefined;
	const withData = answers?.some(isDataAnswer) === true;
	const words = failureInAnswer(target.provider, response, answers);
	const failure =
		words === undefined
			? undefined
			: failureInsideAnswer(response, words, target.idempotent && !withData);
	read.namedBesideData = withData ? failure : undefined;
	return withData ? undefined : failure;
}
