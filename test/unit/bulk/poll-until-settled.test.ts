import { pollUntilSettled, type PollEndpoint } from '../../../nodes/bulk/poll-until-settled';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/bulk/send-with-retry';
import type { ItemOutcome } from '../../../nodes/bulk/types';
import { FakeApi, FakeClock, paced, response, type Responder } from './helpers';

const pollEndpoint: PollEndpoint = {
	provider: {
		name: 'AsyncProvider',
		credentialType: 'asyncApi',
		secretFields: ['apiKey'],
		limits: { maxBatchSize: 1, defaultConcurrency: 2, maxConcurrency: 5, requestTimeoutMs: 1000 },
	},
	buildRequest: (submitted) => ({ method: 'GET', url: `/contacts/${String(submitted.id)}` }),
	readState: (answer) => {
		const body = answer.body as { status: string; email?: string | null };
		if (body.status === 'pending') return undefined;
		return body.email
			? { kind: 'found', data: { email: body.email } }
			: { kind: 'notFound', reason: 'nothing found' };
	},
};

const submitted = (id: string): ItemOutcome => ({ kind: 'submitted', data: { id } });
const schedule = { timeoutMs: 60_000, firstDelayMs: 2000, maxDelayMs: 8000 };

/** Each id answers "pending" for its first `pendingPolls` polls, then its final state. */
function contactsApi(
	states: Record<string, { pendingPolls: number; email?: string; status?: number }>,
): Responder {
	const polls: Record<string, number> = {};
	return (request) => {
		const id = String(request.url).split('/').pop()!;
		polls[id] = (polls[id] ?? 0) + 1;
		const state = states[id];
		if (state.status) return response(state.status, { message: 'Contact not found' });
		if (polls[id] <= state.pendingPolls) return response(200, { status: 'pending' });
		return response(200, { status: 'finished', email: state.email ?? null });
	};
}

async function poll(outcomes: ItemOutcome[], responder: Responder, clock = new FakeClock()) {
	const api = new FakeApi(responder, clock);
	const settled = await pollUntilSettled(
		pollEndpoint,
		outcomes,
		schedule,
		{ concurrency: 2, retry: DEFAULT_RETRY_POLICY },
		{
			send: api.send,
			clock,
			isCancelled: () => false,
			...paced(),
		},
	);
	return { settled, api, clock };
}

describe('pollUntilSettled', () => {
	it('pending → finished, a finished miss, and other outcomes passed through, with growing pauses', async () => {
		const invalid: ItemOutcome = {
			kind: 'error',
			cause: 'invalidInput',
			message: 'Name: is required',
			field: 'name',
		};
		const { settled, api, clock } = await poll(
			[submitted('a'), invalid, submitted('b')],
			contactsApi({ a: { pendingPolls: 2, email: 'a@example.com' }, b: { pendingPolls: 0 } }),
		);
		expect(settled).toEqual([
			{ kind: 'found', data: { email: 'a@example.com' } },
			invalid,
			{ kind: 'notFound', reason: 'nothing found' },
		]);
		// a: 3 polls, b: 1 poll; pauses 2 s, 4 s, 8 s.
		expect(api.requests.map(({ request }) => request.url)).toEqual([
			'/contacts/a',
			'/contacts/b',
			'/contacts/a',
			'/contacts/a',
		]);
		expect(clock.waits).toEqual([2000, 4000, 8000]);
	});

	it('identical items share one outcome and are polled once', async () => {
		const shared = submitted('a');
		const { settled, api } = await poll(
			[shared, shared],
			contactsApi({ a: { pendingPolls: 0, email: 'a@example.com' } }),
		);
		expect(api.requests).toHaveLength(1);
		expect(settled[0]).toEqual(settled[1]);
	});

	it('still pending at the timeout: "pending" with its data, never lost, never an error', async () => {
		const { settled, clock } = await poll(
			[submitted('slow')],
			contactsApi({ slow: { pendingPolls: 1000 } }),
		);
		expect(settled).toEqual([
			{
				kind: 'pending',
				data: { id: 'slow' },
				reason: 'still processing after 60 s; read the result later with its id',
			},
		]);
		expect(clock.waits.reduce((sum, wait) => sum + wait, 0)).toBe(60_000);
	});

	it('a poll the provider refuses is an error for that item only', async () => {
		const { settled } = await poll(
			[submitted('gone'), submitted('a')],
			contactsApi({
				gone: { pendingPolls: 0, status: 404 },
				a: { pendingPolls: 0, email: 'a@example.com' },
			}),
		);
		expect(settled[0]).toMatchObject({
			kind: 'error',
			cause: 'request',
			message:
				'AsyncProvider request failed while waiting for the result (HTTP 404): Contact not found',
		});
		expect(settled[1]).toEqual({ kind: 'found', data: { email: 'a@example.com' } });
	});
});

describe('pollUntilSettled: the schedule is bounded whatever it says', () => {
	it.each([
		['a zero pause', { timeoutMs: 3000, firstDelayMs: 0, maxDelayMs: 0 }, 3],
		['a negative pause', { timeoutMs: 3000, firstDelayMs: -5000, maxDelayMs: -5000 }, 3],
		[
			'a pause that is no number',
			{ timeoutMs: 3000, firstDelayMs: Number.NaN, maxDelayMs: Number.NaN },
			3,
		],
		[
			'a wait that is no number',
			{ timeoutMs: Number.NaN, firstDelayMs: 1000, maxDelayMs: 1000 },
			0,
		],
		[
			'an endless wait',
			{ timeoutMs: Number.POSITIVE_INFINITY, firstDelayMs: 1000, maxDelayMs: 1000 },
			0,
		],
	])(
		'%s: pauses of at least 1 s, polls bounded by the wait',
		async (_what, badSchedule, maxPolls) => {
			const clock = new FakeClock();
			// Pending for 100 polls, then finished: an unbounded schedule would poll until then.
			const api = new FakeApi(
				(_request, index) =>
					response(
						200,
						index < 100 ? { status: 'pending' } : { status: 'finished', email: 'a@example.com' },
					),
				clock,
			);
			const settled = await pollUntilSettled(
				pollEndpoint,
				[submitted('a')],
				badSchedule,
				{ concurrency: 2, retry: DEFAULT_RETRY_POLICY },
				{
					send: api.send,
					clock,
					isCancelled: () => false,
					...paced(),
				},
			);
			expect(settled[0].kind).toBe('pending');
			expect(api.requests.length).toBeLessThanOrEqual(maxPolls);
			for (const wait of clock.waits) expect(wait).toBeGreaterThanOrEqual(1000);
		},
	);
});
