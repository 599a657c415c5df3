import { pollUntilSettled, type PollEndpoint } from '../../../nodes/bulk/poll-until-settled';
import { failureInAnswer, failureInsideAnswer } from '../../../nodes/bulk/request-outcomes';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/bulk/send-with-retry';
import type { Answer, Provider } from '../../../nodes/bulk/types';
import { normalizeEmail } from '../../../nodes/shared/field-schemas';
import { FakeApi, FakeClock, paced, response } from './helpers';

const limits = {
	maxBatchSize: 1,
	defaultConcurrency: 1,
	maxConcurrency: 1,
	requestTimeoutMs: 1000,
};
const plain: Provider = { name: 'P', credentialType: 'p', secretFields: ['apiKey'], limits };
const withStatus: Provider = { ...plain, answerStatusField: 'response_context.request_status' };
const miss: Answer = { kind: 'notFound', reason: 'none' };
const found: Answer = { kind: 'found', data: { email: 'a@example.com' } };

describe('failureInAnswer: a miss is only an answer that says nothing went wrong (issue 26, point 3)', () => {
	it.each([
		[{ result: null, error: 'upstream failed' }, plain, [miss], 'upstream failed'],
		[{ result: null, message: 'rate limited' }, plain, [miss], 'rate limited'],
		[{ data: [], errors: [{ message: 'bad field' }] }, plain, [], 'bad field'],
		[
			{
				data: [],
				message: 'Insufficient credits',
				response_context: { request_status: 'success' },
			},
			withStatus,
			[],
			'Insufficient credits',
		],
		[
			{ data: [], response_context: { request_status: 'failure' } },
			withStatus,
			[],
			'request_status "failure"',
		],
		[{ error: 'Insufficient credits', contacts: [] }, plain, undefined, 'Insufficient credits'],
		[{ result: null, message: 'Account not found' }, plain, [miss], 'Account not found'],
	])('%j names a failure', (body, provider, answers, words) => {
		expect(failureInAnswer(provider, response(200, body), answers as Answer[] | undefined)).toBe(
			words,
		);
	});

	it.each([
		[
			{ contacts: [{ value: 'a@example.com', enriched_contact: null }], records_enriched: 0 },
			plain,
			[miss],
		],
		[{ data: [], response_context: { request_status: 'miss' } }, withStatus, []],
		[{ result: null, message: 'No contact found' }, plain, [miss]],
		[
			{ contacts: [{ value: 'a@example.com', enriched_contact: null }], message: 'OK' },
			plain,
			[miss],
		],
		[
			{ enrichment_id: 'e', status: 'finished', email: null, error: null, errors: [] },
			{ ...plain, answerStatusField: 'status' },
			[miss],
		],
		// A message beside data is no failure.
		[{ result: { email: 'a@example.com' }, message: 'served from cache' }, plain, [found]],
	])('%j is no failure', (body, provider, answers) => {
		expect(failureInAnswer(provider, response(200, body), answers as Answer[])).toBeUndefined();
	});

	it('is classified by its words: rate limited like a 429 only where sending again cannot pay twice', () => {
		const answer = response(200, {});
		expect(failureInsideAnswer(answer, 'rate limited', true)).toMatchObject({
			kind: 'rateLimited',
			retryable: true,
		});
		expect(failureInsideAnswer(answer, 'rate limited', false)).toMatchObject({
			kind: 'rejected',
			retryable: false,
		});
		expect(failureInsideAnswer(answer, 'Insufficient credits', true)).toMatchObject({
			kind: 'forbidden',
			retryable: false,
		});
		expect(failureInsideAnswer(answer, 'internal error', true)).toMatchObject({
			kind: 'transient',
			retryable: true,
			certainlyNotAccepted: false,
		});
		expect(failureInsideAnswer(answer, 'Account suspended', true)).toMatchObject({
			kind: 'rejected',
			retryable: false,
		});
	});

	it('a poll answering a failure status is an error, not a miss', async () => {
		const endpoint: PollEndpoint = {
			provider: { ...plain, answerStatusField: 'status' },
			buildRequest: () => ({ method: 'GET', url: '/contacts/a' }),
			readState: () => miss,
		};
		const clock = new FakeClock();
		const api = new FakeApi(
			() => response(200, { status: 'failed', message: 'Enrichment failed' }),
			clock,
		);
		const settled = await pollUntilSettled(
			endpoint,
			[{ kind: 'submitted', data: { id: 'a' } }],
			{ timeoutMs: 60_000, firstDelayMs: 1000, maxDelayMs: 1000 },
			{ concurrency: 1, retry: DEFAULT_RETRY_POLICY },
			{ send: api.send, clock, isCancelled: () => false, ...paced() },
		);
		expect(settled).toEqual([
			{
				kind: 'error',
				cause: 'request',
				message: 'P answered HTTP 200 with an error: status "failed": Enrichment failed',
			},
		]);
	});
});

describe('normalizeEmail: one spelling per address (issue 26, point 11)', () => {
	it.each([
		['José@Example.com', 'josé@example.com'],
		['Jose\u0301@example.com', 'josé@example.com'],
		['user@Bücher.de', 'user@xn--bcher-kva.de'],
		['USER@XN--BCHER-KVA.DE', 'user@xn--bcher-kva.de'],
		['not an address', 'not an address'],
	])('%s → %s', (raw, normalized) => {
		expect(normalizeEmail(raw)).toBe(normalized);
	});
});
