import type { IExecuteFunctions } from 'n8n-workflow';

import { errorAnswers, isToolCall, toolAnswerMode } from '../../../nodes/bulk/tool-answer';

/** A context as n8n hands it to a node: its type, optionally isToolExecution, and parameters. */
function contextFor(type: string, { says, parameters = {} }: { says?: boolean; parameters?: Record<string, unknown> } = {}): IExecuteFunctions {
	return {
		getNode: () => ({ type, name: 'X', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: (name: string, _index: number, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
		...(says === undefined ? {} : { isToolExecution: () => says }),
	} as unknown as IExecuteFunctions;
}

describe('isToolCall', () => {
	it('is the tool variant n8n derives from the node (the AI Agent of n8n 2.x runs it as an ordinary node)', () => {
		expect(isToolCall(contextFor('n8n-nodes-bulk-enrichment.exploriumTool', { says: false }))).toBe(true);
		expect(isToolCall(contextFor('n8n-nodes-bulk-enrichment.explorium', { says: false }))).toBe(false);
	});

	it("takes the context's word where n8n gives it (older agents call tools through a sub-node context)", () => {
		expect(isToolCall(contextFor('n8n-nodes-bulk-enrichment.explorium', { says: true }))).toBe(true);
		expect(isToolCall(contextFor('n8n-nodes-bulk-enrichment.explorium'))).toBe(false);
	});

	it('reads the Tool Answer parameter only on a tool call, with Found Fields as the default', () => {
		expect(toolAnswerMode(contextFor('p.explorium'))).toBeUndefined();
		expect(toolAnswerMode(contextFor('p.exploriumTool'))).toBe('foundFields');
		expect(toolAnswerMode(contextFor('p.exploriumTool', { parameters: { toolAnswer: 'foundFieldsAndRecord' } }))).toBe('foundFieldsAndRecord');
		expect(toolAnswerMode(contextFor('p.exploriumTool', { parameters: { toolAnswer: 'anything else' } }))).toBe('foundFields');
	});
});

describe('errorAnswers', () => {
	it('turns a failed run into one error answer per item, paired', () => {
		const items = [{ json: { a: 1 } }, { json: { a: 2 } }];
		const answers = errorAnswers(items, new Error('Explorium request failed (HTTP 401): Invalid API key [items 0-1]'));
		expect(answers).toEqual([
			{ json: { enrichment_status: 'error', error: 'Explorium request failed (HTTP 401): Invalid API key' }, pairedItem: { item: 0 } },
			{ json: { enrichment_status: 'error', error: 'Explorium request failed (HTTP 401): Invalid API key' }, pairedItem: { item: 1 } },
		]);
	});
});
