/**
 * Bounds the requests in flight at once across everything one node run sends (every endpoint, every
 * retry, every poll), e.g. Pronto's documented 5 concurrent requests per key.
 *
 * A request the node stopped waiting for (its timeout passed) may still be open at the provider,
 * which goes on working on it: its place is kept until the request really ends (the provider
 * answered late, or the connection closed), within a bound the sender sets (see transport's
 * ABANDONED_REQUEST_HOLD). The sender says so by rejecting with an error marked by
 * `markStillInFlight`; without that rule, timeouts let 15 requests be open at Pronto at once.
 */
export class InFlightLimiter {
	private inFlight = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly capacity: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.inFlight >= this.capacity) await new Promise<void>((resolve) => this.waiting.push(resolve));
		else this.inFlight++;
		const running = Promise.resolve().then(task);
		running.then(
			() => this.release(),
			(error: unknown) => {
				const stillInFlight = stillInFlightOf(error);
				if (stillInFlight) void stillInFlight.then(() => this.release());
				else this.release();
			},
		);
		return await running;
	}

	private release(): void {
		// Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
		const next = this.waiting.shift();
		if (next) next();
		else this.inFlight--;
	}
}

const STILL_IN_FLIGHT = Symbol('still in flight');

/** Marks an error of a request the caller stopped waiting for: `ended` settles when the request really ends. */
export function markStillInFlight<E extends object>(error: E, ended: Promise<void>): E {
	return Object.assign(error, { [STILL_IN_FLIGHT]: ended });
}

function stillInFlightOf(error: unknown): Promise<void> | undefined {
	if (error === null || typeof error !== 'object') return undefined;
	const ended = (error as { [STILL_IN_FLIGHT]?: unknown })[STILL_IN_FLIGHT];
	return ended instanceof Promise ? (ended as Promise<void>) : undefined;
}
