import type { IDataObject } from 'n8n-workflow';

import {
	callbackResultJson,
	enrichmentIdOf,
	prontoStandardContact,
	prontoStandardFields,
	readContactAnswer,
	readProntoResult,
} from '../../../nodes/Pronto/adapter/pronto-result';

/** The documented GET /contacts/{id} result, which the callback most likely repeats (PROVIDERS.md). */
const documented = {
	enrichment_id: '123e4567-e89b-12d3-a456-426614174000',
	first_name: 'Mathieu',
	last_name: 'Brun-Picard',
	status: 'finished',
	email: 'mathieu@prontohq.com',
	email_status: 'deliverable',
	personal_email: 'mathieu.bp@gmail.com',
	personal_email_status: 'valid',
	phone: ['+12015550123'],
	custom: { hubspot_id: '4447901' },
};

describe('readProntoResult', () => {
	it('the documented result under the normalized names', () => {
		expect(readProntoResult(documented).verdict).toBe('found');
		expect(readProntoResult(documented).fields).toEqual({
			enrichment_id: '123e4567-e89b-12d3-a456-426614174000',
			pronto_status: 'finished',
			first_name: 'Mathieu',
			last_name: 'Brun-Picard',
			email: 'mathieu@prontohq.com',
			email_status: 'deliverable',
			personal_email: 'mathieu.bp@gmail.com',
			personal_email_status: 'valid',
			phones: ['+12015550123'],
		});
	});

	it('an empty object: every field null, no phones, not found', () => {
		expect(readProntoResult({}).verdict).toBe('not_found');
		expect(readProntoResult({}).fields).toEqual({
			enrichment_id: null,
			pronto_status: null,
			first_name: null,
			last_name: null,
			email: null,
			email_status: null,
			personal_email: null,
			personal_email_status: null,
			phones: [],
		});
	});

	describe('enrichment id', () => {
		it.each([
			['enrichment_id', { enrichment_id: 'e-1' }, 'e-1'],
			['id', { id: 'e-2' }, 'e-2'],
			['both: enrichment_id wins', { enrichment_id: 'e-3', id: 'other' }, 'e-3'],
			['an empty enrichment_id falls back to id', { enrichment_id: ' ', id: 'e-4' }, 'e-4'],
			['a numeric id as text', { id: 1234 }, '1234'],
			['an object is no id', { id: { value: 'x' } }, null],
			['null', { enrichment_id: null }, null],
		])('%s', (_, body, expected) => {
			expect(readProntoResult(body).fields.enrichment_id).toBe(expected);
			expect(enrichmentIdOf(body)).toBe(expected);
		});
	});

	describe('phones: a list of E.164 strings whatever the shape', () => {
		it.each<[string, IDataObject, string[]]>([
			[
				'`phone` as a list of strings',
				{ phone: ['+12015550123', '+33 6 12 34 56 78'] },
				['+12015550123', '+33612345678'],
			],
			['`phones` as a list of strings', { phones: ['+33612345678'] }, ['+33612345678']],
			[
				'`phones` as {number, type} objects',
				{
					phones: [
						{ number: '+33612345678', type: 'mobile' },
						{ number: '+1 (415) 555-0100', type: 'work' },
					],
				},
				['+33612345678', '+14155550100'],
			],
			['`phone` as one string', { phone: '+1 (415) 555-0100' }, ['+14155550100']],
			[
				'`phone` as one {number, type} object',
				{ phone: { number: '0033612345678', type: 'mobile' } },
				['+33612345678'],
			],
			['a number value', { phones: [14155550100] }, ['+14155550100']],
			['a North American number without +', { phone: ['1 415 555 0100'] }, ['+14155550100']],
			[
				'no country code: kept as its digits, not dropped',
				{ phone: ['415 555 0100'] },
				['4155550100'],
			],
			['too short for E.164: kept as written (compact)', { phone: ['+12 34'] }, ['+1234']],
			[
				'both `phone` and `phones`: both read, duplicates once',
				{
					phone: ['+12015550123'],
					phones: [{ number: '+1 201 555 0123' }, { number: '+33612345678' }],
				},
				['+12015550123', '+33612345678'],
			],
			[
				'an empty `phones` does not hide `phone`',
				{ phones: [], phone: ['+12015550123'] },
				['+12015550123'],
			],
			[
				'empty, null and blank entries are no phones',
				{ phone: ['', null, '   ', { type: 'mobile' }], phones: null },
				[],
			],
			['nothing at all', {}, []],
		])('%s', (_, body, expected) => {
			expect(readProntoResult(body).fields.phones).toEqual(expected);
		});
	});

	describe('verdict (written as enrichment_status)', () => {
		it.each<[string, IDataObject, string]>([
			['finished with an email', { status: 'finished', email: 'a@example.com' }, 'found'],
			[
				'finished with only a personal email',
				{ status: 'finished', personal_email: 'a@gmail.com' },
				'found',
			],
			[
				'finished with only a phone',
				{ status: 'finished', phones: [{ number: '+33612345678' }] },
				'found',
			],
			[
				'finished without anything (the documented miss)',
				{ status: 'finished', email: null, email_status: 'N/A', phone: [] },
				'not_found',
			],
			[
				'"success" (the sync endpoint\'s word) with an email',
				{ status: 'success', email: 'a@example.com' },
				'found',
			],
			['pending', { status: 'pending' }, 'pending'],
			['queued', { status: 'queued' }, 'pending'],
			['Processing, any case', { status: 'Processing' }, 'pending'],
			['no status and no data', {}, 'not_found'],
		])('%s → %s', (_, body, expected) => {
			expect(readProntoResult(body).verdict).toBe(expected);
		});
	});

	it('null-safe text: null, blank and non-text values become null; text is trimmed', () => {
		expect(
			readProntoResult({
				email: '  a@example.com ',
				email_status: '',
				personal_email: ['x'],
				personal_email_status: null,
				first_name: { a: 1 },
				last_name: '  ',
			}).fields,
		).toMatchObject({
			email: 'a@example.com',
			email_status: null,
			personal_email: null,
			personal_email_status: null,
			first_name: null,
			last_name: null,
		});
	});

	it('first and last name in both spellings (first_name, firstname)', () => {
		expect(readProntoResult({ firstname: 'Ada', lastname: 'Lovelace' }).fields).toMatchObject({
			first_name: 'Ada',
			last_name: 'Lovelace',
		});
	});

	it("pronto_status keeps Pronto's own word", () => {
		expect(readProntoResult({ status: 'Finished' }).fields.pronto_status).toBe('Finished');
	});
});

const normalized = (body: IDataObject) => readProntoResult(body).fields as unknown as IDataObject;

describe('Pronto result → standard fields', () => {
	it('is credited to Pronto and reads like prontoStandardContact', () => {
		expect(prontoStandardFields.providerName).toBe('Pronto');
		const result = normalized({ status: 'finished', email: 'a@example.com' });
		expect(prontoStandardFields.read(result)).toEqual(prontoStandardContact(result));
	});

	it('reads a normalized result: emails lower-cased, the first phone, the names Pronto echoed', () => {
		const result = normalized({
			enrichment_id: 'test-enrichment-1',
			status: 'finished',
			first_name: ' Mathieu ',
			last_name: 'Brun-Picard',
			email: 'Mathieu@ProntoHQ.com',
			email_status: 'deliverable',
			personal_email: 'Mathieu.BP@gmail.com',
			phone: ['+1 201-555-0123', '+33 6 12 34 56 78'],
		});
		expect(prontoStandardContact(result)).toEqual({
			email: 'mathieu@prontohq.com',
			email_status: 'deliverable',
			personal_email: 'mathieu.bp@gmail.com',
			phone: '+12015550123',
			first_name: 'Mathieu',
			last_name: 'Brun-Picard',
		});
	});

	it('Pronto gives no mobile, LinkedIn, title or company', () => {
		const standard = prontoStandardContact(
			normalized({ status: 'finished', phone: ['+12015550123'] }),
		);
		for (const field of [
			'mobile_phone',
			'linkedin_url',
			'full_name',
			'job_title',
			'company_name',
			'company_domain',
		]) {
			expect(standard).not.toHaveProperty(field);
		}
	});

	it('a number without country code is kept as its digits', () => {
		expect(
			prontoStandardContact(normalized({ status: 'finished', phone: '415 555 0100' })).phone,
		).toBe('4155550100');
	});

	it('a finished miss fills nothing: an email status ("N/A") only goes with an email', () => {
		expect(
			prontoStandardContact(
				normalized({ status: 'finished', email: null, email_status: 'N/A', phone: [] }),
			),
		).toEqual({
			email: null,
			email_status: null,
			personal_email: null,
			phone: null,
			first_name: null,
			last_name: null,
		});
	});

	it('phones that are not a list give no phone', () => {
		expect(prontoStandardContact({ phones: '+12015550123' }).phone).toBeNull();
	});
});

describe('one result, three readers: Get and Enrich and Wait (readContactAnswer), the trigger (callbackResultJson)', () => {
	const { fields } = readProntoResult(documented);

	it.each<[string, IDataObject, string]>([
		['found', documented, 'found'],
		[
			'a finished miss',
			{ enrichment_id: 'e-miss', status: 'finished', email: null, email_status: 'N/A', phone: [] },
			'notFound',
		],
		['pending', { enrichment_id: 'e-wait', status: 'queued' }, 'pending'],
	])(
		"Get / Enrich and Wait, %s: the verdict is the answer's kind, the data is the fields without a status",
		(_, body, kind) => {
			const answer = readContactAnswer(body);
			expect(answer.kind).toBe(kind);
			expect((answer as { data: IDataObject }).data).toEqual(readProntoResult(body).fields);
			expect((answer as { data: IDataObject }).data).not.toHaveProperty('enrichment_status');
		},
	);

	it.each<[string, unknown, string]>([
		['not an object', 'text', 'expected a contact object'],
		[
			'an error answer',
			{ error: 'rate limited', enrichment_id: 'e-1' },
			'the answer carries an error',
		],
		['an empty object', {}, 'expected a contact'],
	])('Get / Enrich and Wait, %s: never read as a miss', (_, body, message) => {
		expect(() => readContactAnswer(body)).toThrow(message);
	});

	it('the trigger: the same fields, the verdict written once under the status field, enrichment_id first', () => {
		const json = callbackResultJson(documented, 'enrichment_status');
		expect(Object.keys(json).slice(0, 2)).toEqual(['enrichment_id', 'enrichment_status']);
		expect(json).toMatchObject({
			...fields,
			enrichment_status: 'found',
			custom: { hubspot_id: '4447901' },
			raw: documented,
		});
		expect(json.enrichment_source).toMatchObject({ email: 'Pronto', phone: 'Pronto' });
	});

	it('the trigger, pending and not found: the verdict as the engine writes it for the action nodes', () => {
		expect(
			callbackResultJson({ enrichment_id: 'e-wait', status: 'queued' }, 'enrichment_status')
				.enrichment_status,
		).toBe('pending');
		expect(
			callbackResultJson({ enrichment_id: 'e-miss', status: 'finished' }, 'enrichment_status')
				.enrichment_status,
		).toBe('not_found');
	});
});
