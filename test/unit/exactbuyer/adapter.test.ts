import { validateInput } from '../../../nodes/bulk/operation';
import {
	bulkEnrichEndpoint,
	singleEnrichEndpoint,
} from '../../../nodes/ExactBuyer/adapter/endpoints';
import { EXACTBUYER } from '../../../nodes/ExactBuyer/adapter/provider';
import {
	exactBuyerLookupLabels,
	exactBuyerLookupSchema,
	exactBuyerQueryLabels,
	exactBuyerQuerySchema,
	type ExactBuyerQuery,
} from '../../../nodes/ExactBuyer/adapter/schemas';
import { simplifyContact } from '../../../nodes/ExactBuyer/adapter/standard-fields';
import { response } from '../bulk/helpers';

const NO_CORRELATION = { itemIndexesOf: [] };
const read = (raw: Record<string, unknown>) =>
	validateInput(exactBuyerQuerySchema, raw, exactBuyerQueryLabels);

describe('ExactBuyer limits', () => {
	it('1000 per request, 200 requests a minute, a longer timeout; 401 and 403 say what to do', () => {
		expect(EXACTBUYER.limits).toMatchObject({
			maxBatchSize: 1000,
			rateLimit: { limit: 200, windowMs: 60_000, unit: 'request' },
			requestTimeoutMs: 120_000,
		});
		expect(
			EXACTBUYER.explainFailure?.({ statusCode: 403, providerMessage: 'Insufficient credits' }),
		).toMatch(/out of credits/);
		expect(
			EXACTBUYER.explainFailure?.({ statusCode: 401, providerMessage: 'Unauthorized' }),
		).toMatch(/refused the API key/);
	});
});

describe('ExactBuyer query validation, per field type', () => {
	it.each([
		[
			{ field_type: 'email', value: ' Ada@Example.COM ' },
			{ field_type: 'email', value: 'ada@example.com' },
		],
		// One spelling per address (issue 26, point 11): NFC, lower case, the domain in punycode.
		[
			{ field_type: 'email', value: 'josé@bücher.de' },
			{ field_type: 'email', value: 'josé@xn--bcher-kva.de' },
		],
		[
			{ field_type: 'email', value: 'JOSE\u0301@XN--BCHER-KVA.DE' },
			{ field_type: 'email', value: 'josé@xn--bcher-kva.de' },
		],
		[
			{ field_type: 'phone', value: '+44 20 7946 0000' },
			{ field_type: 'phone', value: '+442079460000' },
		],
		[
			{ field_type: 'phone', value: '415 555 0100' },
			{ field_type: 'phone', value: '4155550100' },
		],
		[
			{ field_type: 'phone', value: 14155550100 },
			{ field_type: 'phone', value: '+14155550100' },
		],
		[
			{ field_type: 'social_profile', value: 'https://www.LinkedIn.com/in/Ada-L/?trk=x' },
			{ field_type: 'social_profile', value: 'linkedin.com/in/ada-l' },
		],
	])('%j → %j', (raw, value) => {
		expect(read(raw)).toEqual({ kind: 'valid', value });
	});

	it.each([
		[
			{ field_type: 'email', value: 'ada' },
			'value',
			'Value: must be an email address for field type email (got "ada")',
		],
		[
			{ field_type: 'phone', value: '123' },
			'value',
			'Value: must be a phone number (7 to 15 digits) for field type phone (got "123")',
		],
		[
			{ field_type: 'social_profile', value: 'linkedin.com/company/acme' },
			'value',
			'Value: must be a LinkedIn profile URL (linkedin.com/in/…) for field type social_profile (got "linkedin.com/company/acme")',
		],
		[
			{ field_type: 'twitter', value: 'x' },
			'field_type',
			'Field Type: must be one of email, phone, social_profile (got "twitter")',
		],
		[
			{ field_type: 'email', value: ['a@example.com'] },
			'value',
			'Value: must be text (got ["a@example.com"])',
		],
		[{ field_type: 'email', value: 7 }, 'value', 'Value: must be text (got 7)'],
		[{ field_type: 'email', value: null }, 'value', 'Value: is required (got null)'],
	])('%j is refused, naming %s', (raw, field, message) => {
		expect(read(raw)).toEqual({ kind: 'invalid', field, message });
	});

	it('a value of more than 300 characters is refused', () => {
		expect(read({ field_type: 'email', value: `${'a'.repeat(300)}@example.com` })).toMatchObject({
			kind: 'invalid',
			field: 'value',
		});
	});

	it('a look-up keeps the details that help find the person', () => {
		expect(
			validateInput(
				exactBuyerLookupSchema,
				{
					field_type: 'email',
					value: 'a@example.com',
					first_name: ' Ada ',
					last_name: '',
					company_domain: 'https://acme.com/x',
				},
				exactBuyerLookupLabels,
			),
		).toEqual({
			kind: 'valid',
			value: {
				field_type: 'email',
				value: 'a@example.com',
				first_name: 'Ada',
				company_domain: 'acme.com',
			},
		});
	});
});

describe('ExactBuyer endpoints', () => {
	const queries: ExactBuyerQuery[] = [
		{ field_type: 'email', value: 'a@example.com' },
		{ field_type: 'social_profile', value: 'linkedin.com/in/b' },
	];

	it('bulk: form fields holding JSON strings, the same required fields on every request', () => {
		expect(bulkEnrichEndpoint(['phone']).buildRequest(queries, NO_CORRELATION)).toEqual({
			method: 'POST',
			url: '/v1/bulk-enrich',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { query_list: JSON.stringify(queries), required_fields: '[{"field_type":"phone"}]' },
		});
	});

	it('bulk: rows by position when their value matches; null contacts are misses; a reordered row goes to its value', () => {
		const endpoint = bulkEnrichEndpoint([]);
		const answer = response(200, {
			contacts: [
				{ value: 'https://www.linkedin.com/in/b', enriched_contact: { full_name: 'B' } },
				{ value: 'A@example.com', enriched_contact: null },
			],
			records_enriched: 1,
		});
		expect(endpoint.readAnswers(answer, queries, NO_CORRELATION)).toEqual([
			{ kind: 'notFound', reason: 'ExactBuyer has no contact with the data asked for' },
			{ kind: 'found', data: { full_name: 'B' } },
		]);
		expect(() =>
			endpoint.readAnswers(response(200, { data: [] }), queries, NO_CORRELATION),
		).toThrow('expected a "contacts" list');
	});

	it("single: the identifier under its own name, options as text, ExactBuyer's own 404 is a miss", () => {
		const endpoint = singleEnrichEndpoint({ required: ['phone', 'email'], waterfall: true });
		expect(
			endpoint.buildRequest(
				[{ field_type: 'phone', value: '+14155550100', last_name: 'L' }],
				NO_CORRELATION,
			),
		).toEqual({
			method: 'GET',
			url: '/v1/enrich',
			qs: { phone: '+14155550100', last_name: 'L', required: 'phone,email', waterfall: true },
		});
		expect(endpoint.isMissAnswer?.(response(404, { error: 'Not found' }))).toBe(true);
		expect(
			endpoint.readAnswers(response(200, { result: { full_name: 'A' } }), [], NO_CORRELATION),
		).toEqual([{ kind: 'found', data: { full_name: 'A' } }]);
		expect(endpoint.readAnswers(response(200, { result: {} }), [], NO_CORRELATION)[0].kind).toBe(
			'notFound',
		);
	});

	it('single: a 404 that is not ExactBuyer\'s "no match" (a web server\'s page after a typo in the Base URL) is no miss', () => {
		const endpoint = singleEnrichEndpoint({ required: [] });
		const page = '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>';
		expect(endpoint.isMissAnswer?.(response(404, page))).toBe(false);
		expect(endpoint.isMissAnswer?.(response(404, ''))).toBe(false);
		expect(endpoint.isMissAnswer?.(response(404, { detail: 'Not Found' }))).toBe(false);
		expect(endpoint.isMissAnswer?.(response(400, { error: 'Not found' }))).toBe(false);
	});

	it('single: a 200 without "result" (an error inside, an HTML page) is no answer, never a miss', () => {
		const endpoint = singleEnrichEndpoint({ required: [] });
		expect(() =>
			endpoint.readAnswers(response(200, { error: 'Insufficient credits' }), [], NO_CORRELATION),
		).toThrow('expected a "result"');
		expect(() =>
			endpoint.readAnswers(response(200, '<html><p>Login</p></html>'), [], NO_CORRELATION),
		).toThrow('expected a "result"');
	});
});

describe('ExactBuyer Simplify', () => {
	const seen = {
		full_name: 'Edan Krolewicz',
		first_name: 'Edan',
		last_name: 'Krolewicz',
		gender: 'male',
		location: { country: 'united states', region: 'illinois', city: 'chicago' },
		employment: { name: 'ExactBuyer', size: '11-50', job: { title: 'Founder & CEO' } },
		current_work_email: 'edan@exactbuyer.com',
		phone_numbers: [{ E164: '+17734749362' }],
		social_profiles: [{ network: 'linkedin', url: 'linkedin.com/in/edankrolewicz' }],
	};

	it("keeps the CRM fields, flat, from the seen shape (current_work_email), and ExactBuyer's own record beside them", () => {
		expect(simplifyContact(seen)).toEqual({
			full_name: 'Edan Krolewicz',
			first_name: 'Edan',
			last_name: 'Krolewicz',
			job_title: 'Founder & CEO',
			company_name: 'ExactBuyer',
			work_email: 'edan@exactbuyer.com',
			personal_email: null,
			phone: '+17734749362',
			linkedin_url: 'https://www.linkedin.com/in/edankrolewicz',
			city: 'chicago',
			region: 'illinois',
			country: 'united states',
			exactbuyer_contact: seen,
		});
		expect(simplifyContact({})).toMatchObject({
			full_name: null,
			work_email: null,
			phone: null,
			linkedin_url: null,
			exactbuyer_contact: {},
		});
	});

	it('reads the guessed shapes the same way as the standard fields', () => {
		const guessed = {
			emails: [
				{ email: 'home@example.com', type: 'personal' },
				{ email: 'edan@exactbuyer.com', type: 'work' },
			],
			phone_numbers: [{ number: '+1 773 474 9362', type: 'mobile' }],
			social_profiles: [{ network: 'LinkedIn', url: 'https://www.linkedin.com/in/edankrolewicz' }],
		};
		expect(simplifyContact(guessed)).toMatchObject({
			work_email: 'edan@exactbuyer.com',
			personal_email: 'home@example.com',
			phone: '+17734749362',
			linkedin_url: 'https://www.linkedin.com/in/edankrolewicz',
		});
	});
});
