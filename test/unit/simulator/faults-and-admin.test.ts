import type { Simulator } from '../../simulator/server.cjs';
import { startSimulator, DEFAULT_API_KEYS } from '../../simulator/server.cjs';
import { sleep } from '../../simulator/faults.cjs';
import { startCallbackReceiver } from '../../simulator/callback-receiver.cjs';
import { call, hexId } from './helpers';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ callbackDelayMs: 10 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => sim.reset());

const credits = () =>
	call(`${sim.baseUrls.explorium}/v1/credits`, {
		headers: { api_key: DEFAULT_API_KEYS.explorium },
	});
const match = () =>
	call(`${sim.baseUrls.explorium}/v1/prospects/match`, {
		json: { prospects_to_match: [{ email: 'fault@example.test' }] },
		headers: { api_key: DEFAULT_API_KEYS.explorium },
	});
const ebEnrich = () =>
	call(`${sim.baseUrls.exactbuyer}/v1/enrich?email=x@corp.test`, {
		headers: { 'X-API-Key': DEFAULT_API_KEYS.exactbuyer },
	});

describe('faults', () => {
	it('status 429 answers the Explorium JSON body with Retry-After from the fault headers', async () => {
		sim.inject({
			provider: 'explorium',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '7' },
		});
		const limited = await match();
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(limited.json).toEqual({
			error: 'rate_limit_exceeded',
			message: 'API rate limit exceeded. Please retry after 7 seconds.',
			retry_after: 7,
		});
		expect((await match()).status).toBe(200);
	});

	it('status 429 for ExactBuyer defaults to the HTML body', async () => {
		sim.inject({ provider: 'exactbuyer', kind: 'status', status: 429 });
		const limited = await ebEnrich();
		expect(limited.status).toBe(429);
		expect(limited.headers.get('content-type')).toContain('text/html');
		expect(limited.text).toContain('<h1>Too Many Requests</h1>');
		expect(limited.text).toContain('200 per 1 minute');
	});

	it('503 once, then the normal answer; times makes it repeat', async () => {
		sim.inject({ provider: 'explorium', path: '/prospects/match', kind: 'status', status: 503 });
		const first = await match();
		expect(first.status).toBe(503);
		expect(first.json).toEqual({ detail: 'Service Unavailable' });
		expect((await match()).status).toBe(200);

		sim.inject({ kind: 'status', status: 502, times: 2, body: 'upstream down' });
		const a = await match();
		const b = await ebEnrich();
		const c = await match();
		expect([a.status, b.status, c.status]).toEqual([502, 502, 200]);
		expect(a.text).toBe('upstream down');
		expect(a.headers.get('content-type')).toContain('text/plain');
		expect(sim.pendingFaults()).toEqual([]);
	});

	it('matches by provider, path and method, in order of injection', async () => {
		sim.inject({ provider: 'pronto', kind: 'status', status: 500 });
		sim.inject({ provider: 'explorium', method: 'GET', kind: 'status', status: 504 });
		sim.inject({ provider: 'explorium', path: '/v1/prospects', kind: 'status', status: 500 });
		sim.inject({ provider: 'explorium', path: '/v1/prospects', kind: 'status', status: 501 });
		expect((await match()).status).toBe(500);
		expect((await match()).status).toBe(501);
		expect((await credits()).status).toBe(504);
		expect((await match()).status).toBe(200);
		expect(sim.pendingFaults()).toHaveLength(1);
		expect(sim.pendingFaults()[0]).toMatchObject({ provider: 'pronto' });
	});

	it('reset destroys the socket: fetch rejects, and the request is logged with status 0', async () => {
		sim.inject({ provider: 'explorium', kind: 'reset' });
		await expect(match()).rejects.toThrow();
		expect(sim.requests).toHaveLength(1);
		expect(sim.requests[0]).toMatchObject({
			provider: 'explorium',
			path: '/v1/prospects/match',
			status: 0,
		});
		expect(sim.requests[0]?.body).toEqual({
			prospects_to_match: [{ email: 'fault@example.test' }],
		});
		expect((await match()).status).toBe(200);
	});

	it('latency delays the normal answer by at least ms', async () => {
		sim.inject({ provider: 'exactbuyer', kind: 'latency', ms: 150 });
		const started = Date.now();
		const res = await ebEnrich();
		expect(Date.now() - started).toBeGreaterThanOrEqual(150);
		expect(res.status).toBe(200);
		const fastStart = Date.now();
		await ebEnrich();
		expect(Date.now() - fastStart).toBeLessThan(150);
	});

	it('hang never answers (the client gives up), and close() still works', async () => {
		const other = await startSimulator();
		try {
			other.inject({ kind: 'hang' });
			await expect(
				call(`${other.baseUrls.explorium}/v1/credits`, {
					headers: { api_key: other.apiKeys.explorium },
					signal: AbortSignal.timeout(150),
				}),
			).rejects.toThrow();
			expect(other.requests[0]?.status).toBe(0);
			other.inject({ kind: 'hang' });
			const pending = call(`${other.baseUrls.explorium}/v1/credits`, {
				headers: { api_key: other.apiKeys.explorium },
			});
			await sleep(50);
			await other.close();
			await expect(pending).rejects.toThrow();
		} finally {
			await other.close();
		}
	});

	it('rejects a malformed fault', () => {
		expect(() => sim.inject({ kind: 'explode' } as never)).toThrow(/kind/);
		expect(() => sim.inject({ kind: 'latency' })).toThrow(/ms/);
	});
});

describe('rate limit windows', () => {
	it('answers the 4th request within 1000 ms with 429 and Retry-After >= 1 (limit 3)', async () => {
		sim.setRateLimit('explorium', { limit: 3, windowMs: 1000 });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await credits()).status);
		expect(statuses).toEqual([200, 200, 200]);
		const fourth = await credits();
		expect(fourth.status).toBe(429);
		expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(fourth.json).toMatchObject({
			error: 'rate_limit_exceeded',
			retry_after: Number(fourth.headers.get('retry-after')),
		});
		expect(fourth.headers.get('x-ratelimit-limit')).toBe('3');
		// other providers are not limited
		expect((await ebEnrich()).status).toBe(200);
		sim.setRateLimit('explorium', null);
		expect((await credits()).status).toBe(200);
	});

	it('slides: a slot frees once the oldest request leaves the window', async () => {
		sim.setRateLimit('explorium', { limit: 2, windowMs: 300 });
		expect((await credits()).status).toBe(200);
		expect((await credits()).status).toBe(200);
		expect((await credits()).status).toBe(429);
		await sleep(320);
		expect((await credits()).status).toBe(200);
	});

	it('counts only requests with a valid key', async () => {
		sim.setRateLimit('explorium', { limit: 1, windowMs: 60000 });
		expect(
			(await call(`${sim.baseUrls.explorium}/v1/credits`, { headers: { api_key: 'wrong-key' } }))
				.status,
		).toBe(401);
		expect((await credits()).status).toBe(200);
		expect((await credits()).status).toBe(429);
	});
});

describe('request log', () => {
	it('records provider, method, path without prefix, query, lower-cased headers, parsed body, content type, status and time', async () => {
		const before = Date.now();
		await match();
		await ebEnrich();
		const form = new URLSearchParams({ query_list: '[{"field_type":"email","value":"a@b.test"}]' });
		await call(`${sim.baseUrls.exactbuyer}/v1/bulk-enrich?debug=1`, {
			body: form,
			headers: { 'X-API-Key': DEFAULT_API_KEYS.exactbuyer },
		});
		await call(`${sim.baseUrls.pronto}/credits`, { headers: { 'X-API-KEY': 'bad-key' } });
		expect(sim.requests.map((r) => [r.provider, r.method, r.path, r.status])).toEqual([
			['explorium', 'POST', '/v1/prospects/match', 200],
			['exactbuyer', 'GET', '/v1/enrich', 200],
			['exactbuyer', 'POST', '/v1/bulk-enrich', 200],
			['pronto', 'GET', '/credits', 401],
		]);
		const [m, e, b, p] = sim.requests;
		expect(m?.headers.api_key).toBe(DEFAULT_API_KEYS.explorium);
		expect(m?.contentType).toBe('application/json');
		expect(m?.body).toEqual({ prospects_to_match: [{ email: 'fault@example.test' }] });
		expect(e?.query).toEqual({ email: 'x@corp.test' });
		expect(e?.body).toBeNull();
		expect(e?.headers['x-api-key']).toBe(DEFAULT_API_KEYS.exactbuyer);
		expect(b?.query).toEqual({ debug: '1' });
		expect(b?.body).toEqual({ query_list: '[{"field_type":"email","value":"a@b.test"}]' });
		expect(p?.headers['x-api-key']).toBe('bad-key');
		expect(m?.receivedAt).toBeGreaterThanOrEqual(before);
		expect(sim.requestsTo('exactbuyer')).toHaveLength(2);
		expect(sim.requestsTo('exactbuyer', '/bulk-enrich')).toEqual([b]);
		expect(sim.requestsTo('pronto', '/contacts/bulk_enrich')).toEqual([]);
	});

	it('keeps a raw string body when it is not JSON and 404s paths outside the prefixes without logging them', async () => {
		await call(`${sim.baseUrls.explorium}/v1/prospects/match`, {
			body: 'not json',
			headers: { api_key: DEFAULT_API_KEYS.explorium, 'content-type': 'text/plain' },
		});
		expect(sim.requests[0]?.body).toBe('not json');
		expect(sim.requests[0]?.status).toBe(422);
		const outside = await call(`${sim.url}/elsewhere`);
		expect(outside.status).toBe(404);
		expect(sim.requests).toHaveLength(1);
	});
});

describe('admin endpoints', () => {
	const admin = (path: string, json?: unknown) =>
		call(`${sim.url}/__admin${path}`, { json, method: json === undefined ? 'GET' : 'POST' });

	it('injects faults, sets rate limits and accounts, and lists requests and callbacks', async () => {
		expect(
			(await admin('/faults', { provider: 'exactbuyer', kind: 'status', status: 503 })).status,
		).toBe(200);
		expect((await ebEnrich()).status).toBe(503);
		expect((await admin('/faults', { kind: 'nonsense' })).status).toBe(400);

		expect(
			(await admin('/rate-limit', { provider: 'exactbuyer', limit: 1, windowMs: 60000 })).status,
		).toBe(200);
		expect((await ebEnrich()).status).toBe(200);
		expect((await ebEnrich()).status).toBe(429);
		expect((await admin('/rate-limit', { provider: 'exactbuyer', off: true })).status).toBe(200);
		expect((await ebEnrich()).status).toBe(200);

		expect((await admin('/account', { provider: 'explorium', credits: 0 })).status).toBe(200);
		const refused = await call(
			`${sim.baseUrls.explorium}/v1/prospects/contacts_information/bulk_enrich`,
			{
				json: { prospect_ids: [hexId('admin', 40)] },
				headers: { api_key: DEFAULT_API_KEYS.explorium },
			},
		);
		expect(refused.status).toBe(403);
		expect(
			(await admin('/account', { provider: 'pronto', personalEmailConsent: false })).status,
		).toBe(200);
		expect(sim.getAccount('pronto').personalEmailConsent).toBe(false);
		expect((await admin('/account', { provider: 'nobody', credits: 1 })).status).toBe(400);

		const requests = await admin('/requests');
		expect(requests.status).toBe(200);
		expect(requests.json.map((r: { path: string }) => r.path)).toEqual(
			sim.requests.map((r) => r.path),
		);
		expect(requests.json.some((r: { path: string }) => r.path.startsWith('/__admin'))).toBe(false);

		const info = await admin('/info');
		expect(info.json).toEqual({ url: sim.url, baseUrls: sim.baseUrls, apiKeys: sim.apiKeys });
	});

	it('lists Pronto callbacks and switches the callback variant', async () => {
		const receiver = await startCallbackReceiver();
		try {
			expect((await admin('/pronto-callback-variant', { variant: 'alternate' })).status).toBe(200);
			await call(`${sim.baseUrls.pronto}/contacts/bulk_enrich`, {
				json: {
					contacts: [
						{
							firstname: 'A',
							lastname: 'B',
							domain: 'a.test',
							linkedin_url: 'https://linkedin.com/in/ab',
							custom: { k: 1 },
						},
						{
							firstname: 'C',
							lastname: 'D',
							domain: 'c.test',
							linkedin_url: 'https://linkedin.com/in/cd',
							custom: { k: 2 },
						},
					],
					enrichment_type: ['phone'],
					webhook_url: receiver.url,
				},
				headers: { 'X-API-KEY': DEFAULT_API_KEYS.pronto },
			});
			await sim.waitForCallbacks(2, 2000);
			const listed = await admin('/callbacks');
			expect(listed.json).toHaveLength(2);
			expect(listed.json[0]).toMatchObject({
				url: receiver.url,
				status: 200,
				body: { id: expect.any(String), phones: expect.any(Array) },
			});
			expect((await admin('/pronto-callback-variant', { variant: 'other' })).status).toBe(400);
		} finally {
			await receiver.close();
		}
	});

	it('POST /__admin/reset clears everything', async () => {
		sim.inject({ kind: 'status', status: 500, provider: 'pronto' });
		sim.setRateLimit('exactbuyer', { limit: 1, windowMs: 60000 });
		await ebEnrich();
		expect((await admin('/reset', {})).status).toBe(200);
		expect(sim.requests).toEqual([]);
		expect(sim.pendingFaults()).toEqual([]);
		expect((await ebEnrich()).status).toBe(200);
		expect((await ebEnrich()).status).toBe(200);
	});
});

describe('reset()', () => {
	it('clears requests, callbacks, faults, rate windows, accounts and the callback variant, keeping the same arrays', async () => {
		const requests = sim.requests;
		const callbacksArray = sim.callbacks;
		const receiver = await startCallbackReceiver();
		try {
			await call(`${sim.baseUrls.pronto}/contacts/bulk_enrich`, {
				json: {
					contacts: [
						{ firstname: 'A', lastname: 'B', domain: 'a.test' },
						{ firstname: 'C', lastname: 'D', domain: 'c.test' },
					],
					enrichment_type: ['email'],
					webhook_url: receiver.url,
				},
				headers: { 'X-API-KEY': DEFAULT_API_KEYS.pronto },
			});
			await sim.waitForCallbacks(2, 2000);
		} finally {
			await receiver.close();
		}
		sim.inject({ kind: 'status', status: 500 });
		sim.setRateLimit('explorium', { limit: 1, windowMs: 60000 });
		sim.setAccount('explorium', { credits: 0 });
		sim.setAccount('pronto', { credits: 0, personalEmailConsent: false });
		sim.setProntoCallbackVariant('alternate');
		sim.reset();
		expect(sim.requests).toBe(requests);
		expect(sim.callbacks).toBe(callbacksArray);
		expect(requests).toHaveLength(0);
		expect(callbacksArray).toHaveLength(0);
		expect(sim.pendingFaults()).toEqual([]);
		expect(sim.getAccount('explorium').credits).toBeUndefined();
		expect(sim.getAccount('pronto')).toEqual({ credits: undefined, personalEmailConsent: true });
		expect((await credits()).status).toBe(200);
		expect((await credits()).status).toBe(200);
	});

	it('cancels Pronto callbacks still pending', async () => {
		const slow = await startSimulator({ callbackDelayMs: 200 });
		const receiver = await startCallbackReceiver();
		try {
			await call(`${slow.baseUrls.pronto}/contacts/bulk_enrich`, {
				json: {
					contacts: [
						{ firstname: 'A', lastname: 'B', domain: 'a.test' },
						{ firstname: 'C', lastname: 'D', domain: 'c.test' },
					],
					enrichment_type: ['email'],
					webhook_url: receiver.url,
				},
				headers: { 'X-API-KEY': slow.apiKeys.pronto },
			});
			slow.reset();
			await sleep(400);
			expect(receiver.received).toHaveLength(0);
			expect(slow.callbacks).toHaveLength(0);
		} finally {
			await slow.close();
			await receiver.close();
		}
	});
});
