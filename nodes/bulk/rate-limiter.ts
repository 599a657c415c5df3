import type { Clock } from './clock';

/** One request's place in the window, held from before it is sent until its window ends. */
export interface RateSlot {
	/** The answer came (whatever its status): the provider counted the request no later than now. */
	settle(now: number): void;
	/** It never reached the provider: it does not count. */
	giveBack(): void;
	/**
	 * The provider refused it for the rate (429): it does not count, the whole key pauses until
	 * `retryAfterMs` from now (or a growing backoff when the provider names no time), and 429s that
	 * keep coming lower the key's pace (see the class).
	 */
	rateLimited(now: number, retryAfterMs: number | undefined): void;
}

/** Why `acquire` gave no slot. */
export type AcquireRefusal = 'cancelled' | 'waitBudgetSpent';

/** A 429 without Retry-After pauses the key this long, doubling per further 429 in a row. */
const PAUSE_WITHOUT_RETRY_AFTER_MS = 1000;
const LONGEST_PAUSE_WITHOUT_RETRY_AFTER_MS = 60_000;

/**
 * Slow start: the pace grows by this much per accepted answer, so the requests in flight grow by
 * half with each round of answers (the pace counts the window's answered requests too). Doubling
 * would reach the documented limit a round sooner but overshoot an unknown smaller one twice as far.
 */
const SLOW_START_GAIN = 1.5;

/**
 * After a lesson the pace grows by 2^(n - PROBE_DELAY) per window's worth of answers, n = whole
 * windows since: about a third of a request, then 0.7, 1.4, 2.8… (but at most doubling per window).
 */
const PROBE_DELAY = 1.5;

/**
 * The pace is lowered only once this process's 429s within the last window reach this share of
 * the requests the provider accepted from it in that window: a stray 429 now and then (one in ten,
 * as the soak plays a hiccuping provider) teaches nothing; a share that is too large meets more.
 */
const REFUSED_SHARE_TO_LEARN = 0.15;
/** Before the first lesson since the key started afresh, 429s must reach this share of the accepted (and be two or more). */
const FIRST_REFUSED_SHARE_TO_LEARN = 0.5;
/** One lesson lowers the pace to at least this share of what it was. */
const LOWEST_DECREASE_FACTOR = 0.7;
/** Without a window (Pronto), 429s are remembered this long, and what was learned is forgotten after this long idle. */
const REFUSAL_MEMORY_WITHOUT_WINDOW_MS = 60_000;

/** After a 429 the key's pace is at most this share of what it was (multiplicative decrease). */
const DECREASE_FACTOR = 0.85;

/**
 * Paces every request on one API key in this process.
 *
 * - **The documented window is never exceeded** (a sliding window, as Explorium and ExactBuyer
 *   count per key). A request holds its slot from before it is sent until `windowMs` after its
 *   answer came: the provider counted it at arrival, somewhere between the two, so this never lets
 *   the provider see one request too many, whatever the latency.
 * - **The real rate is learned from the provider's 429s**, since other processes (queue-mode
 *   workers) may use the same key, or the plan may allow less than documented. The pace (requests
 *   per window this process allows itself) starts at one and grows by half with each round of
 *   answers (slow start) up to the documented limit. Every 429 pauses every request of the key
 *   until the provider's Retry-After (not only the one that got it). 429s that keep coming (two or
 *   more in a window and half of what was accepted in it the first time; 15 % after that) lower the
 *   pace to what the provider accepted from this process in the last window, between 0.7 and 0.85 of
 *   what it was; then it grows gently (a third of a request per window, then 0.7, 1.4, 2.8…) and
 *   faster the longer no 429 comes. K processes on one key thus settle near a share each of the
 *   provider's real rate, without talking to each other; a stray 429 now and then only pauses.
 *   After a window without any request the key starts afresh (the other processes may be gone;
 *   without a window, after a minute).
 * - A provider without a documented window (Pronto: 5 requests in flight per key) is paced by
 *   requests in flight instead: a 429 pauses the key and lowers how many this process keeps in
 *   flight; each answer without one adds back (additive increase).
 *
 * One limiter serves every run on the same key in this process (see key-limits.ts); each caller
 * brings its own clock, so waiting stays cancellable per execution.
 */
export class KeyRateLimiter {
	/** Window end of each held slot; Infinity while its request is in flight. */
	private readonly windowEnds: number[] = [];
	/** Requests per window this process allows itself now (or, without a window, in flight). */
	private pace: number;
	/** Whether a 429 has been seen since the key last started afresh (then growth is additive). */
	private learned = false;
	/** No request of the key is sent before this time. */
	private pausedUntil = 0;
	/** When the pace was last lowered: 429s of requests sent before it are the same refusal. */
	private lastDecreaseAt = Number.NEGATIVE_INFINITY;
	/** When this process's recent 429s came (those within the last window). */
	private readonly refusedAt: number[] = [];
	/** 429s without Retry-After in a row, for the backoff. */
	private refusalsWithoutRetryAfter = 0;
	/** Last time anything held a slot (to start afresh after an idle window). */
	private lastActiveAt = Number.NEGATIVE_INFINITY;
	private inFlight = 0;
	/** Callers inside `acquire` now (waiting or about to hold). */
	private callers = 0;
	/** Callers waiting for an answer to a request in flight. */
	private readonly wakers: Array<() => void> = [];
	private readonly ceiling: number;

	constructor(readonly window?: { requests: number; windowMs: number }) {
		this.ceiling = window ? window.requests : Number.POSITIVE_INFINITY;
		this.pace = this.startingPace();
	}

	/** How many requests the documented window allows (Infinity without one). */
	get requests(): number {
		return this.ceiling;
	}

	/**
	 * Resolves with a slot once one more request may be sent. Resolves with a refusal once
	 * `shouldStop` says so (cancelled, or the run's budget for rate-limit waits is spent).
	 * `onWait` is told when this call starts and stops waiting.
	 */
	async acquire(
		clock: Clock,
		shouldStop: () => AcquireRefusal | undefined,
		onWait?: (waiting: boolean, now: number) => void,
	): Promise<RateSlot | AcquireRefusal> {
		let waiting = false;
		this.startAfreshIfIdle(clock.now());
		this.callers++;
		try {
			for (;;) {
				const refusal = shouldStop();
				if (refusal) return refusal;
				const now = clock.now();
				const delay = this.delayBeforeNext(now);
				if (delay === 0) return this.hold(now);
				if (!waiting) {
					waiting = true;
					onWait?.(true, now);
				}
				if (delay === 'nextAnswer') await this.nextAnswer();
				else await clock.sleep(delay);
			}
		} finally {
			this.callers--;
			this.lastActiveAt = clock.now();
			if (waiting) onWait?.(false, clock.now());
		}
	}

	/**
	 * After a whole window in which nobody used or waited for the key, what was learned may be stale
	 * (the other processes may be gone): start afresh with a slow start up to the documented limit.
	 */
	private startAfreshIfIdle(now: number): void {
		if (this.callers > 0 || now < this.pausedUntil) return;
		const idleMs = this.window?.windowMs ?? REFUSAL_MEMORY_WITHOUT_WINDOW_MS;
		if (this.held(now) === 0 && now - this.lastActiveAt >= idleMs) this.startAfresh();
	}

	/** Slots held now (in flight, or answered less than a window ago). */
	held(now: number): number {
		this.dropEnded(now);
		return this.windowEnds.length;
	}

	/** The pace this process allows itself now: requests per window (or in flight, without a window). */
	currentPace(): number {
		return Math.min(this.ceiling, Math.floor(this.pace));
	}

	/** Until when the key is paused after a 429 (0 or past = not paused). */
	pausedUntilTime(): number {
		return this.pausedUntil;
	}

	/**
	 * 0 when a request may go now; else how long to wait before looking again, or `nextAnswer` when
	 * an answer to a request in flight is what may let it go (it raises the pace or frees a slot).
	 */
	private delayBeforeNext(now: number): number | 'nextAnswer' {
		if (now < this.pausedUntil) return this.pausedUntil - now;
		this.dropEnded(now);
		if (!this.window) return this.inFlight < Math.max(1, Math.floor(this.pace)) ? 0 : 'nextAnswer';
		if (this.windowEnds.length < this.currentPace()) return 0;
		if (this.inFlight > 0) return 'nextAnswer';
		// Full of answered requests: wait for the earliest to leave the window.
		return Math.max(1, Math.min(...this.windowEnds) - now);
	}

	/** Resolves at the next answer (or refusal, or giving back) of a request holding a slot. */
	private async nextAnswer(): Promise<void> {
		await new Promise<void>((wake) => this.wakers.push(wake));
	}

	private wakeWaiters(): void {
		for (const wake of this.wakers.splice(0)) wake();
	}

	private startAfresh(): void {
		this.learned = false;
		this.pace = this.startingPace();
		this.refusalsWithoutRetryAfter = 0;
	}

	/** Slow start begins with one request per window (without a window: one in flight). */
	private startingPace(): number {
		return 1;
	}

	private hold(now: number): RateSlot {
		const ends = this.windowEnds;
		const heldAt = now;
		ends.push(Infinity);
		this.inFlight++;
		this.lastActiveAt = now;
		let open = true;
		// In-flight slots are alike (Infinity): settling or giving back any one of them is the same.
		const replace = (next: number | undefined) => {
			if (!open) return false;
			open = false;
			this.inFlight--;
			const index = ends.indexOf(Infinity);
			if (index >= 0) {
				if (next === undefined) ends.splice(index, 1);
				else ends[index] = next;
			}
			// Waiters look again once this call has updated the pace (they resume after it returns).
			this.wakeWaiters();
			return true;
		};
		const windowMs = this.window?.windowMs ?? 0;
		return {
			settle: (at) => {
				if (!replace(at + windowMs)) return;
				this.lastActiveAt = at;
				this.grow(at);
			},
			giveBack: () => {
				replace(undefined);
			},
			rateLimited: (at, retryAfterMs) => {
				if (!replace(undefined)) return;
				this.lastActiveAt = at;
				this.refused(at, heldAt, retryAfterMs);
			},
		};
	}

	/**
	 * An accepted answer. Slow start: +2 per answer, so the requests in flight double with each
	 * round of answers (the pace counts the window's answered requests too). After a 429: +1 per
	 * window's worth of answers.
	 */
	private grow(now: number): void {
		if (this.pace >= this.ceiling) return;
		// Without a window the pace counts requests in flight only: +1 per answer doubles them per round.
		if (!this.learned) this.pace += this.window ? SLOW_START_GAIN : 1;
		else {
			// Close to the share that was refused it probes gently (a third of a request more per
			// window, then 0.7, 1.4, 2.8…); once the key has been quiet for a while (another process
			// finished), it climbs back fast.
			const quietWindows = this.window ? Math.floor((now - this.lastDecreaseAt) / this.window.windowMs) : 0;
			const step = Math.min(this.pace, 2 ** (Math.min(quietWindows, 10) - PROBE_DELAY));
			this.pace += step / Math.max(1, this.pace);
		}
		this.pace = Math.min(this.pace, this.ceiling);
	}

	private refused(now: number, heldAt: number, retryAfterMs: number | undefined): void {
		if (retryAfterMs === undefined || retryAfterMs <= 0) {
			const backoff = Math.min(LONGEST_PAUSE_WITHOUT_RETRY_AFTER_MS, PAUSE_WITHOUT_RETRY_AFTER_MS * 2 ** this.refusalsWithoutRetryAfter);
			this.refusalsWithoutRetryAfter++;
			this.pausedUntil = Math.max(this.pausedUntil, now + backoff);
		} else {
			this.refusalsWithoutRetryAfter = 0;
			this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		}
		// A pause is not idleness: the key is still in use until it ends.
		this.lastActiveAt = Math.max(this.lastActiveAt, this.pausedUntil);
		const windowMs = this.window?.windowMs ?? 0;
		this.refusedAt.push(now);
		const memoryMs = this.window ? windowMs : REFUSAL_MEMORY_WITHOUT_WINDOW_MS;
		while (this.refusedAt.length > 0 && this.refusedAt[0] <= now - memoryMs) this.refusedAt.shift();
		// Requests sent before the last decrease were refused for the same excess: one decrease each time.
		if (heldAt < this.lastDecreaseAt) return;
		const acceptedShare = this.window ? this.acceptedInWindow(now) : this.inFlight;
		// Refused before the provider took anything from this process in the window: that says the key
		// is busy (the pause waits it out), not what this process's share is.
		if (acceptedShare === 0) return;
		// A stray 429 now and then (a provider's hiccup) teaches nothing: only refusals that keep
		// coming, in proportion to what was accepted, say the share is too large.
		const refused = this.refusedAt.length;
		if (refused < REFUSED_SHARE_TO_LEARN * acceptedShare) return;
		// The first lesson takes more: one or two 429s may be a hiccup even when little was accepted.
		if (!this.learned && (refused < 2 || refused < FIRST_REFUSED_SHARE_TO_LEARN * acceptedShare)) return;
		this.lastDecreaseAt = now;
		this.learned = true;
		// Without a window the pace is requests in flight: what was in flight (the refused one too) is the measure.
		const before = this.window ? Math.min(this.pace, this.ceiling) : Math.min(this.pace, this.inFlight + 1);
		const lowered = Math.max(Math.floor(before * LOWEST_DECREASE_FACTOR), Math.min(Math.floor(before * DECREASE_FACTOR), acceptedShare));
		this.pace = Math.max(1, lowered);
	}

	/** Requests answered (not refused) within the last window: what the provider took from this process. */
	private acceptedInWindow(now: number): number {
		this.dropEnded(now);
		return this.windowEnds.filter((end) => Number.isFinite(end)).length;
	}

	private dropEnded(now: number): void {
		for (let index = this.windowEnds.length - 1; index >= 0; index--) {
			if (this.windowEnds[index] <= now) this.windowEnds.splice(index, 1);
		}
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
