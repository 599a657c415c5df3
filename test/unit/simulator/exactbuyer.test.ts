import type { Simulator } from '../../simulator/server.cjs';
import { startSimulator, DEFAULT_API_KEYS, parseMultipart } from '../../simulator/server.cjs';
import { exactBuyerAvailability, exactBuyerResultFor } from '../../simulator/fake-data.cjs';
import { call } from './helpers';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => sim.reset());

const auth = { 'X-API-Key': DEFAULT_API_KEYS.exactbuyer };

type Query = { field_type: string; value: string };

function form(queryList: unknown, requiredFields?: unknown): FormData {
	const data = new FormData();
	if (requiredFields !== undefined)
		data.append(
			'required_fields',
			typeof requiredFields === 'string' ? requiredFields : JSON.stringify(requiredFields),
		);
	data.append('query_list', typeof queryList === 'string' ? queryList : JSON.stringify(queryList));
	return data;
}

function bulk(body: FormData | URLSearchParams | string, headers: Record<string, string> = {}) {
	return call(`${sim.baseUrls.exactbuyer}/v1/bulk-enrich`, {
		body,
		headers: { ...auth, ...headers },
	});
}

const sample: Query[] = [
	{ field_type: 'social_profile', value: 'linkedin.com/in/edankrolewicz' },
	{ field_type: 'phone', value: '+1-773-474-9362' },
	{ field_type: 'email', value: 'nomatch@exactbuyer.test' },
	{ field_type: 'email', value: 'edan@exactbuyer.test' },
];

describe('ExactBuyer auth and single enrich', () => {
	it('answers 401 for a missing or wrong key, 400 for a valid key without identifier', async () => {
		const missing = await call(`${sim.baseUrls.exactbuyer}/v1/enrich?email=a@b.test`);
		expect(missing.status).toBe(401);
		expect(missing.json).toEqual({ error: 'Unauthorized' });
		const wrong = await call(`${sim.baseUrls.exactbuyer}/v1/enrich`, {
			headers: { 'X-API-Key': 'wrong-key' },
		});
		expect(wrong.status).toBe(401);
		const noIdentifier = await call(`${sim.baseUrls.exactbuyer}/v1/enrich`, { headers: auth });
		expect(noIdentifier.status).toBe(400);
		expect(noIdentifier.json.error).toEqual(expect.any(String));
		const bulkWrong = await call(`${sim.baseUrls.exactbuyer}/v1/bulk-enrich`, {
			body: form(sample),
			headers: { 'X-API-Key': 'wrong-key' },
		});
		expect(bulkWrong.status).toBe(401);
	});

	it('enriches one identifier into {result}, and a miss is 404', async () => {
		const hit = await call(
			`${sim.baseUrls.exactbuyer}/v1/enrich?email=${encodeURIComponent('edan@exactbuyer.test')}`,
			{ headers: auth },
		);
		expect(hit.status).toBe(200);
		expect(hit.json.result).toEqual(exactBuyerResultFor('edan@exactbuyer.test', 'email'));
		// The evidenced shape: the work email is the top-level string current_work_email, no `emails` list.
		expect(hit.json.result.current_work_email).toBe('edan@exactbuyer.test');
		expect(hit.json.result).not.toHaveProperty('emails');
		const miss = await call(
			`${sim.baseUrls.exactbuyer}/v1/enrich?social_profile=linkedin.com/in/nomatch`,
			{ headers: auth },
		);
		expect(miss.status).toBe(404);
		expect(miss.json).toEqual({ error: 'Not found' });
	});
});

describe('ExactBuyer bulk enrich', () => {
	it('accepts multipart/form-data and answers in input order with value echoed', async () => {
		const res = await bulk(form(sample));
		expect(res.status).toBe(200);
		expect(res.json.contacts.map((c: { value: string }) => c.value)).toEqual(
			sample.map((q) => q.value),
		);
		for (const c of res.json.contacts)
			expect(Object.keys(c).sort()).toEqual(['enriched_contact', 'value']);
		expect(res.json.contacts[2].enriched_contact).toBeNull();
		expect(res.json.records_enriched).toBe(3);
		const first = res.json.contacts[0].enriched_contact;
		expect(first).toEqual(exactBuyerResultFor(sample[0]!.value, 'social_profile'));
		expect(first).toMatchObject({
			full_name: expect.any(String),
			first_name: expect.any(String),
			last_name: expect.any(String),
			gender: expect.any(String),
			location: {
				country: expect.any(String),
				city: expect.any(String),
				region: expect.any(String),
			},
			employment: {
				name: expect.any(String),
				size: expect.any(String),
				job: { title: expect.any(String) },
			},
		});
		expect(first.social_profiles).toContainEqual({
			network: 'linkedin',
			url: 'linkedin.com/in/edankrolewicz',
		});
		expect(res.json.contacts[1].enriched_contact.phone_numbers).toContainEqual({
			E164: '+17734749362',
		});
		const recorded = sim.requestsTo('exactbuyer', '/v1/bulk-enrich')[0];
		expect(recorded?.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(JSON.parse(recorded?.body.query_list)).toEqual(sample);
	});

	it('accepts application/x-www-form-urlencoded with the same answer', async () => {
		const multipart = await bulk(form(sample));
		const params = new URLSearchParams({
			query_list: JSON.stringify(sample),
			required_fields: '[]',
		});
		const urlencoded = await bulk(params);
		expect(urlencoded.status).toBe(200);
		expect(urlencoded.json).toEqual(multipart.json);
		expect(sim.requests[1]?.contentType).toContain('application/x-www-form-urlencoded');
		expect(sim.requests[1]?.body).toEqual({
			query_list: JSON.stringify(sample),
			required_fields: '[]',
		});
	});

	it('parses a hand-written multipart body like the documented cURL example', async () => {
		const boundary = '----x';
		const raw = [
			`--${boundary}`,
			'Content-Disposition: form-data; name="required_fields"',
			'',
			'[{"field_type": "social_profile"}]',
			`--${boundary}`,
			'Content-Disposition: form-data; name="query_list"',
			'',
			JSON.stringify(sample.slice(0, 2)),
			`--${boundary}--`,
			'',
		].join('\r\n');
		expect(parseMultipart(raw, `multipart/form-data; boundary=${boundary}`)).toEqual({
			required_fields: '[{"field_type": "social_profile"}]',
			query_list: JSON.stringify(sample.slice(0, 2)),
		});
		const res = await bulk(raw, { 'content-type': `multipart/form-data; boundary=${boundary}` });
		expect(res.status).toBe(200);
		expect(res.json.contacts).toHaveLength(2);
		const truncated = await bulk(raw.replace(`--${boundary}--`, ''), {
			'content-type': `multipart/form-data; boundary=${boundary}`,
		});
		expect(truncated.status).toBe(400);
	});

	it('rejects a JSON body with 400', async () => {
		const res = await call(`${sim.baseUrls.exactbuyer}/v1/bulk-enrich`, {
			json: { query_list: sample },
			headers: auth,
		});
		expect(res.status).toBe(400);
		expect(res.json.error).toContain('form');
	});

	it('rejects invalid JSON in a field, an empty list, more than 1000 inputs and an unknown field_type', async () => {
		const bad = await bulk(form('[{"field_type": "email", "value": "a@b.test",}]'));
		expect(bad.status).toBe(400);
		expect(bad.json.error).toContain('query_list');
		expect((await bulk(form([]))).status).toBe(400);
		const many = Array.from({ length: 1001 }, (_, i) => ({
			field_type: 'email',
			value: `p${i}@example.test`,
		}));
		const tooMany = await bulk(form(many));
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.error).toContain('1000');
		const thousand = await bulk(form(many.slice(0, 1000)));
		expect(thousand.status).toBe(200);
		expect(thousand.json.contacts).toHaveLength(1000);
		const unknown = await bulk(form([{ field_type: 'fax', value: '123' }]));
		expect(unknown.status).toBe(400);
		expect(unknown.json.error).toContain('field_type');
		const badRequired = await bulk(form(sample, [{ field_type: 'shoe_size' }]));
		expect(badRequired.status).toBe(400);
		const missing = await bulk(new URLSearchParams({ required_fields: '[]' }));
		expect(missing.status).toBe(400);
	});

	it('nulls a contact that lacks a required field (AND) and charges nothing for it', async () => {
		const values = Array.from({ length: 40 }, (_, i) => `person${i}@corp.test`);
		const noPhone = values.find((v) => !exactBuyerAvailability(v, 'email').phone);
		const withPhone = values.find((v) => exactBuyerAvailability(v, 'email').phone);
		expect(noPhone).toBeDefined();
		expect(withPhone).toBeDefined();
		const queries = [
			{ field_type: 'email', value: noPhone as string },
			{ field_type: 'email', value: withPhone as string },
			{ field_type: 'email', value: 'someone.no-phone@corp.test' },
		];
		sim.setAccount('exactbuyer', { credits: 5 });
		const res = await bulk(form(queries, [{ field_type: 'phone' }, { field_type: 'email' }]));
		expect(res.status).toBe(200);
		expect(
			res.json.contacts.map((c: { enriched_contact: unknown }) => c.enriched_contact === null),
		).toEqual([true, false, true]);
		expect(res.json.records_enriched).toBe(1);
		expect(sim.getAccount('exactbuyer').credits).toBe(4);
		const without = await bulk(form(queries));
		expect(without.json.records_enriched).toBe(3);
		expect(without.json.contacts[0].enriched_contact.phone_numbers).toEqual([]);
	});

	it('refuses with 403 when the credits do not cover the enriched records', async () => {
		sim.setAccount('exactbuyer', { credits: 2 });
		const res = await bulk(form(sample));
		expect(res.status).toBe(403);
		expect(res.json).toEqual({ error: 'Insufficient credits' });
		expect(sim.getAccount('exactbuyer').credits).toBe(2);
	});

	it('answers 429 with the HTML body under a rate limit', async () => {
		sim.setRateLimit('exactbuyer', { limit: 2, windowMs: 60000 });
		expect((await bulk(form(sample))).status).toBe(200);
		expect((await bulk(form(sample))).status).toBe(200);
		const limited = await bulk(form(sample));
		expect(limited.status).toBe(429);
		expect(limited.headers.get('content-type')).toContain('text/html');
		expect(limited.text).toContain('<title>429 Too Many Requests</title>');
		expect(limited.text).toContain('2 per 1 minute');
		expect(limited.json).toBeUndefined();
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
	});
});

describe('ExactBuyer answers with the person the email or profile names', () => {
	it('an email or LinkedIn handle spelling a name gives that name; a bare handle or a phone keeps the fake one', async () => {
		const queries = [
			{ field_type: 'email', value: 'ada.lovelace@analytical.example' },
			{ field_type: 'social_profile', value: 'linkedin.com/in/grace-hopper-1a2b3c' },
			{ field_type: 'email', value: 'ada@analytical.example' },
		];
		const res = await bulk(form(queries));
		const names = res.json.contacts.map(
			(c: { enriched_contact: { full_name: string } | null }) => c.enriched_contact?.full_name,
		);
		expect(names.slice(0, 2)).toEqual(['Ada Lovelace', 'Grace Hopper']);
		expect(res.json.contacts[0].enriched_contact).toMatchObject({
			first_name: 'Ada',
			last_name: 'Lovelace',
			current_work_email: 'ada.lovelace@analytical.example',
		});
		expect(exactBuyerResultFor('ada@analytical.example', 'email')?.full_name).not.toMatch(/^Ada /);
		expect(exactBuyerResultFor('+14155550123', 'phone')?.full_name ?? 'no contact').not.toBe(
			'Ada Lovelace',
		);
	});

	it('places a named person where their email says, and by LinkedIn at the company Explorium gives the same name', async () => {
		const queries = [
			{ field_type: 'email', value: 'ada.lovelace@acme.example' },
			{ field_type: 'email', value: 'grace.hopper@blueharbor.test' },
			{ field_type: 'social_profile', value: 'linkedin.com/in/ada-lovelace' },
		];
		const [byEmail, knownDomain, byLinkedin] = (await bulk(form(queries))).json.contacts.map(
			(c: { enriched_contact: EnrichedContact }) => c.enriched_contact,
		);
		expect(byEmail.employment.name).toBe('Acme');
		expect(knownDomain.employment.name).toBe('Blue Harbor Logistics');
		const company = byLinkedin.employment.name;
		expect(byLinkedin.current_work_email.split('@')[1]).toBe(COMPANIES_BY_NAME[company]);
		const explorium = (path: string, json: unknown) =>
			call(`${sim.baseUrls.explorium}${path}`, {
				json,
				headers: { api_key: DEFAULT_API_KEYS.explorium },
			});
		const match = await explorium('/v1/prospects/match', {
			prospects_to_match: [{ linkedin: 'https://www.linkedin.com/in/ada-lovelace' }],
		});
		const profile = await explorium('/v1/prospects/profiles/bulk_enrich', {
			prospect_ids: [match.json.matched_prospects[0].prospect_id],
		});
		expect(profile.json.data[0].data).toMatchObject({
			full_name: 'Ada Lovelace',
			company_name: company,
		});
	});
});

type EnrichedContact = { employment: { name: string }; current_work_email: string };

/** The simulator's companies by name, with their domains. */
const COMPANIES_BY_NAME: Record<string, string> = {
	'Acme Analytics': 'acme-analytics.test',
	'Blue Harbor Logistics': 'blueharbor.test',
	'Cedar Health': 'cedarhealth.test',
	'Delta Robotics': 'deltarobotics.test',
	'Evergreen Finance': 'evergreenfin.test',
	'Foxglove Media': 'foxglove.test',
	'Granite Works': 'graniteworks.test',
	'Helios Energy': 'heliosenergy.test',
};

describe('ExactBuyer contact shapes (docs/providers/exactbuyer.md)', () => {
	const edan = [{ field_type: 'email', value: 'edan@exactbuyer.test' }];

	it('answers in the seen shape by default: current_work_email, phone_numbers[]{E164}, social_profiles[]{network,url}; no emails list', async () => {
		const contact = (await bulk(form(edan))).json.contacts[0].enriched_contact;
		expect(contact.current_work_email).toBe('edan@exactbuyer.test');
		expect(contact).not.toHaveProperty('emails');
		for (const phone of contact.phone_numbers) expect(Object.keys(phone)).toEqual(['E164']);
		for (const profile of contact.social_profiles)
			expect(Object.keys(profile).sort()).toEqual(['network', 'url']);
	});

	it('the guessed shape on request (emails[{email,type}], {number,type} phones, "LinkedIn"), until reset', async () => {
		sim.setExactBuyerContactShape('guessed');
		const guessed = (await bulk(form(edan))).json.contacts[0].enriched_contact;
		expect(guessed.emails).toContainEqual({ email: 'edan@exactbuyer.test', type: 'work' });
		expect(guessed).not.toHaveProperty('current_work_email');
		sim.setAccount('exactbuyer', { credits: 10 });
		expect((await bulk(form(edan))).json.contacts[0].enriched_contact).toHaveProperty('emails');
		sim.reset();
		expect((await bulk(form(edan))).json.contacts[0].enriched_contact).toHaveProperty(
			'current_work_email',
		);
	});

	it('the admin endpoint sets it, and refuses an unknown shape', async () => {
		const admin = (shape: string) =>
			call(`${sim.url}/__admin/exactbuyer-contact-shape`, {
				body: JSON.stringify({ shape }),
				headers: { 'content-type': 'application/json' },
			});
		expect((await admin('guessed')).status).toBe(200);
		expect((await bulk(form(edan))).json.contacts[0].enriched_contact).toHaveProperty('emails');
		expect((await admin('emails')).status).toBe(400);
	});

	it('required_fields filter on what the contact has, whatever shape it is shown in (personal emails have no seen key)', async () => {
		const value = 'no-work-email@gmail.com';
		const res = await bulk(
			form([{ field_type: 'email', value }], [{ field_type: 'personal_email' }]),
		);
		expect(res.json.contacts[0].enriched_contact).not.toBeNull();
		expect(res.json.contacts[0].enriched_contact).not.toHaveProperty('current_work_email');
		const work = await bulk(form([{ field_type: 'email', value }], [{ field_type: 'work_email' }]));
		expect(work.json.contacts[0].enriched_contact).toBeNull();
	});
});
