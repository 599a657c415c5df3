import {
	InFlightLimiter,
	InFlightPacer,
	PlaceNotTaken,
	markStillInFlight,
} from '../../../nodes/bulk/in-flight-limiter';
import type { RateSlot } from '../../../nodes/bulk/key-pacer';
import { FakeClock, flushMicrotasks } from './helpers';

describe('InFlightLimiter', () => {
	it('never runs more than its capacity at once', async () => {
		const limiter = new InFlightLimiter(2);
		let running = 0;
		let most = 0;
		const releases: Array<() => void> = [];
		const task = () =>
			new Promise<void>((resolve) => {
				running++;
				most = Math.max(most, running);
				releases.push(() => {
					running--;
					resolve();
				});
			});
		const all = Array.from({ length: 5 }, () => limiter.run(task));
		for (let n = 0; n < 5; n++) {
			await flushMicrotasks();
			releases.shift()?.();
		}
		await Promise.all(all);
		expect(most).toBe(2);
	});

	it('a request abandoned at its timeout keeps its place until it really ends', async () => {
		const limiter = new InFlightLimiter(1);
		let endAbandoned: () => void = () => {};
		const abandoned = new Promise<void>((resolve) => (endAbandoned = resolve));
		const timedOut = limiter.run(async () => {
			throw markStillInFlight(new Error('no answer within the request timeout of 1 s'), abandoned);
		});
		await expect(timedOut).rejects.toThrow('no answer within the request timeout');

		let started = false;
		const next = limiter.run(async () => {
			started = true;
		});
		await flushMicrotasks();
		expect(started).toBe(false); // the provider may still be working on the abandoned one

		endAbandoned();
		await next;
		expect(started).toBe(true);
	});

	it('an ordinary failure gives its place back at once', async () => {
		const limiter = new InFlightLimiter(1);
		await expect(limiter.run(async () => Promise.reject(new Error('refused')))).rejects.toThrow(
			'refused',
		);
		let started = false;
		await limiter.run(async () => {
			started = true;
		});
		expect(started).toBe(true);
	});

	// Its cancel is seen the same way, by the real clock's slices (test/workflow/pacing.test.ts).
	it("a caller waiting behind another's slow request stops at the end of its budget, without running its task or taking the place", async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new InFlightLimiter(1);
		let endSlow: () => void = () => {};
		const slow = limiter.run(() => new Promise<void>((resolve) => (endSlow = resolve)));
		const ran: string[] = [];
		const waits: boolean[] = [];
		const waiting = limiter.run(async () => void ran.push('waiter'), {
			clock,
			shouldStop: () => (clock.now() > 30_000 ? 'waitBudgetSpent' : undefined),
			leftMs: (now) => 30_000 - now,
			onWait: (isWaiting) => waits.push(isWaiting),
		});
		await expect(waiting).rejects.toEqual(new PlaceNotTaken('waitBudgetSpent'));
		expect(clock.now()).toBe(30_001);
		expect(waits).toEqual([true, false]);
		endSlow();
		await slow;
		await limiter.run(async () => void ran.push('next')); // the place is free again
		expect(ran).toEqual(['next']);
	});
});

describe('InFlightPacer (a key without a window: paced by requests in flight)', () => {
	/** The slots the pacer gives at once (a caller that would have to wait gives up at once). */
	async function atOnce(pacer: InFlightPacer, clock: FakeClock): Promise<RateSlot[]> {
		const start = clock.now();
		const slots: RateSlot[] = [];
		const stop = () => (clock.now() > start ? 'waitBudgetSpent' : undefined);
		for (;;) {
			const slot = await pacer.acquire(clock, stop, undefined, 1, () => 0);
			if (typeof slot === 'string') return slots;
			slots.push(slot);
		}
	}

	/** Slow start from one in flight: each accepted answer adds one (1, 2, 4 per round). */
	async function toFourInFlight(pacer: InFlightPacer, clock: FakeClock): Promise<RateSlot[]> {
		for (const expected of [1, 2]) {
			const slots = await atOnce(pacer, clock);
			expect(slots).toHaveLength(expected);
			for (const slot of slots) slot.settle(clock.now());
		}
		const four = await atOnce(pacer, clock);
		expect(four).toHaveLength(4);
		return four;
	}

	it('slow start: one in flight at first, one more with each accepted answer', async () => {
		await toFourInFlight(new InFlightPacer(), new FakeClock({ start: 0 }));
	});

	it('429s that keep coming lower it to what was in flight; after a minute idle it starts afresh', async () => {
		const clock = new FakeClock({ start: 0 });
		const pacer = new InFlightPacer();
		const [first, second, ...others] = await toFourInFlight(pacer, clock);
		first.rateLimited(clock.now(), 1000);
		second.rateLimited(clock.now(), 1000);
		for (const slot of others) slot.settle(clock.now());
		await clock.sleep(1000);
		// Two in flight when the second 429 came, and it: 3; lowered to 0.7 of that, and no more than the 2 accepted.
		const after = await atOnce(pacer, clock);
		expect(after).toHaveLength(2);
		for (const slot of after) slot.settle(clock.now());
		await clock.sleep(60_000);
		expect(await atOnce(pacer, clock)).toHaveLength(1);
	});

	it('a lone 429 pauses the key but teaches nothing: the slow start goes on', async () => {
		const clock = new FakeClock({ start: 0 });
		const pacer = new InFlightPacer();
		const [refused, ...others] = await toFourInFlight(pacer, clock);
		refused.rateLimited(clock.now(), 1000);
		for (const slot of others) slot.settle(clock.now());
		expect(await atOnce(pacer, clock)).toEqual([]);
		await clock.sleep(1000);
		expect(await atOnce(pacer, clock)).toHaveLength(7);
	});
});
