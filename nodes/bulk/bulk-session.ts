import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';

import { readBulkSettings, type BulkNodeSettings } from './bulk-options';
import { realClock } from './clock';
import { limitsForKey } from './key-limits';
import { RateWaitMeter } from './rate-limiter';
import { buildOutputItems, firstItemError, type StandardFieldsReader } from './output-items';
import { describeRun, summarizeRun } from './run-summary';
import { assertSomeItemHasIdentifier, skipItemsAlreadyHolding } from './skip-items';
import { pollUntilSettled, type PollEndpoint, type PollSchedule } from './poll-until-settled';
import { runBulk, type BulkRunEnvironment } from './run-bulk';
import { answerForTool, toolAnswerMode } from './tool-answer';
import { connectToProvider, type ProviderConnection } from './transport';
import type { BulkEndpoint, InputSlot, ItemOutcome, Provider } from './types';

/**
 * One node run against one provider: the shared options read once, one connection, one request
 * window and one bound on requests in flight for every endpoint the operation runs. An operation
 * reads top to bottom: open a session, run one or more endpoints, turn the outcomes into items.
 */
export interface BulkSession {
	readonly settings: BulkNodeSettings;
	/**
	 * Runs an endpoint over one slot per input item and returns one outcome per slot. Without
	 * "continue on fail" the first failed item's error is thrown (after all that could be sent was).
	 */
	run<TInput>(endpoint: BulkEndpoint<TInput>, slots: Array<InputSlot<TInput>>): Promise<ItemOutcome[]>;
	/** Waits for `submitted` outcomes to settle by polling; see pollUntilSettled. */
	poll(endpoint: PollEndpoint, outcomes: ItemOutcome[], schedule: PollSchedule): Promise<ItemOutcome[]>;
	/**
	 * Exactly one output item per input item, same order, paired to it, each with the run's summary
	 * (records sent, requests, credits used), which is also shown as a hint in the editor.
	 */
	toOutputItems(
		outcomes: ItemOutcome[],
		options?: { shapeData?: (data: IDataObject) => IDataObject; standardFields?: StandardFieldsReader },
	): INodeExecutionData[];
}

/** Outcomes a provider answered with results or accepted: possibly charged. */
const PAID_KINDS = new Set<ItemOutcome['kind']>(['found', 'submitted', 'pending']);

export async function openBulkSession(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	provider: Provider,
): Promise<BulkSession> {
	const node = context.getNode();
	const settings = readBulkSettings(context, provider.limits);
	const cancelSignal = context.getExecutionCancelSignal?.();
	const connection: ProviderConnection = await connectToProvider(
		context,
		provider,
		settings.requestTimeoutMs,
		cancelSignal,
	);
	const isCancelled = () => cancelSignal?.aborted === true;
	const clock = realClock(isCancelled);
	const { limits } = provider;
	// One budget for waiting on the rate limit across everything this node run sends (run and poll).
	const rateWait = new RateWaitMeter(settings.run.retry.maxRateLimitWaitMs);
	const environment: BulkRunEnvironment = {
		rateWait,
		send: connection.send,
		clock,
		isCancelled,
		baseUrl: connection.baseUrl,
		// Shared with every run on this key in this process; this run's own bound is its worker count.
		...limitsForKey(connection.keyId, limits),
	};
	const throwFirstErrorUnlessContinuing = (outcomes: ItemOutcome[]) => {
		if (!settings.run.stopOnFirstFailure) return;
		const error = firstItemError(node, outcomes, connection.secrets);
		if (!error) return;
		// Sending stopped at the failure, but what was enriched before it was paid for: say so.
		const done = outcomes.filter((outcome) => PAID_KINDS.has(outcome.kind)).length;
		if (done > 0) {
			const note = `${done} of ${outcomes.length} items were already enriched or submitted (and may have been charged) before this failure; n8n discards a failed node's output. To keep such results, set the node's Settings › On Error to "Continue" (or "Continue (using error output)").`;
			error.description = error.description ? `${error.description} ${note}` : note;
		}
		throw error;
	};

	const totals = { recordsSent: 0, requests: 0, creditsUsed: undefined as number | undefined };

	return {
		settings,
		async run(endpoint, readSlots) {
			if (!endpoint.free && node.retryOnFail === true) throw retryOnFailRefusal(node, provider);
			const slots = skipItemsAlreadyHolding(items, readSlots, settings.onlyEnrichMissing);
			assertSomeItemHasIdentifier(node, readSlots, slots);
			const result = await runBulk(endpoint, slots, settings.run, environment);
			result.outcomes = result.outcomes.map((outcome, index) => carryWarnings(slots[index], outcome));
			totals.recordsSent += result.stats.recordsSent;
			totals.requests += result.stats.requestsSent;
			if (result.stats.creditsUsed !== undefined) totals.creditsUsed = (totals.creditsUsed ?? 0) + result.stats.creditsUsed;
			throwFirstErrorUnlessContinuing(result.outcomes);
			return result.outcomes;
		},
		async poll(endpoint, outcomes, schedule) {
			const settled = (await pollUntilSettled(endpoint, outcomes, schedule, settings.run, environment)).map((outcome, index) =>
				carryWarnings(outcomes[index], outcome),
			);
			throwFirstErrorUnlessContinuing(settled);
			return settled;
		},
		toOutputItems(outcomes, options = {}) {
			const runSummary = summarizeRun(provider.name, totals, outcomes);
			const waited = { waitedMs: rateWait.waitedMs(clock.now()), refusals: rateWait.refusals };
			context.addExecutionHints?.({ message: describeRun(runSummary, waited), type: 'info', location: 'outputPane' });
			// An AI agent's tool call: the provider's findings alone (its arguments are no news to it),
			// compact for contact operations, and failures as answers it can act on.
			const tool = toolAnswerMode(context);
			const output = buildOutputItems(node, items, outcomes, {
				includeInputFields: tool ? false : settings.includeInputFields,
				shapeData: options.shapeData,
				standardFields: options.standardFields,
				ownFields: provider.ownFields,
				runSummary: tool ? undefined : runSummary,
				secrets: connection.secrets,
				useErrorOutput: !tool && node.onError === 'continueErrorOutput',
			});
			if (!tool || !options.standardFields) return output;
			return output.map((item) => answerForTool(item, tool, provider.name));
		},
	};
}

/**
 * The values left out of an item's request (malformed, not needed) stay named on whatever the
 * provider answered for it, through every later step (a poll, an enrichment after a match).
 */
function carryWarnings<T>(from: InputSlot<T> | ItemOutcome | undefined, outcome: ItemOutcome): ItemOutcome {
	const warnings = from !== undefined && 'warnings' in from ? from.warnings : undefined;
	if (!warnings || warnings.length === 0 || 'warnings' in outcome) return outcome;
	if (outcome.kind === 'found' || outcome.kind === 'notFound' || outcome.kind === 'submitted' || outcome.kind === 'pending') {
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
