import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from 'zod';

import { describeReceived, type LeftOutValues } from '../shared/field-schemas';

import { NOTE_FIELD, refusedRunItems, STATUS_FIELD } from './output-items';
import { createParameterReader, valueAtPath } from './read-parameters';
import type { FieldLabels, InputSlot, ToolAnswerMode } from './types';
import { isBlank, nothingReached } from './values';

// What an operation meets of the engine besides its session: the router, input reading, tool answers.

export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;

/** Sends the whole run to the chosen operation: bulk operations need all items at once. */
export async function routeToOperation(
	context: IExecuteFunctions,
	resources: Record<string, Record<string, { execute: OperationExecute }>>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const chosen = resources[resource]?.[operation];
	const unsupported = `The operation "${operation}" of "${resource}" is not supported`;
	if (!chosen) throw new NodeOperationError(context.getNode(), unsupported);
	try {
		return [await chosen.execute.call(context, items)];
	} catch (error) {
		// An AI agent can act on a failure it reads as the tool's answer; thrown, it sees n8n's wrapping.
		if (isToolCall(context)) return [errorAnswers(items, error)];
		// Under "continue on fail" only a refusal before sending is thrown (failed requests are items):
		// thrown, n8n would pass the input items on untouched, as if enriched.
		if (context.continueOnFail()) return [refusedRunItems(context.getNode(), items, error)];
		throw error;
	}
}

/** Input field → its node parameter path; the schema and labels; the identifier (see readInputSlots). */
export type SlotFields<T> = [
	sources: Record<string, string>,
	schema: ZodType<T, ZodTypeDef, unknown>,
	labels: FieldLabels,
	identifierField?: string,
	otherWay?: string,
];

/**
 * Reads and validates every item's input fields. An item with an empty `identifierField` is skipped
 * (nothing to look up, not an error); `otherWay`, suggested when no item has one, names another way.
 */
export function readInputSlots<T>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	...[sources, schema, labels, identifierField, otherWay]: SlotFields<T>
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
				const message = `${labels[field] ?? field}: the expression could not be evaluated: ${reason}`;
				return { kind: 'invalid', field, message };
			}
		}
		if (identifierField === undefined || !isBlank(raw[identifierField]))
			return validateInput(schema, raw, labels);
		const label = labels[identifierField] ?? identifierField;
		const reason = `${label} is empty, so there is nothing to look up: not sent`;
		const outcome = { kind: 'skipped', reason, missingIdentifier: label } as const;
		return { kind: 'skipped', outcome: otherWay ? { ...outcome, otherWay } : outcome };
	});
}

/** Validates one item's raw input; an invalid one names the field and the reason. */
export function validateInput<T>(
	schema: ZodType<T, ZodTypeDef, unknown>,
	raw: unknown,
	labels: FieldLabels,
): InputSlot<T> {
	const parsed = schema.safeParse(raw);
	if (parsed.success) return withoutLeftOut(parsed.data);
	const issue = parsed.error.issues[0];
	const field = issue.path.length > 0 ? String(issue.path[0]) : (Object.keys(labels)[0] ?? 'input');
	const label = labels[field] ?? field;
	const value = valueAtPath(raw, issue.path);
	const message = `${label}: ${issue.message}${describeReceived(value)}`;
	const description = emptyValueDescription(raw, value, label);
	return { kind: 'invalid', field, message, ...(description ? { description } : {}) };
}

/** An empty value usually means a field mapped to a name the input item lacks, not a wrong input. */
function emptyValueDescription(raw: unknown, value: unknown, label: string): string | undefined {
	if (!nothingReached(value)) return undefined;
	const fields =
		raw !== null && typeof raw === 'object' ? Object.values(raw as Record<string, unknown>) : [];
	if (fields.length > 1 && fields.every(nothingReached)) {
		return "Nothing reached any of this node's fields for this item. If the input item has these values, the fields are probably mapped to the wrong input fields: check their expressions against the input item's field names.";
	}
	return `Nothing reached ${label} for this item. If the input item has this value, ${label} is probably mapped to the wrong field: check its expression against the input item's field names.`;
}

/** Values the schema left out (malformed, not needed) become the slot's warnings; they are never sent. */
function withoutLeftOut<T>(value: T): InputSlot<T> {
	if (value === null || typeof value !== 'object' || !('ignored' in value))
		return { kind: 'valid', value };
	const { ignored, ...rest } = value as T & LeftOutValues;
	const slot = { kind: 'valid', value: rest as T } as const;
	return ignored?.length ? { ...slot, warnings: ignored } : slot;
}

/** Shown only on the tool variant of a node (n8n's `@tool` display condition). */
export const toolAnswerProperty: INodeProperties = {
	displayName: 'Tool Answer',
	name: 'toolAnswer',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Found Fields',
			value: 'foundFields',
			description:
				'The status, the contact fields the provider found (email, its status, phones, LinkedIn, name, title, company) and the source: a short answer',
		},
		{
			name: 'Found Fields and Provider Record',
			value: 'foundFieldsAndRecord',
			description:
				"Also the provider's whole record under provider_record: longer answers, more tokens",
		},
	],
	default: 'foundFields',
	description: 'What the AI agent receives from this tool',
	displayOptions: { show: { '@tool': [true] } },
};

/** How this run answers an AI agent's tool call; undefined in a workflow run. */
export function toolAnswerMode(context: IExecuteFunctions): ToolAnswerMode | undefined {
	if (!isToolCall(context)) return undefined;
	const mode = context.getNodeParameter('toolAnswer', 0, 'foundFields');
	return mode === 'foundFieldsAndRecord' ? mode : 'foundFields';
}

/**
 * The node is n8n's tool variant (`<package>.<name>Tool`): n8n 2.x's AI Agent runs it as an ordinary
 * execution (`isToolExecution()` false), older agents through a sub-node context that says true.
 */
export function isToolCall(context: IExecuteFunctions): boolean {
	if (/Tool$/.test(context.getNode().type.split('.').pop() ?? '')) return true;
	const says = (context as { isToolExecution?: () => boolean }).isToolExecution;
	return typeof says === 'function' && says.call(context) === true;
}

/** A failed run as the tool's answer: the model reads the reason and can act on it. */
export function errorAnswers(items: INodeExecutionData[], error: unknown): INodeExecutionData[] {
	const message = error instanceof Error ? error.message : String(error);
	const answer = { [STATUS_FIELD]: 'error', error: sentenceForModel(message) };
	return items.map((_, index) =>
		boundedAnswer({ json: { ...answer }, pairedItem: { item: index } }),
	);
}

/** Provider text reaches the model verbatim (data, not instructions): a 2 MB title, a 2 MB answer. */
export const ANSWER_BOUNDS = {
	textChars: 300,
	keyChars: 60,
	fields: 30,
	listItems: 10,
	depth: 4,
	answerChars: 6000,
};
const CUT = '… [cut]';
/** Room kept in an object or list for the marker saying what was left out. */
const MARKER_ROOM = 40;

/** The answer within ANSWER_BOUNDS (status, error and note first, so they stay); no binary data. */
export function boundedAnswer(item: INodeExecutionData): INodeExecutionData {
	const { json, pairedItem } = item;
	const firstKeys = [STATUS_FIELD, 'error', NOTE_FIELD].filter((key) => key in json);
	const ordered = { ...Object.fromEntries(firstKeys.map((key) => [key, json[key]])), ...json };
	return { json: bounded(ordered, ANSWER_BOUNDS.answerChars, 0) as IDataObject, pairedItem };
}

function bounded(value: unknown, room: number, depth: number): unknown {
	if (typeof value === 'string') return cut(value, ANSWER_BOUNDS.textChars);
	if (value === null || typeof value !== 'object') return value;
	if (depth >= ANSWER_BOUNDS.depth) return '[nested data left out]';
	const list = Array.isArray(value);
	const entries: Array<[string, unknown]> = list
		? value.map((entry, i) => [String(i), entry])
		: Object.entries(value);
	const limit = list ? ANSWER_BOUNDS.listItems : ANSWER_BOUNDS.fields;
	const kept: Array<[string, unknown]> = [];
	let used = 2;
	for (const [key, entry] of entries) {
		if (kept.length === limit) break;
		const name = cut(key, ANSWER_BOUNDS.keyChars);
		const overhead = list ? 1 : JSON.stringify(name).length + 2;
		const part = bounded(entry, room - MARKER_ROOM - used - overhead, depth + 1);
		const size = overhead + (JSON.stringify(part) ?? '').length;
		if (used + size > room - MARKER_ROOM) break;
		kept.push([name, part]);
		used += size;
	}
	const leftOut = entries.length - kept.length;
	if (leftOut > 0)
		kept.push(list ? ['', `… ${leftOut} more left out`] : ['…', `${leftOut} more fields left out`]);
	return list ? kept.map(([, part]) => part) : Object.fromEntries(kept);
}

function cut(text: string, chars: number): string {
	return text.length > chars ? `${text.slice(0, chars - CUT.length)}${CUT}` : text;
}

/** The error without the workflow's item numbers, which mean nothing to a model. */
export function sentenceForModel(message: string): string {
	return message.replace(/\s*\[items? [^\]]*\]$/, '').trim();
}
