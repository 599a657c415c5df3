/**
 * The engine's contract for an asynchronous, non-idempotent provider (Pronto's shape): "submitted"
 * answers, correlation of elements to input items, the minimum chunk size kept after narrowing,
 * bounded narrowing, no re-send after an unknown outcome, and one bound on requests in flight.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { InFlightLimiter } from '../../../nodes/bulk/in-flight-limiter';
import { runBulk, type BulkRunSettings } from '../../../nodes/bulk/run-bulk';
import { MAX_NARROWING_ROUNDS } from '../../../nodes/bulk/send-chunk';
import type {
	BulkEndpoint,
	ChunkCorrelation,
	InputSlot,
	ItemOutcome,
	Provider,
} from '../../../nodes/bulk/types';
import {
	FakeApi,
	FakeClock,
	flushMicrotasks,
	response,
	settings,
	validSlots,
	type Responder,
	paced,
} from './helpers';

interface Contact {
	name: string;
}

const ASYNC_PROVIDER: Provider = {
	name: 'AsyncProvider',
	credentialType: 'asyncApi',
	secretFields: ['apiKey'],
	limits: {
		maxBatchSize: 10,
		minBatchSize: 2,
		defaultConcurrency: 5,
		maxConcurrency: 5,
		requestTimeoutMs: 60_000,
	},
};

/** Every request made, with the correlation the engine handed to buildRequest. */
interface Built {
	url: string;
	names: string[];
	correlation: ChunkCorrelation;
}

/** A bulk endpoint like Pronto's: POST /bulk `{contacts}` → 202 `{job}`; one-contact chunks go to /single. */
function asyncEndpoint(
	built: Built[],
	options: { idempotent?: boolean; withSingle?: boolean } = {},
): BulkEndpoint<Contact> {
	const single: BulkEndpoint<Contact> = {
		provider: ASYNC_PROVIDER,
		batchLimits: { maxBatchSize: 1 },
		idempotent: options.idempotent ?? false,
		identityOf: (contact) => contact.name,
		buildRequest: (chunk, correlation) => {
			built.push({ url: '/single', names: chunk.map((c) => c.name), correlation });
			return { method: 'POST', url: '/single', body: { contact: chunk[0] } };
		},
		readAnswers: (answer, _chunk, correlation) => [
			{
				kind: 'submitted',
				data: { job: (answer.body as { job: string }).job, items: correlation.itemIndexesOf[0] },
			},
		],
	};
	return {
		provider: ASYNC_PROVIDER,
		idempotent: options.idempotent ?? false,
		identityOf: (contact) => contact.name,
		buildRequest: (chunk, correlation) => {
			built.push({ url: '/bulk', names: chunk.map((c) => c.name), correlation });
			return { method: 'POST', url: '/bulk', body: { contacts: chunk } };
		},
		readAnswers: (answer, chunk, correlation) =>
			chunk.map((_, position) => ({
				kind: 'submitted',
				data: {
					job: (answer.body as { job: string }).job,
					items: correlation.itemIndexesOf[position],
				},
			})),
		// A 400 names contacts as "contacts[i]".
		findRejectedElements: (answer) =>
			[
				...String((answer.body as { message?: string }).message ?? '').matchAll(
					/contacts\[(\d+)\]/g,
				),
			].map((match) => ({
				position: Number(match[1]),
				reason: `${match[0]} is invalid`,
			})),
		smallChunkEndpoint: options.withSingle === false ? undefined : single,
	};
}

const accepted: Responder = (_request, index) => response(202, { job: `job-${index}` });

function namesSent(request: IHttpRequestOptions): string[] {
	const body = request.body as { contacts?: Contact[]; contact?: Contact };
	return body.contacts ? body.contacts.map((c) => c.name) : [body.contact!.name];
}

async function run(
	slots: Array<InputSlot<Contact>>,
	responder: Responder,
	options: {
		idempotent?: boolean;
		withSingle?: boolean;
		overrides?: Partial<BulkRunSettings>;
		inFlight?: InFlightLimiter;
	} = {},
) {
	const clock = new FakeClock();
	const api = new FakeApi(responder, clock);
	const built: Built[] = [];
	const result = await runBulk(
		asyncEndpoint(built, options),
		slots,
		settings({ batchSize: 10, ...options.overrides }),
		{
			send: api.send,
			clock,
			isCancelled: () => false,
			...paced(),
			...(options.inFlight ? { inFlight: options.inFlight } : {}),
		},
	);
	return { ...result, api, built, clock };
}

const contacts = (count: number, prefix = 'c') =>
	Array.from({ length: count }, (_, n) => ({ name: `${prefix}${n}` }));

describe('runBulk: accepted now, results later', () => {
	it('every item of an accepted chunk is "submitted" with the job, never "found"', async () => {
		const { outcomes, api } = await run(validSlots(contacts(3)), accepted);
		expect(api.requests).toHaveLength(1);
		expect(outcomes.map((outcome) => outcome.kind)).toEqual([
			'submitted',
			'submitted',
			'submitted',
		]);
		expect(outcomes[0]).toEqual({ kind: 'submitted', data: { job: 'job-0', items: [0] } });
	});

	it('buildRequest and readAnswers learn which input items each element stands for', async () => {
		const slots: Array<InputSlot<Contact>> = validSlots([
			{ name: 'a' },
			{ name: 'b' },
			{ name: 'a' },
			{ name: 'c' },
			{ name: 'b' },
		]);
		const { outcomes, built } = await run(slots, accepted);
		expect(built).toEqual([
			{
				url: '/bulk',
				names: ['a', 'b', 'c'],
				correlation: { itemIndexesOf: [[0, 2], [1, 4], [3]] },
			},
		]);
		expect(
			outcomes.map(
				(outcome) => (outcome as Extract<ItemOutcome, { kind: 'submitted' }>).data.items,
			),
		).toEqual([[0, 2], [1, 4], [0, 2], [3], [1, 4]]);
	});
});

describe('runBulk: the minimum chunk size holds for every request', () => {
	it.each([
		[2, [2]],
		[3, [3]],
		[10, [10]],
		[11, [6, 5]],
		[21, [7, 7, 7]],
	])('%i contacts → bulk requests of %j, none below 2', async (count, sizes) => {
		const { api } = await run(validSlots(contacts(count)), accepted);
		expect(api.requests.map(({ request }) => namesSent(request).length)).toEqual(sizes);
		expect(api.requests.every(({ request }) => request.url === '/bulk')).toBe(true);
	});

	it('exactly one valid contact goes to the single endpoint', async () => {
		const slots: Array<InputSlot<Contact>> = [
			{ kind: 'invalid', message: 'Name: is required', field: 'name' },
			{ kind: 'valid', value: { name: 'only' } },
		];
		const { api, outcomes } = await run(slots, accepted);
		expect(api.requests.map(({ request }) => request.url)).toEqual(['/single']);
		expect(outcomes[1]).toEqual({ kind: 'submitted', data: { job: 'job-0', items: [1] } });
	});

	it('what a rejection leaves below the minimum goes to the single endpoint, not to the bulk one', async () => {
		const responder: Responder = (_request, index) =>
			index === 0
				? response(400, { message: 'contacts[0].firstname is required' })
				: response(202, { job: `job-${index}` });
		const { api, outcomes } = await run(validSlots(contacts(2)), responder);
		expect(api.requests.map(({ request }) => [request.url, namesSent(request)])).toEqual([
			['/bulk', ['c0', 'c1']],
			['/single', ['c1']],
		]);
		expect(outcomes[0]).toMatchObject({
			kind: 'error',
			cause: 'rejectedInput',
			message: 'AsyncProvider rejected this input: contacts[0] is invalid',
		});
		expect(outcomes[1]).toMatchObject({ kind: 'submitted' });
	});

	it('without a single endpoint, a lone contact is not sent and says why', async () => {
		const { api, outcomes } = await run(validSlots(contacts(1)), accepted, { withSingle: false });
		expect(api.requests).toHaveLength(0);
		expect(outcomes[0]).toEqual({
			kind: 'error',
			cause: 'notSent',
			message: 'Not sent: AsyncProvider takes at least 2 inputs per request',
		});
	});
});

describe('runBulk: narrowing a rejected chunk is bounded', () => {
	it(`a provider naming one element per answer costs at most ${1 + MAX_NARROWING_ROUNDS} requests for the chunk`, async () => {
		const responder: Responder = () =>
			response(400, { message: 'contacts[0].firstname is required' });
		const { api, outcomes } = await run(validSlots(contacts(10)), responder);
		expect(api.requests).toHaveLength(1 + MAX_NARROWING_ROUNDS);
		expect(
			outcomes.slice(0, 3).map((outcome) => outcome.kind === 'error' && outcome.cause),
		).toEqual(['rejectedInput', 'rejectedInput', 'rejectedInput']);
		for (const outcome of outcomes.slice(3)) {
			expect(outcome).toMatchObject({ kind: 'error', cause: 'request', httpCode: '400' });
			expect((outcome as { description: string }).description).toMatch(
				/rejected this chunk 3 times/,
			);
		}
	});
});

describe('runBulk: a non-idempotent request with an unknown outcome is never sent again', () => {
	const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
	const timedOut = () =>
		Object.assign(new Error('timeout of 60000ms exceeded'), { code: 'ECONNABORTED' });

	it.each([
		['503 (the body was sent)', () => response(503, { message: 'Service Unavailable' })],
		['500', () => response(500, { message: 'Internal error' })],
		[
			'connection reset',
			() => {
				throw reset();
			},
		],
		[
			'timeout',
			() => {
				throw timedOut();
			},
		],
	])('%s: one request, every item an error that says the outcome is unknown', async (_, fail) => {
		const { api, outcomes } = await run(validSlots(contacts(3)), (_request, index) =>
			index === 0 ? fail() : response(202, { job: 'x' }),
		);
		expect(api.requests).toHaveLength(1);
		for (const outcome of outcomes) {
			expect(outcome).toMatchObject({ kind: 'error', cause: 'request' });
			expect((outcome as { message: string }).message).toMatch(
				/^AsyncProvider request failed \(.*\): outcome unknown, not sent again: /,
			);
			expect((outcome as { description: string }).description).toMatch(
				/may have been accepted \(and charged\)/,
			);
		}
	});

	it.each([
		['429 (refused)', () => response(429, { message: 'slow down' }, { 'Retry-After': '1' })],
		[
			'connection refused (never reached)',
			() => {
				throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
			},
		],
	])('%s: sent again, then submitted', async (_, fail) => {
		const { api, outcomes } = await run(validSlots(contacts(3)), (_request, index) =>
			index === 0 ? fail() : response(202, { job: 'x' }),
		);
		expect(api.requests).toHaveLength(2);
		expect(outcomes.every((outcome) => outcome.kind === 'submitted')).toBe(true);
	});

	it('an idempotent endpoint retries the same 503', async () => {
		const { api, outcomes } = await run(
			validSlots(contacts(3)),
			(_request, index) =>
				index === 0 ? response(503, { message: 'busy' }) : response(202, { job: 'x' }),
			{ idempotent: true },
		);
		expect(api.requests).toHaveLength(2);
		expect(outcomes.every((outcome) => outcome.kind === 'submitted')).toBe(true);
	});
});

describe('InFlightLimiter', () => {
	it('bounds requests in flight below the number of workers', async () => {
		const clock = new FakeClock();
		// Each answer takes a second of the clock's time (waiters for a place are bounded by it too).
		const responder: Responder = async (_request, index) => {
			await clock.sleep(1000);
			return response(202, { job: `job-${index}` });
		};
		const api = new FakeApi(responder, clock);
		const running = runBulk(
			asyncEndpoint([]),
			validSlots(contacts(40)),
			settings({ batchSize: 2, concurrency: 5 }),
			{
				send: api.send,
				clock,
				isCancelled: () => false,
				...paced(),
				inFlight: new InFlightLimiter(3),
			},
		);
		await flushMicrotasks();
		// The first request goes alone (issue 27 point 9); the bound is reached after its answer.
		expect(api.inFlight).toBe(1);
		const result = await running;
		expect(api.maxInFlight).toBe(3);
		expect(api.requests).toHaveLength(20);
		expect(result.outcomes.every((outcome) => outcome.kind === 'submitted')).toBe(true);
	});

	it('hands a freed slot to the longest waiter', async () => {
		const limiter = new InFlightLimiter(1);
		const order: string[] = [];
		let releaseFirst: () => void = () => {};
		const first = limiter.run(async () => {
			order.push('first');
			await new Promise<void>((resolve) => (releaseFirst = resolve));
		});
		const second = limiter.run(async () => void order.push('second'));
		const third = limiter.run(async () => void order.push('third'));
		await flushMicrotasks();
		expect(order).toEqual(['first']);
		releaseFirst();
		await Promise.all([first, second, third]);
		expect(order).toEqual(['first', 'second', 'third']);
	});
});
