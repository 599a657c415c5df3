import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { redactSecrets } from './transport';
import type { ItemOutcome } from './types';

/** The field every output item carries: found, not_found, submitted, pending or error. */
export const STATUS_FIELD = 'enrichment_status';
/** Why an item was not found, or is still pending. */
export const NOTE_FIELD = 'enrichment_note';

export interface OutputSettings {
	/** Keep the input item's fields and add the enrichment beside them (default), or output only the enrichment. */
	includeInputFields: boolean;
	/** Shapes a found item's data (e.g. Simplify); identity when absent. */
	shapeData?: (data: IDataObject) => IDataObject;
	secrets: string[];
	/**
	 * The node routes failures to its error output ("On Error: Continue (using error output)").
	 * n8n recognises an error item there by a JSON of only `error`/`message`/`details` and merges
	 * the input item's fields back in itself.
	 */
	useErrorOutput: boolean;
}

/** The n8n error for one item's failed outcome. */
export function errorForOutcome(
	node: INode,
	outcome: Extract<ItemOutcome, { kind: 'error' }>,
	itemIndex: number,
	secrets: string[],
): NodeApiError | NodeOperationError {
	const message = `${redactSecrets(outcome.message, secrets)} [item ${itemIndex}]`;
	const description = outcome.description ? redactSecrets(outcome.description, secrets) : undefined;
	// An HTTP answer is a NodeApiError. A request with no answer is not: NodeApiError would replace a
	// message mentioning ECONNRESET and the like by n8n's generic text, losing provider, item and attempts.
	if ((outcome.cause === 'request' || outcome.cause === 'rejectedInput') && outcome.httpCode) {
		return new NodeApiError(node, { message } as JsonObject, {
			message,
			description,
			httpCode: outcome.httpCode || undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(node, message, {
		itemIndex,
		description:
			description ??
			(outcome.cause === 'invalidInput'
				? 'Fix this field in the input item, or set the node to continue on error to pass such items through as errors.'
				: undefined),
	});
}

/** The first failed item's error, to throw when the node may not continue on fail. */
export function firstItemError(
	node: INode,
	outcomes: ItemOutcome[],
	secrets: string[],
): NodeApiError | NodeOperationError | undefined {
	// A "not sent" item only failed because another did: report the real cause.
	let fallback: number | undefined;
	for (let index = 0; index < outcomes.length; index++) {
		const outcome = outcomes[index];
		if (outcome.kind !== 'error') continue;
		if (outcome.cause !== 'notSent') return errorForOutcome(node, outcome, index, secrets);
		fallback ??= index;
	}
	if (fallback === undefined) return undefined;
	return errorForOutcome(node, outcomes[fallback] as Extract<ItemOutcome, { kind: 'error' }>, fallback, secrets);
}

const EMPTY: IDataObject = Object.freeze({}) as IDataObject;

/** One output item per input item, same order, paired to it. */
export function buildOutputItems(
	node: INode,
	items: INodeExecutionData[],
	outcomes: ItemOutcome[],
	settings: OutputSettings,
): INodeExecutionData[] {
	if (outcomes.length !== items.length) {
		throw new NodeOperationError(node, `Internal error: ${outcomes.length} results for ${items.length} items`);
	}
	return items.map((item, itemIndex) => {
		const outcome = outcomes[itemIndex];
		// Spread straight into each result: a copy of the input first would double the work per item.
		const base: IDataObject = settings.includeInputFields ? item.json : EMPTY;
		const pairedItem = { item: itemIndex };
		if (outcome.kind === 'found') {
			const data = settings.shapeData ? settings.shapeData(outcome.data) : outcome.data;
			return { json: { ...base, ...data, [STATUS_FIELD]: 'found' }, pairedItem };
		}
		if (outcome.kind === 'submitted') {
			return { json: { ...base, ...outcome.data, [STATUS_FIELD]: 'submitted' }, pairedItem };
		}
		if (outcome.kind === 'pending') {
			return { json: { ...base, ...outcome.data, [STATUS_FIELD]: 'pending', [NOTE_FIELD]: outcome.reason }, pairedItem };
		}
		if (outcome.kind === 'notFound') {
			return {
				json: { ...base, ...(outcome.data ?? {}), [STATUS_FIELD]: 'not_found', [NOTE_FIELD]: outcome.reason },
				pairedItem,
			};
		}
		// No `error` property on the item: n8n would replace its JSON (input fields included) by the message.
		const error = errorForOutcome(node, outcome, itemIndex, settings.secrets);
		if (settings.useErrorOutput) {
			return { json: error.description ? { error: error.message, details: error.description } : { error: error.message }, pairedItem };
		}
		return { json: { ...base, [STATUS_FIELD]: 'error', error: error.message }, pairedItem };
	});
}
