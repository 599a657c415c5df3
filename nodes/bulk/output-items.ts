import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { redactSecrets } from './transport';
import type { ItemOutcome, SessionPart } from './types';
import { asRecord, isBlank, sameJson } from './values';

/** The field every output item carries: found, not_found, submitted, pending, skipped, not_sent or error. */
export const STATUS_FIELD = 'enrichment_status';
/** Why an item was not found, skipped or not sent, or is still pending. */
export const NOTE_FIELD = 'enrichment_note';
/** The input values this node left out of the request, each naming its field and why. */
export const WARNINGS_FIELD = 'enrichment_warnings';

export interface OutputSettings {
	/** Keep the input item's fields and add the enrichment beside them (default), or output only the enrichment. */
	includeInputFields: boolean;
	/** Shapes a found item's data (e.g. Simplify); identity when absent. */
	shapeData?: (data: IDataObject) => IDataObject;
	secrets: string[];
	/**
	 * Fields the package writes itself for this provider (Provider.ownFields): they may update an
	 * earlier node's value. Any other data that would replace an input value goes to CONFLICTS_FIELD.
	 */
	ownFields?: readonly string[];
	/** What the operation plugged in for its kind of record (e.g. contacts' standard fields on found items). */
	part?: Pick<SessionPart, 'reservedFields' | 'completeFound'>;
	/** What the run did, sent and spent, written once: on the first item of the main output (RUN_FIELD). */
	runSummary?: IDataObject;
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
	itemsAffected: number[] = [itemIndex],
): NodeApiError | NodeOperationError {
	const message = `${redactSecrets(outcome.message, secrets)} [${describeItems(itemsAffected)}]`;
	const description = withCredentialName(
		node,
		outcome,
		outcome.description ? redactSecrets(outcome.description, secrets) : undefined,
	);
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
			(outcome.cause === 'invalidInput' ? 'Fix this field in the input item.' : undefined),
	});
}

/**
 * A refused key (HTTP 401) says which credential to open and test: under On Error "Continue" the
 * items are all the user sees, and a node may have several credentials of the type to pick from.
 */
function withCredentialName(
	node: INode,
	outcome: Extract<ItemOutcome, { kind: 'error' }>,
	description: string | undefined,
): string | undefined {
	if (outcome.httpCode !== '401') return description;
	const credentials = Object.values(node.credentials ?? {});
	const which =
		credentials.length === 1 && credentials[0].name
			? `the credential "${credentials[0].name}"`
			: "this node's credential";
	const advice = `Open ${which}, check its API Key and save it: n8n then tests the connection.`;
	return description ? `${description} ${advice}` : advice;
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

/**
 * The first failed item's error, to throw when the node may not continue on fail. Its description
 * says what became of the other items and which On Error setting would let the run go on.
 */
export function firstItemError(
	node: INode,
	outcomes: ItemOutcome[],
	secrets: string[],
): NodeApiError | NodeOperationError | undefined {
	// A "not sent" item only failed because another did: report the real cause.
	let fallback: number | undefined;
	let chosen: number | undefined;
	for (let index = 0; index < outcomes.length && chosen === undefined; index++) {
		const outcome = outcomes[index];
		if (outcome.kind !== 'error') continue;
		if (outcome.cause !== 'notSent') chosen = index;
		else fallback ??= index;
	}
	chosen ??= fallback;
	if (chosen === undefined) return undefined;
	const outcome = outcomes[chosen] as Extract<ItemOutcome, { kind: 'error' }>;
	// Items of one failed request share its outcome: name them all, not only the first.
	const sharing: number[] = [];
	outcomes.forEach((other, index) => {
		if (other === outcome) sharing.push(index);
	});
	const error = errorForOutcome(node, outcome, chosen, secrets, sharing);
	if (outcome.cause === 'invalidInput') {
		const note = [
			invalidItemsNote(outcomes),
			onErrorAdvice(node, 'send the valid items and pass the invalid ones through as errors'),
		];
		error.description = [error.description, ...note].filter(Boolean).join(' ');
	}
	return error;
}

/** "148 of 150 items are valid; nothing was sent (invalid: items 3, 140)." */
function invalidItemsNote(outcomes: ItemOutcome[]): string {
	const invalid: number[] = [];
	outcomes.forEach((outcome, index) => {
		if (outcome.kind === 'error' && outcome.cause === 'invalidInput') invalid.push(index);
	});
	const valid = outcomes.length - invalid.length;
	return `${valid} of ${outcomes.length} items ${valid === 1 ? 'is' : 'are'} valid; nothing was sent (invalid: ${describeItems(invalid)}).`;
}

/**
 * What to change in the node's Settings to get `benefit`, fitting its current On Error setting:
 * nothing to say once it already continues.
 */
function onErrorAdvice(node: INode, benefit: string): string {
	const continuing =
		node.onError === 'continueRegularOutput' ||
		node.onError === 'continueErrorOutput' ||
		(node.onError === undefined && node.continueOnFail === true);
	if (continuing) return '';
	return `To ${benefit}, set Settings › On Error to "Continue" or "Continue (using error output)".`;
}

const EMPTY: IDataObject = Object.freeze({}) as IDataObject;

/**
 * Where provider fields go that would overwrite a non-empty input field or a field the node itself
 * sets: the input's values are never replaced.
 */
export const CONFLICTS_FIELD = 'enrichment_conflicts';
/** The run's counts, records sent, requests and credits used, on the first main-output item: cost per run, for users and later nodes. */
export const RUN_FIELD = 'enrichment_run';
/** Set by the node on every item; provider data of the same name goes to CONFLICTS_FIELD. */
const RESERVED_FIELDS: readonly string[] = [
	STATUS_FIELD,
	NOTE_FIELD,
	'error',
	CONFLICTS_FIELD,
	RUN_FIELD,
	WARNINGS_FIELD,
];

/** One output item per input item, same order, paired to it; the input's binary data is kept. */
export function buildOutputItems(
	node: INode,
	items: INodeExecutionData[],
	outcomes: ItemOutcome[],
	settings: OutputSettings,
): INodeExecutionData[] {
	if (outcomes.length !== items.length) {
		throw new NodeOperationError(
			node,
			`Internal error: ${outcomes.length} results for ${items.length} items`,
		);
	}
	const ownFields = new Set(settings.ownFields ?? []);
	const reserved = new Set([...RESERVED_FIELDS, ...(settings.part?.reservedFields ?? [])]);
	const context: OutputContext = {
		node,
		settings,
		merge: (base, data) => mergeWithoutOverwriting(base, data, ownFields, reserved),
	};
	const outputItems = items.map((item, itemIndex) =>
		outputItem(context, item, itemIndex, outcomes[itemIndex]),
	);
	if (settings.runSummary)
		addRunSummaryOnce(outputItems, settings.runSummary, settings.useErrorOutput);
	return outputItems;
}

/**
 * A run refused before anything was sent (an option out of range, Retry On Fail on, a Webhook URL
 * the probe refuses…) under "continue on fail": one error item per input item, built as a failed
 * chunk's are, never the input passed through as if enriched. Like not_sent items, they keep their fields.
 */
export function refusedRunItems(
	node: INode,
	items: INodeExecutionData[],
	error: unknown,
): INodeExecutionData[] {
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown } | undefined)?.description;
	const outcome: ItemOutcome = { kind: 'error', cause: 'notSent', message };
	if (typeof description === 'string' && description) outcome.description = description;
	const settings = {
		includeInputFields: true,
		secrets: [],
		useErrorOutput: node.onError === 'continueErrorOutput',
	};
	return buildOutputItems(
		node,
		items,
		items.map(() => outcome),
		settings,
	);
}

/** What every item's output is built with: the node, its settings, and the merge that never overwrites the input. */
interface OutputContext {
	node: INode;
	settings: OutputSettings;
	merge: (base: IDataObject, data: IDataObject) => IDataObject;
}

/** The output item for one input item, from its outcome. */
function outputItem(
	context: OutputContext,
	item: INodeExecutionData,
	itemIndex: number,
	outcome: ItemOutcome,
): INodeExecutionData {
	const { settings, merge } = context;
	const input = withoutEarlierVerdict(item.json);
	const base: IDataObject = settings.includeInputFields ? input : EMPTY;
	const output = (json: IDataObject, keepBinary = settings.includeInputFields) =>
		pairedOutput(json, item, itemIndex, keepBinary);
	const enriched = (data: IDataObject, status: string, note?: string): INodeExecutionData => {
		const json = withWarnings(
			merge(base, data),
			'warnings' in outcome ? outcome.warnings : undefined,
		);
		json[STATUS_FIELD] = status;
		if (note !== undefined) json[NOTE_FIELD] = note;
		return output(json);
	};
	switch (outcome.kind) {
		case 'found':
			return output(foundJson(context, base, outcome));
		case 'submitted':
			return enriched(outcome.data, 'submitted');
		case 'pending':
			return enriched(outcome.data, 'pending', outcome.reason);
		case 'notFound':
			return enriched(outcome.data ?? EMPTY, 'not_found', outcome.reason);
		// Not sent on purpose: the item passes through with its own fields, whatever the Output option.
		case 'skipped':
			return output({ ...input, [STATUS_FIELD]: 'skipped', [NOTE_FIELD]: outcome.reason }, true);
		case 'overLimit':
			return output({ ...input, [STATUS_FIELD]: 'not_sent', [NOTE_FIELD]: outcome.reason }, true);
		case 'error':
			return output(errorJson(context, base, outcome, itemIndex));
	}
}

/** An output item paired to its input item, with the input's binary data when it keeps it. */
function pairedOutput(
	json: IDataObject,
	item: INodeExecutionData,
	itemIndex: number,
	keepBinary: boolean,
): INodeExecutionData {
	return keepBinary && item.binary
		? { json, binary: item.binary, pairedItem: { item: itemIndex } }
		: { json, pairedItem: { item: itemIndex } };
}

/** A found item: the provider's data (shaped, e.g. Simplify) beside what the output keeps of the input. */
function foundJson(
	context: OutputContext,
	base: IDataObject,
	outcome: Extract<ItemOutcome, { kind: 'found' }>,
): IDataObject {
	const { settings, merge } = context;
	const data = settings.shapeData ? settings.shapeData(outcome.data) : outcome.data;
	const json = merge(base, data);
	// Checked against what the output keeps of the input: with Enrichment Only, the provider's values are all shown.
	settings.part?.completeFound?.(json, base, outcome.data, data);
	withWarnings(json, outcome.warnings);
	json[STATUS_FIELD] = 'found';
	return json;
}

/** A failed item, for the error output or, under "Continue", the main one with a status and note. */
function errorJson(
	context: OutputContext,
	base: IDataObject,
	outcome: Extract<ItemOutcome, { kind: 'error' }>,
	itemIndex: number,
): IDataObject {
	const { node, settings } = context;
	// No `error` property on the item: n8n would replace its JSON (input fields included) by the message.
	const error = errorForOutcome(node, outcome, itemIndex, settings.secrets);
	if (settings.useErrorOutput) {
		return error.description
			? { error: error.message, details: error.description }
			: { error: error.message };
	}
	// The description says what to do about it (a refused key: which credential to test).
	const json: IDataObject = { ...base, [STATUS_FIELD]: 'error', error: error.message };
	if (error.description) json[NOTE_FIELD] = error.description;
	return json;
}

/**
 * The run summary once, on the first item of the main output (not one n8n routes to the error
 * output): a later node reads it there, and the table is not filled with copies of it.
 */
function addRunSummaryOnce(
	output: INodeExecutionData[],
	runSummary: IDataObject,
	useErrorOutput: boolean,
): void {
	const first = output.find((item) => !(useErrorOutput && isErrorOutputItem(item.json)));
	if (first) first.json[RUN_FIELD] = runSummary;
}

/** An item n8n sends to the error output: a JSON of only `error` and, optionally, `details`. */
function isErrorOutputItem(json: IDataObject): boolean {
	return (
		typeof json.error === 'string' &&
		Object.keys(json).every((key) => key === 'error' || key === 'details')
	);
}

/** Input values left out of the request (malformed, not needed): named on the item, never dropped silently. */
function withWarnings(json: IDataObject, warnings: string[] | undefined): IDataObject {
	if (warnings && warnings.length > 0) json[WARNINGS_FIELD] = warnings;
	return json;
}

/**
 * The input without an earlier node's verdict on it (its note, the error it wrote, its run summary):
 * in a chain this node's status replaces that verdict, and a stale "returned no data" beside "found"
 * would lie. This node writes its own run summary on its first item.
 */
function withoutEarlierVerdict(json: IDataObject): IDataObject {
	const earlierError = json[STATUS_FIELD] === 'error' && 'error' in json;
	if (!(NOTE_FIELD in json) && !(RUN_FIELD in json) && !earlierError) return json;
	const rest = { ...json };
	delete rest[NOTE_FIELD];
	delete rest[RUN_FIELD];
	if (earlierError) delete rest.error;
	return rest;
}

/**
 * The input's fields with the provider's data added. A provider field that would replace a
 * non-empty input value (with a different one) or a field the node sets goes under
 * CONFLICTS_FIELD instead, so a CRM's `name` or an `error` inside the data never lands on top.
 * Only `ownFields` (written by the package itself) may update an input value. What an earlier node
 * kept aside under CONFLICTS_FIELD stays, beside this node's (like `enrichment_source`).
 */
export function mergeWithoutOverwriting(
	base: IDataObject,
	data: IDataObject,
	ownFields: ReadonlySet<string> = new Set(),
	reserved: ReadonlySet<string> = new Set(RESERVED_FIELDS),
): IDataObject {
	let result: IDataObject | undefined;
	let conflicts: IDataObject | undefined;
	for (const key of Object.keys(data)) {
		const value = data[key];
		const existing = base[key];
		const clashes =
			reserved.has(key) ||
			(!isBlank(existing) && !sameJson(existing, value) && !ownFields.has(key));
		if (clashes) {
			conflicts ??= {};
			conflicts[key] = value;
		} else {
			result ??= { ...base };
			result[key] = value;
		}
	}
	result ??= { ...base };
	if (conflicts) result[CONFLICTS_FIELD] = { ...asRecord(base[CONFLICTS_FIELD]), ...conflicts };
	return result;
}
