import type { Simulator } from '../../simulator/server.cjs';
import { startSimulator, DEFAULT_API_KEYS } from '../../simulator/server.cjs';
import type { CallbackReceiver } from '../../simulator/callback-receiver.cjs';
import { startCallbackReceiver } from '../../simulator/callback-receiver.cjs';
import { prontoFindingsFor } from '../../simulator/fake-data.cjs';
import { call } from './helpers';

let sim: Simulator;
let receiver: CallbackReceiver;

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 20 });
	receiver = await startCallbackReceiver();
});
afterAll(async () => {
	await sim.close();
	await receiver.close();
});
beforeEach(() => {
	sim.reset();
	receiver.received.length = 0;
});

const CONSENT =
	"You can't use the personal email enrichment feature without consenting with our terms of use";

function pronto(
	path: string,
	json?: unknown,
	headerValue: string | null = DEFAULT_API_KEYS.pronto,
) {
	const headers: Record<string, string> = {};
	if (headerValue !== null) headers['X-API-KEY'] = headerValue;
	return call(`${sim.baseUrls.pronto}${path}`, {
		json,
		headers,
		method: json === undefined ? 'GET' : 'POST',
	});
}

function contact(i: number, extra: Record<string, unknown> = {}) {
	return {
		firstname: `First${i}`,
		lastname: `Last${i}`,
		domain: 'example.test',
		company_name: 'Example',
		linkedin_url: `https://www.linkedin.com/in/person-${i}/`,
		custom: { row: i, crm: { id: `crm-${i}` } },
		...extra,
	};
}

describe('Pronto auth and credits endpoint', () => {
	it('answers 401 without or with a wrong X-API-KEY', async () => {
		const missing = await pronto('/credits', undefined, null);
		expect(missing.status).toBe(401);
		expect(missing.json).toEqual({ error: 401, message: 'Unauthorized' });
		expect(
			(
				await pronto(
					'/contacts/bulk_enrich',
					{ contacts: [contact(1), contact(2)], enrichment_type: ['email'] },
					'nope',
				)
			).status,
		).toBe(401);
		const ok = await pronto('/credits');
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({ credits: expect.any(Number) });
	});
});

describe('Pronto bulk validation', () => {
	const body = (contacts: unknown[], type: unknown = ['email']) => ({
		contacts,
		enrichment_type: type,
		webhook_url: `${receiver.url}/hook`,
	});

	it('needs 2 to 100 contacts', async () => {
		const one = await pronto('/contacts/bulk_enrich', body([contact(1)]));
		expect(one.status).toBe(400);
		expect(one.json.error).toBe(400);
		expect(one.json.message).toContain('single_enrich');
		const many = await pronto(
			'/contacts/bulk_enrich',
			body(Array.from({ length: 101 }, (_, i) => contact(i))),
		);
		expect(many.status).toBe(400);
		expect(many.json.message).toContain('100');
		const hundred = await pronto('/contacts/bulk_enrich', {
			...body(Array.from({ length: 100 }, (_, i) => contact(i))),
			webhook_url: undefined,
		});
		expect(hundred.status).toBe(202);
	});

	it('needs exactly one known enrichment type', async () => {
		for (const type of [['email', 'phone'], [], 'email', ['fax']]) {
			const res = await pronto('/contacts/bulk_enrich', body([contact(1), contact(2)], type));
			expect(res.status).toBe(400);
			expect(res.json.message).toContain('enrichment_type');
		}
	});

	it('names the contact index and field that is missing', async () => {
		const phone = await pronto(
			'/contacts/bulk_enrich',
			body([contact(0), contact(1, { linkedin_url: undefined })], ['phone']),
		);
		expect(phone.status).toBe(400);
		expect(phone.json.message).toContain('contacts[1].linkedin_url');
		const personal = await pronto(
			'/contacts/bulk_enrich',
			body([contact(0, { linkedin_url: '' }), contact(1)], ['personal_email']),
		);
		expect(personal.json.message).toContain('contacts[0].linkedin_url');
		const email = await pronto(
			'/contacts/bulk_enrich',
			body([contact(0), contact(1), contact(2, { domain: undefined, company_name: undefined })]),
		);
		expect(email.status).toBe(400);
		expect(email.json.message).toContain('contacts[2]');
		expect(email.json.message).toContain('domain or company_name');
		const last = await pronto(
			'/contacts/bulk_enrich',
			body([contact(0, { lastname: undefined }), contact(1)]),
		);
		expect(last.json.message).toContain('contacts[0].lastname');
		// email enrichment does not need linkedin_url
		expect(
			(
				await pronto(
					'/contacts/bulk_enrich',
					body([contact(0, { linkedin_url: undefined }), contact(1)]),
				)
			).status,
		).toBe(202);
	});

	it('refuses personal_email without consent (422, verbatim message)', async () => {
		sim.setAccount('pronto', { personalEmailConsent: false });
		const res = await pronto(
			'/contacts/bulk_enrich',
			body([contact(1), contact(2)], ['personal_email']),
		);
		expect(res.status).toBe(422);
		expect(res.json).toEqual({ error: 422, message: CONSENT });
		sim.setAccount('pronto', { personalEmailConsent: true });
		expect(
			(await pronto('/contacts/bulk_enrich', body([contact(1), contact(2)], ['personal_email'])))
				.status,
		).toBe(202);
	});

	it('refuses a batch bigger than the credits (422) and enqueues nothing', async () => {
		sim.setAccount('pronto', { credits: 2 });
		const res = await pronto('/contacts/bulk_enrich', body([contact(1), contact(2), contact(3)]));
		expect(res.status).toBe(422);
		expect(res.json.error).toBe(422);
		expect(res.json.message).toMatch(/credits/i);
		expect((await pronto('/credits')).json).toEqual({ credits: 2 });
		const ok = await pronto('/contacts/bulk_enrich', body([contact(1), contact(2)]));
		expect(ok.status).toBe(202);
		await sim.waitForCallbacks(2, 2000);
		// only the accepted batch produced callbacks
		expect(sim.callbacks.map((c) => c.body.custom.row).sort()).toEqual([1, 2]);
		expect((await pronto('/credits')).json).toEqual({ credits: 0 });
	});
});

describe('Pronto callbacks', () => {
	it('POSTs one result per contact to webhook_url, echoing custom exactly', async () => {
		const contacts = [contact(1), contact(2, { lastname: 'Nomatch' }), contact(3)];
		const res = await pronto('/contacts/bulk_enrich', {
			contacts,
			enrichment_type: ['email'],
			webhook_url: `${receiver.url}/pronto/hook?secret=abc`,
		});
		expect(res.status).toBe(202);
		expect(res.json.enrichment_id).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
		);
		const received = await receiver.waitFor(3, 2000);
		const delivered = await sim.waitForCallbacks(3, 2000);
		expect(delivered.map((c) => c.status)).toEqual([200, 200, 200]);
		expect(delivered.every((c) => c.url === `${receiver.url}/pronto/hook?secret=abc`)).toBe(true);
		expect(received.every((r) => r.method === 'POST' && r.path === '/pronto/hook?secret=abc')).toBe(
			true,
		);
		expect(received[0]?.headers['content-type']).toContain('application/json');
		const byRow = new Map(received.map((r) => [r.body.custom.row, r.body]));
		expect([...byRow.keys()].sort()).toEqual([1, 2, 3]);
		for (const c of contacts) expect(byRow.get(c.custom.row).custom).toEqual(c.custom);
		const found = byRow.get(1);
		expect(found).toEqual({
			enrichment_id: expect.any(String),
			first_name: 'First1',
			last_name: 'Last1',
			status: 'finished',
			...prontoFindingsFor(contacts[0] as Record<string, unknown>, 'email'),
			custom: contacts[0]?.custom,
		});
		expect(found.email).toBe('first1.last1@example.test');
		expect(['deliverable', 'catch-all']).toContain(found.email_status);
		const missed = byRow.get(2);
		expect(missed).toMatchObject({
			status: 'finished',
			email: null,
			email_status: 'N/A',
			phone: [],
		});
		// each contact has its own enrichment id, not the job's
		expect(new Set(received.map((r) => r.body.enrichment_id)).size).toBe(3);
	});

	it('fills phones for phone enrichment, honouring phone_country_codes', async () => {
		await pronto('/contacts/bulk_enrich', {
			contacts: [contact(1), contact(2)],
			enrichment_type: ['phone'],
			phone_country_codes: ['FR'],
			webhook_url: receiver.url,
		});
		const received = await receiver.waitFor(2, 2000);
		for (const r of received) {
			expect(r.body.phone.length).toBeGreaterThan(0);
			expect(r.body.phone[0]).toMatch(/^\+33/);
			expect(r.body.email).toBeNull();
		}
	});

	it('uses `id` and `phones: [{number, type}]` in the alternate variant', async () => {
		sim.setProntoCallbackVariant('alternate');
		await pronto('/contacts/bulk_enrich', {
			contacts: [contact(1), contact(2)],
			enrichment_type: ['phone'],
			webhook_url: receiver.url,
		});
		const received = await receiver.waitFor(2, 2000);
		for (const r of received) {
			expect(r.body).not.toHaveProperty('enrichment_id');
			expect(r.body).not.toHaveProperty('phone');
			expect(r.body.id).toEqual(expect.any(String));
			expect(r.body.phones[0]).toEqual({
				number: expect.stringMatching(/^\+\d+$/),
				type: 'mobile',
			});
			expect(r.body.custom).toEqual(contact(r.body.custom.row).custom);
		}
	});

	it('records a callback that could not be delivered with status 0, and the receiver status otherwise', async () => {
		const dead = await startCallbackReceiver();
		const deadUrl = `${dead.url}/gone`;
		await dead.close();
		receiver.setStatus(500);
		try {
			await pronto('/contacts/bulk_enrich', {
				contacts: [contact(1), contact(2)],
				enrichment_type: ['email'],
				webhook_url: deadUrl,
			});
			await pronto('/contacts/bulk_enrich', {
				contacts: [contact(3), contact(4)],
				enrichment_type: ['email'],
				webhook_url: receiver.url,
			});
			const delivered = await sim.waitForCallbacks(4, 3000);
			expect(delivered.filter((c) => c.url === deadUrl).map((c) => c.status)).toEqual([0, 0]);
			expect(delivered.filter((c) => c.url === receiver.url).map((c) => c.status)).toEqual([
				500, 500,
			]);
		} finally {
			receiver.setStatus(200);
		}
	});

	it('waitForCallbacks rejects after its timeout', async () => {
		await expect(sim.waitForCallbacks(1, 50)).rejects.toThrow(/got 0/);
	});
});

describe('Pronto single enrich', () => {
	it('answers pending, then GET /contacts/{id} turns finished and one callback arrives', async () => {
		const single = {
			firstname: 'Mathieu',
			lastname: 'Brun-Picard',
			domain: 'prontohq.test',
			linkedin_url: 'https://www.linkedin.com/in/mathieu/',
			enrichment_type: ['email'],
			webhook_url: receiver.url,
			custom: { hubspot_id: '4447901' },
		};
		const res = await pronto('/contacts/single_enrich', single);
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			enrichment_id: expect.any(String),
			first_name: 'Mathieu',
			last_name: 'Brun-Picard',
			status: 'pending',
			custom: { hubspot_id: '4447901' },
		});
		const id = res.json.enrichment_id as string;
		const [callback] = await receiver.waitFor(1, 2000);
		expect(callback?.body).toMatchObject({
			enrichment_id: id,
			status: 'finished',
			email: 'mathieu.brunpicard@prontohq.test',
			custom: { hubspot_id: '4447901' },
		});
		const polled = await pronto(`/contacts/${id}`);
		expect(polled.status).toBe(200);
		expect(polled.json).toEqual(callback?.body);
		expect((await pronto('/contacts/00000000-0000-4000-a000-000000000000')).status).toBe(404);
		const invalid = await pronto('/contacts/single_enrich', {
			...single,
			enrichment_type: ['phone'],
			linkedin_url: undefined,
		});
		expect(invalid.status).toBe(400);
		expect(invalid.json.message).toContain('linkedin_url');
	});
});

describe('Pronto concurrency', () => {
	it('handles at most 5 requests at a time and queues the rest', async () => {
		sim.inject({ provider: 'pronto', kind: 'latency', ms: 120, times: 7 });
		const started = Date.now();
		const results = await Promise.all(Array.from({ length: 7 }, () => pronto('/credits')));
		const elapsed = Date.now() - started;
		expect(results.map((r) => r.status)).toEqual(Array(7).fill(200));
		expect(sim.prontoConcurrency().maxActive).toBe(5);
		expect(elapsed).toBeGreaterThanOrEqual(235);
	});
});
