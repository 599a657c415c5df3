import type { IDataObject } from 'n8n-workflow';

import { validateInput } from '../../../nodes/bulk/operation';
import {
	parsePhoneCountryCodes,
	prontoContactLabels,
	prontoContactSchema,
} from '../../../nodes/Pronto/actions/contact/contact-fields';
import {
	bulkEnrichEndpoint,
	contactResultPoll,
	getContactEndpoint,
	singleEnrichEndpoint,
	type EnrichmentType,
	type ProntoContact,
} from '../../../nodes/Pronto/adapter/endpoints';
import { CORRELATION_FIELDS, PRONTO } from '../../../nodes/Pronto/adapter/provider';
import { response } from '../bulk/helpers';

const submission = {
	enrichmentType: 'email' as const,
	webhookUrl: 'https://n8n.example.com/webhook/abc/callback?n8n_token=t',
	executionId: '42',
	runId: 'run-1',
};
const ada: ProntoContact = {
	firstname: 'Ada',
	lastname: 'Lovelace',
	domain: 'example.com',
	custom: { crm_id: 'c1' },
};
const bob: ProntoContact = { firstname: 'Bob', lastname: 'Builder', company_name: 'Acme' };

function validate(raw: IDataObject, type: EnrichmentType = 'email') {
	return validateInput(prontoContactSchema(type), raw, prontoContactLabels);
}

describe('Pronto limits', () => {
	it('2..100 contacts per request, never more than 5 in flight', () => {
		expect(PRONTO.limits).toMatchObject({
			maxBatchSize: 100,
			minBatchSize: 2,
			maxConcurrency: 5,
			defaultConcurrency: 5,
		});
		expect(PRONTO.limits.rateLimit).toBeUndefined();
	});

	it('explains the 422s and the 401 in words that say what to do', () => {
		expect(
			PRONTO.explainFailure?.({
				statusCode: 422,
				providerMessage: 'Not enough enrichment credits',
			}),
		).toMatch(/add credits/);
		expect(
			PRONTO.explainFailure?.({
				statusCode: 422,
				providerMessage:
					"You can't use the personal email enrichment feature without consenting with our terms of use",
			}),
		).toMatch(/consent/);
		expect(PRONTO.explainFailure?.({ statusCode: 401, providerMessage: 'Unauthorized' })).toMatch(
			/refused the API key/,
		);
		expect(PRONTO.explainFailure?.({ statusCode: 500, providerMessage: 'x' })).toBeUndefined();
	});
});

describe('Pronto contact validation', () => {
	it('email: names and a domain or a company; a website is reduced to its domain', () => {
		expect(
			validate({
				firstname: ' Ada ',
				lastname: 'Lovelace',
				domain: 'https://www.Example.com/about',
			}),
		).toEqual({
			kind: 'valid',
			value: { firstname: 'Ada', lastname: 'Lovelace', domain: 'www.example.com' },
		});
		expect(
			validate({ firstname: 'Ada', lastname: 'Lovelace', company_name: 'Acme' }),
		).toMatchObject({ kind: 'valid' });
		expect(validate({ firstname: 'Ada', lastname: 'Lovelace' })).toMatchObject({
			kind: 'invalid',
			field: 'domain',
			message: 'Domain: give a Domain or a Company Name for email enrichment (no value)',
		});
		expect(validate({ firstname: 'Ada', lastname: '', domain: 'x.com' })).toMatchObject({
			kind: 'invalid',
			field: 'lastname',
		});
		expect(validate({ firstname: 'Ada', lastname: 'L', domain: 'not a domain' })).toMatchObject({
			kind: 'invalid',
			field: 'domain',
			message: 'Domain: must be a domain such as acme.com (got "not a domain")',
		});
	});

	it.each<EnrichmentType>(['phone', 'personal_email'])(
		'%s: needs a LinkedIn profile URL, written with https://',
		(type) => {
			expect(validate({ firstname: 'Ada', lastname: 'L' }, type)).toMatchObject({
				kind: 'invalid',
				field: 'linkedin_url',
			});
			expect(
				validate({ firstname: 'Ada', lastname: 'L', linkedin_url: 'linkedin.com/in/ada' }, type),
			).toEqual({
				kind: 'valid',
				value: { firstname: 'Ada', lastname: 'L', linkedin_url: 'https://linkedin.com/in/ada' },
			});
			expect(
				validate(
					{ firstname: 'Ada', lastname: 'L', linkedin_url: 'https://example.com/ada' },
					type,
				),
			).toMatchObject({
				kind: 'invalid',
				field: 'linkedin_url',
			});
		},
	);

	it('refuses objects, lists, numbers and over-long text instead of stringifying them', () => {
		expect(validate({ firstname: { a: 1 }, lastname: 'L', domain: 'x.com' })).toMatchObject({
			field: 'firstname',
			message: expect.stringMatching(/^First Name: must be text/),
		});
		expect(validate({ firstname: ['Ada'], lastname: 'L', domain: 'x.com' })).toMatchObject({
			field: 'firstname',
		});
		expect(validate({ firstname: 7, lastname: 'L', domain: 'x.com' })).toMatchObject({
			field: 'firstname',
		});
		expect(validate({ firstname: 'A'.repeat(101), lastname: 'L', domain: 'x.com' })).toMatchObject({
			field: 'firstname',
			message: expect.stringMatching(/at most 100 characters/),
		});
	});

	it("custom: an object, or JSON text of one; never a list or the node's own keys", () => {
		const base = { firstname: 'Ada', lastname: 'L', domain: 'x.com' };
		expect(validate({ ...base, custom: { crm_id: 7 } })).toMatchObject({
			kind: 'valid',
			value: { custom: { crm_id: 7 } },
		});
		expect(validate({ ...base, custom: '{"crm_id": "a"}' })).toMatchObject({
			kind: 'valid',
			value: { custom: { crm_id: 'a' } },
		});
		expect(validate({ ...base, custom: '' })).toEqual({ kind: 'valid', value: base });
		expect(validate({ ...base, custom: [1] })).toMatchObject({
			kind: 'invalid',
			field: 'custom',
			message: expect.stringMatching(/^Custom: must be an object/),
		});
		expect(validate({ ...base, custom: 'not json' })).toMatchObject({
			kind: 'invalid',
			field: 'custom',
		});
		expect(validate({ ...base, custom: { [CORRELATION_FIELDS.runId]: 'x' } })).toMatchObject({
			kind: 'invalid',
			field: 'custom',
		});
		expect(validate({ ...base, custom: { big: 'x'.repeat(5000) } })).toMatchObject({
			kind: 'invalid',
			field: 'custom',
		});
	});

	it('phone country codes: two-letter codes, upper-cased, deduplicated', () => {
		expect(parsePhoneCountryCodes('us, FR;us')).toEqual(['US', 'FR']);
		expect(parsePhoneCountryCodes('')).toBeUndefined();
		expect(parsePhoneCountryCodes(undefined)).toBeUndefined();
		expect(() => parsePhoneCountryCodes('US, France')).toThrow(
			'"France" is not a two-letter country code',
		);
	});
});

describe('Pronto endpoints', () => {
	const correlation = { itemIndexesOf: [[0, 3], [1]] };

	it('bulk: every contact carries its correlation in custom; type, webhook and country codes once', () => {
		const endpoint = bulkEnrichEndpoint({ ...submission, phoneCountryCodes: ['US'] });
		expect(endpoint.idempotent).toBe(false);
		expect(endpoint.buildRequest([ada, bob], correlation)).toEqual({
			method: 'POST',
			url: '/contacts/bulk_enrich',
			body: {
				contacts: [
					{
						...ada,
						custom: {
							crm_id: 'c1',
							n8n_bulk_item_index: 0,
							n8n_bulk_item_indexes: [0, 3],
							n8n_bulk_execution_id: '42',
							n8n_bulk_run_id: 'run-1',
						},
					},
					{
						...bob,
						custom: {
							n8n_bulk_item_index: 1,
							n8n_bulk_item_indexes: [1],
							n8n_bulk_execution_id: '42',
							n8n_bulk_run_id: 'run-1',
						},
					},
				],
				enrichment_type: ['email'],
				webhook_url: submission.webhookUrl,
				phone_country_codes: ['US'],
			},
		});
	});

	it('bulk: a 202 is "submitted" for every contact, with the job id and its correlation', () => {
		const answers = bulkEnrichEndpoint(submission).readAnswers(
			response(202, { enrichment_id: 'job-1', status: 'queued' }),
			[ada, bob],
			correlation,
		);
		expect(answers).toEqual([
			{
				kind: 'submitted',
				data: {
					enrichment_id: 'job-1',
					pronto_status: 'queued',
					n8n_bulk_item_index: 0,
					n8n_bulk_item_indexes: [0, 3],
					n8n_bulk_execution_id: '42',
					n8n_bulk_run_id: 'run-1',
				},
			},
			{
				kind: 'submitted',
				data: {
					enrichment_id: 'job-1',
					pronto_status: 'queued',
					n8n_bulk_item_index: 1,
					n8n_bulk_item_indexes: [1],
					n8n_bulk_execution_id: '42',
					n8n_bulk_run_id: 'run-1',
				},
			},
		]);
		expect(() =>
			bulkEnrichEndpoint(submission).readAnswers(response(202, {}), [ada, bob], correlation),
		).toThrow('enrichment_id');
	});

	it('bulk: a 400 naming contacts lets the others be sent again', () => {
		const endpoint = bulkEnrichEndpoint(submission);
		expect(
			endpoint.findRejectedElements?.(
				response(400, {
					error: 400,
					message: 'contacts[1].firstname is required (and 1 more problem)',
				}),
				[ada, bob],
			),
		).toEqual([{ position: 1, reason: 'contacts[1].firstname is required' }]);
		expect(
			endpoint.findRejectedElements?.(response(422, { message: 'contacts[1] x' }), [ada, bob]),
		).toEqual([]);
	});

	it('identical contacts with the same custom are one; a different custom is another', () => {
		const endpoint = bulkEnrichEndpoint(submission);
		expect(endpoint.identityOf({ ...ada })).toBe(
			endpoint.identityOf({
				custom: { crm_id: 'c1' },
				lastname: 'Lovelace',
				firstname: 'Ada',
				domain: 'example.com',
			}),
		);
		expect(endpoint.identityOf(ada)).not.toBe(
			endpoint.identityOf({ ...ada, custom: { crm_id: 'c2' } }),
		);
	});

	it('single: one contact per request, for a lone contact of a bulk run', () => {
		const single = bulkEnrichEndpoint(submission).smallChunkEndpoint!;
		expect(single.batchLimits).toEqual({ maxBatchSize: 1 });
		expect(single.idempotent).toBe(false);
		expect(single.buildRequest([ada], { itemIndexesOf: [[4]] })).toMatchObject({
			url: '/contacts/single_enrich',
			body: {
				firstname: 'Ada',
				enrichment_type: ['email'],
				webhook_url: submission.webhookUrl,
				custom: { crm_id: 'c1', n8n_bulk_item_index: 4 },
			},
		});
		const pending = {
			enrichment_id: 'contact-1',
			first_name: 'Ada',
			last_name: 'Lovelace',
			status: 'pending',
			custom: {},
		};
		expect(
			singleEnrichEndpoint(submission).readAnswers(response(200, pending), [ada], {
				itemIndexesOf: [[4]],
			}),
		).toEqual([
			{
				kind: 'submitted',
				data: expect.objectContaining({
					enrichment_id: 'contact-1',
					pronto_status: 'pending',
					n8n_bulk_item_index: 4,
				}),
			},
		]);
	});

	it('get and poll: pending, finished with data, finished without', () => {
		const pending = response(200, { enrichment_id: 'c-1', status: 'pending', custom: null });
		const finished = response(200, {
			enrichment_id: 'c-1',
			status: 'finished',
			email: 'ada@example.com',
			email_status: 'deliverable',
			phone: [],
			custom: null,
		});
		const miss = response(200, {
			enrichment_id: 'c-1',
			status: 'finished',
			email: null,
			email_status: 'N/A',
			phone: [],
			custom: null,
		});
		expect(
			getContactEndpoint.buildRequest([{ enrichment_id: 'c-1' }], { itemIndexesOf: [[0]] }),
		).toEqual({ method: 'GET', url: '/contacts/c-1' });
		expect(getContactEndpoint.readAnswers(pending, [], { itemIndexesOf: [] })[0].kind).toBe(
			'pending',
		);
		expect(getContactEndpoint.readAnswers(finished, [], { itemIndexesOf: [] })[0]).toMatchObject({
			kind: 'found',
			data: { email: 'ada@example.com' },
		});
		expect(getContactEndpoint.readAnswers(miss, [], { itemIndexesOf: [] })[0].kind).toBe(
			'notFound',
		);

		const submittedData = { enrichment_id: 'c-1', n8n_bulk_item_index: 2 };
		expect(contactResultPoll.buildRequest(submittedData)).toEqual({
			method: 'GET',
			url: '/contacts/c-1',
		});
		expect(contactResultPoll.readState(pending, submittedData)).toBeUndefined();
		expect(contactResultPoll.readState(finished, submittedData)).toMatchObject({
			kind: 'found',
			data: { enrichment_id: 'c-1', n8n_bulk_item_index: 2, email: 'ada@example.com' },
		});
	});
});
