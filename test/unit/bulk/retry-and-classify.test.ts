import {
	classifyStatus,
	failureFromException,
	failureFromResponse,
	readErrorMessage,
} from '../../../nodes/bulk/request-outcomes';
import {
	DEFAULT_RETRY_POLICY,
	backoffDelayMs,
	parseRetryAfter,
	type RetryPolicy,
} from '../../../nodes/bulk/send-with-retry';
import { readHeader } from '../../../nodes/bulk/values';
import { START_TIME } from './helpers';

/** ExactBuyer's 429 page, verbatim from the shared reference exactbuyer/error_429.html. */
const EXACTBUYER_429_HTML = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<title>429 Too Many Requests</title>
<h1>Too Many Requests</h1>
<p>200 per 1 minute</p>
`;

describe('parseRetryAfter', () => {
	const now = START_TIME;
	it.each<[unknown, number | undefined]>([
		['7', 7000],
		[' 7 ', 7000],
		['0', 0],
		['1.5', 1500],
		['0.0004', 1],
		[7, 7000],
		[0, 0],
		[-1, undefined],
		[['3', '9'], 3000],
		[[4], 4000],
		[new Date(START_TIME + 12_000).toUTCString(), 12_000],
		['Mon, 06 Jan 2025 12:01:00 GMT', 60_000],
		[new Date(START_TIME - 5000).toUTCString(), 0],
		['', undefined],
		['   ', undefined],
		[undefined, undefined],
		[null, undefined],
		['soon', undefined],
		['5 minutes', undefined],
		['-1', undefined],
		['+30', undefined],
		[{}, undefined],
		// At most 10 minutes: an hour, an absurd number, a date years ahead.
		['3600', 600_000],
		['9'.repeat(400), 600_000],
		[new Date(START_TIME + 3 * 365 * 86_400_000).toUTCString(), 600_000],
	])('%j -> %p ms', (header, expected) => {
		expect(parseRetryAfter(header, now)).toBe(expected);
	});
});

describe('backoffDelayMs', () => {
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 30_000 };

	it.each([
		[0, 0, 500],
		[0, 1, 1000],
		[0, 0.5, 750],
		[1, 0, 500],
		[1, 1, 2000],
		[2, 1, 4000],
		[3, 0.5, 4250],
		[5, 1, 30_000],
		[9, 1, 30_000],
	])('attempt %i with random %p -> %i ms', (attempt, random, expected) => {
		expect(backoffDelayMs(policy, attempt, () => random)).toBe(expected);
	});

	it('always lies in [base/2, min(max, base * 2^attempt)]', () => {
		for (let attempt = 0; attempt < 10; attempt++) {
			for (const random of [0, 0.1, 0.33, 0.5, 0.77, 0.999, 1]) {
				const delay = backoffDelayMs(policy, attempt, () => random);
				expect(delay).toBeGreaterThanOrEqual(policy.baseDelayMs / 2);
				expect(delay).toBeLessThanOrEqual(
					Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt),
				);
			}
		}
	});

	it('never exceeds a max delay below base/2', () => {
		expect(backoffDelayMs({ ...policy, baseDelayMs: 1000, maxDelayMs: 100 }, 0, () => 0)).toBe(100);
	});
});

describe('classifyStatus', () => {
	it.each([
		[200, 'other', false],
		[302, 'redirect', false],
		[307, 'redirect', false],
		[400, 'rejected', false],
		[401, 'auth', false],
		[402, 'forbidden', false],
		[403, 'forbidden', false],
		[404, 'rejected', false],
		[408, 'transient', true],
		[409, 'rejected', false],
		[413, 'rejected', false],
		[422, 'rejected', false],
		[429, 'rateLimited', true],
		[500, 'transient', true],
		[502, 'transient', true],
		[503, 'transient', true],
		[504, 'transient', true],
		[599, 'transient', true],
	])('%i -> %s (retryable %p)', (status, kind, retryable) => {
		expect(classifyStatus(status)).toEqual({ kind, retryable });
	});
});

describe('readErrorMessage', () => {
	it.each<[string, unknown, string | undefined]>([
		[
			'FastAPI detail list with loc',
			{
				detail: [
					{
						loc: ['body', 'prospect_ids', 7],
						msg: 'none is not an allowed value',
						type: 'type_error.none.not_allowed',
					},
				],
			},
			'none is not an allowed value (at body.prospect_ids.7)',
		],
		[
			'detail list with two entries',
			{ detail: [{ loc: ['body', 'a'], msg: 'bad a' }, { msg: 'bad b' }] },
			'bad a (at body.a); bad b',
		],
		['detail string', { detail: 'Not authenticated' }, 'Not authenticated'],
		['details string', { details: 'Quota exhausted' }, 'Quota exhausted'],
		['message', { message: 'Invalid API key' }, 'Invalid API key'],
		[
			'error + message (message wins)',
			{
				error: 'rate_limit_exceeded',
				message: 'API rate limit exceeded. Please retry after 60 seconds.',
				retry_after: 60,
			},
			'API rate limit exceeded. Please retry after 60 seconds.',
		],
		['numeric error + message', { error: 422, message: 'Invalid input' }, 'Invalid input'],
		['error string only', { error: 'Unauthorized' }, 'Unauthorized'],
		['nested error object', { error: { code: 'E1', message: 'Nested message' } }, 'Nested message'],
		['errors list', { errors: [{ message: 'first' }, { message: 'second' }] }, 'first; second'],
		['empty detail list falls through', { detail: [], message: 'after' }, 'after'],
		['unknown shape', { status: 'failed', code: 7 }, '{"status":"failed","code":7}'],
		[
			'HTML 429 page',
			EXACTBUYER_429_HTML,
			'429 Too Many Requests: Too Many Requests: 200 per 1 minute',
		],
		['HTML without title or text', '<html><body><div></div></body></html>', 'HTML error page'],
		['JSON text', '{"detail":"Not authenticated"}', 'Not authenticated'],
		['plain text', '  Service Unavailable  ', 'Service Unavailable'],
		['broken JSON text', '{"detail": oops', '{"detail": oops'],
		['number body', 500, '500'],
		['empty string', '', undefined],
		['whitespace', '   ', undefined],
		['null', null, undefined],
		['undefined', undefined, undefined],
	])('%s', (_, body, expected) => {
		expect(readErrorMessage(body)).toBe(expected);
	});

	it('cuts very long bodies', () => {
		expect(readErrorMessage('x'.repeat(1000))).toHaveLength(300);
		expect(readErrorMessage({ unknown: 'y'.repeat(1000) })).toHaveLength(300);
	});
});

describe('failureFromResponse / failureFromException', () => {
	it('keeps the status, the kind, the message and the response', () => {
		const answer = { statusCode: 429, headers: {}, body: EXACTBUYER_429_HTML };
		expect(failureFromResponse(answer)).toEqual({
			kind: 'rateLimited',
			retryable: true,
			certainlyNotAccepted: true,
			statusCode: 429,
			providerMessage: '429 Too Many Requests: Too Many Requests: 200 per 1 minute',
			response: answer,
		});
		expect(failureFromResponse({ statusCode: 502, headers: {}, body: '' }).providerMessage).toBe(
			'HTTP 502',
		);
		// After a 5xx or 408 nobody knows whether the provider acted on the request.
		expect(
			failureFromResponse({ statusCode: 502, headers: {}, body: '' }).certainlyNotAccepted,
		).toBe(false);
		expect(
			failureFromResponse({ statusCode: 408, headers: {}, body: '' }).certainlyNotAccepted,
		).toBe(false);
		expect(
			failureFromResponse({ statusCode: 422, headers: {}, body: '' }).certainlyNotAccepted,
		).toBe(true);
	});

	// [case, error, kind, retryable, message, detail, certainlyNotAccepted]: network codes stay out of the
	// message (n8n would replace a message naming one by generic text) and go to the detail; only a
	// connection never made means the provider certainly did not get the request.
	it.each<[string, unknown, string, boolean, string, string | undefined, boolean?]>([
		[
			'ECONNREFUSED',
			Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
			'transient',
			true,
			'the connection was refused',
			'ECONNREFUSED: connect ECONNREFUSED',
			true,
		],
		[
			'ECONNRESET',
			Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
			'transient',
			true,
			'the connection was closed before an answer',
			'ECONNRESET: socket hang up',
		],
		[
			'ETIMEDOUT',
			Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }),
			'transient',
			true,
			'no answer within the request timeout',
			'ETIMEDOUT: connect ETIMEDOUT',
		],
		[
			'code on the cause',
			Object.assign(new Error('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }),
			'transient',
			true,
			'the connection was closed before an answer',
			'UND_ERR_SOCKET: fetch failed',
		],
		[
			'timeout text',
			new Error('timeout of 60000ms exceeded'),
			'transient',
			true,
			'no answer within the request timeout',
			'timeout of 60000ms exceeded',
		],
		[
			'socket hang up text',
			new Error('socket hang up'),
			'transient',
			true,
			'the request failed without an answer',
			'socket hang up',
		],
		[
			'ENOTFOUND (a wrong host)',
			Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }),
			'other',
			false,
			'the host name could not be resolved',
			'ENOTFOUND: getaddrinfo ENOTFOUND x',
			true,
		],
		[
			'ERR_BAD_RESPONSE is no network code',
			Object.assign(new Error('Request failed'), { code: 'ERR_BAD_RESPONSE' }),
			'other',
			false,
			'Request failed',
			undefined,
		],
		[
			// n8n's SsrfBlockedIpError (N8N_SSRF_PROTECTION_ENABLED, e.g. a Base URL on loopback): never connected.
			"n8n's SSRF protection",
			Object.assign(
				new Error('The request was blocked because it resolves to a restricted IP address'),
				{ name: 'SsrfBlockedIpError' },
			),
			'blocked',
			false,
			'The request was blocked because it resolves to a restricted IP address',
			undefined,
			true,
		],
		[
			"n8n's SSRF protection, as n8n's request helper hands it on (the message only)",
			new Error('The request was blocked because the destination hostname is restricted'),
			'blocked',
			false,
			'The request was blocked because the destination hostname is restricted',
			undefined,
			true,
		],
		['a plain error', new Error('boom'), 'other', false, 'boom', undefined],
		['not an Error', 'weird', 'other', false, 'weird', undefined],
	])('%s', (_, error, kind, retryable, providerMessage, detail, certainlyNotAccepted = false) => {
		const expected = { kind, retryable, certainlyNotAccepted, providerMessage };
		expect(failureFromException(error)).toEqual(detail ? { ...expected, detail } : expected);
	});
});

describe('readHeader', () => {
	it('finds a header in any case', () => {
		expect(readHeader({ 'retry-after': '1' }, 'retry-after')).toBe('1');
		expect(readHeader({ 'Retry-After': '2' }, 'retry-after')).toBe('2');
		expect(readHeader({ other: '3' }, 'retry-after')).toBeUndefined();
	});
});
