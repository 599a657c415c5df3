import type { IDataObject } from 'n8n-workflow';

import { enrichmentIdOf, normalizeProntoResult } from '../../../nodes/Pronto/adapter/normalize-result';

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

describe('normalizeProntoResult', () => {
	it('the documented result under the normalized names', () => {
		expect(normalizeProntoResult(documented)).toEqual({
			enrichment_id: '123e4567-e89b-12d3-a456-426614174000',
			enrichment_status: 'found',
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
		expect(normalizeProntoResult({})).toEqual({
			enrichment_id: null,
			enrichment_status: 'not_found',
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
			expect(normalizeProntoResult(body).enrichment_id).toBe(expected);
			expect(enrichmentIdOf(body)).toBe(expected);
		});
	});

	describe('phones: a list of E.164 strings whatever the shape', () => {
		it.each<[string, IDataObject, string[]]>([
			['`phone` as a list of strings', { phone: ['+12015550123', '+33 6 12 34 56 78'] }, ['+12015550123', '+33612345678']],
			['`phones` as a list of strings', { phones: ['+33612345678'] }, ['+33612345678']],
			['`phones` as {number, type} objects', { phones: [{ number: '+33612345678', type: 'mobile' }, { number: '+1 (415) 555-0100', type: 'work' }] }, ['+33612345678', '+14155550100']],
			['`phone` as one string', { phone: '+1 (415) 555-0100' }, ['+14155550100']],
			['`phone` as one {number, type} object', { phone: { number: '0033612345678', type: 'mobile' } }, ['+33612345678']],
			['a number value', { phones: [14155550100] }, ['+14155550100']],
			['a North American number without +', { phone: ['1 415 555 0100'] }, ['+14155550100']],
			['no country code: kept as its digits, not dropped', { phone: ['415 555 0100'] }, ['4155550100']],
			['too short for E.164: kept as written (compact)', { phone: ['+12 34'] }, ['+1234']],
			['both `phone` and `phones`: both read, duplicates once', { phone: ['+12015550123'], phones: [{ number: '+1 201 555 0123' }, { number: '+33612345678' }] }, ['+12015550123', '+33612345678']],
			['an empty `phones` does not hide `phone`', { phones: [], phone: ['+12015550123'] }, ['+12015550123']],
			['empty, null and blank entries are no phones', { phone: ['', null, '   ', { type: 'mobile' }], phones: null }, []],
			['nothing at all', {}, []],
		])('%s', (_, body, expected) => {
			expect(normalizeProntoResult(body).phones).toEqual(expected);
		});
	});

	describe('enrichment_status', () => {
		it.each<[string, IDataObject, string]>([
			['finished with an email', { status: 'finished', email: 'a@example.com' }, 'found'],
			['finished with only a personal email', { status: 'finished', personal_email: 'a@gmail.com' }, 'found'],
			['finished with only a phone', { status: 'finished', phones: [{ number: '+33612345678' }] }, 'found'],
			['finished without anything (the documented miss)', { status: 'finished', email: null, email_status: 'N/A', phone: [] }, 'not_found'],
			['"success" (the sync endpoint\'s word) with an email', { status: 'success', email: 'a@example.com' }, 'found'],
			['pending', { status: 'pending' }, 'pending'],
			['queued', { status: 'queued' }, 'pending'],
			['Processing, any case', { status: 'Processing' }, 'pending'],
			['no status and no data', {}, 'not_found'],
		])('%s → %s', (_, body, expected) => {
			expect(normalizeProntoResult(body).enrichment_status).toBe(expected);
		});
	});

	it('null-safe text: null, blank and non-text values become null; text is trimmed', () => {
		expect(
			normalizeProntoResult({ email: '  a@example.com ', email_status: '', personal_email: ['x'], personal_email_status: null, first_name: { a: 1 }, last_name: '  ' }),
		).toMatchObject({ email: 'a@example.com', email_status: null, personal_email: null, personal_email_status: null, first_name: null, last_name: null });
	});

	it('first and last name in both spellings (first_name, firstname)', () => {
		expect(normalizeProntoResult({ firstname: 'Ada', lastname: 'Lovelace' })).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
	});

	it('pronto_status keeps Pronto\'s own word', () => {
		expect(normalizeProntoResult({ status: 'Finished' }).pronto_status).toBe('Finished');
	});
});
