import {
	InFlightLimiter,
	PlaceNotTaken,
	markStillInFlight,
} from '../../../nodes/bulk/in-flight-limiter';
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
