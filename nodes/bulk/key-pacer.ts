import { sleep } from 'n8n-workflow';

/** Time and chance, injected so tests run without real waits. */
export interface Clock {
	now(): number;
	/** Waits `ms`, or less once `stopEarly` says so (within a slice): a wait raced against an event ends soon after it. */
	sleep(ms: number, stopEarly?: () => boolean): Promise<void>;
	random(): number;
}

/** Waits in slices so a cancelled execution stops waiting within a second. */
const WAIT_SLICE_MS = 1000;

export function realClock(isCancelled: () => boolean): Clock {
	return {
		now: () => Date.now(),
		random: () => Math.random(),
		async sleep(ms: number, stopEarly?: () => boolean) {
			let remaining = ms;
			while (remaining > 0 && !isCancelled() && stopEarly?.() !== true) {
				const slice = Math.min(remaining, WAIT_SLICE_MS);
				await sleep(slice);
				remaining -= slice;
			}
		},
	};
}

/** What an answer's X-RateLimit headers said of the key's window (Explorium sends them on every answer). */
export interface WindowReport {
	/** X-RateLimit-Limit: what the window allows (absent: the documented limit). */
	limit?: number;
	/** X-RateLimit-Remaining: what is left in the window, counted in the window's unit. */
	remaining: number;
	/** X-RateLimit-Reset: when room next grows (epoch ms); absent: a window after the answer. */
	resetAt?: number;
}

/** One request's place in the key's pace, held from before it is sent until the pacer lets it go. */
export interface RateSlot {
	/**
	 * The answer came (whatever its status): the provider counted the request no later than now.
	 * `report`: what its X-RateLimit headers said (undefined when it had none).
	 */
	settle(now: number, report?: WindowReport): void;
	/** It never reached the provider: it does not count. */
	giveBack(): void;
	/**
	 * The provider refused it for the rate (429): it does not count, the whole key pauses until
	 * `retryAfterMs` from now (or a growing backoff when the provider names no time), and 429s that
	 * keep coming lower the key's pace (see KeyPacer).
	 */
	rateLimited(now: number, retryAfterMs: number | undefined, report?: WindowReport): void;
}

/**
 * Why `acquire` gave no slot: cancelled, the caller's budget for waiting is spent or its deadline
 * passed, or the key is paused (a 429's Retry-After) for longer than the caller may still wait.
 */
export type AcquireRefusal = 'cancelled' | 'waitBudgetSpent' | 'deadlinePassed' | 'pausedTooLong';

/** Slow start begins with one request (per window, or in flight). */
const STARTING_PACE = 1;

/** A 429 without Retry-After pauses the key this long, doubling per further 429 in a row. */
const PAUSE_WITHOUT_RETRY_AFTER_MS = 1000;
const LONGEST_PAUSE_WITHOUT_RETRY_AFTER_MS = 60_000;

/** After a lesson the pace grows by 2^(n - PROBE_DELAY) requests per round, n = whole quiet windows since. */
const PROBE_DELAY = 1.5;

/** The pace is lowered only once this process's recent 429s reach this share of what the provider accepted from it. */
const REFUSED_SHARE_TO_LEARN = 0.15;
/** Before the first lesson since the key started afresh, 429s must reach this share of the accepted (and be two or more). */
const FIRST_REFUSED_SHARE_TO_LEARN = 0.5;
/** One lesson lowers the pace to at least this share of what it was. */
const LOWEST_DECREASE_FACTOR = 0.7;
/** After a 429 the key's pace is at most this share of what it was (multiplicative decrease). */
const DECREASE_FACTOR = 0.85;

/**
 * What both pacers of a key share (WindowPacer; InFlightPacer without a window): callers wait their
 * turn in `acquire`; every 429 pauses every request of the key until the provider's Retry-After (a
 * doubling backoff when it names none); 429s that keep coming lower the pace to what the provider
 * accepted; then it grows gently again, faster the longer no 429 comes. After `memoryMs` without any
 * request the key starts afresh with a slow start (the other processes may be gone). The subclass
 * says what the pace counts and when a request may go.
 */
export abstract class KeyPacer {
	/** What this process allows itself now (units per window, or requests in flight). */
	protected pace = STARTING_PACE;
	/** Whether a 429 has taught a lesson since the key last started afresh (then growth is gentle). */
	protected learned = false;
	/** When the pace was last lowered: 429s of requests sent before it are the same refusal. */
	protected lastDecreaseAt = Number.NEGATIVE_INFINITY;
	/** Requests holding a slot and not yet answered. */
	protected inFlight = 0;
	/** No request of the key is sent before this time. */
	private pausedUntil = 0;
	/** When this process's recent 429s came (those within `memoryMs`). */
	private readonly refusedAt: number[] = [];
	/** 429s without Retry-After in a row, for the backoff. */
	private refusalsWithoutRetryAfter = 0;
	/** Last time anything held a slot (to start afresh after an idle while). */
	private lastActiveAt = Number.NEGATIVE_INFINITY;
	/** Callers inside `acquire` now (waiting or about to hold). */
	private callers = 0;
	/** Callers waiting for an answer to a request in flight. */
	private readonly wakers: Array<() => void> = [];

	/**
	 * `ceiling`: the most the pace may reach (the documented limit); `memoryMs`: how long 429s are
	 * remembered, and how long idle before the key starts afresh.
	 */
	constructor(
		protected readonly ceiling: number,
		private readonly memoryMs: number,
	) {}

	/** How much of the pace one request carrying `records` records uses. */
	abstract weightOf(records: number): number;
	/** What this process holds of its pace now (requests in flight, and what the window still counts). */
	abstract held(now: number): number;
	/**
	 * 0 when a request of `weight` may go now (the key not paused); else how long to wait before
	 * looking again, or `nextAnswer` when an answer to a request in flight is what may let it go.
	 */
	protected abstract delayBeforeNext(now: number, weight: number): number | 'nextAnswer';
	/** A request of `weight` takes its place; the returned function ends it (`answeredAt` undefined: it did not count). */
	protected place?(now: number, weight: number): (answeredAt: number | undefined) => void;
	/** The answer to a request of `weight` sent at `sentAt` came at `now`, with or without X-RateLimit headers. */
	protected heard?(
		now: number,
		report: WindowReport | undefined,
		weight: number,
		sentAt: number,
	): void;
	/** What an accepted answer of `weight` adds to the pace during the slow start. */
	protected abstract slowStartGrowth(weight: number): number;
	/** Whole windows since the last lesson (none: 0): the longer, the faster the pace climbs back. */
	protected quietWindows?(now: number): number;
	/** What the provider accepted from this process lately, in the pace's unit (0: nothing yet). */
	protected abstract acceptedShare(now: number): number;
	/** What one refused request weighs (none: 1). */
	protected refusalWeight?(): number;
	/** The pace a lesson lowers from (none: the pace, within the ceiling). */
	protected paceBeforeLesson?(): number;

	/**
	 * Resolves with a slot once one more request of `weight` (see weightOf) may be sent. Resolves
	 * with a refusal once `shouldStop` says so (cancelled, budget spent), or at once when the key is
	 * paused for longer than `leftMs` (what the caller may still wait): no wait outlasts it, not even
	 * a pause another run's 429 set. `onWait` is told when this call starts and stops waiting.
	 */
	async acquire(
		clock: Clock,
		shouldStop: () => AcquireRefusal | undefined,
		onWait?: (waiting: boolean, now: number) => void,
		weight = 1,
		leftMs: (now: number) => number = () => Number.POSITIVE_INFINITY,
	): Promise<RateSlot | AcquireRefusal> {
		let waiting = false;
		const start = clock.now();
		// After `memoryMs` in which nobody used or waited for the key, what was learned may be stale.
		const idle = this.callers === 0 && start >= this.pausedUntil && this.held(start) === 0;
		if (idle && start - this.lastActiveAt >= this.memoryMs) {
			this.learned = false;
			this.pace = STARTING_PACE;
			this.refusalsWithoutRetryAfter = 0;
		}
		this.callers++;
		try {
			for (;;) {
				const refusal = shouldStop();
				if (refusal) return refusal;
				const now = clock.now();
				const delay =
					now < this.pausedUntil ? this.pausedUntil - now : this.delayBeforeNext(now, weight);
				if (delay === 0) return this.hold(now, weight);
				// Just past what is left, so that the next look finds the budget spent.
				const left = Math.max(0, leftMs(now)) + 1;
				if (this.pausedUntil - now >= left) return 'pausedTooLong';
				if (!waiting) {
					waiting = true;
					onWait?.(true, now);
				}
				if (delay === 'nextAnswer') await this.nextAnswer(clock, left);
				else await clock.sleep(Math.min(delay, left));
			}
		} finally {
			this.callers--;
			this.lastActiveAt = clock.now();
			if (waiting) onWait?.(false, clock.now());
		}
	}

	/** Until when the key is paused after a 429 (0 or past = not paused). */
	pausedUntilTime(): number {
		return this.pausedUntil;
	}

	/**
	 * Resolves at the next answer (or refusal, or giving back) of a request holding a slot, or after
	 * `limitMs`, or soon after a cancel (the clock sleeps in slices): another run's slow request must
	 * not hold this one past its budget or its cancel.
	 */
	private async nextAnswer(clock: Clock, limitMs: number): Promise<void> {
		let answered = false;
		const answer = new Promise<void>((wake) =>
			this.wakers.push(() => {
				answered = true;
				wake();
			}),
		);
		await Promise.race([answer, clock.sleep(limitMs, () => answered)]);
	}

	private hold(now: number, weight: number): RateSlot {
		const end = this.place?.(now, weight);
		this.inFlight++;
		this.lastActiveAt = now;
		let open = true;
		const release = (answeredAt: number | undefined) => {
			if (!open) return false;
			open = false;
			this.inFlight--;
			end?.(answeredAt);
			// Waiters look again once this call has updated the pace (they resume after it returns).
			for (const wake of this.wakers.splice(0)) wake();
			return true;
		};
		const answered = (at: number, report: WindowReport | undefined, counted: boolean) => {
			if (!release(counted ? at : undefined)) return false;
			this.lastActiveAt = at;
			this.heard?.(at, report, weight, now);
			return true;
		};
		return {
			settle: (at, report) => answered(at, report, true) && this.grow(at, weight),
			giveBack: () => void release(undefined),
			rateLimited: (at, retryAfterMs, report) =>
				answered(at, report, false) && this.refused(at, now, report !== undefined, retryAfterMs),
		};
	}

	private grow(now: number, weight: number): void {
		if (this.pace >= this.ceiling) return;
		if (!this.learned) this.pace += this.slowStartGrowth(weight);
		else {
			// Close to the share that was refused it probes gently; once the key has been quiet for a
			// while (another process finished), it climbs back fast. In records: a request's worth per step.
			const requestsPerWindow = Math.max(1, this.pace / weight);
			const step = Math.min(
				requestsPerWindow,
				2 ** (Math.min(this.quietWindows?.(now) ?? 0, 10) - PROBE_DELAY),
			);
			this.pace += (step * weight) / requestsPerWindow;
		}
		this.pace = Math.min(this.pace, this.ceiling);
	}

	private refused(now: number, heldAt: number, reported: boolean, retryAfterMs?: number): void {
		const backoff = Math.min(
			LONGEST_PAUSE_WITHOUT_RETRY_AFTER_MS,
			PAUSE_WITHOUT_RETRY_AFTER_MS * 2 ** this.refusalsWithoutRetryAfter,
		);
		const named = retryAfterMs !== undefined && retryAfterMs > 0;
		this.refusalsWithoutRetryAfter = named ? 0 : this.refusalsWithoutRetryAfter + 1;
		this.pausedUntil = Math.max(this.pausedUntil, now + (named ? retryAfterMs : backoff));
		// A pause is not idleness: the key is still in use until it ends.
		this.lastActiveAt = Math.max(this.lastActiveAt, this.pausedUntil);
		this.refusedAt.push(now);
		while (this.refusedAt.length > 0 && this.refusedAt[0] <= now - this.memoryMs)
			this.refusedAt.shift();
		// Where the provider says what is left, that governs: a 429 there is a race with another
		// claimant (the pause waits it out), not a lesson about this process's share.
		// Requests sent before the last decrease were refused for the same excess: one decrease each time.
		if (reported || heldAt < this.lastDecreaseAt) return;
		const acceptedShare = this.acceptedShare(now);
		if (!this.teaches(acceptedShare)) return;
		this.lastDecreaseAt = now;
		this.learned = true;
		const before = this.paceBeforeLesson?.() ?? Math.min(this.pace, this.ceiling);
		const lowered = Math.max(
			Math.floor(before * LOWEST_DECREASE_FACTOR),
			Math.min(Math.floor(before * DECREASE_FACTOR), acceptedShare),
		);
		this.pace = Math.max(1, lowered);
	}

	/** Whether the 429s remembered say that this process's share is too large. */
	private teaches(acceptedShare: number): boolean {
		// Refused before the provider took anything from this process: that says the key is busy
		// (the pause waits it out), not what this process's share is.
		if (acceptedShare === 0) return false;
		// A stray 429 now and then (a provider's hiccup) teaches nothing: only refusals that keep
		// coming, in proportion to what was accepted, say the share is too large.
		const refused = this.refusedAt.length * (this.refusalWeight?.() ?? 1);
		if (refused < REFUSED_SHARE_TO_LEARN * acceptedShare) return false;
		// The first lesson takes more: one or two 429s may be a hiccup even when little was accepted.
		return (
			this.learned ||
			(this.refusedAt.length >= 2 && refused >= FIRST_REFUSED_SHARE_TO_LEARN * acceptedShare)
		);
	}
}

/**
 * How long one node run has waited for the provider's rate limit: the time during which at least
 * one of its requests was held back (by the window, a pace learned from 429s, or a 429's pause),
 * and the 429s it got. Waiting is safe and free (a refused request was not accepted), so it has its
 * own budget, apart from the retries of failures: once `budgetMs` is spent, requests still waiting
 * are not sent.
 */
export class RateWaitMeter {
	private waiting = 0;
	private since = 0;
	private total = 0;
	/** 429 answers this run got. */
	refusals = 0;

	constructor(readonly budgetMs: number) {}

	/** A request starts (true) or stops (false) waiting for the rate limit. */
	readonly change = (waiting: boolean, now: number): void => {
		if (waiting) {
			if (this.waiting === 0) this.since = now;
			this.waiting++;
			return;
		}
		this.waiting = Math.max(0, this.waiting - 1);
		if (this.waiting === 0) this.total += now - this.since;
	};

	waitedMs(now: number): number {
		return this.total + (this.waiting > 0 ? now - this.since : 0);
	}

	spent(now: number): boolean {
		return this.waitedMs(now) > this.budgetMs;
	}
}
