import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { InputSlot } from './types';

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
	skipSlots?<T>(items: INodeExecutionData[], slots: Array<InputSlot<T>>): Array<InputSlot<T>>;
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
