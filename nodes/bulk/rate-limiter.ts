import type { Clock } from './clock';

/**
 * Keeps request starts within `requests` per `windowMs` (a sliding window, as Explorium and
 * ExactBuyer count). Shared by all workers of one run; other runs on the same key are not
 * visible here, which is why 429s are still retried.
 */
export class SlidingWindowRateLimiter {
	private readonly starts: number[] = [];

	constructor(
		private readonly requests: number,
		private readonly windowMs: number,
		private readonly clock: Clock,
	) {}

	/** Resolves when one more request may start (and records that start), or once cancelled. */
	async acquire(isCancelled: () => boolean): Promise<void> {
		while (!isCancelled()) {
			const now = this.clock.now();
			while (this.starts.length > 0 && this.starts[0] <= now - this.windowMs) this.starts.shift();
			if (this.starts.length < this.requests) {
				this.starts.push(now);
				return;
			}
			await this.clock.sleep(this.starts[0] + this.windowMs - now);
		}
	}
}
