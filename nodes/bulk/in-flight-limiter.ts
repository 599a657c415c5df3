import { KeyPacer, type AcquireRefusal, type Clock } from './key-pacer';
import type { ProviderLimits } from './types';
import { WindowPacer } from './window-pacer';

/**
 * Paces a key whose provider documents no window (Pronto) by the requests this process keeps in
 * flight: one at first, one more per accepted answer (slow start); 429s that keep coming lower it to
 * what was in flight, then each answer adds back a little (KeyPacer). InFlightLimiter still bounds
 * the requests in flight at the documented number.
 */
export class InFlightPacer extends KeyPacer {
	constructor() {
		super(Number.POSITIVE_INFINITY, 60_000); // 429s are remembered, and idleness forgets them, after a minute
	}
	weightOf = () => 1;
	held = () => this.inFlight;
	protected delayBeforeNext = () =>
		this.inFlight < Math.max(1, Math.floor(this.pace)) ? 0 : ('nextAnswer' as const);
	protected slowStartGrowth = () => 1; // doubles the requests in flight per round
	protected acceptedShare = () => this.inFlight;
	/** What was in flight (the refused one too) is the measure. */
	protected paceBeforeLesson = () => Math.min(this.pace, this.inFlight + 1);
}

export function pacerFor(limits: ProviderLimits): KeyPacer {
	return limits.rateLimit ? new WindowPacer(limits.rateLimit) : new InFlightPacer();
}

/**
 * Bounds the requests in flight across all one node run sends (every endpoint, retry, poll; Pronto:
 * 5 per key). A request whose timeout passed may still be open at the provider, working on it: its
 * place is kept until it really ends (within transport's ABANDONED_REQUEST_HOLD), which the sender
 * says by an error marked by `markStillInFlight`. Else timeouts let 15 be open at Pronto at once.
 */
export class InFlightLimiter {
	private inFlight = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly capacity: number) {}

	/**
	 * Runs `task` once a place is free. With `wait`, a waiting caller gives up (PlaceNotTaken, the task
	 * not run) once `wait.shouldStop` says so, looking again when `wait.leftMs` ends and every slice:
	 * another run's slow request must not hold it past its cancel or its budget.
	 */
	async run<T>(task: () => Promise<T>, wait?: PlaceWait): Promise<T> {
		if (this.inFlight < this.capacity) this.inFlight++;
		else await this.waitForPlace(wait);
		const running = Promise.resolve().then(task);
		running.then(this.release, (error: unknown) => {
			const ended = (error as { [STILL_IN_FLIGHT]?: unknown } | null)?.[STILL_IN_FLIGHT];
			if (ended instanceof Promise) void ended.then(this.release);
			else this.release();
		});
		return await running;
	}

	private async waitForPlace(wait: PlaceWait | undefined): Promise<void> {
		let placed = false;
		let take = () => {};
		const place = new Promise<void>((resolve) => {
			take = () => {
				placed = true;
				resolve();
			};
			this.waiting.push(take);
		});
		if (!wait) return await place;
		wait.onWait?.(true, wait.clock.now());
		try {
			while (!placed) {
				const refusal = wait.shouldStop();
				if (refusal) {
					this.waiting.splice(this.waiting.indexOf(take), 1);
					throw new PlaceNotTaken(refusal);
				}
				await Promise.race([
					place,
					wait.clock.sleep(Math.max(0, wait.leftMs(wait.clock.now())) + 1, () => placed),
				]);
			}
		} finally {
			wait.onWait?.(false, wait.clock.now());
		}
	}

	/** Hands the place straight to the next waiter, so a newcomer cannot overtake it. */
	private readonly release = (): void => {
		const next = this.waiting.shift();
		if (next) next();
		else this.inFlight--;
	};
}

export interface PlaceWait {
	clock: Clock;
	shouldStop: () => AcquireRefusal | undefined;
	leftMs: (now: number) => number;
	onWait?: (waiting: boolean, now: number) => void;
}

/** A caller stopped waiting for a place: its task never ran (nothing was sent). */
export class PlaceNotTaken extends Error {
	constructor(readonly refusal: AcquireRefusal) {
		super(`stopped waiting for a place in flight (${refusal})`);
	}
}

const STILL_IN_FLIGHT = Symbol('still in flight');

/** Marks an error of a request the caller stopped waiting for: `ended` settles when it really ends. */
export function markStillInFlight<E extends object>(error: E, ended: Promise<void>): E {
	return Object.assign(error, { [STILL_IN_FLIGHT]: ended });
}

/**
 * Runs on the same key share its limits: two workflows enriching at once must not each send the
 * provider's full rate. Keyed by a hash of the credential (never the key itself). Across n8n
 * processes (queue mode) nothing is shared: each learns its share from the provider's answers.
 */
const limitsByKey = new Map<string, { pacer: KeyPacer; inFlight: InFlightLimiter }>();

export function limitsForKey(keyId: string, limits: ProviderLimits) {
	let keyLimits = limitsByKey.get(keyId);
	if (!keyLimits) {
		keyLimits = { pacer: pacerFor(limits), inFlight: new InFlightLimiter(limits.maxConcurrency) };
		limitsByKey.set(keyId, keyLimits);
	}
	return keyLimits;
}
