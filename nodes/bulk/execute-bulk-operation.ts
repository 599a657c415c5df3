import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readBulkSettings } from './bulk-options';
import { realClock } from './clock';
import { buildOutputItems, firstItemError } from './output-items';
import { runBulk } from './run-bulk';
import { connectToProvider } from './transport';
import type { BulkEndpoint, InputSlot, ItemOutcome, ProviderLimits } from './types';

/** Runs bulk endpoints inside one node execution; one operation may chain several (match, then enrich). */
export interface BulkEngine {
	run<TInput>(endpoint: BulkEndpoint<TInput>, slots: Array<InputSlot<TInput>>): Promise<ItemOutcome[]>;
}

export interface BulkOperation {
	credentialType: string;
	limits: ProviderLimits;
	/** One outcome per input item, same order. */
	produceOutcomes(engine: BulkEngine): Promise<ItemOutcome[]>;
	/** Shapes found data for output (e.g. Simplify). */
	shapeData?: (data: IDataObject) => IDataObject;
}

/**
 * The n8n side of the engine: reads the shared options, connects to the provider, runs the
 * operation and turns outcomes into exactly one output item per input item. Without "continue on
 * fail" the first failed item's error is thrown (after invalid inputs, before anything is sent).
 */
export async function executeBulkOperation(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	operation: BulkOperation,
): Promise<INodeExecutionData[]> {
	if (items.length === 0) return [];
	const node = context.getNode();
	const settings = readBulkSettings(context, operation.limits);
	const cancelSignal = context.getExecutionCancelSignal?.();
	const connection = await connectToProvider(context, operation.credentialType, settings.requestTimeoutMs, cancelSignal);
	const isCancelled = () => cancelSignal?.aborted === true;
	const environment = { send: connection.send, clock: realClock(isCancelled), isCancelled };

	const engine: BulkEngine = {
		async run(endpoint, slots) {
			const result = await runBulk(endpoint, slots, settings.run, environment);
			if (settings.run.stopOnFirstFailure) {
				const error = firstItemError(node, result.outcomes, connection.secrets);
				if (error) throw error;
			}
			return result.outcomes;
		},
	};

	const outcomes = await operation.produceOutcomes(engine);
	return buildOutputItems(node, items, outcomes, {
		includeInputFields: settings.includeInputFields,
		shapeData: operation.shapeData,
		secrets: connection.secrets,
		useErrorOutput: node.onError === 'continueErrorOutput',
	});
}
