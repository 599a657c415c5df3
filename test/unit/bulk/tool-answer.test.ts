import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { answerForTool, errorAnswers, isToolCall, toolAnswerMode } from '../../../nodes/bulk/tool-answer';

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

describe('answerForTool', () => {
	const found: INodeExecutionData = {
		json: {
			prospect_id: 'a'.repeat(40),
			emails: [{ address: 'ada@engines.test', type: 'professional' }],
			professions_email: 'ada@engines.test',
			email: 'ada@engines.test',
			email_status: 'valid',
			phone: '+14155550100',
			enrichment_source: { email: 'Explorium', phone: 'Explorium' },
			enrichment_conflicts: { name: 'other' },
			enrichment_run: { provider: 'Explorium', records_sent: 1 },
			enrichment_status: 'found',
		},
		pairedItem: { item: 0 },
	};

	it('answers the status, the standard fields found and the source; no provider lists, no run summary', () => {
		const answer = answerForTool(found, 'foundFields', 'Explorium');
		expect(answer.json).toEqual({
			enrichment_status: 'found',
			email: 'ada@engines.test',
			email_status: 'valid',
			phone: '+14155550100',
			source: 'Explorium',
		});
		expect(Object.keys(answer.json)[0]).toBe('enrichment_status');
		expect(answer.pairedItem).toEqual({ item: 0 });
	});

	it("adds the provider's record when the user asks for it, never the bookkeeping", () => {
		const answer = answerForTool(found, 'foundFieldsAndRecord', 'Explorium');
		expect(answer.json.provider_record).toEqual({
			prospect_id: 'a'.repeat(40),
			emails: [{ address: 'ada@engines.test', type: 'professional' }],
			professions_email: 'ada@engines.test',
		});
	});

	it('gives no contact fields unless found: they would be the agent’s own arguments', () => {
		const skipped = answerForTool(
			{ json: { email: 'ada@engines.test', enrichment_status: 'skipped', enrichment_note: 'no Prospect ID' }, pairedItem: { item: 0 } },
			'foundFieldsAndRecord',
			'Explorium',
		);
		expect(skipped.json).toEqual({ enrichment_status: 'skipped', enrichment_note: 'no Prospect ID' });
	});

	it('keeps the warnings about arguments left out: the model can fix them', () => {
		const warned = answerForTool(
			{ json: { ...found.json, enrichment_warnings: ['Email left out: must be an email address (got "@@")'] }, pairedItem: { item: 0 } },
			'foundFields',
			'Explorium',
		);
		expect(warned.json.enrichment_warnings).toEqual(['Email left out: must be an email address (got "@@")']);
	});

	it('answers an error as its sentence, without the workflow item numbers', () => {
		const failed = answerForTool(
			{ json: { enrichment_status: 'error', error: 'Email: must be an email address (got "x") [item 0]' }, pairedItem: { item: 0 } },
			'foundFields',
			'Explorium',
		);
		expect(failed.json).toEqual({ enrichment_status: 'error', error: 'Email: must be an email address (got "x")' });
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
