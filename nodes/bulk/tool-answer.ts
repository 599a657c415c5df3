import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { STATUS_FIELD } from './output-items';
import type { ToolAnswerMode } from './session-part';

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

/** A failed run as the tool's answer: the model reads the reason and can act on it. */
export function errorAnswers(items: INodeExecutionData[], error: unknown): INodeExecutionData[] {
	const message = error instanceof Error ? error.message : String(error);
	const answer = { [STATUS_FIELD]: 'error', error: sentenceForModel(message) };
	return items.map((_, index) => ({ json: { ...answer }, pairedItem: { item: index } }));
}

/** The error without the workflow's item numbers, which mean nothing to a model. */
export function sentenceForModel(message: string): string {
	return message.replace(/\s*\[items? [^\]]*\]$/, '').trim();
}
