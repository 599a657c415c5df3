import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from 'zod';

import { describeReceived, type LeftOutValues } from '../shared/field-schemas';

import { createParameterReader, valueAtPath } from './read-parameters';
import { redactSecrets } from './transport';
import type { FieldLabels, InputSlot, ItemOutcome, SessionPart, ToolAnswerMode } from './types';
import { asRecord, isBlank, nothingReached, sameJson } from './values';

// What an operation meets of the engine besides its session: the router, input slots, output items
// and the errors they carry, tool answers.

export const STATUS_FIELD = 'enrichment_status';
/** Why an item was not found, skipped or not sent, or is still pending. */
export const NOTE_FIELD = 'enrichment_note';
/** The input values this node left out of the request, each naming its field and why. */
export const WARNINGS_FIELD = 'enrichment_warnings';
/** Where provider fields go that would overwrite an input value or a field the node sets. */
export const CONFLICTS_FIELD = 'enrichment_conflicts';
/** The run's counts, records sent, requests and credits used: on the first item of the main output. */
export const RUN_FIELD = 'enrichment_run';
/** Set by the node on every item; provider data of the same name goes to CONFLICTS_FIELD. */
const RESERVED = [STATUS_FIELD, NOTE_FIELD, 'error', CONFLICTS_FIELD, RUN_FIELD, WARNINGS_FIELD];
const EMPTY: IDataObject = Object.freeze({}) as IDataObject;
/** Every output item's STATUS_FIELD by outcome kind, in the order the run summary counts them. */
export const STATUS_OF: Readonly<Record<ItemOutcome['kind'], string>> = {
	found: 'found',
	notFound: 'not_found',
	submitted: 'submitted',
	pending: 'pending',
	error: 'error',
	skipped: 'skipped',
	overLimit: 'not_sent',
};

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
	const ran = await chosen.execute.call(context, items).then(
		(output) => ({ output }),
		(error: unknown) => ({ error }),
	);
	if ('output' in ran) return [ran.output];
	// An AI agent can act on a failure it reads as the tool's answer; thrown, it sees n8n's wrapping.
	if (isToolCall(context)) return [errorAnswers(items, ran.error)];
	if (!context.continueOnFail()) throw ran.error;
	// Under "continue on fail" only a refusal before sending is thrown (failed requests are items):
	// thrown, n8n would pass the input items on untouched, as if enriched. One error item per item.
	const { error } = ran;
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown } | undefined)?.description;
	const outcome: ItemOutcome = { kind: 'error', cause: 'notSent', message };
	if (typeof description === 'string' && description) outcome.description = description;
	const node = context.getNode();
	const useErrorOutput = node.onError === 'continueErrorOutput';
	const settings = { includeInputFields: true, secrets: [], useErrorOutput };
	const outcomes = items.map(() => outcome);
	return [buildOutputItems(node, items, outcomes, settings)];
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

export interface OutputSettings {
	includeInputFields: boolean;
	/** Shapes a found item's data (e.g. Simplify). */
	shapeData?: (data: IDataObject) => IDataObject;
	secrets: string[];
	/** Provider.ownFields: they may update an earlier node's value. */
	ownFields?: readonly string[];
	part?: Pick<SessionPart, 'reservedFields' | 'completeFound'>;
	runSummary?: IDataObject;
	/** On Error "Continue (using error output)": n8n merges the input item back into an error item. */
	useErrorOutput: boolean;
}

/** The n8n error for one item's failed outcome. */
export function errorForOutcome(
	node: INode,
	outcome: Extract<ItemOutcome, { kind: 'error' }>,
	itemIndex: number,
	secrets: string[],
	itemsAffected: number[] = [itemIndex],
): NodeApiError | NodeOperationError {
	const message = `${redactSecrets(outcome.message, secrets)} [${describeItems(itemsAffected)}]`;
	let description = outcome.description ? redactSecrets(outcome.description, secrets) : undefined;
	if (outcome.httpCode === '401') {
		// Which credential to test: under On Error "Continue" the items are all the user sees.
		const credentials = Object.values(node.credentials ?? {});
		const name = credentials.length === 1 ? credentials[0].name : undefined;
		const which = name ? `the credential "${name}"` : "this node's credential";
		const advice = `Open ${which}, check its API Key and save it: n8n then tests the connection.`;
		description = description ? `${description} ${advice}` : advice;
	}
	// An HTTP answer is a NodeApiError. A request with no answer is not: NodeApiError would replace a
	// message mentioning ECONNRESET and the like by n8n's generic text, losing provider, item and attempts.
	if ((outcome.cause === 'request' || outcome.cause === 'rejectedInput') && outcome.httpCode) {
		return new NodeApiError(node, { message } as JsonObject, {
			message,
			description,
			httpCode: outcome.httpCode,
			itemIndex,
		});
	}
	return new NodeOperationError(node, message, {
		itemIndex,
		description:
			description ??
			(outcome.cause === 'invalidInput' ? 'Fix this field in the input item.' : undefined),
	});
}

/** "item 3", "items 0-49", "items 0, 4, 9": consecutive runs are shown as ranges. */
function describeItems(indexes: number[]): string {
	if (indexes.length === 1) return `item ${indexes[0]}`;
	const runs: string[] = [];
	for (let start = 0; start < indexes.length; ) {
		let end = start;
		while (end + 1 < indexes.length && indexes[end + 1] === indexes[end] + 1) end++;
		runs.push(end > start ? `${indexes[start]}-${indexes[end]}` : String(indexes[start]));
		start = end + 1;
	}
	const shown = runs.length > 5 ? [...runs.slice(0, 5), `and ${runs.length - 5} more`] : runs;
	return `items ${shown.join(', ')}`;
}

/** The first failed item's error, to throw without "continue on fail"; invalid inputs name the rest. */
export function firstItemError(
	node: INode,
	outcomes: ItemOutcome[],
	secrets: string[],
): NodeApiError | NodeOperationError | undefined {
	// A "not sent" item only failed because another did: report the real cause.
	const real = outcomes.findIndex((o) => o.kind === 'error' && o.cause !== 'notSent');
	const chosen = real >= 0 ? real : outcomes.findIndex((o) => o.kind === 'error');
	if (chosen < 0) return undefined;
	const outcome = outcomes[chosen] as Extract<ItemOutcome, { kind: 'error' }>;
	// Items of one failed request share its outcome: name them all, not only the first.
	const sameOutcome = indexesWhere(outcomes, (o) => o === outcome);
	const error = errorForOutcome(node, outcome, chosen, secrets, sameOutcome);
	if (outcome.cause === 'invalidInput') {
		const invalid = indexesWhere(outcomes, (o) => o.kind === 'error' && o.cause === 'invalidInput');
		const valid = outcomes.length - invalid.length;
		const continuing = node.onError?.startsWith('continue') ?? node.continueOnFail === true;
		const advice = continuing
			? ''
			: ' To send the valid items and pass the invalid ones through as errors, set Settings › On Error to "Continue" or "Continue (using error output)".';
		// An invalid input's error always has a description (what to fix): the count follows it.
		error.description = `${error.description} ${valid} of ${outcomes.length} items ${valid === 1 ? 'is' : 'are'} valid; nothing was sent (invalid: ${describeItems(invalid)}).${advice}`;
	}
	return error;
}

function indexesWhere<T>(list: T[], test: (entry: T) => boolean): number[] {
	return list.flatMap((entry, index) => (test(entry) ? [index] : []));
}

/** One output item per input item, same order, paired to it; the input's binary data is kept. */
export function buildOutputItems(
	node: INode,
	items: INodeExecutionData[],
	outcomes: ItemOutcome[],
	settings: OutputSettings,
): INodeExecutionData[] {
	const mismatch = `Internal error: ${outcomes.length} results for ${items.length} items`;
	if (outcomes.length !== items.length) throw new NodeOperationError(node, mismatch);
	const ownFields = new Set(settings.ownFields ?? []);
	const reserved = new Set([...RESERVED, ...(settings.part?.reservedFields ?? [])]);
	const merge = (base: IDataObject, data: IDataObject) =>
		mergeWithoutOverwriting(base, data, ownFields, reserved);
	const outputItems = items.map((item, itemIndex) => {
		const outcome = outcomes[itemIndex];
		const input = withoutEarlierVerdict(item.json);
		// Not sent on purpose: the item passes through with its own fields, whatever the Output option.
		const passThrough = outcome.kind === 'skipped' || outcome.kind === 'overLimit';
		const base = settings.includeInputFields ? input : EMPTY;
		const json = passThrough
			? { ...input, [STATUS_FIELD]: STATUS_OF[outcome.kind], [NOTE_FIELD]: outcome.reason }
			: outcomeJson(node, settings, merge, base, outcome, itemIndex);
		const pairedItem = { item: itemIndex };
		const keepBinary = (passThrough || settings.includeInputFields) && item.binary;
		return keepBinary ? { json, binary: item.binary, pairedItem } : { json, pairedItem };
	});
	// Once, on the first item of the main output: a later node reads it there, and the table holds no copies.
	// An item for the error output is a JSON of only `error` and, optionally, `details`.
	const first = outputItems.find(
		({ json }) =>
			!settings.useErrorOutput ||
			typeof json.error !== 'string' ||
			!Object.keys(json).every((key) => key === 'error' || key === 'details'),
	);
	if (settings.runSummary && first) first.json[RUN_FIELD] = settings.runSummary;
	return outputItems;
}

/**
 * A sent (or failed) item's JSON: `base` (what the output keeps of the input) and the provider's data,
 * merged without overwriting; for the error output only `error` and `details`.
 */
function outcomeJson(
	node: INode,
	settings: OutputSettings,
	merge: (base: IDataObject, data: IDataObject) => IDataObject,
	base: IDataObject,
	outcome: Exclude<ItemOutcome, { kind: 'skipped' | 'overLimit' }>,
	itemIndex: number,
): IDataObject {
	if (outcome.kind === 'error') {
		// No `error` property on the item: n8n would replace its JSON (input fields included) by the message.
		const { message, description } = errorForOutcome(node, outcome, itemIndex, settings.secrets);
		if (settings.useErrorOutput)
			return description ? { error: message, details: description } : { error: message };
		const json: IDataObject = { ...base, [STATUS_FIELD]: 'error', error: message };
		if (description) json[NOTE_FIELD] = description;
		return json;
	}
	const found = outcome.kind === 'found';
	const data = found
		? (settings.shapeData?.(outcome.data) ?? outcome.data)
		: (outcome.data ?? EMPTY);
	const json = merge(base, data);
	// Checked against what the output keeps of the input: with Enrichment Only, the provider's values are all shown.
	if (found) settings.part?.completeFound?.(json, base, outcome.data, data);
	// Input values left out of the request (malformed, not needed) are named, never dropped silently.
	if (outcome.warnings?.length) json[WARNINGS_FIELD] = outcome.warnings;
	json[STATUS_FIELD] = STATUS_OF[outcome.kind];
	const note =
		outcome.kind === 'notFound' || outcome.kind === 'pending' ? outcome.reason : undefined;
	if (note !== undefined) json[NOTE_FIELD] = note;
	return json;
}

/** Without an earlier node's verdict: a stale "returned no data" beside this node's "found" would lie. */
function withoutEarlierVerdict(json: IDataObject): IDataObject {
	const earlierError = json[STATUS_FIELD] === 'error' && 'error' in json;
	// Most inputs carry no verdict: no copy of them (100 000 items).
	if (!(NOTE_FIELD in json) && !(RUN_FIELD in json) && !earlierError) return json;
	const rest = { ...json };
	delete rest[NOTE_FIELD];
	delete rest[RUN_FIELD];
	if (earlierError) delete rest.error;
	return rest;
}

/**
 * A provider field that would replace a reserved field or a different non-empty input value (not of
 * `ownFields`) goes under CONFLICTS_FIELD instead, beside what an earlier node kept aside there.
 */
function mergeWithoutOverwriting(
	base: IDataObject,
	data: IDataObject,
	ownFields: ReadonlySet<string>,
	reserved: ReadonlySet<string>,
): IDataObject {
	const result: IDataObject = { ...base };
	let conflicts: IDataObject | undefined; // most items have none: no object for them
	for (const [key, value] of Object.entries(data)) {
		const existing = base[key];
		const clashes =
			reserved.has(key) ||
			(!isBlank(existing) && !sameJson(existing, value) && !ownFields.has(key));
		if (clashes) (conflicts ??= {})[key] = value;
		else result[key] = value;
	}
	if (conflicts) result[CONFLICTS_FIELD] = { ...asRecord(base[CONFLICTS_FIELD]), ...conflicts };
	return result;
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
