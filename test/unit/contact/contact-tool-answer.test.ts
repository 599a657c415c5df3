import type { INodeExecutionData } from 'n8n-workflow';

import { answerForTool } from '../../../nodes/contact/contact-part';

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
			{
				json: {
					email: 'ada@engines.test',
					enrichment_status: 'skipped',
					enrichment_note: 'no Prospect ID',
				},
				pairedItem: { item: 0 },
			},
			'foundFieldsAndRecord',
			'Explorium',
		);
		expect(skipped.json).toEqual({
			enrichment_status: 'skipped',
			enrichment_note: 'no Prospect ID',
		});
	});

	it('keeps the warnings about arguments left out: the model can fix them', () => {
		const warned = answerForTool(
			{
				json: {
					...found.json,
					enrichment_warnings: ['Email left out: must be an email address (got "@@")'],
				},
				pairedItem: { item: 0 },
			},
			'foundFields',
			'Explorium',
		);
		expect(warned.json.enrichment_warnings).toEqual([
			'Email left out: must be an email address (got "@@")',
		]);
	});

	it('answers an error as its sentence, without the workflow item numbers', () => {
		const failed = answerForTool(
			{
				json: {
					enrichment_status: 'error',
					error: 'Email: must be an email address (got "x") [item 0]',
				},
				pairedItem: { item: 0 },
			},
			'foundFields',
			'Explorium',
		);
		expect(failed.json).toEqual({
			enrichment_status: 'error',
			error: 'Email: must be an email address (got "x")',
		});
	});
});

describe('answerForTool and blank values (issue 28: one meaning of "not given")', () => {
	it('leaves out a standard field holding only spaces, as it leaves out an empty one', () => {
		const answer = answerForTool(
			{
				json: { enrichment_status: 'found', email: '  ', phone: '', company_name: 'Engines' },
				pairedItem: { item: 0 },
			},
			'foundFields',
			'Explorium',
		);
		expect(answer.json).toEqual({
			enrichment_status: 'found',
			company_name: 'Engines',
			source: 'Explorium',
		});
	});
});
