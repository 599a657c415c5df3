import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from 'zod';

import { refusedRunItems } from './output-items';
import { createParameterReader } from './read-parameters';
import { errorAnswers, isToolCall } from './tool-answer';
import type { InputSlot } from './types';
import { validateInput, type FieldLabels } from './validate-input';
import { isBlank } from './values';

// What an operation meets of the engine besides its session: the router that hands it the run, the
// part it plugs into its session, and the reader of its input fields.

export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;

/** resource → operation → its module (each operation file exports `execute`). */
export type OperationsByResource = Record<string, Record<string, { execute: OperationExecute }>>;

/** Sends the whole run to the chosen operation: bulk operations need all items at once. */
export async function routeToOperation(
	context: IExecuteFunctions,
	resources: OperationsByResource,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const chosen = resources[resource]?.[operation];
	if (!chosen) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	const ran = await chosen.execute.call(context, items).then(
		(output) => ({ output }),
		(error: unknown) => ({ error }),
	);
	if ('output' in ran) return [ran.output];
	// An AI agent reads a failure as the tool's answer and can act on it (fix an argument, tell the
	// user the credits ran out); thrown, it would only see n8n's wrapping of it.
	if (isToolCall(context)) return [errorAnswers(items, ran.error)];
	// Under "continue on fail" only a refusal before sending is thrown (failed requests are items):
	// thrown, n8n would pass the input items on untouched, as if enriched.
	if (context.continueOnFail()) return [refusedRunItems(context.getNode(), items, ran.error)];
	throw ran.error;
}

/**
 * When an AI agent calls a node as a tool, the node's answer is what the model reads: it should be
 * short and say what was found, not echo the agent's own arguments or carry the run's bookkeeping.
 */
export type ToolAnswerMode = 'foundFields' | 'foundFieldsAndRecord';

/**
 * What an operation plugs into its session for the kind of record it enriches (contacts: see
 * nodes/contact/contact-part.ts). The engine calls these hooks and knows nothing of the fields
 * behind them; an operation that plugs in nothing gets the engine's plain items.
 */
export interface SessionPart {
	/** Fields the part writes on output items: provider data of the same name goes to enrichment_conflicts. */
	readonly reservedFields?: readonly string[];
	/** Marks as skipped the slots whose item needs no request (Options › Only Enrich Items Missing). */
	skipSlots?<T>(
		items: INodeExecutionData[],
		slots: Array<InputSlot<T>>,
		onlyEnrichMissing: string[],
	): Array<InputSlot<T>>;
	/**
	 * Completes a found item's output JSON. `input` is what the output keeps of the input item,
	 * `found` the provider's data as answered, `data` as merged into `json` (shaped, e.g. Simplify).
	 */
	completeFound?(
		json: IDataObject,
		input: IDataObject,
		found: IDataObject,
		data: IDataObject,
	): void;
	/** The item as an AI agent's tool call reads it; without this hook the agent reads the item as it is. */
	answerForTool?(
		item: INodeExecutionData,
		mode: ToolAnswerMode,
		providerName: string,
	): INodeExecutionData;
}

/** Where each input field comes from: a node parameter path, read per item. */
export type FieldSources = Record<string, string>;

/**
 * Reads every item's input fields from the node's parameters and validates them with the schema.
 * With `identifierField`, an item whose identifier is empty (e.g. a row Match did not find) is
 * skipped, not an error: there is nothing to look up. `otherWay` names another way the operation can
 * identify items, suggested when none has the identifier.
 */
export function readInputSlots<T>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	sources: FieldSources,
	schema: ZodType<T, ZodTypeDef, unknown>,
	labels: FieldLabels,
	identifierField?: string,
	otherWay?: string,
): Array<InputSlot<T>> {
	const readers = Object.entries(sources).map(
		([field, parameterPath]) =>
			[field, createParameterReader(context, items, parameterPath, '')] as const,
	);
	return items.map((_, itemIndex): InputSlot<T> => {
		const raw: Record<string, unknown> = {};
		for (const [field, read] of readers) {
			try {
				raw[field] = read(itemIndex);
			} catch (error) {
				// One item's expression error (e.g. a node it names did not run for it) fails that item only.
				const reason = error instanceof Error ? error.message : String(error);
				return {
					kind: 'invalid',
					field,
					message: `${labels[field] ?? field}: the expression could not be evaluated: ${reason}`,
				};
			}
		}
		if (identifierField !== undefined && isBlank(raw[identifierField])) {
			const label = labels[identifierField] ?? identifierField;
			const reason = `${label} is empty, so there is nothing to look up: not sent`;
			return {
				kind: 'skipped',
				outcome: {
					kind: 'skipped',
					reason,
					missingIdentifier: label,
					...(otherWay ? { otherWay } : {}),
				},
			};
		}
		return validateInput(schema, raw, labels);
	});
}
