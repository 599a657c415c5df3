/**
 * The simulator's rate windows: Explorium counts queries (each entity of a bulk or match payload is
 * one) and sends X-RateLimit-Limit/-Remaining/-Reset on every answer to the key while its window is
 * on; ExactBuyer counts requests and sends none.
 */
import type { Simulator } from '../../simulator/server.cjs';
import { startSimulator, DEFAULT_API_KEYS, PROVIDER_RATE_LIMITS } from '../../simulator/server.cjs';
import { RateLimiter } from '../../simulator/faults.cjs';
import { exploriumRequestWeight } from '../../simulator/explorium-weight.cjs';
import { call, hexId } from './helpers';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => sim.reset());

const exploriumHeaders = { api_key: DEFAULT_API_KEYS.explorium };
const ids = (label: string, count: number) =>
	Array.from({ length: count }, (_, n) => hexId(`${label}-${n}`, 40));
const bulk = (prospectIds: unknown) =>
	call(`${sim.baseUrls.explorium}/v1/prospects/contacts_information/bulk_enrich`, {
		json: { prospect_ids: prospectIds },
		headers: exploriumHeaders,
	});
const match = (count: number) =>
	call(`${sim.baseUrls.explorium}/v1/prospects/match`, {
		json: {
			prospects_to_match: Array.from({ length: count }, (_, n) => ({
				email: `window${n}@example.test`,
			})),
		},
		headers: exploriumHeaders,
	});
const credits = () => call(`${sim.baseUrls.explorium}/v1/credits`, { headers: exploriumHeaders });
const ebEnrich = () =>
	call(`${sim.baseUrls.exactbuyer}/v1/enrich?email=x@corp.test`, {
		headers: { 'X-API-Key': DEFAULT_API_KEYS.exactbuyer },
	});
const admin = (path: string, json?: unknown) =>
	call(`${sim.url}/__admin${path}`, { json, method: json === undefined ? 'GET' : 'POST' });
const remaining = (res: { headers: Headers }) => res.headers.get('x-ratelimit-remaining');
const rateHeaders = (res: { headers: Headers }) => [
	res.headers.get('x-ratelimit-limit'),
	res.headers.get('x-ratelimit-remaining'),
	res.headers.get('x-ratelimit-reset'),
];

describe('exploriumRequestWeight: one query per entity in the payload', () => {
	it.each([
		[
			'a match of 10 prospects',
			{ prospects_to_match: Array.from({ length: 10 }, () => ({ email: 'a@b.test' })) },
			10,
		],
		[
			'a match of 3 businesses',
			{ businesses_to_match: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
			3,
		],
		['a bulk enrich of 50 prospect ids', { prospect_ids: ids('w', 50) }, 50],
		[
			'a bulk enrich of 7 business ids',
			{ business_ids: Array.from({ length: 7 }, (_, n) => hexId(`b${n}`, 32)) },
			7,
		],
		['a v2 enrich with one id as a string', { prospect_ids: hexId('one', 40) }, 1],
		['a v2 business enrich with one id as a string', { business_ids: hexId('one', 32) }, 1],
		['a job submit (list_id only)', { list_id: 'dataset-1' }, 1],
		['an empty list (malformed)', { prospect_ids: [] }, 1],
		['a list over the 50 the schema allows (malformed)', { prospect_ids: ids('over', 51) }, 1],
		['a list key that is not a list (malformed)', { prospect_ids: 42 }, 1],
		['a JSON array body (malformed)', [1, 2, 3], 1],
		['no body (GET /credits)', null, 1],
	])('%s → %i', (_label, body, weight) => {
		expect(exploriumRequestWeight(body)).toBe(weight);
		expect(exploriumRequestWeight(body === null ? '' : JSON.stringify(body))).toBe(weight);
	});

	it('a raw body that is not JSON weighs 1', () => {
		expect(exploriumRequestWeight('not json')).toBe(1);
		expect(exploriumRequestWeight(undefined)).toBe(1);
	});
});

describe('RateLimiter: entities in a sliding window (explicit clock)', () => {
	it('Remaining drops by the weight; Reset is when the oldest entry leaves the window (room next grows)', () => {
		const limiter = new RateLimiter();
		limiter.set('explorium', { limit: 200, windowMs: 60_000 });
		expect(limiter.hit('explorium', 'k', 10, 1_000)).toMatchObject({
			ok: true,
			weight: 10,
			remaining: 190,
			resetAtMs: 61_000,
			headers: true,
			unit: 'entities',
		});
		expect(limiter.hit('explorium', 'k', 50, 5_000)).toMatchObject({
			ok: true,
			remaining: 140,
			resetAtMs: 61_000,
		});
		// The first entry has left: its 10 are back, the oldest is now the one from 5 s.
		expect(limiter.hit('explorium', 'k', 1, 61_500)).toMatchObject({
			ok: true,
			remaining: 149,
			resetAtMs: 65_000,
		});
		// Another key has its own window.
		expect(limiter.hit('explorium', 'other', 50, 61_500)).toMatchObject({
			ok: true,
			remaining: 150,
		});
	});

	it('refuses a request heavier than what is left, whole (nothing counted), with the time until enough room', () => {
		const limiter = new RateLimiter();
		limiter.set('explorium', { limit: 60, windowMs: 60_000 });
		limiter.hit('explorium', 'k', 10, 0);
		limiter.hit('explorium', 'k', 10, 10_000);
		limiter.hit('explorium', 'k', 40, 20_000);
		// 0 left; 15 needs the first two entries gone (10 + 10 ≥ 15): the second leaves at 70 s.
		expect(limiter.hit('explorium', 'k', 15, 30_000)).toMatchObject({
			ok: false,
			retryAfterMs: 40_000,
			remaining: 0,
			resetAtMs: 60_000,
		});
		// 5 needs only the first one gone.
		expect(limiter.hit('explorium', 'k', 5, 30_000)).toMatchObject({
			ok: false,
			retryAfterMs: 30_000,
		});
		// Refusals counted nothing: at 60 s the first entry's 10 are back, and exactly 10 fit.
		expect(limiter.hit('explorium', 'k', 10, 60_001)).toMatchObject({ ok: true, remaining: 0 });
	});

	it('a request heavier than the whole limit never fits: refused until the window is empty', () => {
		const limiter = new RateLimiter();
		limiter.set('explorium', { limit: 20, windowMs: 1_000 });
		expect(limiter.hit('explorium', 'k', 50, 0)).toMatchObject({
			ok: false,
			retryAfterMs: 1_000,
			remaining: 20,
		});
		limiter.hit('explorium', 'k', 5, 100);
		expect(limiter.hit('explorium', 'k', 50, 200)).toMatchObject({ ok: false, retryAfterMs: 900 });
	});

	it("unit 'requests' weighs every request 1; other providers count requests and refuse entities and headers", () => {
		const limiter = new RateLimiter();
		limiter.set('explorium', { limit: 2, windowMs: 1_000, unit: 'requests' });
		expect(limiter.hit('explorium', 'k', 50, 0)).toMatchObject({
			ok: true,
			remaining: 1,
			weight: 1,
		});
		limiter.set('exactbuyer', { limit: 2 });
		expect(limiter.get('exactbuyer')).toEqual({
			limit: 2,
			windowMs: 60_000,
			unit: 'requests',
			headers: false,
		});
		expect(limiter.get('explorium')).toEqual({
			limit: 2,
			windowMs: 1_000,
			unit: 'requests',
			headers: true,
		});
		expect(() => limiter.set('exactbuyer', { unit: 'entities' })).toThrow(
			/only Explorium counts entities/,
		);
		expect(() => limiter.set('exactbuyer', { headers: true })).toThrow(
			/only Explorium documents X-RateLimit headers/,
		);
		expect(() => limiter.set('explorium', { unit: 'rows' as never })).toThrow(/unit/);
	});
});

describe('Explorium over HTTP: the entity window and its headers', () => {
	it('Remaining drops by the entity count: match 10 → 10, bulk of 50 → 50, credits → 1', async () => {
		sim.setRateLimit('explorium', { limit: 200, windowMs: 60_000 });
		const matched = await match(10);
		expect(matched.status).toBe(200);
		expect(matched.headers.get('x-ratelimit-limit')).toBe('200');
		expect(remaining(matched)).toBe('190');
		const enriched = await bulk(ids('drop', 50));
		expect(enriched.status).toBe(200);
		expect(remaining(enriched)).toBe('140');
		expect(remaining(await credits())).toBe('139');
		expect(matched.headers.get('retry-after')).toBeNull();
	});

	it('X-RateLimit-Reset: the Unix second (rounded up) when the oldest counted request leaves the window', async () => {
		sim.setRateLimit('explorium', { limit: 200, windowMs: 60_000 });
		const before = Date.now();
		const first = await match(5);
		const after = Date.now();
		const reset = Number(first.headers.get('x-ratelimit-reset'));
		expect(reset).toBeGreaterThanOrEqual(Math.ceil((before + 60_000) / 1000));
		expect(reset).toBeLessThanOrEqual(Math.ceil((after + 60_000) / 1000));
		// Later requests do not move it while the first is in the window.
		expect(Number((await match(5)).headers.get('x-ratelimit-reset'))).toBe(reset);
		expect(Number((await credits()).headers.get('x-ratelimit-reset'))).toBe(reset);
	});

	it('a request heavier than what is left gets 429 (documented body, Retry-After) while a smaller one passes; the refused one counts nothing', async () => {
		sim.setRateLimit('explorium', { limit: 60, windowMs: 60_000 });
		expect(remaining(await bulk(ids('big', 50)))).toBe('10');
		const refused = await bulk(ids('more', 20));
		expect(refused.status).toBe(429);
		const retryAfter = Number(refused.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThanOrEqual(59);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(refused.json).toEqual({
			error: 'rate_limit_exceeded',
			message: `API rate limit exceeded. Please retry after ${retryAfter} seconds.`,
			retry_after: retryAfter,
		});
		expect(rateHeaders(refused)[0]).toBe('60');
		expect(remaining(refused)).toBe('10');
		const small = await match(10);
		expect(small.status).toBe(200);
		expect(remaining(small)).toBe('0');
		expect((await credits()).status).toBe(429);
	});

	it('sends the headers on 4xx answers too (422, 404, 405), but not on 401 (no key, no window) nor on injected faults', async () => {
		sim.setRateLimit('explorium', { limit: 200, windowMs: 60_000 });
		const invalid = await bulk(['not-an-id']);
		expect(invalid.status).toBe(422);
		expect(remaining(invalid)).toBe('199');
		const unknown = await call(`${sim.baseUrls.explorium}/v1/nowhere`, {
			headers: exploriumHeaders,
		});
		expect(unknown.status).toBe(404);
		expect(remaining(unknown)).toBe('198');
		const wrongMethod = await call(`${sim.baseUrls.explorium}/v1/prospects/match`, {
			headers: exploriumHeaders,
		});
		expect(wrongMethod.status).toBe(405);
		expect(rateHeaders(wrongMethod).every((h) => h !== null)).toBe(true);
		const unauthorized = await call(`${sim.baseUrls.explorium}/v1/credits`, {
			headers: { api_key: 'wrong-key' },
		});
		expect(unauthorized.status).toBe(401);
		expect(rateHeaders(unauthorized)).toEqual([null, null, null]);
		sim.inject({ provider: 'explorium', kind: 'status', status: 503 });
		expect(rateHeaders(await credits())).toEqual([null, null, null]);
	});

	it('no window, no headers', async () => {
		const res = await bulk(ids('free', 50));
		expect(res.status).toBe(200);
		expect(rateHeaders(res)).toEqual([null, null, null]);
	});
});

describe('admin: POST /__admin/rate-limit with unit and headers; GET /__admin/rate-limit', () => {
	it('defaults for Explorium: entities and headers on; GET lists every provider', async () => {
		expect(
			(await admin('/rate-limit', { provider: 'explorium', limit: 200, windowMs: 60_000 })).status,
		).toBe(200);
		const listed = await admin('/rate-limit');
		expect(listed.json).toEqual({
			explorium: { ...PROVIDER_RATE_LIMITS.explorium },
			pronto: null,
			exactbuyer: null,
		});
		expect(sim.getRateLimit('explorium')).toEqual({
			limit: 200,
			windowMs: 60_000,
			unit: 'entities',
			headers: true,
		});
	});

	it('headers: false plays a provider (or a proxy) without them: none on 2xx nor on 429, which keeps Retry-After', async () => {
		expect(
			(
				await admin('/rate-limit', {
					provider: 'explorium',
					limit: 60,
					windowMs: 60_000,
					headers: false,
				})
			).status,
		).toBe(200);
		const ok = await bulk(ids('quiet', 50));
		expect(ok.status).toBe(200);
		expect(rateHeaders(ok)).toEqual([null, null, null]);
		const refused = await bulk(ids('quiet2', 20));
		expect(refused.status).toBe(429);
		expect(rateHeaders(refused)).toEqual([null, null, null]);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
	});

	it("unit: 'requests' counts each request 1, whatever its size (the old rule, for old benches)", async () => {
		expect(
			(
				await admin('/rate-limit', {
					provider: 'explorium',
					limit: 2,
					windowMs: 60_000,
					unit: 'requests',
					headers: false,
				})
			).status,
		).toBe(200);
		expect((await bulk(ids('r1', 50))).status).toBe(200);
		expect((await bulk(ids('r2', 50))).status).toBe(200);
		expect((await match(1)).status).toBe(429);
		expect(
			(
				await admin('/rate-limit', {
					provider: 'explorium',
					limit: 3,
					windowMs: 60_000,
					unit: 'requests',
				})
			).status,
		).toBe(200);
		expect(remaining(await bulk(ids('r3', 50)))).toBe('2');
	});

	it('refuses what the providers do not document: entities or headers for ExactBuyer, an unknown unit, a non-boolean headers', async () => {
		expect(
			(await admin('/rate-limit', { provider: 'exactbuyer', limit: 2, unit: 'entities' })).status,
		).toBe(400);
		expect(
			(await admin('/rate-limit', { provider: 'exactbuyer', limit: 2, headers: true })).status,
		).toBe(400);
		expect((await admin('/rate-limit', { provider: 'explorium', unit: 'rows' })).status).toBe(400);
		expect((await admin('/rate-limit', { provider: 'explorium', headers: 'no' })).status).toBe(400);
		expect((await admin('/rate-limit', { provider: 'explorium', off: true })).status).toBe(200);
		expect(sim.getRateLimit('explorium')).toBeUndefined();
	});
});

describe('ExactBuyer unchanged: a request window, HTML 429, no X-RateLimit headers', () => {
	it('counts requests and sends no X-RateLimit headers on 200 nor on 429', async () => {
		sim.setRateLimit('exactbuyer', { limit: 2, windowMs: 60_000 });
		const first = await ebEnrich();
		expect(first.status).toBe(200);
		expect(rateHeaders(first)).toEqual([null, null, null]);
		expect((await ebEnrich()).status).toBe(200);
		const limited = await ebEnrich();
		expect(limited.status).toBe(429);
		expect(limited.headers.get('content-type')).toContain('text/html');
		expect(limited.text).toContain('2 per 1 minute');
		expect(rateHeaders(limited)).toEqual([null, null, null]);
		expect(sim.getRateLimit('exactbuyer')).toEqual({
			limit: 2,
			windowMs: 60_000,
			unit: 'requests',
			headers: false,
		});
	});
});
