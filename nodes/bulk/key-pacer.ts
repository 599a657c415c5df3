import { sleep } from 'n8n-workflow';

/** Time and chance, injected so tests run without real waits. */
export interface Clock {
	now(): number;
	/** Ends soon after (within a slice) `stopEarly` says so: a wait raced against an event. */
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
			for (let left = ms; left > 0 && !isCancelled() && !stopEarly?.(); left -= WAIT_SLICE_MS)
				await sleep(Math.min(left, WAIT_SLICE_MS));
		},
	};
}

/** An answer's X-RateLimit headers (Explorium sends them on every answer). */
export interface WindowReport {
	limit?: number; // absent: the documented limit
	remaining: number; // in the window's unit
	resetAt?: number; // epoch ms when room next grows; absent: a window after the answer
}

export interface RateSlot {
	/** The answer came (any status): the provider counted the request no later than `now`. */
	settle(now: number, report?: WindowReport): void;
	/** It never reached the provider: it does not count. */
	giveBack(): void;
	/** A 429: it does not count; the whole key pauses (Retry-After, else a growing backoff). */
	rateLimited(now: number, retryAfterMs: number | undefined, report?: WindowReport): void;
}

/** `pausedTooLong`: a 429's pause outlasts what the caller may still wait. */
export type AcquireRefusal = 'cancelled' | 'waitBudgetSpent' | 'deadlinePassed' | 'pausedTooLong';

const STARTING_PACE = 1; // slow start: one request (per window, or in flight)
/** A 429 without Retry-After pauses the key this long, doubling per further 429 in a row. */
const PAUSE_WITHOUT_RETRY_AFTER_MS = 1000;
const LONGEST_PAUSE_WITHOUT_RETRY_AFTER_MS = 60_000;
/** After a lesson the pace grows by 2^(n - PROBE_DELAY) requests per round, n = whole quiet windows since. */
const PROBE_DELAY = 1.5;
/** 429s teach once they reach this share of what was accepted (see teaches). */
const REFUSED_SHARE_TO_LEARN = 0.15;
const FIRST_REFUSED_SHARE_TO_LEARN = 0.5;
const LOWEST_DECREASE_FACTOR = 0.7;
const DECREASE_FACTOR = 0.85;

/**
 * What both pacers of a key share: every 429 pauses the whole key; 429s that keep coming lower the
 * pace to what the provider accepted, then it grows gently again, faster the longer no 429 comes.
 * After `memoryMs` without any request the key starts afresh (the other processes may be gone).
 */
export abstract class KeyPacer {
	protected pace = STARTING_PACE; // units per window, or requests in flight
	protected learned = false; // a 429 taught a lesson since the key last started afresh
	/** 429s of requests sent before this were refused for the same excess. */
	protected lastDecreaseAt = Number.NEGATIVE_INFINITY;
	protected inFlight = 0;
	private pausedUntil = 0;
	private readonly refusedAt: number[] = []; // this process's 429s within `memoryMs`
	private refusalsWithoutRetryAfter = 0; // in a row, for the backoff
	private lastActiveAt = Number.NEGATIVE_INFINITY;
	private callers = 0; // inside `acquire` now
	private readonly wakers: Array<() => void> = []; // callers waiting for an answer

	/** `ceiling`: the documented limit; `memoryMs`: how long 429s and the pace are remembered. */
	constructor(
		protected readonly ceiling: number,
		private readonly memoryMs: number,
	) {}

	abstract weightOf(records: number): number;
	abstract held(now: number): number;
	/** 0: a request may go (the key not paused); else ms to wait, or until an answer may free room. */
	protected abstract delayBeforeNext(now: number, weight: number): number | 'nextAnswer';
	/** Returns what ends the place (`answeredAt` undefined: it did not count). */
	protected place?(now: number, weight: number): (answeredAt: number | undefined) => void;
	protected heard?(now: number, weight: number, sentAt: number, report?: WindowReport): void;
	protected abstract slowStartGrowth(weight: number): number;
	/** Whole windows since the last lesson: the longer, the faster the pace climbs back. */
	protected quietWindows?(now: number): number;
	/** What the provider accepted from this process lately, in the pace's unit (0: nothing yet). */
	protected abstract acceptedShare(now: number): number;
	protected refusalWeight?(): number; // none: 1
	protected paceBeforeLesson?(): number; // none: the pace, within the ceiling

	/**
	 * A slot once a request of `weight` may go; a refusal once `shouldStop` says so, or at once when
	 * the key is paused past `leftMs` (what the caller may still wait): no wait outlasts it, not even
	 * a pause another run's 429 set.
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

	pausedUntilTime(): number {
		return this.pausedUntil;
	}

	/** Also ends after `limitMs` or a cancel: another run's slow request must not hold this one. */
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
		// `at` undefined: given back; `counted`: the provider counted it (not a 429).
		const release = (at?: number, counted = false, report?: WindowReport) => {
			if (!open) return false;
			open = false;
			this.inFlight--;
			end?.(counted ? at : undefined);
			if (at !== undefined) {
				this.lastActiveAt = at;
				this.heard?.(at, weight, now, report);
			}
			// Waiters look again once this call has updated the pace (they resume after it returns).
			for (const wake of this.wakers.splice(0)) wake();
			return true;
		};
		return {
			settle: (at, report) => release(at, true, report) && this.grow(at, weight),
			giveBack: () => void release(),
			rateLimited: (at, retryAfterMs, report) =>
				release(at, false, report) && this.refused(at, now, report !== undefined, retryAfterMs),
		};
	}

	private grow(now: number, weight: number): void {
		if (this.pace >= this.ceiling) return;
		// After a lesson it probes gently close to the share that was refused; once the key has been quiet
		// a while (another process finished), it climbs back fast. In records: a request's worth per step.
		const requests = Math.max(1, this.pace / weight);
		const quiet = Math.min(this.quietWindows?.(now) ?? 0, 10);
		const step = Math.min(requests, 2 ** (quiet - PROBE_DELAY));
		const gain = this.learned ? (step * weight) / requests : this.slowStartGrowth(weight);
		this.pace = Math.min(this.pace + gain, this.ceiling);
	}

	private refused(now: number, heldAt: number, reported: boolean, retryAfterMs?: number): void {
		const backoff = Math.min(
			LONGEST_PAUSE_WITHOUT_RETRY_AFTER_MS,
			PAUSE_WITHOUT_RETRY_AFTER_MS * 2 ** this.refusalsWithoutRetryAfter,
		);
		const named = retryAfterMs !== undefined && retryAfterMs > 0;
		this.refusalsWithoutRetryAfter = named ? 0 : this.refusalsWithoutRetryAfter + 1;
		// What is left was reported and this process still holds places: it waits for its own places to
		// leave (the report caps it to them), not past them for Retry-After, else others read them as abandoned.
		const ownPlacesGovern = reported && this.held(now) > 0;
		const pauseMs = ownPlacesGovern ? PAUSE_WITHOUT_RETRY_AFTER_MS : named ? retryAfterMs : backoff;
		this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
		// A pause is not idleness: the key is still in use until it ends.
		this.lastActiveAt = Math.max(this.lastActiveAt, this.pausedUntil);
		this.refusedAt.push(now);
		while (this.refusedAt[0] <= now - this.memoryMs) this.refusedAt.shift();
		// Where the provider says what is left, that governs: a 429 there is a race with another
		// claimant (the pause waits it out), not a lesson about this process's share.
		// Requests sent before the last decrease were refused for the same excess: one decrease each time.
		if (reported || heldAt < this.lastDecreaseAt) return;
		const acceptedShare = this.acceptedShare(now);
		if (!this.teaches(acceptedShare)) return;
		this.lastDecreaseAt = now;
		this.learned = true;
		const before = this.paceBeforeLesson?.() ?? Math.min(this.pace, this.ceiling);
		const lowered = Math.min(Math.floor(before * DECREASE_FACTOR), acceptedShare);
		this.pace = Math.max(1, Math.floor(before * LOWEST_DECREASE_FACTOR), lowered);
	}

	/** Whether the 429s remembered say that this process's share is too large. */
	private teaches(acceptedShare: number): boolean {
		// Refused before anything was accepted: the key is busy (the pause waits it out), no lesson.
		if (acceptedShare === 0) return false;
		// A stray 429 (a provider's hiccup) teaches nothing: only 429s that keep coming, in proportion
		// to what was accepted; the first lesson takes more, as one or two may be a hiccup.
		const refused = this.refusedAt.length * (this.refusalWeight?.() ?? 1);
		if (refused < REFUSED_SHARE_TO_LEARN * acceptedShare) return false;
		return (
			this.learned ||
			(this.refusedAt.length >= 2 && refused >= FIRST_REFUSED_SHARE_TO_LEARN * acceptedShare)
		);
	}
}

/**
 * How long one node run had requests held back by the rate limit, and its 429s. Waiting is safe and
 * free (nothing refused was accepted), so it has its own budget (`budgetMs`) apart from the retries
 * of failures: once spent, requests still waiting are not sent.
 */
export class RateWaitMeter {
	private waiting = 0;
	private since = 0;
	private total = 0;
	refusals = 0;

	constructor(readonly budgetMs: number) {}

	readonly change = (waiting: boolean, now: number): void => {
		if (waiting && this.waiting === 0) this.since = now;
		this.waiting = Math.max(0, this.waiting + (waiting ? 1 : -1));
		if (!waiting && this.waiting === 0) this.total += now - this.since;
	};

	waitedMs(now: number): number {
		return this.total + (this.waiting > 0 ? now - this.since : 0);
	}

	spent(now: number): boolean {
		return this.waitedMs(now) > this.budgetMs;
	}
}
