import { readWindowReport, WindowPacer } from '../../../nodes/bulk/window-pacer';
import { FakeClock, never, slotOf } from './helpers';

describe('WindowPacer', () => {
	it('WindowPacer lets `requests` through per window, counted from each answer', async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new WindowPacer({ limit: 2, windowMs: 1000, unit: 'request' });
		const starts: number[] = [];
		for (let i = 0; i < 5; i++) {
			const slot = slotOf(await limiter.acquire(clock, never));
			starts.push(clock.now());
			slot?.settle(clock.now()); // answered at once
			if (i === 0) clock.time += 300;
		}
		expect(starts).toEqual([0, 300, 1000, 1300, 2000]);
		expect(clock.waits).toEqual([700, 300, 700]);
	});

	it('a bigger request after a few small answered ones goes at once when nothing is in flight (no minute spent waiting on the slow start)', async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new WindowPacer({ limit: 200, windowMs: 60_000, unit: 'record' });
		for (let i = 0; i < 2; i++)
			slotOf(await limiter.acquire(clock, never, undefined, 1)).settle(clock.now());
		slotOf(await limiter.acquire(clock, never, undefined, 10)).settle(clock.now());
		slotOf(await limiter.acquire(clock, never, undefined, 50)).settle(clock.now());
		expect(clock.waits).toEqual([]);
		expect(limiter.held(clock.now())).toBe(62);
	});

	it('a slow answer holds its slot until a window after it came (the provider counted it on arrival)', async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new WindowPacer({ limit: 1, windowMs: 1000, unit: 'request' });
		const slow = slotOf(await limiter.acquire(clock, never));
		const next = limiter.acquire(clock, never);
		clock.time = 2500; // the answer took 2.5 s
		slow?.settle(clock.now());
		await next;
		expect(clock.now()).toBeGreaterThanOrEqual(3500);
	});

	it('a refused request gives its slot back: the next one goes at once', async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new WindowPacer({ limit: 1, windowMs: 60_000, unit: 'request' });
		const refused = slotOf(await limiter.acquire(clock, never));
		refused?.giveBack();
		slotOf(await limiter.acquire(clock, never));
		expect(clock.waits).toEqual([]);
		expect(limiter.held(clock.now())).toBe(1);
	});

	it('WindowPacer returns at once when cancelled', async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new WindowPacer({ limit: 1, windowMs: 1000, unit: 'request' });
		slotOf(await limiter.acquire(clock, never));
		expect(await limiter.acquire(clock, () => 'cancelled')).toBe('cancelled');
		expect(clock.waits).toEqual([]);
	});
});

describe('WindowPacer: records and X-RateLimit headers', () => {
	const records = { limit: 200, windowMs: 60_000, unit: 'record' as const };

	it('weighs a request by its records where the window counts records: four requests of 50 fill it, the fifth waits a window', async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new WindowPacer(records);
		expect(limiter.weightOf(50)).toBe(50);
		expect(new WindowPacer({ ...records, unit: 'request' }).weightOf(50)).toBe(1);
		const starts: number[] = [];
		for (let i = 0; i < 5; i++) {
			const slot = slotOf(await limiter.acquire(clock, never, undefined, 50));
			starts.push(clock.now());
			slot?.settle(clock.now());
		}
		expect(starts).toEqual([0, 0, 0, 0, 60_000]);
	});

	it('never holds more than an answer said is left: another app took 150 of 200, so one request of 50 goes, the next waits for its window', async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new WindowPacer(records);
		const first = slotOf(await limiter.acquire(clock, never, undefined, 50));
		first?.settle(clock.now(), { limit: 200, remaining: 0, resetAt: 30_000 });
		const second = limiter.acquire(clock, never, undefined, 50);
		await second;
		// Its own place left the window at 60 s: room for it again, whatever else the key holds.
		expect(clock.now()).toBe(60_000);
	});

	it('with others on the key, of two claimants seeing the same free request, only the one holding less takes it, and not while the others are still growing', async () => {
		/** Answers each request (each as soon as it may go) with what is left; then whether one more request goes at once. */
		const nextGoesAfter = async (remainingAfterEach: number[]) => {
			const clock = new FakeClock({ start: 0 });
			const limiter = new WindowPacer(records);
			for (const remaining of remainingAfterEach)
				slotOf(await limiter.acquire(clock, never, undefined, 50))?.settle(clock.now(), {
					limit: 200,
					remaining,
				});
			const start = clock.now();
			const next = await limiter.acquire(
				clock,
				() => (clock.now() > start ? 'waitBudgetSpent' : undefined),
				undefined,
				50,
			);
			return typeof next !== 'string';
		};
		// 50 of 200 left, holding 50: the others' 100 just showed up (they may be claiming it too).
		expect(await nextGoesAfter([50])).toBe(false);
		// Its place's turn a window later, the others still at 100: it takes the free 50.
		expect(await nextGoesAfter([50, 50])).toBe(true);
		// Holding 100 (the other 50), it leaves it to the other.
		expect(await nextGoesAfter([150, 50])).toBe(false);
	});

	/**
	 * Holds A (answered at 0.3 s) and B (0.6 s) with another process on the key, retakes A when it
	 * leaves the window (60.3 s) and asks for one more request meanwhile; B leaves (60.6 s) before the
	 * retake's answer comes (60.65 s) with `remaining`. Returns when B's retake went, and whether one more went at once.
	 */
	const afterRetake = async (remaining: number) => {
		const clock = new FakeClock({ start: 0 });
		const pacer = new WindowPacer(records);
		const a = slotOf(await pacer.acquire(clock, never, undefined, 50));
		clock.time = 300;
		a.settle(clock.now(), { limit: 200, remaining: 100 });
		const b = slotOf(await pacer.acquire(clock, never, undefined, 50));
		clock.time = 600;
		b.settle(clock.now(), { limit: 200, remaining: 0 });
		clock.time = 60_300;
		const retakeOfA = slotOf(await pacer.acquire(clock, never, undefined, 50));
		const retakeOfB = pacer.acquire(clock, never, undefined, 50).then(() => clock.now());
		clock.time = 60_650;
		retakeOfA.settle(clock.now(), { limit: 200, remaining });
		const retakeOfBAt = await retakeOfB;
		// One more, waiting at most a second.
		const deadline = clock.now() + 1000;
		const next = await pacer.acquire(
			clock,
			() => (clock.now() >= deadline ? 'waitBudgetSpent' : undefined),
			undefined,
			50,
			(now) => deadline - now,
		);
		return { retakeOfBAt, oneMoreWentAtOnce: typeof next !== 'string' };
	};

	it("a place of its own that left the window while a report was on its way is still its own: the report's 0 left (it still counted that place) does not cost it the place for a window", async () => {
		const { retakeOfBAt, oneMoreWentAtOnce } = await afterRetake(0);
		expect(retakeOfBAt).toBe(60_650);
		expect(oneMoreWentAtOnce).toBe(false);
	});

	it('while its own places wait to be retaken, it claims no room beyond them: the others are retaking theirs at the same turn', async () => {
		// The report shows 150 left: B's place, and one the other process has not yet retaken.
		const { retakeOfBAt, oneMoreWentAtOnce } = await afterRetake(150);
		expect(retakeOfBAt).toBe(60_650);
		expect(oneMoreWentAtOnce).toBe(false);
	});

	it('a report from a request sent earlier does not replace one from a request sent later (answers come out of order)', async () => {
		const clock = new FakeClock({ start: 0 });
		const pacer = new WindowPacer({ limit: 100, windowMs: 60_000, unit: 'request' });
		// Slow start: four requests answered one by one (no headers) raise the pace to 7.
		for (let n = 0; n < 4; n++) slotOf(await pacer.acquire(clock, never)).settle(clock.now());
		clock.time = 100;
		const older = slotOf(await pacer.acquire(clock, never));
		clock.time = 200;
		const newer = slotOf(await pacer.acquire(clock, never));
		// The newer request's answer comes first: nothing is left in the window.
		clock.time = 300;
		newer.settle(clock.now(), { limit: 100, remaining: 0 });
		// The older one's answer, late, says what was left before the newer request arrived.
		clock.time = 400;
		older.settle(clock.now(), { limit: 100, remaining: 50 });
		await pacer.acquire(clock, never);
		// The room the newer report gave (none) governs: the next request waits for its own places to leave the window.
		expect(clock.now()).toBeGreaterThanOrEqual(60_000);
	});

	it('reads the headers: Remaining and Limit as numbers, Reset as a Unix time or as seconds from now; no Remaining, no report', () => {
		const headers = (values: Record<string, unknown>) => (name: string) => values[name];
		expect(
			readWindowReport(
				headers({
					'x-ratelimit-remaining': '150',
					'x-ratelimit-limit': '200',
					'x-ratelimit-reset': '1767225660',
				}),
				0,
			),
		).toEqual({
			remaining: 150,
			limit: 200,
			resetAt: 1_767_225_660_000,
		});
		expect(
			readWindowReport(
				headers({ 'x-ratelimit-remaining': ['7'], 'x-ratelimit-reset': '30' }),
				1000,
			),
		).toEqual({ remaining: 7, resetAt: 31_000 });
		expect(readWindowReport(headers({ 'x-ratelimit-limit': '200' }), 0)).toBeUndefined();
		expect(readWindowReport(headers({ 'x-ratelimit-remaining': '-3' }), 0)).toBeUndefined();
	});
});
