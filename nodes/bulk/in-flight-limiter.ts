/**
 * Bounds the requests in flight at once across everything one node run sends (every endpoint, every
 * retry, every poll), e.g. Pronto's documented 5 concurrent requests per key.
 */
export class InFlightLimiter {
	private inFlight = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly capacity: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.inFlight >= this.capacity) await new Promise<void>((resolve) => this.waiting.push(resolve));
		else this.inFlight++;
		try {
			return await task();
		} finally {
			// Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
			const next = this.waiting.shift();
			if (next) next();
			else this.inFlight--;
		}
	}
}
