import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import { type OptionValues, readBulkSettings, type BulkNodeSettings } from './bulk-options';
import { RateWaitMeter, realClock } from './key-pacer';
import { pollUntilSettled, type PollEndpoint, type PollSchedule } from './poll-until-settled';
import { carryWarnings, runBulk, type BulkRunEnvironment } from './run-bulk';
import { FirstRequestGate } from './send-chunk';
import {
	boundedAnswer,
	buildOutputItems,
	firstItemError,
	readInputSlots,
	STATUS_OF,
	toolAnswerMode,
	type SlotFields,
} from './operation';
import { limitsForKey } from './in-flight-limiter';
import { connectToProvider, type ProviderConnection } from './transport';
import type { BulkEndpoint, InputSlot, ItemOutcome, Provider, SessionPart } from './types';
import { describeDuration } from './values';
import type { RateWindow } from './window-pacer';

/** Outcomes a provider answered with results or accepted: possibly charged. */
const PAID_KINDS = new Set<ItemOutcome['kind']>(['found', 'submitted', 'pending']);

/**
 * One node run against one provider: options read once, one connection, rate window and in-flight
 * bound for every endpoint the operation runs (open, run endpoints, output items). Contact
 * operations plug in the contact part (nodes/contact); the engine knows no fields.
 */
export class BulkSession {
	private readonly totals = {
		recordsSent: 0,
		recordsSentFree: 0,
		requests: 0,
		duplicateItems: 0,
		creditsUsed: undefined as number | undefined,
	};
	/** The HTTP status of each request the provider refused, for the hint. */
	private readonly refusedStatusCodes: number[] = [];
	private readonly node: INode;

	private constructor(
		private readonly context: IExecuteFunctions,
		readonly items: INodeExecutionData[],
		private readonly provider: Provider,
		readonly settings: BulkNodeSettings,
		private readonly connection: ProviderConnection,
		private readonly environment: BulkRunEnvironment,
		private readonly part: SessionPart = {},
	) {
		// In the constructor: a field initializer reading a parameter property breaks under ES2022 class fields.
		this.node = context.getNode();
	}

	/** Reads the options (unless the operation did) and connects to the provider. */
	static async open(
		context: IExecuteFunctions,
		items: INodeExecutionData[],
		provider: Provider,
		part?: SessionPart,
		options?: OptionValues,
	): Promise<BulkSession> {
		const settings = readBulkSettings(context, provider.limits, options);
		const signal = context.getExecutionCancelSignal?.();
		const { requestTimeoutMs, run } = settings;
		const connection = await connectToProvider(context, provider, requestTimeoutMs, signal);
		const isCancelled = () => signal?.aborted === true;
		const environment = {
			// One budget for waiting on the rate limit across everything this node run sends (run and poll).
			rateWait: new RateWaitMeter(run.retry.maxRateLimitWaitMs),
			send: connection.send,
			clock: realClock(isCancelled),
			isCancelled,
			baseUrl: connection.baseUrl,
			// The node run's first request goes alone, whichever endpoint sends it (a match, then an enrichment).
			firstRequest: new FirstRequestGate(),
			// Shared with every run on this key in this process; this run's own bound is its worker count.
			...limitsForKey(connection.keyId, provider.limits),
		};
		return new BulkSession(context, items, provider, settings, connection, environment, part);
	}

	get credentials(): Readonly<Record<string, unknown>> {
		return this.connection.credentials;
	}

	readSlots<T>(...slotFields: SlotFields<T>): Array<InputSlot<T>> {
		return readInputSlots(this.context, this.items, ...slotFields);
	}

	/** One outcome per slot; without "continue on fail" the first failed item's error is thrown. */
	async run<TInput>(
		endpoint: BulkEndpoint<TInput>,
		readSlots: Array<InputSlot<TInput>>,
	): Promise<ItemOutcome[]> {
		if (!endpoint.free && this.node.retryOnFail === true) {
			// n8n's Retry On Fail re-runs the whole node: paid chunks paid again, requests of unknown outcome
			// re-sent. The node retries each request itself, never one that may have been accepted.
			throw new NodeOperationError(
				this.node,
				`Turn off "Retry On Fail" in this node's Settings: n8n's retry re-runs the whole node, which would send (and pay ${this.provider.name} for) the records already enriched again`,
				{
					description: `Nothing was sent. This node retries each request safely by itself (rate limits, 5xx answers and timeouts, see Options › Max Retries per Request), and never re-sends a request ${this.provider.name} may already have accepted, so Retry On Fail adds nothing but double charges. To keep going past failed items, use Settings › On Error instead.`,
				},
			);
		}
		const slots = this.part.skipSlots?.(this.items, readSlots) ?? readSlots;
		assertSomeItemHasIdentifier(this.node, readSlots, slots);
		const { outcomes, stats } = await runBulk(endpoint, slots, this.settings.run, this.environment);
		this.totals.recordsSent += stats.recordsSent;
		this.totals.recordsSentFree += stats.recordsSentFree;
		// A match and the enrichment after it see the same duplicates: count them once.
		this.totals.duplicateItems = Math.max(this.totals.duplicateItems, stats.duplicateItems);
		this.totals.requests += stats.requestsSent;
		this.refusedStatusCodes.push(...(stats.refusedStatusCodes ?? []));
		if (stats.creditsUsed !== undefined)
			this.totals.creditsUsed = (this.totals.creditsUsed ?? 0) + stats.creditsUsed;
		return this.unlessFailed(outcomes);
	}

	/** Waits for `submitted` outcomes to settle: see pollUntilSettled. */
	async poll(
		endpoint: PollEndpoint,
		outcomes: ItemOutcome[],
		schedule: PollSchedule,
	): Promise<ItemOutcome[]> {
		const { run } = this.settings;
		const polled = await pollUntilSettled(endpoint, outcomes, schedule, run, this.environment);
		const settled = polled.map((outcome, index) => carryWarnings(outcomes[index], outcome));
		return this.unlessFailed(settled);
	}

	/** One output item per input item, paired; the first carries the run summary, also shown as a hint. */
	toOutputItems(
		outcomes: ItemOutcome[],
		options: { shapeData?: (data: IDataObject) => IDataObject } = {},
	): INodeExecutionData[] {
		const { rateWait, clock } = this.environment;
		const runSummary = summarizeRun(this.provider.name, this.totals, outcomes);
		const waited = { waitedMs: rateWait.waitedMs(clock.now()), refusals: rateWait.refusals };
		const { rateLimit } = this.provider.limits;
		const message = describeRun(runSummary, waited, rateLimit, this.refusedStatusCodes);
		this.context.addExecutionHints?.({ message, type: 'info', location: 'outputPane' });
		// An AI agent's tool call: the provider's findings alone (its arguments are no news to it),
		// compact where the part says how, and failures as answers it can act on.
		const tool = toolAnswerMode(this.context);
		const output = buildOutputItems(this.node, this.items, outcomes, {
			includeInputFields: tool ? false : this.settings.includeInputFields,
			shapeData: options.shapeData,
			part: this.part,
			ownFields: this.provider.ownFields,
			runSummary: tool ? undefined : runSummary,
			secrets: this.connection.secrets,
			useErrorOutput: !tool && this.node.onError === 'continueErrorOutput',
		});
		if (!tool) return output;
		const { answerForTool } = this.part;
		return output.map((item) =>
			boundedAnswer(answerForTool ? answerForTool(item, tool, this.provider.name) : item),
		);
	}

	private unlessFailed(outcomes: ItemOutcome[]): ItemOutcome[] {
		if (!this.settings.run.stopOnFirstFailure) return outcomes;
		const error = firstItemError(this.node, outcomes, this.connection.secrets);
		if (!error) return outcomes;
		// Sending stopped at the failure, but what was enriched before it was paid for: say so.
		const done = outcomes.filter((outcome) => PAID_KINDS.has(outcome.kind)).length;
		if (done > 0) {
			const note = `${done} of ${outcomes.length} items were already enriched or submitted (and may have been charged) before this failure; n8n discards a failed node's output. To keep such results, set the node's Settings › On Error to "Continue" (or "Continue (using error output)").`;
			error.description = error.description ? `${error.description} ${note}` : note;
		}
		throw error;
	}
}

/**
 * No item with an identifier: the field is almost certainly mapped wrong, fail before sending.
 * Items skipped as already complete (`finalSlots`, after a session part's skip) need none.
 */
export function assertSomeItemHasIdentifier<T>(
	node: INode,
	readSlots: Array<InputSlot<T>>,
	finalSlots: Array<InputSlot<T>>,
): void {
	const missingOutcomeOf = (slot: InputSlot<T>) =>
		slot.kind === 'skipped' &&
		slot.outcome.kind === 'skipped' &&
		slot.outcome.missingIdentifier !== undefined
			? slot.outcome
			: undefined;
	if (readSlots.length === 0 || !readSlots.every(missingOutcomeOf)) return;
	const stillMissing = finalSlots.map(missingOutcomeOf).find(Boolean);
	if (!stillMissing) return;
	const label = stillMissing.missingIdentifier as string;
	const otherWay = stillMissing.otherWay
		? ` If the items have no ${label} but other details, use ${stillMissing.otherWay}.`
		: '';
	throw new NodeOperationError(
		node,
		`No item has a ${label}: all ${readSlots.length} were empty, so nothing was sent. The ${label} parameter is probably mapped to the wrong field.`,
		{
			description: `Check the ${label} expression against the input items' field names.${otherWay} If the previous node (e.g. Match) really found none of these records, there is nothing to enrich.`,
		},
	);
}

/** What one node run did, across every endpoint it ran: the first output item's `enrichment_run`. */
export function summarizeRun(
	providerName: string,
	totals: { recordsSent: number; requests: number } & Partial<
		Record<'recordsSentFree' | 'duplicateItems' | 'creditsUsed', number>
	>,
	outcomes: ItemOutcome[],
): IDataObject {
	const byKind: Partial<Record<string, number>> = {};
	for (const { kind } of outcomes) byKind[kind] = (byKind[kind] ?? 0) + 1;
	const items = Object.entries(STATUS_OF).map(([kind, s]) => [`items_${s}`, byKind[kind] ?? 0]);
	return {
		provider: providerName,
		...Object.fromEntries(items),
		records_sent: totals.recordsSent,
		records_sent_free: totals.recordsSentFree ?? 0,
		duplicates_sent_once: totals.duplicateItems ?? 0,
		requests: totals.requests,
		credits_used: totals.creditsUsed ?? null,
	};
}

/** The hint: "Explorium: 147 found, 3 not found; 150 records sent in 3 requests, free." */
export function describeRun(
	summary: IDataObject,
	rateWait: { waitedMs: number; refusals: number } = { waitedMs: 0, refusals: 0 },
	window?: RateWindow,
	refusedStatusCodes: number[] = [],
): string {
	// Each status with items, as the summary orders them: "1 found, 2 errors, 1 not sent (Max Records per Run)".
	const counts = Object.values(STATUS_OF).flatMap((status) => {
		const items = Number(summary[`items_${status}`] ?? 0);
		if (items === 0) return [];
		if (status === 'not_sent') return [`${items} not sent (Max Records per Run)`];
		return [status === 'error' ? count(items, 'error') : `${items} ${status.replace('_', ' ')}`];
	});
	const duplicates = Number(summary.duplicates_sent_once ?? 0);
	const credits = summary.credits_used;
	const { waitedMs, refusals } = rateWait;
	const times429 = refusals > 0 ? ` (${refusals} × 429)` : '';
	const parts = [
		`${summary.provider}: ${counts.length > 0 ? counts.join(', ') : 'no items'}`,
		describeSending(summary, refusedStatusCodes),
		duplicates > 0 &&
			`${count(duplicates, 'duplicate item')} sent once (${duplicates === 1 ? 'it shares' : 'they share'} an answer)`,
		credits !== null &&
			credits !== undefined &&
			`${summary.provider} reported ${count(credits, 'credit')} used`,
		// "waited 3 min 5 s for the rate limit (12 × 429)"; no wait under one second.
		waitedMs >= 500
			? `waited ${describeDuration(waitedMs)} for the rate limit${times429}`
			: refusals > 0 && `${refusals} × 429 from the provider's rate limit`,
		describeLeastTime(summary, window),
	];
	return `${parts.filter(Boolean).join('; ')}.`;
}

/**
 * "at Explorium's 200 records a minute per key, 600 records take at least 2 min": where the
 * provider counts records, a large run is slow whatever the settings; the user should know why.
 */
function describeLeastTime(summary: IDataObject, window: RateWindow | undefined): string {
	if (window?.unit !== 'record') return '';
	const records = Number(summary.records_sent ?? 0) + Number(summary.records_sent_free ?? 0);
	if (records <= window.limit) return '';
	const leastMs = ((records - window.limit) / window.limit) * window.windowMs;
	const rate = window.windowMs === 60_000 ? 'a minute' : `per ${describeDuration(window.windowMs)}`;
	return `at ${String(summary.provider)}'s ${window.limit} records ${rate} per key, ${records} records take at least ${describeDuration(leastMs)}`;
}

/**
 * "140 records sent in 3 requests", "… (and 150 free)", "150 records sent in 3 requests, free",
 * "nothing sent", and the requests the provider refused: "1 request refused (HTTP 401)".
 */
function describeSending(summary: IDataObject, refusedStatusCodes: number[]): string {
	const paid = Number(summary.records_sent ?? 0);
	const free = Number(summary.records_sent_free ?? 0);
	const requests = Number(summary.requests ?? 0) - refusedStatusCodes.length;
	const statuses = [...new Set(refusedStatusCodes.filter((status) => status >= 400))]
		.sort((a, b) => a - b)
		.map((status) => `HTTP ${status}`);
	const refused =
		refusedStatusCodes.length > 0
			? `${count(refusedStatusCodes.length, 'request')} refused${statuses.length > 0 ? ` (${statuses.join(', ')})` : ''}`
			: '';
	if (requests <= 0) return refused || 'nothing sent';
	const inRequests = `in ${count(requests, 'request')}`;
	const sent =
		paid === 0 && free > 0
			? `${count(free, 'record')} sent ${inRequests}, free`
			: `${count(paid, 'record')} sent${free > 0 ? ` (and ${free} free)` : ''} ${inRequests}`;
	return refused ? `${sent}; ${refused}` : sent;
}

/** "1 record", "2 records". */
function count(value: unknown, noun: string): string {
	return `${String(value)} ${noun}${value === 1 ? '' : 's'}`;
}
