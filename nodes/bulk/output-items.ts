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
/** Where provider fields go that would overwrite an input value or a field the node sets. */
export const CONFLICTS_FIELD = 'enrichment_conflicts';
/** The run's counts, records sent, requests and credits used: on the first item of the main output. */
export const RUN_FIELD = 'enrichment_run';
/** Set by the node on every item; provider data of the same name goes to CONFLICTS_FIELD. */
const RESERVED = [STATUS_FIELD, NOTE_FIELD, 'error', CONFLICTS_FIELD, RUN_FIELD, WARNINGS_FIELD];
const EMPTY: IDataObject = Object.freeze({}) as IDataObject;

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
	const outputItems = items.map((item, itemIndex) =>
		outputItem(node, settings, merge, item, itemIndex, outcomes[itemIndex]),
	);
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

/** The output item for one input item, from its outcome; `merge` never overwrites the input. */
function outputItem(
	node: INode,
	settings: OutputSettings,
	merge: (base: IDataObject, data: IDataObject) => IDataObject,
	item: INodeExecutionData,
	itemIndex: number,
	outcome: ItemOutcome,
): INodeExecutionData {
	const input = withoutEarlierVerdict(item.json);
	const base: IDataObject = settings.includeInputFields ? input : EMPTY;
	// Paired to its input item, with the input's binary data when it keeps it.
	const output = (json: IDataObject, keepBinary = settings.includeInputFields) => {
		const binary = keepBinary && item.binary ? { binary: item.binary } : {};
		return { json, ...binary, pairedItem: { item: itemIndex } };
	};
	const enriched = (json: IDataObject, status: string, note?: string): INodeExecutionData => {
		// Input values left out of the request (malformed, not needed) are named, never dropped silently.
		const warnings = 'warnings' in outcome ? outcome.warnings : undefined;
		if (warnings && warnings.length > 0) json[WARNINGS_FIELD] = warnings;
		json[STATUS_FIELD] = status;
		if (note !== undefined) json[NOTE_FIELD] = note;
		return output(json);
	};
	switch (outcome.kind) {
		case 'found':
			return enriched(foundJson(settings, merge, base, outcome), 'found');
		case 'submitted':
			return enriched(merge(base, outcome.data), 'submitted');
		case 'pending':
			return enriched(merge(base, outcome.data), 'pending', outcome.reason);
		case 'notFound':
			return enriched(merge(base, outcome.data ?? EMPTY), 'not_found', outcome.reason);
		// Not sent on purpose: the item passes through with its own fields, whatever the Output option.
		case 'skipped':
			return output({ ...input, [STATUS_FIELD]: 'skipped', [NOTE_FIELD]: outcome.reason }, true);
		case 'overLimit':
			return output({ ...input, [STATUS_FIELD]: 'not_sent', [NOTE_FIELD]: outcome.reason }, true);
		case 'error':
			return output(errorJson(node, settings, base, outcome, itemIndex));
	}
}

/** The provider's data (shaped) merged into `base`, completed by the session's part. */
function foundJson(
	settings: OutputSettings,
	merge: (base: IDataObject, data: IDataObject) => IDataObject,
	base: IDataObject,
	outcome: Extract<ItemOutcome, { kind: 'found' }>,
): IDataObject {
	const data = settings.shapeData?.(outcome.data) ?? outcome.data;
	const json = merge(base, data);
	// Checked against what the output keeps of the input: with Enrichment Only, the provider's values are all shown.
	settings.part?.completeFound?.(json, base, outcome.data, data);
	return json;
}

/** For the error output only `error` and `details`; under "Continue" the item, error and what to do. */
function errorJson(
	node: INode,
	settings: OutputSettings,
	base: IDataObject,
	outcome: Extract<ItemOutcome, { kind: 'error' }>,
	itemIndex: number,
): IDataObject {
	// No `error` property on the item: n8n would replace its JSON (input fields included) by the message.
	const { message, description } = errorForOutcome(node, outcome, itemIndex, settings.secrets);
	if (settings.useErrorOutput)
		return description ? { error: message, details: description } : { error: message };
	const json: IDataObject = { ...base, [STATUS_FIELD]: 'error', error: message };
	if (description) json[NOTE_FIELD] = description;
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
	const conflicts: IDataObject = {};
	for (const [key, value] of Object.entries(data)) {
		const existing = base[key];
		const clashes =
			reserved.has(key) ||
			(!isBlank(existing) && !sameJson(existing, value) && !ownFields.has(key));
		if (clashes) conflicts[key] = value;
		else result[key] = value;
	}
	if (Object.keys(conflicts).length > 0)
		result[CONFLICTS_FIELD] = { ...asRecord(base[CONFLICTS_FIELD]), ...conflicts };
	return result;
}
