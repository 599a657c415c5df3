import type { IDataObject } from 'n8n-workflow';

import { runBulk } from '../../../nodes/bulk/run-bulk';
import type { ProviderResponse } from '../../../nodes/bulk/types';
import {
	businessesBulkEnrichEndpoint,
	findElementsNamedIn422,
	matchBusinessesEndpoint,
	matchProspectsEndpoint,
	prospectsBulkEnrichEndpoint,
	readReportedCredits,
	readRowArray,
	simplifyFirmographics,
} from '../../../nodes/Explorium/adapter/endpoints';
import { EXPLORIUM } from '../../../nodes/Explorium/adapter/provider';
import { validateInput } from '../../../nodes/bulk/operation';
import {
	prospectMatchLabels,
	prospectMatchSchema,
	type BusinessMatchInput,
	type ProspectMatchInput,
} from '../../../nodes/Explorium/adapter/schemas';
import {
	FakeApi,
	FakeClock,
	businessId,
	prospectId,
	response,
	settings,
	validSlots,
	paced,
} from '../bulk/helpers';

const ok = (body: unknown): ProviderResponse => response(200, body);
/** Explorium's requests carry no correlation. */
const NO_CORRELATION = { itemIndexesOf: [] };

describe('Explorium limits', () => {
	it('are 1..50 per request, 200 records (ids) per minute', () => {
		expect(EXPLORIUM).toEqual({
			name: 'Explorium',
			credentialType: 'bulkEnrichmentExploriumApi',
			secretFields: ['apiKey'],
			answerStatusField: 'response_context.request_status',
			limits: {
				maxBatchSize: 50,
				defaultConcurrency: 4,
				maxConcurrency: 20,
				rateLimit: { limit: 200, windowMs: 60_000, unit: 'record' },
				requestTimeoutMs: 60_000,
			},
		});
	});
});

const CREDIT_USAGE = { 'credit-usage': 'true' };

describe('enrich endpoints per Explorium API (node versions 1-2 call v1, version 3 v2)', () => {
	const ids = [prospectId(1), prospectId(2)];
	const chunk = ids.map((prospect_id) => ({ prospect_id }));
	const businessIds = [businessId(1), businessId(2)];
	const businesses = businessIds.map((business_id) => ({ business_id }));

	it.each([
		[
			'v1',
			'/v1/prospects/contacts_information/bulk_enrich',
			'/v1/prospects/profiles/bulk_enrich',
			'/v1/businesses/firmographics/bulk_enrich',
		],
		[
			'v2',
			'/v2/prospects/contact_information/enrich',
			'/v2/prospects/profiles/enrich',
			'/v2/businesses/firmographics/enrich',
		],
	] as const)(
		'%s: paths, a list of ids (always), parameters only when given, the credit-usage header',
		(api, contacts, profiles, firmographics) => {
			expect(
				prospectsBulkEnrichEndpoint(
					'contacts_information',
					{ contact_types: ['email'] },
					api,
				).buildRequest(chunk, NO_CORRELATION),
			).toEqual({
				method: 'POST',
				url: contacts,
				headers: CREDIT_USAGE,
				body: { prospect_ids: ids, parameters: { contact_types: ['email'] } },
			});
			expect(
				prospectsBulkEnrichEndpoint('profiles', undefined, api).buildRequest(
					[chunk[0]],
					NO_CORRELATION,
				),
			).toEqual({
				method: 'POST',
				url: profiles,
				headers: CREDIT_USAGE,
				body: { prospect_ids: [ids[0]] },
			});
			expect(
				businessesBulkEnrichEndpoint('firmographics', api).buildRequest(businesses, NO_CORRELATION),
			).toEqual({
				method: 'POST',
				url: firmographics,
				headers: CREDIT_USAGE,
				body: { business_ids: businessIds },
			});
			expect(
				prospectsBulkEnrichEndpoint('profiles', undefined, api).identityOf({ prospect_id: ids[0] }),
			).toBe(ids[0]);
		},
	);

	it("v1 stays the default for callers that name no API (the engine's own tests)", () => {
		expect(
			prospectsBulkEnrichEndpoint('contacts_information').buildRequest(chunk, NO_CORRELATION).url,
		).toBe('/v1/prospects/contacts_information/bulk_enrich');
		expect(
			businessesBulkEnrichEndpoint('firmographics').buildRequest(businesses, NO_CORRELATION).url,
		).toBe('/v1/businesses/firmographics/bulk_enrich');
	});

	it('maps business rows by business_id', () => {
		const three = [...businesses, { business_id: businessId(3) }];
		const answers = businessesBulkEnrichEndpoint('firmographics', 'v2').readAnswers(
			ok({
				data: [
					{ business_id: businessId(3), data: { name: 'Three' } },
					{ business_id: businessId(1), data: { name: 'One' } },
				],
			}),
			three,
			NO_CORRELATION,
		);
		expect(answers).toEqual([
			{ kind: 'found', data: { business_id: businessId(1), name: 'One' } },
			{
				kind: 'notFound',
				reason: 'Explorium returned no data for this business',
				data: { business_id: businessId(2) },
			},
			{ kind: 'found', data: { business_id: businessId(3), name: 'Three' } },
		]);
	});

	it('a row whose data is null, empty, or a list without a record is not found', () => {
		const three = [prospectId(1), prospectId(2), prospectId(3), prospectId(4)];
		const answers = prospectsBulkEnrichEndpoint('profiles').readAnswers(
			ok({
				data: [
					{ prospect_id: three[0], data: null },
					{ prospect_id: three[1], data: ['x'] },
					{ prospect_id: three[2], data: {} },
					{ prospect_id: three[3], data: [{}, null] },
				],
			}),
			three.map((prospect_id) => ({ prospect_id })),
			NO_CORRELATION,
		);
		expect(answers.map((answer) => answer.kind)).toEqual([
			'notFound',
			'notFound',
			'notFound',
			'notFound',
		]);
	});

	it('v2 data as a list: the first record fills the item, the others are kept under more_records', () => {
		const answers = prospectsBulkEnrichEndpoint(
			'contacts_information',
			undefined,
			'v2',
		).readAnswers(
			ok({
				data: [
					{
						prospect_id: ids[0],
						data: [{ professional_email: 'ada@acme.test', mobile_phone: null }],
					},
					{
						prospect_id: ids[1],
						data: [{ professional_email: 'bo@acme.test' }, { professional_email: 'bo@other.test' }],
					},
				],
			}),
			chunk,
			NO_CORRELATION,
		);
		expect(answers).toEqual([
			{
				kind: 'found',
				data: { prospect_id: ids[0], professional_email: 'ada@acme.test', mobile_phone: null },
			},
			{
				kind: 'found',
				data: {
					prospect_id: ids[1],
					professional_email: 'bo@acme.test',
					more_records: [{ professional_email: 'bo@other.test' }],
				},
			},
		]);
	});

	it('Simplify keeps the other records of a list, simplified alike', () => {
		const data = {
			business_id: businessId(1),
			name: 'One',
			naics: '5112',
			more_records: [{ name: 'One Ltd', naics: '5112' }],
		};
		expect(simplifyFirmographics(data)).toEqual({
			business_id: businessId(1),
			name: 'One',
			more_records: [{ name: 'One Ltd' }],
		});
		expect(simplifyFirmographics({ name: 'One', naics: '5112' })).toEqual({ name: 'One' });
	});
});

describe('credits Explorium reports (credit_usage.total_credits, asked for by the credit-usage header)', () => {
	const endpoints = [
		prospectsBulkEnrichEndpoint('contacts_information', undefined, 'v2'),
		businessesBulkEnrichEndpoint('firmographics', 'v1'),
		matchProspectsEndpoint('v2'),
		matchBusinessesEndpoint('v1'),
	];

	it.each([
		[{ credit_usage: { total_results: 3, total_credits: 15 } }, 15],
		[{ credit_usage: { total_results: 3, total_credits: 0 } }, 0],
		[{ credit_usage: { total_results: 3 } }, undefined],
		[{ credit_usage: { total_credits: '15' } }, undefined],
		[{ credit_usage: { total_credits: 1.5 } }, undefined],
		[{ credit_usage: { total_credits: -1 } }, undefined],
		[{ credit_usage: null }, undefined],
		[{ total_results: 3 }, undefined],
		[null, undefined],
	])('%j → %p, on every endpoint', (body, credits) => {
		expect(readReportedCredits(ok(body))).toBe(credits);
		for (const endpoint of endpoints) expect(endpoint.creditsUsedIn?.(ok(body))).toBe(credits);
	});

	it('every request asks for them, match included, and no endpoint is free', () => {
		for (const endpoint of endpoints) {
			expect(endpoint.buildRequest([] as never[], NO_CORRELATION).headers).toEqual(CREDIT_USAGE);
			expect(endpoint.free).toBeFalsy();
		}
	});
});

describe('match endpoints', () => {
	/** The shared reference match_prospects.partial_miss.response.json, trimmed to the rows. */
	const partialMiss = {
		total_results: 3,
		total_matches: 1,
		matched_prospects: [
			{
				input: { email: 'satyan@microsoft.com' },
				prospect_id: 'f80a80fb6b3d55dfefd269bb35c2049e050876ae',
			},
			{ input: { full_name: 'Nobody Known', company_name: 'Nowhere Inc' }, prospect_id: null },
			{
				input: { full_name: 'Jane' },
				error: 'full_name must be accompanied by company_name',
				error_type: 'validation',
			},
		],
	};

	it('reads prospect match rows in input order: found, no match, error', () => {
		const chunk: ProspectMatchInput[] = [
			{ email: 'satyan@microsoft.com' },
			{ full_name: 'Nobody Known', company_name: 'Nowhere Inc' },
			{ full_name: 'Jane', company_name: 'x' },
		];
		expect(
			matchProspectsEndpoint('v1').readAnswers(ok(partialMiss), chunk, NO_CORRELATION),
		).toEqual([
			{ kind: 'found', data: { prospect_id: 'f80a80fb6b3d55dfefd269bb35c2049e050876ae' } },
			{
				kind: 'notFound',
				reason: 'Explorium found no matching prospect',
				data: { prospect_id: null },
			},
			{
				kind: 'error',
				message:
					'Explorium could not match this input: full_name must be accompanied by company_name (validation)',
			},
		]);
		for (const api of ['v1', 'v2'] as const) {
			expect(matchProspectsEndpoint(api).buildRequest(chunk, NO_CORRELATION)).toEqual({
				method: 'POST',
				url: `/${api}/prospects/match`,
				headers: CREDIT_USAGE,
				body: { prospects_to_match: chunk },
			});
		}
	});

	it('gives each row to the input its echo names: a reordered answer never swaps people', () => {
		const chunk: ProspectMatchInput[] = [
			{ email: 'a@example.com' },
			{ email: 'b@example.com' },
			{ email: 'c@example.com' },
		];
		const idOf = (letter: string) => letter.repeat(40);
		const body = {
			matched_prospects: [
				{ input: { email: 'c@example.com', phone_number: null }, prospect_id: idOf('c') },
				{ input: { email: 'A@Example.com' }, prospect_id: idOf('a') },
				{ input: { email: 'b@example.com' }, prospect_id: idOf('b') },
			],
		};
		expect(matchProspectsEndpoint('v1').readAnswers(ok(body), chunk, NO_CORRELATION)).toEqual(
			['a', 'b', 'c'].map((letter) => ({ kind: 'found', data: { prospect_id: idOf(letter) } })),
		);
	});

	it('a row whose echo matches no input is given to nobody; an input without its row is an error', () => {
		const chunk: ProspectMatchInput[] = [{ email: 'a@example.com' }, { email: 'b@example.com' }];
		const body = {
			matched_prospects: [
				{ input: { email: 'a@example.com' }, prospect_id: 'a'.repeat(40) },
				{ input: { email: 'someone-else@example.com' }, prospect_id: 'e'.repeat(40) },
			],
		};
		expect(matchProspectsEndpoint('v1').readAnswers(ok(body), chunk, NO_CORRELATION)).toEqual([
			{ kind: 'found', data: { prospect_id: 'a'.repeat(40) } },
			{ kind: 'error', message: "Explorium's answer had no row for this input (no row echoed it)" },
		]);
	});

	it('rows without an echo are never given to an item by position: the order proves nothing', () => {
		const chunk: ProspectMatchInput[] = [{ email: 'a@example.com' }, { email: 'b@example.com' }];
		// Reordered without the echo: by position, a would get b's id and b a's.
		const rows = [{ prospect_id: 'b'.repeat(40) }, { prospect_id: 'a'.repeat(40) }];
		const answers = matchProspectsEndpoint('v1').readAnswers(
			ok({ matched_prospects: rows }),
			chunk,
			NO_CORRELATION,
		);
		expect(answers).toEqual(
			chunk.map(() => ({
				kind: 'error',
				message:
					'Explorium\'s answer had 2 row(s) without an "input" echo naming one input, so which of the 2 inputs each answers cannot be proven: none was given to this item',
			})),
		);
		// A row with its echo is still given to its input; the one without is not.
		const mixed = [
			{ input: { email: 'b@example.com' }, prospect_id: 'b'.repeat(40) },
			{ prospect_id: 'a'.repeat(40) },
		];
		expect(
			matchProspectsEndpoint('v1')
				.readAnswers(ok({ matched_prospects: mixed }), chunk, NO_CORRELATION)
				.map((answer) => answer.kind),
		).toEqual(['error', 'found']);
		const businesses: BusinessMatchInput[] = [{ name: 'a' }, { name: 'b' }];
		expect(
			matchBusinessesEndpoint('v1')
				.readAnswers(
					ok({ matched_businesses: [{ business_id: 'c'.repeat(32) }, { business_id: null }] }),
					businesses,
					NO_CORRELATION,
				)
				.map((answer) => answer.kind),
		).toEqual(['error', 'error']);
	});

	it('one input and one row without the echo: that row can only be its answer', () => {
		const answers = matchProspectsEndpoint('v1').readAnswers(
			ok({ matched_prospects: [{ prospect_id: 'a'.repeat(40) }] }),
			[{ email: 'a@example.com' }],
			NO_CORRELATION,
		);
		expect(answers).toEqual([{ kind: 'found', data: { prospect_id: 'a'.repeat(40) } }]);
	});

	it('a malformed prospect_id is never "found"', () => {
		const body = {
			matched_prospects: [{ input: { email: 'a@example.com' }, prospect_id: 'not-an-id' }],
		};
		expect(
			matchProspectsEndpoint('v1').readAnswers(
				ok(body),
				[{ email: 'a@example.com' }],
				NO_CORRELATION,
			),
		).toEqual([
			{ kind: 'error', message: 'Explorium returned a malformed prospect_id ("not-an-id")' },
		]);
	});

	it("fields left out as malformed are not sent: validation keeps them as the slot's warnings, the request never sees them", () => {
		const slot = validateInput(
			prospectMatchSchema,
			{ email: '@@', phone_number: '+14155550100' },
			prospectMatchLabels,
		);
		expect(slot).toEqual({
			kind: 'valid',
			value: { phone_number: '+14155550100' },
			warnings: ['Email left out: must be an email address (got "@@")'],
		});
		const chunk = [(slot as { value: ProspectMatchInput }).value];
		expect(matchProspectsEndpoint('v1').buildRequest(chunk, NO_CORRELATION).body).toEqual({
			prospects_to_match: [{ phone_number: '+14155550100' }],
		});
	});

	it('an id inside the enrichment data never replaces the id sent', () => {
		const id = prospectId(1);
		const answers = prospectsBulkEnrichEndpoint('profiles').readAnswers(
			ok({ data: [{ prospect_id: id, data: { prospect_id: prospectId(2), full_name: 'Ada' } }] }),
			[{ prospect_id: id }],
			NO_CORRELATION,
		);
		expect(answers).toEqual([
			{
				kind: 'found',
				data: { prospect_id: id, full_name: 'Ada', returned_prospect_id: prospectId(2) },
			},
		]);
	});

	it('reads business match rows', () => {
		const body = {
			matched_businesses: [
				{
					input: { name: 'apple', domain: 'apple.com' },
					business_id: '8adce3ca1cef0c986b22310e369a0793',
				},
				{ input: { name: 'nobody' }, business_id: null },
			],
		};
		expect(
			matchBusinessesEndpoint('v1').readAnswers(
				ok(body),
				[{ name: 'apple', domain: 'apple.com' }, { name: 'nobody' }],
				NO_CORRELATION,
			),
		).toEqual([
			{ kind: 'found', data: { business_id: '8adce3ca1cef0c986b22310e369a0793' } },
			{
				kind: 'notFound',
				reason: 'Explorium found no matching business',
				data: { business_id: null },
			},
		]);
		expect(
			matchBusinessesEndpoint('v1').buildRequest([{ name: 'apple' }], NO_CORRELATION).url,
		).toBe('/v1/businesses/match');
		expect(matchBusinessesEndpoint('v2').buildRequest([{ name: 'apple' }], NO_CORRELATION)).toEqual(
			{
				method: 'POST',
				url: '/v2/businesses/match',
				headers: CREDIT_USAGE,
				body: { businesses_to_match: [{ name: 'apple' }] },
			},
		);
	});

	it('gives the same identity to the same details in any key order', () => {
		const a = matchProspectsEndpoint('v1').identityOf({
			email: 'a@b.co',
			full_name: 'A',
			company_name: 'B',
		});
		const b = matchProspectsEndpoint('v1').identityOf({
			company_name: 'B',
			full_name: 'A',
			email: 'a@b.co',
		});
		const c = matchProspectsEndpoint('v1').identityOf({
			email: 'a@b.co',
			full_name: 'A',
			company_name: 'C',
		});
		expect(a).toBe(b);
		expect(a).not.toBe(c);
	});

	it('through the engine: duplicates sent once, an error row becomes a rejected input, the 422 narrowed', async () => {
		const inputs: ProspectMatchInput[] = [
			{ email: 'one@example.com' },
			{ email: 'bad@example.com' },
			{ company_name: 'Acme', full_name: 'Jane' },
			{ full_name: 'Jane', company_name: 'Acme' },
			{ email: 'nobody@example.com' },
		];
		const clock = new FakeClock();
		const api = new FakeApi((request) => {
			const sent = (request.body as { prospects_to_match: ProspectMatchInput[] })
				.prospects_to_match;
			const bad = sent.findIndex((input) => input.email === 'bad@example.com');
			if (bad >= 0) {
				return response(422, {
					detail: [
						{
							loc: ['body', 'prospects_to_match', bad, 'email'],
							msg: 'value is not a valid email address',
						},
					],
				});
			}
			const rows: IDataObject[] = sent.map((input) =>
				input.email === 'nobody@example.com'
					? { input, prospect_id: null }
					: input.full_name
						? { input, error: 'temporarily unavailable', error_type: 'internal' }
						: { input, prospect_id: prospectId(1) },
			);
			return ok({ matched_prospects: rows });
		}, clock);
		const { outcomes } = await runBulk(
			matchProspectsEndpoint('v1'),
			validSlots(inputs),
			settings(),
			{
				send: api.send,
				clock,
				isCancelled: () => false,
				...paced(EXPLORIUM.limits),
			},
		);
		const sent = api.requests.map(
			({ request }) => (request.body as { prospects_to_match: unknown[] }).prospects_to_match,
		);
		expect(sent).toEqual([
			[inputs[0], inputs[1], inputs[2], inputs[4]],
			[inputs[0], inputs[2], inputs[4]],
		]);
		const failedRow = {
			kind: 'error',
			cause: 'rejectedInput',
			message: 'Explorium could not match this input: temporarily unavailable (internal)',
		};
		expect(outcomes).toEqual([
			{ kind: 'found', data: { prospect_id: prospectId(1) } },
			{
				kind: 'error',
				cause: 'rejectedInput',
				message: 'Explorium rejected this input: value is not a valid email address',
				httpCode: '422',
			},
			failedRow,
			failedRow,
			{
				kind: 'notFound',
				reason: 'Explorium found no matching prospect',
				data: { prospect_id: null },
			},
		]);
	});
});

describe('readRowArray', () => {
	it('returns the objects of the list, dropping nulls and scalars', () => {
		expect(readRowArray(ok({ data: [{ a: 1 }, null, 3, { b: 2 }] }), 'data')).toEqual([
			{ a: 1 },
			{ b: 2 },
		]);
	});

	it.each([[{ other: [] }], [{ data: 'nope' }], [null], ['text']])('throws on %j', (body) => {
		expect(() => readRowArray(ok(body), 'data')).toThrow('expected a "data" list in the answer');
	});
});

describe('findElementsNamedIn422', () => {
	const rejection = (detail: unknown, statusCode = 422) => response(statusCode, { detail });

	it('names each element a 422 points at with its reason', () => {
		const detail = [
			{
				loc: ['body', 'prospect_ids', 7],
				msg: 'none is not an allowed value',
				type: 'type_error.none.not_allowed',
			},
			{ loc: ['body', 'prospect_ids', 2, 'x'], msg: 'bad' },
			{ loc: ['body', 'prospect_ids', 4] },
		];
		expect(findElementsNamedIn422(rejection(detail), 'prospect_ids')).toEqual([
			{ position: 7, reason: 'none is not an allowed value' },
			{ position: 2, reason: 'bad' },
			{ position: 4, reason: 'invalid value' },
		]);
	});

	it.each<[string, ProviderResponse]>([
		['another status', rejection([{ loc: ['body', 'prospect_ids', 1], msg: 'x' }], 400)],
		[
			'no index (max items)',
			rejection([{ loc: ['body', 'prospect_ids'], msg: 'ensure this value has at most 50 items' }]),
		],
		[
			'the root',
			rejection([
				{ loc: ['body', '__root__'], msg: "'size' must be greater than or equal to 'page_size'" },
			]),
		],
		['another field', rejection([{ loc: ['body', 'business_ids', 1], msg: 'x' }])],
		['a string index', rejection([{ loc: ['body', 'prospect_ids', '1'], msg: 'x' }])],
		['not in the body', rejection([{ loc: ['query', 'prospect_ids', 1], msg: 'x' }])],
		['a string detail', rejection('Unprocessable')],
		['no body', response(422, null)],
		['a null entry', rejection([null])],
	])('names nothing for %s', (_, answer) => {
		expect(findElementsNamedIn422(answer, 'prospect_ids')).toEqual([]);
	});
});
