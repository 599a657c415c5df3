import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	CONFLICTS_FIELD,
	NOTE_FIELD,
	RUN_FIELD,
	STATUS_FIELD,
	WARNINGS_FIELD,
} from '../bulk/output-items';
import type { ToolAnswerMode } from '../bulk/operation';
import { sentenceForModel } from '../bulk/operation';
import { isNotGiven } from '../shared/field-schemas';
import { REPLACED_FIELD } from './fill-standard-fields';
import { SOURCE_FIELD, STANDARD_CONTACT_FIELDS } from './standard-contact';

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
