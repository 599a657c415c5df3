import { InFlightPacer } from '../../../nodes/bulk/in-flight-limiter';
import type { KeyPacer } from '../../../nodes/bulk/key-pacer';
import { WindowPacer } from '../../../nodes/bulk/window-pacer';
import { FakeClock, never, slotOf } from './helpers';

/** What both pacers do alike comes from KeyPacer: written once, so it is the same rule on either. */
const pacers: Array<[string, () => KeyPacer]> = [
	['WindowPacer', () => new WindowPacer({ limit: 10, windowMs: 60_000, unit: 'request' })],
	['InFlightPacer', () => new InFlightPacer()],
];

describe('KeyPacer (what both pacers share)', () => {
	it.each(pacers)(
		'%s: a 429 pauses the key until its Retry-After; without one 1 s, doubling per 429 in a row up to a minute',
		async (_name, make) => {
			const clock = new FakeClock({ start: 0 });
			const pacer = make();
			const pauses: number[] = [];
			const retryAfters = [3000, ...Array<undefined>(8).fill(undefined), 5000, undefined];
			for (const retryAfterMs of retryAfters) {
				slotOf(await pacer.acquire(clock, never)).rateLimited(clock.now(), retryAfterMs);
				pauses.push(pacer.pausedUntilTime() - clock.now());
			}
			const doubling = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000];
			expect(pauses).toEqual([3000, ...doubling, 5000, 1000]);
			// Each next request waited out the whole pause.
			expect(clock.waits).toEqual(pauses.slice(0, -1));
		},
	);

	it.each(pacers)(
		'%s: a pause holds every caller of the key, also one that was already waiting',
		async (_name, make) => {
			const clock = new FakeClock({ start: 0 });
			const pacer = make();
			const refused = slotOf(await pacer.acquire(clock, never));
			const waiting = pacer.acquire(clock, never);
			refused.rateLimited(clock.now(), 4000);
			slotOf(await waiting);
			expect(clock.now()).toBe(4000);
		},
	);

	it("a caller waiting for the answer to another run's slow request stops when what it may wait ends", async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new InFlightPacer(); // paced by requests in flight, one at first
		const slow = slotOf(await limiter.acquire(clock, never));
		const stopped = await limiter.acquire(
			clock,
			() => (clock.now() > 5000 ? 'waitBudgetSpent' : undefined),
			undefined,
			1,
			(now) => 5000 - now,
		);
		expect(stopped).toBe('waitBudgetSpent');
		expect(clock.now()).toBe(5001);
		slow.settle(clock.now());
	});

	it("a pause longer than the caller may still wait (another run's 429) refuses at once", async () => {
		const clock = new FakeClock({ start: 0 });
		const limiter = new WindowPacer({ limit: 10, windowMs: 60_000, unit: 'request' });
		slotOf(await limiter.acquire(clock, never)).rateLimited(clock.now(), 90_000);
		expect(await limiter.acquire(clock, never, undefined, 1, () => 60_000)).toBe('pausedTooLong');
		expect(clock.now()).toBe(0);
		expect(limiter.pausedUntilTime()).toBe(90_000);
	});
});
