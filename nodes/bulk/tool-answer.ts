import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { REPLACED_FIELD } from '../shared/fill-standard-fields';
import { SOURCE_FIELD, STANDARD_CONTACT_FIELDS } from '../shared/standard-contact';
import { CONFLICTS_FIELD, NOTE_FIELD, RUN_FIELD, STATUS_FIELD, WARNINGS_FIELD } from './output-items';

/**
 * When an AI agent calls a node as a tool, the node's answer is what the model reads: it should be
 * short and say what was found, not echo the agent's own arguments or carry the run's bookkeeping.
 */
export type ToolAnswerMode = 'foundFields' | 'foundFieldsAndRecord';

export const TOOL_ANSWER_PARAMETER = 'toolAnswer';

/** Shown only on the tool variant of a node (n8n's `@tool` display condition). */
export const toolAnswerProperty: INodeProperties = {
	displayName: 'Tool Answer',
	name: TOOL_ANSWER_PARAMETER,
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Found Fields',
			value: 'foundFields',
			description: 'The status, the contact fields the provider found (email, its status, phones, LinkedIn, name, title, company) and the source: a short answer',
		},
		{
			name: 'Found Fields and Provider Record',
			value: 'foundFieldsAndRecord',
			description: "Also the provider's whole record under provider_record: longer answers, more tokens",
		},
	],
	default: 'foundFields',
	description: 'What the AI agent receives from this tool',
	displayOptions: { show: { '@tool': [true] } },
};

/** Whether this run answers an AI agent's tool call, and how; undefined in a workflow run. */
export function toolAnswerMode(context: IExecuteFunctions): ToolAnswerMode | undefined {
	if (!isToolCall(context)) return undefined;
	const mode = context.getNodeParameter(TOOL_ANSWER_PARAMETER, 0, 'foundFields');
	return mode === 'foundFieldsAndRecord' ? mode : 'foundFields';
}

/**
 * Whether an agent is calling: the node in the workflow is the tool variant n8n derived from it
 * (`<package>.<name>Tool`). The AI Agent of n8n 2.x runs a tool as an ordinary node execution
 * (where `isToolExecution()` says false), older agents through a sub-node context that says true.
 */
export function isToolCall(context: IExecuteFunctions): boolean {
	if (/Tool$/.test(context.getNode().type.split('.').pop() ?? '')) return true;
	const says = (context as { isToolExecution?: () => boolean }).isToolExecution;
	return typeof says === 'function' && says.call(context) === true;
}

const ANSWER_FIELDS = new Set<string>([STATUS_FIELD, NOTE_FIELD, WARNINGS_FIELD, 'error', ...STANDARD_CONTACT_FIELDS]);
/** Bookkeeping a model has no use for (with no input fields on the item, nothing is kept aside). */
const NEVER_ANSWERED = new Set<string>([RUN_FIELD, CONFLICTS_FIELD, SOURCE_FIELD, REPLACED_FIELD]);

/**
 * One item as the answer of a contact operation: the status first, then the standard fields the
 * provider found (only when found: otherwise they would be the agent's own arguments), the source,
 * a note, warnings or error as sentences, and the provider's record only when the user asked for it.
 */
export function answerForTool(item: INodeExecutionData, mode: ToolAnswerMode, providerName: string): INodeExecutionData {
	const json = item.json;
	const found = json[STATUS_FIELD] === 'found';
	const answer: IDataObject = { [STATUS_FIELD]: json[STATUS_FIELD] };
	if (found) {
		for (const field of STANDARD_CONTACT_FIELDS) {
			if (json[field] !== undefined && json[field] !== null && json[field] !== '') answer[field] = json[field];
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

/** A failed run as the tool's answer: the model reads the reason and can act on it. */
export function errorAnswers(items: INodeExecutionData[], error: unknown): INodeExecutionData[] {
	const message = error instanceof Error ? error.message : String(error);
	const answer = { [STATUS_FIELD]: 'error', error: sentenceForModel(message) };
	return items.map((_, index) => ({ json: { ...answer }, pairedItem: { item: index } }));
}

/** The error without the workflow's item numbers, which mean nothing to a model. */
function sentenceForModel(message: string): string {
	return message.replace(/\s*\[items? [^\]]*\]$/, '').trim();
}
