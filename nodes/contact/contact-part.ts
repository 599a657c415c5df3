import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { bulkOptionsCollection } from '../bulk/bulk-options';
import { BulkSession } from '../bulk/bulk-session';
import { sentenceForModel, type SessionPart, type ToolAnswerMode } from '../bulk/operation';
import {
	CONFLICTS_FIELD,
	NOTE_FIELD,
	RUN_FIELD,
	STATUS_FIELD,
	WARNINGS_FIELD,
} from '../bulk/output-items';
import type { InputSlot, Provider, ProviderLimits } from '../bulk/types';
import { isNotGiven } from '../shared/field-schemas';
import { OptionValues } from '../shared/option-reader';
import { fillStandardFields, REPLACED_FIELD } from './fill-standard-fields';
import { holdsUsableValue } from './standard-field-validity';
import {
	SOURCE_FIELD,
	STANDARD_CONTACT_FIELDS,
	type StandardContactField,
	type StandardFieldsReader,
} from './standard-contact';

const STANDARD_FIELD_NAMES: Record<StandardContactField, string> = {
	email: 'Email',
	email_status: 'Email Status',
	personal_email: 'Personal Email',
	phone: 'Phone',
	mobile_phone: 'Mobile Phone',
	linkedin_url: 'LinkedIn URL',
	full_name: 'Full Name',
	first_name: 'First Name',
	last_name: 'Last Name',
	job_title: 'Job Title',
	company_name: 'Company Name',
	company_domain: 'Company Domain',
};

/** Skip what is already known: costs nothing for items that have the fields. */
const onlyEnrichMissingOption: INodeProperties = {
	displayName: 'Only Enrich Items Missing',
	name: 'onlyEnrichMissing',
	type: 'multiOptions',
	options: STANDARD_CONTACT_FIELDS.map((field) => ({
		name: STANDARD_FIELD_NAMES[field],
		value: field,
	})),
	default: [],
	description:
		'Items that already have all of these fields (non-empty) pass through as "skipped" and are not sent, so they cost no credit. Chain nodes with "Email" here for a waterfall.',
};

/** The Options of an operation that enriches contacts: the shared ones and Only Enrich Items Missing. */
export const contactOptionsCollection = (limits: ProviderLimits, extra: INodeProperties[] = []) =>
	bulkOptionsCollection(limits, [onlyEnrichMissingOption, ...extra]);

export const readOnlyEnrichMissing = (options: OptionValues) =>
	options.list<StandardContactField>(onlyEnrichMissingOption);

/**
 * Only Enrich Items Missing: an item that already holds every one of `fields` is not sent (it
 * costs nothing) and passes through as skipped, whatever its other inputs are. A value that fails
 * its field's own validation (an email `@@`) is not held: that item is sent, and its original value
 * stays visible (a provider's value that takes its place keeps it under `enrichment_replaced`).
 */
export function skipItemsAlreadyHolding<T>(
	items: INodeExecutionData[],
	slots: Array<InputSlot<T>>,
	fields: string[],
): Array<InputSlot<T>> {
	if (fields.length === 0) return slots;
	const reason = `already has ${fields.join(', ')} (Options › Only Enrich Items Missing): not sent`;
	return slots.map((slot, index) =>
		fields.every((field) => holdsUsableValue(field, items[index].json[field]))
			? { kind: 'skipped', outcome: { kind: 'skipped', reason } }
			: slot,
	);
}

/**
 * Only Enrich Items Missing alone (without `options`, nothing is skipped): items holding the chosen
 * fields are not sent. Explorium Enrich Firmographics offers it without returning contacts.
 */
export function skipItemsAlreadyHoldingPart(options?: OptionValues): SessionPart {
	const fields = options ? readOnlyEnrichMissing(options) : [];
	return { skipSlots: (items, slots) => skipItemsAlreadyHolding(items, slots, fields) };
}

/**
 * What an operation that enriches contacts plugs into its session: Only Enrich Items Missing skips
 * items already holding the chosen standard fields, a found item gets the standard contact fields
 * (read from the provider's data by `reader`) and `enrichment_source`, and an AI agent reads a
 * compact answer of those fields.
 */
export function contactPart(reader: StandardFieldsReader, options?: OptionValues): SessionPart {
	return {
		...skipItemsAlreadyHoldingPart(options),
		reservedFields: [SOURCE_FIELD],
		completeFound: (json, input, found, data) =>
			fillStandardFields(json, input, reader.read(found), reader.providerName, data),
		answerForTool,
	};
}

/** The session of an operation that enriches contacts, on the Options it read (or reads them). */
export async function openContactSession(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	provider: Provider,
	reader: StandardFieldsReader,
	options = OptionValues.read(context),
): Promise<BulkSession> {
	return await BulkSession.open(context, items, provider, contactPart(reader, options), options);
}

const ANSWER_FIELDS = new Set<string>([
	STATUS_FIELD,
	NOTE_FIELD,
	WARNINGS_FIELD,
	'error',
	...STANDARD_CONTACT_FIELDS,
]);
/** Bookkeeping a model has no use for (with no input fields on the item, nothing is kept aside). */
const NEVER_ANSWERED = new Set<string>([RUN_FIELD, CONFLICTS_FIELD, SOURCE_FIELD, REPLACED_FIELD]);

/**
 * One item as the answer of a contact operation: the status first, then the standard fields the
 * provider found (only when found: otherwise they would be the agent's own arguments), the source,
 * a note, warnings or error as sentences, and the provider's record only when the user asked for it.
 */
export function answerForTool(
	item: INodeExecutionData,
	mode: ToolAnswerMode,
	providerName: string,
): INodeExecutionData {
	const json = item.json;
	const found = json[STATUS_FIELD] === 'found';
	const answer: IDataObject = { [STATUS_FIELD]: json[STATUS_FIELD] };
	if (found) {
		for (const field of STANDARD_CONTACT_FIELDS) {
			if (!isNotGiven(json[field])) answer[field] = json[field];
		}
		answer.source = providerName;
	}
	// What the provider was not sent (a malformed optional argument) tells the model what to fix.
	if (json[NOTE_FIELD] !== undefined) answer[NOTE_FIELD] = json[NOTE_FIELD];
	if (json[WARNINGS_FIELD] !== undefined) answer[WARNINGS_FIELD] = json[WARNINGS_FIELD];
	if (typeof json.error === 'string') answer.error = sentenceForModel(json.error);
	if (mode === 'foundFieldsAndRecord' && found) {
		const record: IDataObject = {};
		for (const [key, value] of Object.entries(json)) {
			if (!ANSWER_FIELDS.has(key) && !NEVER_ANSWERED.has(key)) record[key] = value;
		}
		if (Object.keys(record).length > 0) answer.provider_record = record;
	}
	return { json: answer, pairedItem: item.pairedItem };
}
