import type { Simulator } from '../../simulator/server.cjs';
import { startSimulator, DEFAULT_API_KEYS } from '../../simulator/server.cjs';
import {
	prospectIdFor,
	businessIdFor,
	contactsInformationFor,
	contactInformationV2For,
	v2DataIsList,
	firmographicsFor,
	profileFor,
} from '../../simulator/fake-data.cjs';
import { call, hexId } from './helpers';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => sim.reset());

function explorium(
	path: string,
	json?: unknown,
	headerValue: string | null = DEFAULT_API_KEYS.explorium,
	extraHeaders: Record<string, string> = {},
) {
	const headers: Record<string, string> = { ...extraHeaders };
	if (headerValue !== null) headers.api_key = headerValue;
	return call(`${sim.baseUrls.explorium}${path}`, {
		json,
		headers,
		method: json === undefined ? 'GET' : 'POST',
	});
}

const prospectIds = (n: number, tag = 'p') =>
	Array.from({ length: n }, (_, i) => hexId(`${tag}${i}`, 40));

describe('Explorium auth', () => {
	it('answers 401 without the api_key header, with a wrong one, and 200 with the right one', async () => {
		const missing = await explorium('/v1/credits', undefined, null);
		expect(missing.status).toBe(401);
		expect(missing.json).toEqual({ detail: 'Invalid API key' });
		const wrong = await explorium(
			'/v1/prospects/match',
			{ prospects_to_match: [{ email: 'a@b.test' }] },
			'not-the-key',
		);
		expect(wrong.status).toBe(401);
		const ok = await explorium('/v1/credits');
		expect(ok.status).toBe(200);
		expect(ok.json).toMatchObject({
			allocated_credits: expect.any(Number),
			remaining_credits: expect.any(Number),
		});
		expect(ok.json.response_context.request_status).toBe('success');
	});

	it('accepts the keys given in options', async () => {
		const other = await startSimulator({ apiKeys: { explorium: 'other-explorium-key' } });
		try {
			expect(other.apiKeys.explorium).toBe('other-explorium-key');
			expect(other.apiKeys.pronto).toBe(DEFAULT_API_KEYS.pronto);
			const res = await call(`${other.baseUrls.explorium}/v1/credits`, {
				headers: { api_key: 'other-explorium-key' },
			});
			expect(res.status).toBe(200);
			const old = await call(`${other.baseUrls.explorium}/v1/credits`, {
				headers: { api_key: DEFAULT_API_KEYS.explorium },
			});
			expect(old.status).toBe(401);
		} finally {
			await other.close();
		}
	});
});

describe('Explorium validation (422)', () => {
	it('rejects the whole batch with one detail entry per null or malformed id', async () => {
		const ids: Array<string | null> = prospectIds(8);
		ids[1] = null;
		ids[3] = 'ABCDEF'.padEnd(40, '0'); // upper case
		ids[5] = hexId('short', 32); // business-length id
		ids[7] = null;
		const res = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: ids,
		});
		expect(res.status).toBe(422);
		const detail = res.json.detail as Array<{ loc: unknown[]; msg: string; type: string }>;
		expect(detail.map((d) => d.loc)).toEqual([
			['body', 'prospect_ids', 1],
			['body', 'prospect_ids', 3],
			['body', 'prospect_ids', 5],
			['body', 'prospect_ids', 7],
		]);
		expect(detail[0]).toMatchObject({
			msg: 'none is not an allowed value',
			type: 'type_error.none.not_allowed',
		});
		expect(detail[1]?.type).toBe('value_error.str.regex');
		expect(detail[1]?.msg).toContain('regex');
		expect(detail[3]?.type).toBe('type_error.none.not_allowed');
	});

	it('checks business ids against 32 lowercase hex', async () => {
		const res = await explorium('/v1/businesses/firmographics/bulk_enrich', {
			business_ids: [hexId('b', 32), hexId('p', 40)],
		});
		expect(res.status).toBe(422);
		expect(res.json.detail).toHaveLength(1);
		expect(res.json.detail[0].loc).toEqual(['body', 'business_ids', 1]);
	});

	it('rejects more than 50 ids and an empty list', async () => {
		const tooMany = await explorium('/v1/prospects/profiles/bulk_enrich', {
			prospect_ids: prospectIds(51),
		});
		expect(tooMany.status).toBe(422);
		expect(tooMany.json.detail).toEqual([
			{
				loc: ['body', 'prospect_ids'],
				msg: 'ensure this value has at most 50 items',
				type: 'value_error.list.max_items',
				ctx: { limit_value: 50 },
			},
		]);
		const fifty = await explorium('/v1/prospects/profiles/bulk_enrich', {
			prospect_ids: prospectIds(50),
		});
		expect(fifty.status).toBe(200);
		const empty = await explorium('/v1/prospects/match', { prospects_to_match: [] });
		expect(empty.status).toBe(422);
		expect(empty.json.detail[0].type).toBe('value_error.list.min_items');
		const tooManyMatches = await explorium('/v1/businesses/match', {
			businesses_to_match: Array.from({ length: 51 }, (_, i) => ({ name: `c${i}` })),
		});
		expect(tooManyMatches.status).toBe(422);
	});

	it('rejects unknown top-level keys with value_error.extra', async () => {
		const res = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: prospectIds(1),
			mode: 'full',
		});
		expect(res.status).toBe(422);
		expect(res.json.detail).toEqual([
			{ loc: ['body', 'mode'], msg: 'extra fields not permitted', type: 'value_error.extra' },
		]);
		const ok = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: prospectIds(1),
			parameters: { contact_types: ['email'] },
			request_context: {},
		});
		expect(ok.status).toBe(200);
	});

	it('rejects a missing list and invalid JSON', async () => {
		const missing = await explorium('/v1/prospects/match', { request_context: {} });
		expect(missing.status).toBe(422);
		expect(missing.json.detail[0]).toMatchObject({
			loc: ['body', 'prospects_to_match'],
			type: 'value_error.missing',
		});
		const broken = await call(`${sim.baseUrls.explorium}/v1/prospects/match`, {
			headers: { api_key: DEFAULT_API_KEYS.explorium, 'content-type': 'application/json' },
			body: '{"prospects_to_match": [',
		});
		expect(broken.status).toBe(422);
		expect(broken.json.detail[0].type).toBe('value_error.jsondecode');
	});
});

describe('Explorium match', () => {
	it('gives deterministic 40-hex prospect ids predicted by prospectIdFor, in input order', async () => {
		const inputs = [
			{ email: 'Jane.Doe@Example.test' },
			{ full_name: 'John Smith', company_name: 'Acme' },
			{ linkedin: 'https://www.linkedin.com/in/someone/' },
		];
		const first = await explorium('/v1/prospects/match', {
			prospects_to_match: inputs,
			request_context: {},
		});
		const second = await explorium('/v1/prospects/match', { prospects_to_match: inputs });
		expect(first.status).toBe(200);
		const ids = first.json.matched_prospects.map((r: { prospect_id: string }) => r.prospect_id);
		expect(ids).toEqual(
			second.json.matched_prospects.map((r: { prospect_id: string }) => r.prospect_id),
		);
		expect(ids).toEqual(inputs.map((i) => prospectIdFor(i)));
		for (const id of ids) expect(id).toMatch(/^[0-9a-f]{40}$/);
		expect(new Set(ids).size).toBe(3);
		// normalised: case and whitespace do not change the id
		expect(prospectIdFor({ email: ' jane.doe@example.test ' })).toBe(ids[0]);
		expect(first.json).toMatchObject({ total_results: 3, total_matches: 3 });
		expect(first.json.matched_prospects[1].input).toEqual({
			business_id: null,
			full_name: 'John Smith',
			company_name: 'Acme',
			email: null,
			phone_number: null,
			linkedin: null,
		});
	});

	it('keeps prospect ids stable across versions of the simulator', () => {
		expect(prospectIdFor({ email: 'a@b.com' })).toBe('c29b689ff9bcad4e8589e10e4bc56e76bbe05a73');
	});

	it('answers nomatch with a null id and a lone full_name or an empty input with an error row', async () => {
		const res = await explorium('/v1/prospects/match', {
			prospects_to_match: [
				{ email: 'nomatch@example.test' },
				{ full_name: 'Jane' },
				{ email: 'ok@example.test' },
				{ company_name: 'Only Co' },
			],
		});
		expect(res.status).toBe(200);
		const rows = res.json.matched_prospects;
		expect(rows[0].prospect_id).toBeNull();
		expect(rows[1]).toMatchObject({
			error: 'full_name must be accompanied by company_name',
			error_type: 'validation',
		});
		expect(rows[1]).not.toHaveProperty('prospect_id');
		expect(rows[2].prospect_id).toBe(prospectIdFor({ email: 'ok@example.test' }));
		expect(rows[3]).toHaveProperty('error');
		expect(res.json).toMatchObject({ total_results: 4, total_matches: 1 });
		expect(prospectIdFor({ email: 'nomatch@example.test' })).toBeNull();
	});

	it('matches businesses to 32-hex ids predicted by businessIdFor', async () => {
		const inputs = [
			{ name: 'Apple', domain: 'apple.com' },
			{ name: 'Nomatch Corp' },
			{ url: 'https://www.apple.com/about' },
		];
		const res = await explorium('/v1/businesses/match', { businesses_to_match: inputs });
		expect(res.status).toBe(200);
		const rows = res.json.matched_businesses;
		expect(rows[0].business_id).toMatch(/^[0-9a-f]{32}$/);
		expect(rows[0].business_id).toBe(businessIdFor(inputs[0] as Record<string, unknown>));
		expect(rows[1].business_id).toBeNull();
		expect(rows[2].business_id).toBe(rows[0].business_id);
		expect(rows[0].input).toEqual({
			name: 'Apple',
			domain: 'apple.com',
			url: null,
			linkedin_url: null,
		});
		expect(res.json.total_matches).toBe(2);
	});

	it('rejects unknown keys inside a match input', async () => {
		const res = await explorium('/v1/prospects/match', {
			prospects_to_match: [{ email: 'x@y.test' }, { mail: 'x@y.test' }],
		});
		expect(res.status).toBe(422);
		expect(res.json.detail[0].loc).toEqual(['body', 'prospects_to_match', 1, 'mail']);
	});
});

describe('Explorium bulk enrich', () => {
	it('returns rows in input order and omits ids ending in 0000', async () => {
		const ids = [hexId('a', 40), hexId('b', 40, '0000'), hexId('c', 40), hexId('d', 40)];
		const res = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: ids,
		});
		expect(res.status).toBe(200);
		expect(res.json.data.map((r: { prospect_id: string }) => r.prospect_id)).toEqual([
			ids[0],
			ids[2],
			ids[3],
		]);
		expect(res.json.total_results).toBe(3);
		expect(res.json.response_context.request_status).toBe('success');
		expect(res.json.data[1].data).toEqual(contactsInformationFor(ids[2] as string));
		const data = res.json.data[0].data;
		expect(data.emails[0]).toEqual({
			address: expect.stringContaining('@'),
			type: expect.any(String),
		});
		expect(data.professions_email).toEqual(expect.stringContaining('@'));
		expect(['valid', 'catch-all', 'invalid']).toContain(data.professional_email_status);
		expect(data.phone_numbers[0].phone_number).toMatch(/^\+\d+$/);
		expect(data.mobile_phone).toMatch(/^\+\d+$/);
	});

	it('answers request_status miss when no id is known', async () => {
		const res = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: [hexId('z', 40, '0000')],
		});
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ data: [], total_results: 0 });
		expect(res.json.response_context.request_status).toBe('miss');
	});

	it('ids matched from a nodata input are unknown to bulk enrich', async () => {
		const match = await explorium('/v1/prospects/match', {
			prospects_to_match: [{ email: 'nodata@example.test' }],
		});
		const id = match.json.matched_prospects[0].prospect_id as string;
		expect(id).toMatch(/0000$/);
		const res = await explorium('/v1/prospects/profiles/bulk_enrich', { prospect_ids: [id] });
		expect(res.json.data).toEqual([]);
	});

	it('leaves the phone fields out with contact_types ["email"]', async () => {
		const ids = prospectIds(2, 'email-only');
		const res = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: ids,
			parameters: { contact_types: ['email'] },
		});
		expect(res.status).toBe(200);
		for (const row of res.json.data) {
			expect(Object.keys(row.data).sort()).toEqual([
				'emails',
				'professional_email_status',
				'professions_email',
			]);
		}
		const bad = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: ids,
			parameters: { contact_types: ['fax'] },
		});
		expect(bad.status).toBe(422);
	});

	it('serves profiles, firmographics and the other business enrichments', async () => {
		const pid = hexId('profile', 40);
		const profiles = await explorium('/v1/prospects/profiles/bulk_enrich', { prospect_ids: [pid] });
		expect(profiles.json.data[0]).toEqual({ prospect_id: pid, data: profileFor(pid) });
		expect(profiles.json.data[0].data).toMatchObject({
			full_name: expect.any(String),
			job_title: expect.any(String),
			experience: expect.any(Array),
		});
		const bid = hexId('firm', 32);
		const firm = await explorium('/v1/businesses/firmographics/bulk_enrich', {
			business_ids: [bid],
		});
		expect(firm.json.data[0]).toEqual({ business_id: bid, data: firmographicsFor(bid) });
		expect(firm.json.data[0].data).toMatchObject({
			business_id: bid,
			name: expect.any(String),
			naics: expect.any(String),
		});
		for (const kind of [
			'technographics',
			'funding_and_acquisition',
			'workforce_trends',
			'webstack',
		]) {
			const res = await explorium(`/v1/businesses/${kind}/bulk_enrich`, { business_ids: [bid] });
			expect(res.status).toBe(200);
			expect(res.json.data[0].business_id).toBe(bid);
		}
		const posts = await explorium('/v1/prospects/linkedin_posts/bulk_enrich', {
			prospect_ids: [pid],
		});
		expect(posts.status).toBe(200);
		const unknown = await explorium('/v1/businesses/gossip/bulk_enrich', { business_ids: [bid] });
		expect(unknown.status).toBe(404);
	});
});

describe('Explorium answers with the person the match asked for', () => {
	const enrich = async (enrichment: string, prospectId: string) =>
		(await explorium(`/v1/prospects/${enrichment}/bulk_enrich`, { prospect_ids: [prospectId] }))
			.json.data[0].data;

	it('a match by name and company: the profile and the emails carry that name and company', async () => {
		const input = { full_name: 'Ada Lovelace', company_name: 'Analytical Engines' };
		const match = await explorium('/v1/prospects/match', { prospects_to_match: [input] });
		const id = match.json.matched_prospects[0].prospect_id;
		const profile = await enrich('profiles', id);
		expect(profile).toMatchObject({
			full_name: 'Ada Lovelace',
			company_name: 'Analytical Engines',
			gender: null,
		});
		expect(profile.experience[0].company.name).toBe('analytical engines');
		const contacts = await enrich('contacts_information', id);
		expect(contacts.professions_email).toBe('ada.lovelace@analyticalengines.com');
		expect(contacts.emails[0].address).toMatch(/^adalovelace\d+@/);
		expect(contacts).toEqual(
			contactsInformationFor(id, null, {
				first: 'Ada',
				last: 'Lovelace',
				company: 'Analytical Engines',
				domain: null,
			}),
		);
	});

	it("a match by email spelling a name: that name at the email's domain", async () => {
		const match = await explorium('/v1/prospects/match', {
			prospects_to_match: [{ email: 'grace.hopper@navy.example' }],
		});
		const id = match.json.matched_prospects[0].prospect_id;
		expect((await enrich('profiles', id)).full_name).toBe('Grace Hopper');
		expect((await enrich('contacts_information', id)).professions_email).toBe(
			'grace.hopper@navy.example',
		);
	});

	it('an id nobody asked for here (or forgotten by reset) keeps the fake person', async () => {
		const match = await explorium('/v1/prospects/match', {
			prospects_to_match: [{ full_name: 'Ada Lovelace', company_name: 'Analytical Engines' }],
		});
		const id = match.json.matched_prospects[0].prospect_id;
		sim.reset();
		expect(await enrich('profiles', id)).toEqual(profileFor(id));
		expect(profileFor(id).full_name).not.toBe('Ada Lovelace');
	});
});

describe('Explorium credits', () => {
	it('spends one credit per enriched row and refuses the whole request with 403 when short', async () => {
		sim.setAccount('explorium', { credits: 2 });
		const three = [hexId('c1', 40), hexId('c2', 40), hexId('c3', 40)];
		const refused = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: three,
		});
		expect(refused.status).toBe(403);
		expect(refused.json).toEqual({ detail: 'Insufficient credits' });
		expect((await explorium('/v1/credits')).json.remaining_credits).toBe(2);
		// an unknown id costs nothing
		const two = await explorium('/v1/prospects/contacts_information/bulk_enrich', {
			prospect_ids: [three[0], hexId('gone', 40, '0000'), three[1]],
		});
		expect(two.status).toBe(200);
		expect(two.json.data).toHaveLength(2);
		expect(sim.getAccount('explorium').credits).toBe(0);
		const credits = await explorium('/v1/credits');
		expect(credits.json).toMatchObject({ allocated_credits: 2, remaining_credits: 0 });
		// a v1 match takes nothing from the balance (v1 kept as it was; v2 matches spend it)
		expect(
			(
				await explorium('/v1/prospects/match', {
					prospects_to_match: [{ email: 'free@example.test' }],
				})
			).status,
		).toBe(200);
		sim.setAccount('explorium', { credits: null });
		expect(
			(await explorium('/v1/prospects/contacts_information/bulk_enrich', { prospect_ids: three }))
				.status,
		).toBe(200);
	});
});

describe('Explorium v2 (node version 3)', () => {
	const key = DEFAULT_API_KEYS.explorium;
	const withCreditUsage = (value = 'true') => ({ 'credit-usage': value });
	/** A row's data as one object, whether v2 sent an object or a list of one. */
	const single = (data: unknown) => (Array.isArray(data) ? (data as unknown[])[0] : data);

	it('contact_information/enrich answers the v2 shape: professional_email, status, phones, no emails list, time_taken_in_seconds', async () => {
		const ids = prospectIds(6, 'v2c');
		const res = await explorium('/v2/prospects/contact_information/enrich', { prospect_ids: ids });
		expect(res.status).toBe(200);
		expect(res.json.response_context).toMatchObject({
			request_status: 'success',
			time_taken_in_seconds: expect.any(Number),
		});
		expect(res.json.response_context).not.toHaveProperty('time_took_in_seconds');
		expect(res.json).not.toHaveProperty('credit_usage');
		res.json.data.forEach((row: { prospect_id: string; data: unknown }, index: number) => {
			expect(row.prospect_id).toBe(ids[index]);
			expect(Array.isArray(row.data)).toBe(v2DataIsList(ids[index]));
			const data = single(row.data) as Record<string, unknown>;
			expect(data).toEqual(contactInformationV2For(ids[index]));
			expect(data).not.toHaveProperty('emails');
			expect(data).not.toHaveProperty('professions_email');
			expect(data).toMatchObject({
				professional_email: expect.stringContaining('@'),
				mobile_phone: expect.stringMatching(/^\+\d+$/),
			});
		});
		// Some rows as a list of one object, some as an object: both shapes are exercised.
		expect(new Set(ids.map(v2DataIsList))).toEqual(new Set([true, false]));
	});

	it('takes one id as a string or a list of 1-50; anything else, or an unknown key, is a pydantic-style 422', async () => {
		const [id] = prospectIds(1, 'v2one');
		const one = await explorium('/v2/prospects/profiles/enrich', { prospect_ids: id });
		expect(one.status).toBe(200);
		expect(one.json.data).toHaveLength(1);
		expect(single(one.json.data[0].data)).toEqual(profileFor(id));
		const badString = await explorium('/v2/prospects/profiles/enrich', { prospect_ids: 'XYZ' });
		expect(badString.status).toBe(422);
		expect(badString.json.detail[0]).toMatchObject({
			loc: ['body', 'prospect_ids'],
			type: 'value_error.str.regex',
		});
		const tooMany = await explorium('/v2/prospects/profiles/enrich', {
			prospect_ids: prospectIds(51),
		});
		expect(tooMany.json.detail).toEqual([
			expect.objectContaining({
				loc: ['body', 'prospect_ids'],
				type: 'value_error.list.max_items',
			}),
		]);
		const empty = await explorium('/v2/businesses/firmographics/enrich', { business_ids: [] });
		expect(empty.json.detail[0]).toMatchObject({
			loc: ['body', 'business_ids'],
			type: 'value_error.list.min_items',
		});
		const extra = await explorium('/v2/prospects/contact_information/enrich', {
			prospect_ids: [id],
			prospect_id: id,
		});
		expect(extra.status).toBe(422);
		expect(extra.json.detail).toEqual([
			{
				loc: ['body', 'prospect_id'],
				msg: 'extra fields not permitted',
				type: 'value_error.extra',
			},
		]);
		const nullInList = await explorium('/v2/prospects/contact_information/enrich', {
			prospect_ids: [id, null],
		});
		expect(nullInList.json.detail[0].loc).toEqual(['body', 'prospect_ids', 1]);
	});

	it('firmographics/enrich and the two matches answer on v2; v1-only and misspelt paths are 404', async () => {
		const bid = hexId('v2firm', 32);
		const firm = await explorium('/v2/businesses/firmographics/enrich', { business_ids: [bid] });
		expect(firm.status).toBe(200);
		expect(firm.json.data[0].business_id).toBe(bid);
		expect(single(firm.json.data[0].data)).toEqual(firmographicsFor(bid));
		const match = await explorium('/v2/prospects/match', {
			prospects_to_match: [{ email: 'v2@example.test' }],
		});
		expect(match.json.matched_prospects[0].prospect_id).toBe(
			prospectIdFor({ email: 'v2@example.test' }),
		);
		expect(match.json.response_context).toHaveProperty('time_taken_in_seconds');
		const businesses = await explorium('/v2/businesses/match', {
			businesses_to_match: [{ domain: 'v2.example.test' }],
		});
		expect(businesses.json.matched_businesses[0].business_id).toBe(
			businessIdFor({ domain: 'v2.example.test' }),
		);
		for (const path of [
			'/v2/prospects/contacts_information/enrich',
			'/v2/prospects/contact_information/bulk_enrich',
			'/v2/prospects/profiles/bulk_enrich',
			'/v2/businesses/firmographics/bulk_enrich',
		]) {
			const res = await explorium(path, { prospect_ids: [hexId('x', 40)] });
			expect([path, res.status, res.json]).toEqual([path, 404, { detail: 'Not Found' }]);
		}
		const credits = await call(`${sim.baseUrls.explorium}/v2/credits`, {
			headers: { api_key: key },
		});
		expect(credits.status).toBe(200);
		expect(credits.json).toMatchObject({
			allocated_credits: expect.any(Number),
			remaining_credits: expect.any(Number),
		});
	});

	it('credit_usage only with credit-usage: true (any case): contacts 5 per found prospect, 2 for email only, 1 per profile, firmographic and match', async () => {
		const ids = [...prospectIds(3, 'v2cu'), hexId('v2gone', 40, '0000')];
		const path = '/v2/prospects/contact_information/enrich';
		expect(
			(await explorium(path, { prospect_ids: ids }, key, withCreditUsage('false'))).json,
		).not.toHaveProperty('credit_usage');
		expect(
			(await explorium(path, { prospect_ids: ids }, key, withCreditUsage('True'))).json
				.credit_usage,
		).toEqual({ total_results: 3, total_credits: 15 });
		const emailOnly = await explorium(
			path,
			{ prospect_ids: ids, parameters: { contact_types: ['email'] } },
			key,
			withCreditUsage(),
		);
		expect(emailOnly.json.credit_usage).toEqual({ total_results: 3, total_credits: 6 });
		const profiles = await explorium(
			'/v2/prospects/profiles/enrich',
			{ prospect_ids: ids },
			key,
			withCreditUsage(),
		);
		expect(profiles.json.credit_usage).toEqual({ total_results: 3, total_credits: 3 });
		const firm = await explorium(
			'/v2/businesses/firmographics/enrich',
			{ business_ids: [hexId('f1', 32), hexId('f2', 32)] },
			key,
			withCreditUsage(),
		);
		expect(firm.json.credit_usage).toEqual({ total_results: 2, total_credits: 2 });
		const match = await explorium(
			'/v2/prospects/match',
			{ prospects_to_match: [{ email: 'a@example.test' }, { email: 'nomatch@example.test' }] },
			key,
			withCreditUsage(),
		);
		expect(match.json.credit_usage).toEqual({ total_results: 1, total_credits: 1 });
		// v1 reports with the same prices when asked; without the header its answers are unchanged.
		const v1 = await explorium(
			'/v1/prospects/contacts_information/bulk_enrich',
			{ prospect_ids: ids },
			key,
			withCreditUsage(),
		);
		expect(v1.json.credit_usage).toEqual({ total_results: 3, total_credits: 15 });
		expect(
			(
				await explorium(
					'/v1/businesses/match',
					{ businesses_to_match: [{ name: 'Acme' }] },
					key,
					withCreditUsage(),
				)
			).json.credit_usage,
		).toEqual({
			total_results: 1,
			total_credits: 1,
		});
		expect(
			(
				await explorium('/v1/prospects/match', {
					prospects_to_match: [{ email: 'a@example.test' }],
				})
			).json,
		).not.toHaveProperty('credit_usage');
	});

	it('a limited balance is spent by what v2 reports, and refuses the whole request (403) when short', async () => {
		sim.setAccount('explorium', { credits: 12 });
		const ids = prospectIds(3, 'v2bal');
		const refused = await explorium('/v2/prospects/contact_information/enrich', {
			prospect_ids: ids,
		});
		expect(refused.status).toBe(403);
		expect(sim.getAccount('explorium').credits).toBe(12);
		expect(
			(
				await explorium('/v2/prospects/contact_information/enrich', {
					prospect_ids: ids,
					parameters: { contact_types: ['email'] },
				})
			).status,
		).toBe(200);
		expect(sim.getAccount('explorium').credits).toBe(6);
		expect(
			(
				await explorium('/v2/prospects/match', {
					prospects_to_match: [{ email: 'a@example.test' }],
				})
			).status,
		).toBe(200);
		expect(
			(await call(`${sim.baseUrls.explorium}/v2/credits`, { headers: { api_key: key } })).json
				.remaining_credits,
		).toBe(5);
	});
});
