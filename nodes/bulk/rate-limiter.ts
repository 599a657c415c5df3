import type { Clock } from './clock';

/** One request's place in the window, held from before it is sent until its window ends. */
export interface RateSlot {
	/** The answer came (whatever its status): the provider counted the request no later than now. */
	settle(now: number): void;
	/** The provider refused it (429) or it never reached the provider: it does not count. */
	giveBack(): void;
}

/** While a request is in flight its window end is unknown: check again this soon. */
const IN_FLIGHT_RECHECK_MS = 250;

/**
 * Keeps requests within `requests` per `windowMs` as the provider counts them (a sliding window,
 * as Explorium and ExactBuyer count per key). A request holds its slot from before it is sent until
 * `windowMs` after its answer came: the provider counted it at arrival, somewhere between the two,
 * so this never lets the provider see one request too many, whatever the latency. A refused request
 * gives its slot back at once, so a 429 costs its Retry-After and nothing more.
 *
 * One limiter serves every run on the same key in this process (see key-limits.ts); each caller
 * brings its own clock, so waiting stays cancellable per execution.
 */
export class SlidingWindowRateLimiter {
	/** Window end of each held slot; Infinity while its request is in flight. */
	private readonly windowEnds: number[] = [];

	constructor(
		readonly requests: number,
		readonly windowMs: number,
	) {}

	/** Resolves with a slot once one more request may be sent, or with undefined once cancelled. */
	async acquire(clock: Clock, isCancelled: () => boolean): Promise<RateSlot | undefined> {
		while (!isCancelled()) {
			const now = clock.now();
			this.dropEnded(now);
			if (this.windowEnds.length < this.requests) return this.hold();
			const earliest = Math.min(...this.windowEnds);
			await clock.sleep(Number.isFinite(earliest) ? Math.max(1, earliest - now) : IN_FLIGHT_RECHECK_MS);
		}
		return undefined;
	}

	/** Slots held now (in flight, or answered less than a window ago). */
	held(now: number): number {
		this.dropEnded(now);
		return this.windowEnds.length;
	}

	private hold(): RateSlot {
		const ends = this.windowEnds;
		ends.push(Infinity);
		let open = true;
		// In-flight slots are alike (Infinity): settling or giving back any one of them is the same.
		const replace = (next: number | undefined) => {
			if (!open) return;
			open = false;
			const index = ends.indexOf(Infinity);
			if (index < 0) return;
			if (next === undefined) ends.splice(index, 1);
			else ends[index] = next;
		};
		return {
			settle: (now) => replace(now + this.windowMs),
			giveBack: () => replace(undefined),
		};
	}

	private dropEnded(now: number): void {
		for (let index = this.windowEnds.length - 1; index >= 0; index--) {
			if (this.windowEnds[index] <= now) this.windowEnds.splice(index, 1);
		}
	}
}
