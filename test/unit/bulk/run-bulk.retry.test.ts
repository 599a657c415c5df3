import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../../nodes/bulk/send-with-retry';
import { runBulk, type BulkRunSettings } from '../../../nodes/bulk/run-bulk';
import { sendWithRetry } from '../../../nodes/bulk/send-with-retry';
import type { ItemOutcome, ProviderResponse } from '../../../nodes/bulk/types';
import { prospectsBulkEnrichEndpoint } from '../../../nodes/Explorium/adapter/endpoints';
import {
	FakeApi,
	FakeClock,
	expectedOutcome,
	exploriumEnrichAnswer,
	idsOf,
	prospectId,
	prospectSlots,
	response,
	settings,
	type Responder,
	paced,
} from './helpers';

const endpoint = prospectsBulkEnrichEndpoint('contacts_information');
const found = (id: string) => expectedOutcome(id, false);
const ids = Array.from({ length: 3 }, (_, n) => prospectId(n));

/** Answers the scripted failures first (one per request), then like Explorium. */
function scripted(...failures: Array<ProviderResponse | Error>): Responder {
	return async (request, index) => {
		const failure = failures[index];
		if (failure instanceof Error) throw failure;
		return failure ?? exploriumEnrichAnswer(idsOf(request));
	};
}

async function run(
	responder: Responder,
	overrides: Partial<BulkRunSettings> = {},
	clock = new FakeClock(),
	inputIds = ids,
) {
	const api = new FakeApi(responder, clock);
	const runSettings = settings(overrides);
	const result = await runBulk(endpoint, prospectSlots(inputIds), runSettings, {
		send: api.send,
		clock,
		isCancelled: () => false,
		...paced(endpoint.provider.limits, runSettings.retry.maxRateLimitWaitMs),
	});
	return { ...result, api, clock };
}

function networkError(code: string, message: string): Error {
	return Object.assign(new Error(message), { code });
}

const tooMany = (retryAfter?: unknown) =>
	response(
		429,
		{
			error: 'rate_limit_exceeded',
			message: 'API rate limit exceeded. Please retry after 60 seconds.',
			retry_after: 60,
		},
		retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
	);
const unavailable = () => response(503, { detail: 'Service Unavailable' });

describe('retries through runBulk', () => {
	it('429 then success: waits the Retry-After seconds, then every item is found', async () => {
		const { outcomes, api, clock } = await run(scripted(tooMany('7')));
		expect(api.requests).toHaveLength(2);
		expect(clock.waits).toEqual([7000]);
		expect(api.requests[1].at - api.requests[0].at).toBe(7000);
		expect(api.idsPerRequest()).toEqual([ids, ids]);
		expect(outcomes).toEqual(ids.map(found));
	});

	it('429 with an HTTP-date Retry-After waits until that date', async () => {
		const clock = new FakeClock();
		const retryAt = new Date(clock.now() + 12_000).toUTCString();
		const { outcomes, api } = await run(
			scripted(response(429, 'Too Many Requests', { 'retry-after': retryAt })),
			{},
			clock,
		);
		expect(api.requests).toHaveLength(2);
		expect(clock.waits).toEqual([12_000]);
		expect(outcomes).toEqual(ids.map(found));
	});

	it('429 without Retry-After pauses the key 1 s, then twice as long for each further 429 in a row', async () => {
		const { clock, outcomes } = await run(
			scripted(tooMany(), tooMany(), tooMany()),
			{},
			new FakeClock({ randoms: [0] }),
		);
		expect(clock.waits).toEqual([1000, 2000, 4000]);
		expect(outcomes).toEqual(ids.map(found));
	});

	it('429s are not failures: they do not use up Max Retries (a refused request was not accepted)', async () => {
		const refusals = Array.from({ length: 8 }, () => tooMany('5'));
		const { outcomes, api, clock } = await run(scripted(...refusals), {
			retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 1, maxTotalWaitMs: 1000 },
		});
		expect(api.requests).toHaveLength(9);
		expect(clock.waits).toEqual(refusals.map(() => 5000));
		expect(outcomes).toEqual(ids.map(found));
	});

	it('5xx then success: the backoff lies in [base/2, base*2^attempt]', async () => {
		const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000 };
		const { outcomes, api, clock } = await run(
			scripted(
				unavailable(),
				response(502, '<html><title>502 Bad Gateway</title></html>'),
				unavailable(),
			),
			{ retry: policy },
			new FakeClock({ randoms: [0.25, 1, 0] }),
		);
		expect(api.requests).toHaveLength(4);
		// attempt 0: 500 + 0.25 * (1000 - 500); attempt 1: 500 + 1 * (2000 - 500); attempt 2: 500 + 0.
		expect(clock.waits).toEqual([625, 2000, 500]);
		clock.waits.forEach((wait, attempt) => {
			expect(wait).toBeGreaterThanOrEqual(policy.baseDelayMs / 2);
			expect(wait).toBeLessThanOrEqual(policy.baseDelayMs * 2 ** attempt);
		});
		expect(outcomes).toEqual(ids.map(found));
	});

	it('a connection reset (send rejects with ECONNRESET) is retried', async () => {
		const { outcomes, api, clock } = await run(
			scripted(networkError('ECONNRESET', 'socket hang up')),
		);
		expect(api.requests).toHaveLength(2);
		expect(clock.waits).toHaveLength(1);
		expect(outcomes).toEqual(ids.map(found));
	});

	it('a timeout is retried, an unknown exception is not', async () => {
		const timedOut = await run(scripted(new Error('timeout of 60000ms exceeded')));
		expect(timedOut.api.requests).toHaveLength(2);
		expect(timedOut.outcomes).toEqual(ids.map(found));

		const broken = await run(scripted(new TypeError('Cannot read properties of undefined')));
		expect(broken.api.requests).toHaveLength(1);
		expect(broken.outcomes[0]).toEqual({
			kind: 'error',
			cause: 'request',
			message: 'Explorium request failed (no answer): Cannot read properties of undefined',
			description: 'The request could not be completed. Attempts: 1.',
			httpCode: undefined,
		});
	});

	it("n8n's SSRF protection blocking the Base URL: not retried, the error says which setting allows it", async () => {
		const blocked = Object.assign(
			new Error('The request was blocked because it resolves to a restricted IP address'),
			{ name: 'SsrfBlockedIpError' },
		);
		const { outcomes, api } = await run(scripted(blocked));
		expect(api.requests).toHaveLength(1);
		expect(outcomes[0]).toMatchObject({
			kind: 'error',
			message: `Explorium request failed (no answer): ${blocked.message}`,
		});
		const { description } = outcomes[0] as { description: string };
		expect(description).toContain('N8N_SSRF_PROTECTION_ENABLED');
		expect(description).toContain('N8N_SSRF_ALLOWED_HOSTNAMES');
		expect(description).toContain('Attempts: 1.');
	});

	it('retries exhausted: an error with the attempts count on every item of that chunk, the other chunk found', async () => {
		const many = Array.from({ length: 60 }, (_, n) => prospectId(n));
		const firstChunk = new Set(many.slice(0, 30));
		const { outcomes, api, clock } = await run(
			(request) =>
				firstChunk.has(idsOf(request)[0]) ? unavailable() : exploriumEnrichAnswer(idsOf(request)),
			{ retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 2 } },
			new FakeClock(),
			many,
		);
		expect(api.requests).toHaveLength(4);
		expect(clock.waits).toHaveLength(2);
		const exhausted: ItemOutcome = {
			kind: 'error',
			cause: 'request',
			message:
				'Explorium request failed (HTTP 503): Service Unavailable (gave up after 3 attempts)',
			description:
				'The provider or the network kept failing; try again later or raise the retry budget in Options. Attempts: 3.',
			httpCode: '503',
		};
		expect(outcomes.slice(0, 30)).toEqual(Array.from({ length: 30 }, () => exhausted));
		expect(outcomes.slice(30)).toEqual(many.slice(30).map(found));
	});

	it('a provider that keeps refusing: once the run has waited Max Rate-Limit Wait, the items are not sent (nothing was accepted)', async () => {
		const { outcomes, api, clock } = await run(() => tooMany('60'), {
			retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 0, maxRateLimitWaitMs: 5 * 60_000 },
		});
		// Refused at 0, 60, ..., 300 s; the pause after the sixth passes the 5 minutes: it stops at once.
		expect(api.requests).toHaveLength(6);
		expect(clock.waits).toEqual([60_000, 60_000, 60_000, 60_000, 60_000]);
		expect(outcomes).toEqual(
			ids.map(() => ({
				kind: 'error',
				cause: 'notSent',
				message:
					'Not sent: the provider asks to wait 1 min more (Retry-After), longer than what is left of Options › Max Rate-Limit Wait (5 min); the run waited 5 min for the rate limit (this request was refused 6 times); nothing was accepted, run these items again later',
			})),
		);
	});

	it('gives up early when the next wait would pass the total-wait budget', async () => {
		const { outcomes, api, clock } = await run(
			() => response(503, { detail: 'Service Unavailable' }, { 'Retry-After': '60' }),
			{
				retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 4, maxTotalWaitMs: 90_000 },
			},
		);
		expect(api.requests).toHaveLength(2);
		expect(clock.waits).toEqual([60_000]);
		expect(outcomes).toEqual(
			ids.map(() => ({
				kind: 'error',
				cause: 'request',
				message:
					'Explorium request failed (HTTP 503): Service Unavailable (gave up after 2 attempts: waiting 60 s more would pass the 90 s retry budget)',
				description:
					'The provider or the network kept failing; try again later or raise the retry budget in Options. Attempts: 2.',
				httpCode: '503',
			})),
		);
	});

	it('a Retry-After beyond the whole budget gives up without waiting', async () => {
		const { api, clock, outcomes } = await run(() =>
			response(503, { detail: 'Service Unavailable' }, { 'Retry-After': '600' }),
		);
		expect(api.requests).toHaveLength(1);
		expect(clock.waits).toEqual([]);
		expect(outcomes[0]).toMatchObject({
			kind: 'error',
			message: expect.stringContaining(
				'(gave up after 1 attempts: waiting 600 s more would pass the 120 s retry budget)',
			),
		});
	});

	it('a 429 with a Retry-After longer than the retry budget is still waited for (within Max Rate-Limit Wait)', async () => {
		const { api, clock, outcomes } = await run(scripted(tooMany('600')));
		expect(api.requests).toHaveLength(2);
		expect(clock.waits).toEqual([600_000]);
		expect(outcomes).toEqual(ids.map(found));
	});

	it('401 is not retried and every item of the chunk gets a clear message', async () => {
		const { outcomes, api, clock } = await run(() =>
			response(401, { detail: 'Not authenticated' }),
		);
		expect(api.requests).toHaveLength(1);
		expect(clock.waits).toEqual([]);
		expect(outcomes).toEqual(
			ids.map(() => ({
				kind: 'error',
				cause: 'request',
				message: 'Explorium request failed (HTTP 401): Not authenticated',
				description: 'The API key was refused. Attempts: 1.',
				httpCode: '401',
			})),
		);
	});

	it.each([
		[
			403,
			{ message: 'Forbidden' },
			'Forbidden',
			'The account is out of credits or may not use this endpoint.',
		],
		[
			402,
			{ detail: 'Insufficient credits' },
			'Insufficient credits',
			'The account is out of credits or may not use this endpoint.',
		],
		[400, { detail: 'Bad request' }, 'Bad request', 'The provider refused the request as sent.'],
		[
			404,
			undefined,
			'HTTP 404',
			"Explorium answered that the address itself does not exist: check the Base URL of the Explorium credential, which must be the provider's API address.",
		],
	])('%i is not retried', async (status, body, providerMessage, hint) => {
		const { outcomes, api, clock } = await run(() => response(status, body));
		expect(api.requests).toHaveLength(1);
		expect(clock.waits).toEqual([]);
		expect(outcomes).toEqual(
			ids.map(() => ({
				kind: 'error',
				cause: 'request',
				message: `Explorium request failed (HTTP ${status}): ${providerMessage}`,
				description: `${hint} Attempts: 1.`,
				httpCode: String(status),
			})),
		);
	});
});

describe('422 naming elements of the chunk', () => {
	const many = Array.from({ length: 20 }, (_, n) => prospectId(n));

	/** Rejects the whole request, as Explorium does, when it carries any of the poisoned ids. */
	function rejecting(poisoned: Set<string>): Responder {
		return (request) => {
			const sent = idsOf(request);
			const detail = sent
				.map((id, index) => ({ id, index }))
				.filter(({ id }) => poisoned.has(id))
				.map(({ index }) => ({
					loc: ['body', 'prospect_ids', index],
					msg: 'none is not an allowed value',
					type: 'type_error.none.not_allowed',
				}));
			return detail.length > 0 ? response(422, { detail }) : exploriumEnrichAnswer(sent);
		};
	}

	const rejected: ItemOutcome = {
		kind: 'error',
		cause: 'rejectedInput',
		message: 'Explorium rejected this input: none is not an allowed value',
		httpCode: '422',
	};

	it('index 7: that item gets the reason, the rest of the chunk is sent again and found', async () => {
		const { outcomes, api, stats } = await run(
			rejecting(new Set([many[7]])),
			{},
			new FakeClock(),
			many,
		);
		expect(api.requests).toHaveLength(2);
		expect(api.idsPerRequest()[0]).toEqual(many);
		expect(api.idsPerRequest()[1]).toEqual(many.filter((_, n) => n !== 7));
		expect(outcomes).toEqual(many.map((id, n) => (n === 7 ? rejected : found(id))));
		expect(stats.requestsSent).toBe(2);
	});

	it('two indexes: both get errors, the second request excludes both', async () => {
		const { outcomes, api } = await run(
			rejecting(new Set([many[3], many[11]])),
			{},
			new FakeClock(),
			many,
		);
		expect(api.requests).toHaveLength(2);
		expect(api.idsPerRequest()[1]).toEqual(many.filter((_, n) => n !== 3 && n !== 11));
		expect(outcomes).toEqual(many.map((id, n) => (n === 3 || n === 11 ? rejected : found(id))));
	});

	it('the 422 index is a position in the request, mapped back through dedupe to every input position', async () => {
		// Inputs: a, a, then the 20 ids: the poisoned many[7] sits at input 9 but at request index 7.
		const inputs = [many[0], many[0], ...many, many[7]];
		const { outcomes, api } = await run(rejecting(new Set([many[7]])), {}, new FakeClock(), inputs);
		expect(api.idsPerRequest()[0]).toEqual(many);
		expect(outcomes).toHaveLength(23);
		expect(outcomes[9]).toEqual(rejected);
		expect(outcomes[22]).toEqual(rejected);
		expect(outcomes.filter((outcome) => outcome.kind === 'error')).toHaveLength(2);
		expect(outcomes[0]).toEqual(found(many[0]));
		expect(outcomes[1]).toEqual(found(many[0]));
	});

	it('with stopOnFirstFailure, a narrowed 422 sends nothing more: the node fails on the rejected item anyway', async () => {
		const twoChunks = Array.from({ length: 60 }, (_, n) => prospectId(n));
		const { outcomes, api } = await run(
			rejecting(new Set([twoChunks[7]])),
			{ stopOnFirstFailure: true },
			new FakeClock(),
			twoChunks,
		);
		expect(api.idsPerRequest()).toEqual([twoChunks.slice(0, 30)]);
		const notSent: ItemOutcome = {
			kind: 'error',
			cause: 'notSent',
			message: 'Not sent: an earlier request to Explorium failed',
		};
		expect(outcomes).toEqual(twoChunks.map((_, n) => (n === 7 ? rejected : notSent)));
	});

	it('a 422 that names no index (max items) fails the whole chunk without narrowing', async () => {
		const body = {
			detail: [
				{
					loc: ['body', 'prospect_ids'],
					msg: 'ensure this value has at most 50 items',
					type: 'value_error.list.max_items',
				},
			],
		};
		const { outcomes, api } = await run(() => response(422, body));
		expect(api.requests).toHaveLength(1);
		expect(outcomes).toEqual(
			ids.map(() => ({
				kind: 'error',
				cause: 'request',
				message:
					'Explorium request failed (HTTP 422): ensure this value has at most 50 items (at body.prospect_ids)',
				description: 'The provider refused the request as sent. Attempts: 1.',
				httpCode: '422',
			})),
		);
	});

	it('a 422 naming an index outside the chunk is not trusted: the whole chunk fails', async () => {
		const body = {
			detail: [{ loc: ['body', 'prospect_ids', 99], msg: 'none is not an allowed value' }],
		};
		const { outcomes, api } = await run(() => response(422, body));
		expect(api.requests).toHaveLength(1);
		expect(outcomes.map((outcome) => outcome.kind === 'error' && outcome.cause)).toEqual([
			'request',
			'request',
			'request',
		]);
	});

	it('a 422 that keeps naming elements ends once every element is rejected', async () => {
		const { outcomes, api } = await run(rejecting(new Set(ids)));
		expect(api.idsPerRequest()).toEqual([ids]);
		expect(outcomes).toEqual([rejected, rejected, rejected]);
	});
});

describe('sendWithRetry', () => {
	const request = { method: 'POST' as const, url: '/x' };

	it('reads Retry-After case-insensitively and reports the attempts', async () => {
		const clock = new FakeClock();
		const api = new FakeApi(scripted(response(503, 'busy', { 'RETRY-AFTER': ['2'] })), clock);
		const sent = await sendWithRetry(
			request,
			{ idempotent: true, policy: DEFAULT_RETRY_POLICY },
			{ send: api.send, clock, isCancelled: () => false, ...paced() },
		);
		expect(sent.ok).toBe(true);
		expect(sent.attempts).toBe(2);
		expect(clock.waits).toEqual([2000]);
	});

	it('maxRetries 0 means one attempt', async () => {
		const clock = new FakeClock();
		const api = new FakeApi(() => response(500, { message: 'Internal error' }), clock);
		const sent = await sendWithRetry(
			request,
			{ idempotent: true, policy: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 } },
			{
				send: api.send,
				clock,
				isCancelled: () => false,
				...paced(),
			},
		);
		expect(api.requests).toHaveLength(1);
		expect(sent).toMatchObject({
			ok: false,
			attempts: 1,
			failure: {
				kind: 'transient',
				statusCode: 500,
				providerMessage: 'Internal error (gave up after 1 attempts)',
			},
		});
	});
});
