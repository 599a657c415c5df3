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
		error.description = [
			error.description,
			`${valid} of ${outcomes.length} items ${valid === 1 ? 'is' : 'are'} valid; nothing was sent (invalid: ${describeItems(invalid)}).`,
			continuing
				? ''
				: 'To send the valid items and pass the invalid ones through as errors, set Settings › On Error to "Continue" or "Continue (using error output)".',
		]
			.filter(Boolean)
			.join(' ');
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
		const json = passThrough
			? { ...input, [STATUS_FIELD]: STATUS_OF[outcome.kind], [NOTE_FIELD]: outcome.reason }
			: outcomeJson(
					node,
					settings,
					merge,
					settings.includeInputFields ? input : EMPTY,
					outcome,
					itemIndex,
				);
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

/** A run refused before sending under "continue on fail": one error item per input item, with its fields. */
export function refusedRunItems(
	node: INode,
	items: INodeExecutionData[],
	error: unknown,
): INodeExecutionData[] {
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown } | undefined)?.description;
	const outcome: ItemOutcome = { kind: 'error', cause: 'notSent', message };
	if (typeof description === 'string' && description) outcome.description = description;
	const useErrorOutput = node.onError === 'continueErrorOutput';
	const settings = { includeInputFields: true, secrets: [], useErrorOutput };
	const outcomes = items.map(() => outcome);
	return buildOutputItems(node, items, outcomes, settings);
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
