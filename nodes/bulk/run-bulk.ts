import type { InFlightLimiter } from './in-flight-limiter';
import type { Clock, KeyPacer, RateWaitMeter } from './key-pacer';
import {
	applyRecordLimit,
	groupIdenticalInputs,
	planChunks,
	type DistinctInputs,
} from './plan-chunks';
import { notSent } from './request-outcomes';
import { ChunkSender, FirstRequestGate, type RequestCounts } from './send-chunk';
import type { RetryPolicy, SendRequest } from './send-with-retry';
import type { BulkEndpoint, DistinctIndex, InputSlot, ItemIndex, ItemOutcome } from './types';

export interface BulkRunSettings {
	/** Largest chunk to send; clamped to the endpoint's limits. */
	batchSize: number;
	/** Chunks worked on at once; clamped to the provider's limits. */
	concurrency: number;
	deduplicate: boolean;
	retry: RetryPolicy;
	/** Without "continue on fail": nothing sent if an input is invalid, no chunk after a failure. */
	stopOnFirstFailure: boolean;
	/** Most distinct inputs per run to a paid endpoint (0 = no limit); see applyRecordLimit. */
	maxRecordsPerRun: number;
}

export interface BulkRunEnvironment {
	send: SendRequest;
	clock: Clock;
	isCancelled: () => boolean;
	/** Shared by every run on the key in this process (limitsForKey), as is `inFlight`. */
	pacer: KeyPacer;
	rateWait: RateWaitMeter;
	inFlight: InFlightLimiter;
	/** Named in errors that point at it (a 404 for the request itself). */
	baseUrl?: string;
	/** Shared by every endpoint of the node run; one for this call alone when absent. */
	firstRequest?: FirstRequestGate;
}

export interface BulkRunStats extends RequestCounts {
	distinctInputs: number;
	chunks: number;
	/** Valid inputs identical to an earlier one: sent once, they share its answer. */
	duplicateItems: number;
}

/**
 * The bulk engine: sends each distinct valid slot's input once, in chunks within the endpoint's
 * limits, and returns one outcome per slot, same order: validate, dedupe, limit, chunk, send, map back.
 */
export async function runBulk<TInput>(
	endpoint: BulkEndpoint<TInput>,
	slots: Array<InputSlot<TInput>>,
	settings: BulkRunSettings,
	environment: BulkRunEnvironment,
): Promise<{ outcomes: ItemOutcome[]; stats: BulkRunStats }> {
	// Validate: an invalid item is an error and a skipped one keeps its outcome, before anything is sent.
	// The valid ones' are filled stage by stage (by ItemIndex); every one is set when the run ends.
	const outcomes = new Array<ItemOutcome>(slots.length);
	const validInputs: Array<{ itemIndex: ItemIndex; value: TInput }> = [];
	slots.forEach((slot, itemIndex) => {
		if (slot.kind === 'valid') validInputs.push({ itemIndex, value: slot.value });
		else outcomes[itemIndex] = slot.kind === 'skipped' ? slot.outcome : invalidInputError(slot);
	});
	const stats: BulkRunStats = { distinctInputs: 0, chunks: 0, duplicateItems: 0, ...NONE_SENT };
	/** A run that sends nothing: every valid item gets `refusal`. */
	const refuse = (refusal: ItemOutcome) => {
		for (const { itemIndex } of validInputs) outcomes[itemIndex] = refusal;
		return { outcomes, stats };
	};
	if (settings.stopOnFirstFailure && slots.some((slot) => slot.kind === 'invalid'))
		return refuse(notSent('an input item is invalid, so nothing was sent'));
	const identityOf = (value: TInput) => endpoint.identityOf(value);
	const grouped = groupIdenticalInputs(validInputs, identityOf, settings.deduplicate);
	stats.distinctInputs = grouped.values.length;
	stats.duplicateItems = validInputs.length - grouped.values.length;
	const limited = applyRecordLimit(endpoint, grouped, settings);
	if ('refusal' in limited) return refuse(limited.refusal);
	const { distinct, heldBack } = limited;
	if (heldBack)
		for (const itemIndex of heldBack.itemIndexes) outcomes[itemIndex] = heldBack.outcome;

	const { chunks, concurrency } = planChunks(endpoint, distinct, settings);
	stats.chunks = chunks.length;
	const sender = await sendChunks(endpoint, distinct, chunks, concurrency, settings, environment);
	// Map back: each distinct input's outcome goes to every input item that carried it.
	distinct.itemIndexesOf.forEach((itemIndexes, distinctIndex) => {
		const outcome = sender.outcomes[distinctIndex] ?? notSent('no request was made for this input');
		for (const itemIndex of itemIndexes)
			outcomes[itemIndex] = carryWarnings(slots[itemIndex], outcome);
	});
	return { outcomes, stats: { ...stats, ...sender.counts } };
}

const NONE_SENT: RequestCounts = { requestsSent: 0, recordsSent: 0, recordsSentFree: 0 };

function invalidInputError(slot: InputSlot<unknown> & { kind: 'invalid' }): ItemOutcome {
	const { message, field, description } = slot;
	const error = { kind: 'error', cause: 'invalidInput', message, field } as const;
	return description ? { ...error, description } : error;
}

/** Values left out of an item's request stay named through every later step (a poll, an enrichment). */
export function carryWarnings<T>(
	from: InputSlot<T> | ItemOutcome | undefined,
	outcome: ItemOutcome,
): ItemOutcome {
	const warnings = from !== undefined && 'warnings' in from ? from.warnings : undefined;
	if (!warnings?.length || 'warnings' in outcome) return outcome;
	const { kind } = outcome;
	return kind === 'error' || kind === 'skipped' || kind === 'overLimit'
		? outcome
		: { ...outcome, warnings };
}

/** Runs `task` on every item, at most `concurrency` at once; items not started once `isCancelled` says so are left. */
export async function forEachConcurrently<T>(
	items: T[],
	concurrency: number,
	task: (item: T) => Promise<void>,
	isCancelled: () => boolean = () => false,
): Promise<void> {
	const queue = items.slice();
	const worker = async () => {
		for (let next = queue.shift(); next && !isCancelled(); next = queue.shift()) await task(next);
	};
	await Promise.all(
		Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker),
	);
}

/** Send: a chunk not to be sent any more is settled as such. */
async function sendChunks<TInput>(
	endpoint: BulkEndpoint<TInput>,
	distinct: DistinctInputs<TInput>,
	chunks: DistinctIndex[][],
	concurrency: number,
	settings: BulkRunSettings,
	environment: BulkRunEnvironment,
): Promise<ChunkSender<TInput>> {
	const sender = new ChunkSender(distinct, environment, {
		providerName: endpoint.provider.name,
		retry: settings.retry,
		stopOnFirstFailure: settings.stopOnFirstFailure,
		baseUrl: environment.baseUrl,
		firstRequest: environment.firstRequest ?? new FirstRequestGate(),
	});
	await forEachConcurrently(chunks, concurrency, async (chunk) => {
		const reason = sender.reasonNotToSend();
		if (reason) sender.skip(chunk, reason);
		else await sender.send(endpoint, chunk);
	});
	return sender;
}
