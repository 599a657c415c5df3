import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { bulkOptionsCollection, OptionValues } from '../bulk/bulk-options';
import { BulkSession } from '../bulk/bulk-session';
import {
	CONFLICTS_FIELD,
	NOTE_FIELD,
	RUN_FIELD,
	sentenceForModel,
	STATUS_FIELD,
	WARNINGS_FIELD,
} from '../bulk/operation';
import type {
	InputSlot,
	Provider,
	ProviderLimits,
	SessionPart,
	ToolAnswerMode,
} from '../bulk/types';
import { asRecord, isBlank, isNotGiven, isPlainObject } from '../bulk/values';
import { readText, TEXT_RULES, type TextRules } from '../shared/field-schemas';
import {
	domainText,
	emailText,
	linkedinUrlText,
	phoneText,
	SOURCE_FIELD,
	STANDARD_CONTACT_FIELDS,
	text,
	type StandardContact,
	type StandardContactField,
	type StandardFieldsReader,
} from './standard-contact';

/** The input's values (failing their field's validation) and statuses a provider's value replaced. */
export const REPLACED_FIELD = 'enrichment_replaced';

/** "job_title" → "Job Title" ("LinkedIn URL" is the one exception). */
const fieldName = (field: string) =>
	field === 'linkedin_url'
		? 'LinkedIn URL'
		: field.replace(/_/g, ' ').replace(/\b\w/g, (letter) => letter.toUpperCase());

const onlyEnrichMissingOption: INodeProperties = {
	displayName: 'Only Enrich Items Missing',
	name: 'onlyEnrichMissing',
	type: 'multiOptions',
	options: STANDARD_CONTACT_FIELDS.map((field) => ({ name: fieldName(field), value: field })),
	default: [],
	description:
		'Items that already have all of these fields (non-empty) pass through as "skipped" and are not sent, so they cost no credit. Chain nodes with "Email" here for a waterfall.',
};

/** The shared Options and Only Enrich Items Missing. */
export const contactOptionsCollection = (limits: ProviderLimits, extra: INodeProperties[] = []) =>
	bulkOptionsCollection(limits, [onlyEnrichMissingOption, ...extra]);

export const readOnlyEnrichMissing = (options: OptionValues) =>
	options.list<StandardContactField>(onlyEnrichMissingOption);

/** An item already holding every one of `fields` (valid: an email `@@` is not held) is skipped, not sent. */
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

/** Only Enrich Items Missing alone (Explorium Enrich Firmographics); without `options`, nothing is skipped. */
export function skipItemsAlreadyHoldingPart(options?: OptionValues): SessionPart {
	const fields = options ? readOnlyEnrichMissing(options) : [];
	return { skipSlots: (items, slots) => skipItemsAlreadyHolding(items, slots, fields) };
}

/** What a contact operation plugs into its session: skipping, the standard fields, the tool answer. */
export function contactPart(reader: StandardFieldsReader, options?: OptionValues): SessionPart {
	return {
		...skipItemsAlreadyHoldingPart(options),
		reservedFields: [SOURCE_FIELD],
		completeFound: (json, input, found, data) =>
			fillStandardFields(json, input, reader.read(found), reader.providerName, data),
		answerForTool,
	};
}

export async function openContactSession(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	provider: Provider,
	reader: StandardFieldsReader,
	options = OptionValues.read(context),
): Promise<BulkSession> {
	return await BulkSession.open(context, items, provider, contactPart(reader, options), options);
}

/** Not the provider's record: the answer's own fields and bookkeeping a model has no use for. */
const NOT_IN_RECORD = new Set<string>([
	STATUS_FIELD,
	NOTE_FIELD,
	WARNINGS_FIELD,
	'error',
	...STANDARD_CONTACT_FIELDS,
	RUN_FIELD,
	CONFLICTS_FIELD,
	SOURCE_FIELD,
	REPLACED_FIELD,
]);

/**
 * The status, the standard fields only when found (else they are the agent's own arguments), the
 * source, note, warnings, error as a sentence, and the provider's record only when asked for.
 */
export function answerForTool(
	item: INodeExecutionData,
	mode: ToolAnswerMode,
	providerName: string,
): INodeExecutionData {
	const { json } = item;
	const found = json[STATUS_FIELD] === 'found';
	const answer: IDataObject = { [STATUS_FIELD]: json[STATUS_FIELD] };
	if (found) {
		for (const field of STANDARD_CONTACT_FIELDS)
			if (!isNotGiven(json[field])) answer[field] = json[field];
		answer.source = providerName;
	}
	// What the provider was not sent (a malformed optional argument) tells the model what to fix.
	if (json[NOTE_FIELD] !== undefined) answer[NOTE_FIELD] = json[NOTE_FIELD];
	if (json[WARNINGS_FIELD] !== undefined) answer[WARNINGS_FIELD] = json[WARNINGS_FIELD];
	if (typeof json.error === 'string') answer.error = sentenceForModel(json.error);
	if (mode === 'foundFieldsAndRecord' && found) {
		const record: IDataObject = {};
		for (const [key, value] of Object.entries(json))
			if (!NOT_IN_RECORD.has(key)) record[key] = value;
		if (Object.keys(record).length > 0) answer.provider_record = record;
	}
	return { json: answer, pairedItem: item.pairedItem };
}

/** Statuses describing another field's value: they travel with that value. */
const STATUS_OF: Readonly<Record<string, string>> = {
	email: 'email_status',
	personal_email: 'personal_email_status',
};
const STATUS_FIELDS = new Set(Object.values(STATUS_OF));

type Verdict = 'written' | 'kept' | 'same' | 'none';

/**
 * Writes a provider's standard fields into an output item, recording who filled each in
 * `enrichment_source`. A usable held value is never overwritten (a different provider value goes
 * under `enrichment_conflicts`); one failing validation is replaced (kept under
 * `enrichment_replaced`). `data` is the provider data already merged into `output`.
 */
export function fillStandardFields(
	output: IDataObject,
	input: IDataObject,
	standard: StandardContact,
	providerName: string,
	data: IDataObject = {},
): IDataObject {
	// Runs once per found item: plain objects and arrays, no copies (a Map, a Set and two spreads here cost more than the rules).
	const fill = new StandardFieldsFill(output, input, providerName);
	fill.placeValues(standard);
	fill.placeStatuses(standard, data);
	fill.recordChanges();
	return output;
}

/** One item's filling: what it wrote, kept and replaced, recorded once at the end. */
class StandardFieldsFill {
	filled: IDataObject = {}; // field → provider, for `enrichment_source`
	written: string[] = []; // fields the provider's value was written to (values and statuses)
	conflicts: IDataObject = {};
	replaced: IDataObject = {};
	verdicts: Partial<Record<string, Verdict>> = {};

	constructor(
		private readonly output: IDataObject,
		private readonly input: IDataObject,
		private readonly providerName: string,
	) {}

	/** Each standard value (statuses aside): written where the input has no usable one, else kept. */
	placeValues(standard: StandardContact): void {
		const { output, input } = this;
		for (const field of STANDARD_CONTACT_FIELDS) {
			if (STATUS_FIELDS.has(field)) continue;
			const value = standard[field];
			const held = input[field];
			let verdict: Verdict;
			if (value === undefined || value === null) verdict = 'none';
			else if (isBlank(held) || !holdsUsableValue(field, held)) verdict = 'written';
			else verdict = sameValue(field, held, value) ? 'same' : 'kept';
			this.verdicts[field] = verdict;
			if (verdict === 'written') {
				output[field] = value;
				this.filled[field] = this.providerName;
				this.written.push(field);
				if (!isBlank(held)) this.replaced[field] = held;
			} else if (verdict === 'kept') {
				output[field] = held;
				this.conflicts[field] = value;
			}
		}
	}

	/** Each status goes where its value went; the provider's is the standard reading's, else as merged into the output. */
	placeStatuses(standard: IDataObject, data: IDataObject): void {
		const { output, input } = this;
		for (const [valueField, status] of Object.entries(STATUS_OF)) {
			const verdict = this.verdicts[valueField] ?? 'none';
			const providerStatus = text(standard[status] ?? data[status]);
			const heldStatus = input[status];
			const inputHasStatus = !isBlank(heldStatus);
			if (verdict === 'written' || (verdict === 'same' && !inputHasStatus)) {
				// The value beside it is the provider's: so is its status (null when the provider gives
				// none while something else stood there).
				if (providerStatus === null && !inputHasStatus && !(status in output)) continue;
				output[status] = providerStatus;
				this.written.push(status);
				if (providerStatus !== null && STANDARD_FIELD_NAMES.has(status))
					this.filled[status] = this.providerName;
				if (inputHasStatus && heldStatus !== providerStatus) this.replaced[status] = heldStatus;
			} else if (verdict === 'kept') {
				// The input's value stays: so does its status (or none); the provider's goes with its value.
				if (inputHasStatus) output[status] = heldStatus;
				else delete output[status];
				if (providerStatus !== null) this.conflicts[status] = providerStatus;
			} else if (verdict === 'none' && !inputHasStatus && status in output) {
				// A status without a value (e.g. Pronto's "N/A" when no email was asked for) describes nothing.
				output[status] = null;
			} else if (inputHasStatus) {
				// The same value (or none from the provider): the input's status stays; a different one is shown.
				output[status] = heldStatus;
				if (verdict === 'same' && providerStatus !== null && providerStatus !== text(heldStatus))
					this.conflicts[status] = providerStatus;
			}
		}
	}

	recordChanges(): void {
		const { output, conflicts, replaced, filled } = this;
		// Most items have no conflict, before or after: nothing to merge.
		if (hasKeys(conflicts) || CONFLICTS_FIELD in output) {
			const mergedConflicts: IDataObject = { ...asRecord(output[CONFLICTS_FIELD]), ...conflicts };
			// A provider value that was written after all (it replaced a malformed one) is no conflict.
			for (const field of this.written) {
				const conflict = mergedConflicts[field];
				if (
					conflict !== undefined &&
					(conflict === output[field] ||
						(typeof conflict === 'string' && sameValue(field, conflict, String(output[field]))))
				) {
					delete mergedConflicts[field];
				}
			}
			if (hasKeys(mergedConflicts)) output[CONFLICTS_FIELD] = mergedConflicts;
			else delete output[CONFLICTS_FIELD];
		}
		if (hasKeys(replaced))
			output[REPLACED_FIELD] = { ...asRecord(output[REPLACED_FIELD]), ...replaced };
		if (hasKeys(filled)) output[SOURCE_FIELD] = { ...asRecord(output[SOURCE_FIELD]), ...filled };
	}
}

/** Without listing the keys (this runs several times per item). */
function hasKeys(object: IDataObject): boolean {
	for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return true;
	return false;
}

const STANDARD_FIELD_NAMES = new Set<string>(STANDARD_CONTACT_FIELDS);

/**
 * Each contact value's own validation (the rules the nodes apply to what they send) and how two
 * spellings of it compare (case, E.164, URL scheme, "www.").
 */
const KINDS: Record<string, [TextRules, (raw: unknown) => string | null]> = {
	email: [TEXT_RULES.email, emailText],
	personal_email: [TEXT_RULES.email, emailText],
	phone: [TEXT_RULES.phone, phoneText],
	mobile_phone: [TEXT_RULES.phone, phoneText],
	linkedin_url: [
		TEXT_RULES.linkedinProfileUrl,
		(raw) => linkedinUrlText(raw)?.toLowerCase().replace(/\/+$/, '') ?? null,
	],
	company_domain: [TEXT_RULES.domain, domainText],
};
// Any other text compares case aside.
const TEXT_KIND: [TextRules, (raw: unknown) => string | null] = [TEXT_RULES.text, emailText];

function sameValue(field: string, held: unknown, value: string): boolean {
	const normalize = (KINDS[field] ?? TEXT_KIND)[1];
	return normalize(held) === normalize(value);
}

/** Where CRMs and providers keep the value inside an object. */
const VALUE_KEYS = ['value', 'email', 'address', 'number', 'phone', 'url'];

/** Present and passing the field's own validation: `@@` in `email` is missing, and may be replaced. */
function holdsUsableValue(field: string, value: unknown): boolean {
	// CRMs may hold a list (Pipedrive's `phone: [{value, primary}]`) or an object: usable when something in it is.
	if (Array.isArray(value)) return value.some((entry) => holdsUsableValue(field, entry));
	// Only a plain value inside: a list or object there is not looked into.
	if (isPlainObject(value))
		return VALUE_KEYS.some(
			(key) => typeof value[key] !== 'object' && holdsUsableValue(field, value[key]),
		);
	return readText((KINDS[field] ?? TEXT_KIND)[0], value).text !== undefined;
}
