import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { OptionValues } from '../shared/option-reader';
import { readBulkSettings, type BulkNodeSettings } from './bulk-options';
import { realClock } from './clock';
import { limitsForKey } from './key-limits';
import { RateWaitMeter } from './rate-limiter';
import { buildOutputItems, firstItemError } from './output-items';
import { describeRun, summarizeRun, type RunTotals } from './run-summary';
import { assertSomeItemHasIdentifier } from './skip-items';
import { pollUntilSettled, type PollEndpoint, type PollSchedule } from './poll-until-settled';
import { runBulk, type BulkRunEnvironment } from './run-bulk';
import { FirstRequestGate } from './send-chunk';
import type { SessionPart } from './session-part';
import { boundedAnswer, toolAnswerMode } from './tool-answer';
import { connectToProvider, type ProviderConnection } from './transport';
import type { BulkEndpoint, InputSlot, ItemOutcome, Provider } from './types';

/** Outcomes a provider answered with results or accepted: possibly charged. */
const PAID_KINDS = new Set<ItemOutcome['kind']>(['found', 'submitted', 'pending']);

/** What the runs of one session sent and spent, for the run summary. */
interface SessionTotals extends RunTotals {
	recordsSentFree: number;
	duplicateItems: number;
}

/**
 * One node run against one provider: the shared options read once, one connection, one request
 * window and one bound on requests in flight for every endpoint the operation runs. An operation
 * reads top to bottom: open a session on its items, run one or more endpoints, turn the outcomes
 * into items. Contact operations plug in the contact part (nodes/contact); the engine knows no fields.
 */
export class BulkSession {
	private readonly totals: SessionTotals = {
		recordsSent: 0,
		recordsSentFree: 0,
		requests: 0,
		duplicateItems: 0,
		creditsUsed: undefined,
	};
	/** The HTTP status of each request the provider refused, for the hint. */
	private readonly refusedStatusCodes: number[] = [];
	private readonly node: INode;

	private constructor(
		private readonly context: IExecuteFunctions,
		private readonly items: INodeExecutionData[],
		private readonly provider: Provider,
		readonly settings: BulkNodeSettings,
		private readonly connection: ProviderConnection,
		private readonly environment: BulkRunEnvironment & { rateWait: RateWaitMeter },
		private readonly part: SessionPart = {},
	) {
		this.node = context.getNode();
	}

	/** Reads the options (unless the operation read them), connects to the provider and opens the session on the node's input items. */
	static async open(
		context: IExecuteFunctions,
		items: INodeExecutionData[],
		provider: Provider,
		part?: SessionPart,
		options?: OptionValues,
	): Promise<BulkSession> {
		const settings = readBulkSettings(context, provider.limits, options);
		const cancelSignal = context.getExecutionCancelSignal?.();
		const connection = await connectToProvider(
			context,
			provider,
			settings.requestTimeoutMs,
			cancelSignal,
		);
		const isCancelled = () => cancelSignal?.aborted === true;
		const environment = {
			// One budget for waiting on the rate limit across everything this node run sends (run and poll).
			rateWait: new RateWaitMeter(settings.run.retry.maxRateLimitWaitMs),
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

	/**
	 * Runs an endpoint over one slot per input item and returns one outcome per slot. Without
	 * "continue on fail" the first failed item's error is thrown (after all that could be sent was).
	 */
	async run<TInput>(
		endpoint: BulkEndpoint<TInput>,
		readSlots: Array<InputSlot<TInput>>,
	): Promise<ItemOutcome[]> {
		if (!endpoint.free && this.node.retryOnFail === true)
			throw retryOnFailRefusal(this.node, this.provider);
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
		const withWarnings = outcomes.map((outcome, index) => carryWarnings(slots[index], outcome));
		this.throwFirstErrorUnlessContinuing(withWarnings);
		return withWarnings;
	}

	/** Waits for `submitted` outcomes to settle by polling; see pollUntilSettled. */
	async poll(
		endpoint: PollEndpoint,
		outcomes: ItemOutcome[],
		schedule: PollSchedule,
	): Promise<ItemOutcome[]> {
		const polled = await pollUntilSettled(
			endpoint,
			outcomes,
			schedule,
			this.settings.run,
			this.environment,
		);
		const settled = polled.map((outcome, index) => carryWarnings(outcomes[index], outcome));
		this.throwFirstErrorUnlessContinuing(settled);
		return settled;
	}

	/**
	 * Exactly one output item per input item, same order, paired to it; the first carries the run's
	 * summary (items found, not found, failed; records sent, requests, credits used), which is also
	 * shown as a hint in the editor.
	 */
	toOutputItems(
		outcomes: ItemOutcome[],
		options: { shapeData?: (data: IDataObject) => IDataObject } = {},
	): INodeExecutionData[] {
		const { rateWait, clock } = this.environment;
		const runSummary = summarizeRun(this.provider.name, this.totals, outcomes);
		const waited = { waitedMs: rateWait.waitedMs(clock.now()), refusals: rateWait.refusals };
		this.context.addExecutionHints?.({
			message: describeRun(
				runSummary,
				waited,
				this.provider.limits.rateLimit,
				this.refusedStatusCodes,
			),
			type: 'info',
			location: 'outputPane',
		});
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

	private throwFirstErrorUnlessContinuing(outcomes: ItemOutcome[]): void {
		if (!this.settings.run.stopOnFirstFailure) return;
		const error = firstItemError(this.node, outcomes, this.connection.secrets);
		if (!error) return;
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
 * The values left out of an item's request (malformed, not needed) stay named on whatever the
 * provider answered for it, through every later step (a poll, an enrichment after a match).
 */
function carryWarnings<T>(
	from: InputSlot<T> | ItemOutcome | undefined,
	outcome: ItemOutcome,
): ItemOutcome {
	const warnings = from !== undefined && 'warnings' in from ? from.warnings : undefined;
	if (!warnings || warnings.length === 0 || 'warnings' in outcome) return outcome;
	if (
		outcome.kind === 'found' ||
		outcome.kind === 'notFound' ||
		outcome.kind === 'submitted' ||
		outcome.kind === 'pending'
	) {
		return { ...outcome, warnings };
	}
	return outcome;
}

/**
 * n8n's Retry On Fail re-runs the whole node after an error (and after an output whose first item
 * carries `error`): every chunk already paid for would be sent, and paid for, again, and a request
 * whose outcome is unknown would be re-sent. No re-run can tell what the last one bought, so an
 * operation that spends credits refuses to send while the setting is on; the node retries each
 * request itself, and never one that may have been accepted.
 */
function retryOnFailRefusal(node: INode, provider: Provider): NodeOperationError {
	return new NodeOperationError(
		node,
		`Turn off "Retry On Fail" in this node's Settings: n8n's retry re-runs the whole node, which would send (and pay ${provider.name} for) the records already enriched again`,
		{
			description: `Nothing was sent. This node retries each request safely by itself (rate limits, 5xx answers and timeouts, see Options › Max Retries per Request), and never re-sends a request ${provider.name} may already have accepted, so Retry On Fail adds nothing but double charges. To keep going past failed items, use Settings › On Error instead.`,
		},
	);
}
