import type { Clock } from './clock';

/** What an answer's X-RateLimit headers said of the key's window (Explorium sends them on every answer). */
export interface WindowReport {
	/** X-RateLimit-Limit: what the window allows (absent: the documented limit). */
	limit?: number;
	/** X-RateLimit-Remaining: what is left in the window, counted in the window's unit. */
	remaining: number;
	/** X-RateLimit-Reset: when room next grows (epoch ms); absent: a window after the answer. */
	resetAt?: number;
}

/**
 * Reads the X-RateLimit headers of an answer; undefined when it has no readable Remaining.
 * `header` looks a header up by name (case-insensitive). Reset is a Unix time in seconds; a small
 * number is read as seconds from now, as some APIs send it.
 */
export function readWindowReport(
	header: (name: string) => unknown,
	now: number,
): WindowReport | undefined {
	const remaining = wholeNumber(header('x-ratelimit-remaining'));
	if (remaining === undefined) return undefined;
	const limit = wholeNumber(header('x-ratelimit-limit'));
	const reset = wholeNumber(header('x-ratelimit-reset'));
	const resetAt = reset === undefined ? undefined : reset > 1e9 ? reset * 1000 : now + reset * 1000;
	return {
		remaining,
		...(limit !== undefined && limit > 0 ? { limit } : {}),
		...(resetAt !== undefined ? { resetAt } : {}),
	};
}

function wholeNumber(value: unknown): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	const number =
		typeof text === 'number'
			? text
			: typeof text === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(text)
				? Number(text)
				: NaN;
	return Number.isFinite(number) && number >= 0 ? Math.floor(number) : undefined;
}

/** One request's place in the window, held from before it is sent until its window ends. */
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
	 * keep coming lower the key's pace (see the class).
	 */
	rateLimited(now: number, retryAfterMs: number | undefined, report?: WindowReport): void;
}

/**
 * Why `acquire` gave no slot: cancelled, the caller's budget for waiting is spent or its deadline
 * passed, or the key is paused (a 429's Retry-After) for longer than the caller may still wait.
 */
export type AcquireRefusal = 'cancelled' | 'waitBudgetSpent' | 'deadlinePassed' | 'pausedTooLong';

/** The provider's documented window per key: `limit` requests, or records (each id in a bulk call), per `windowMs`. */
export interface RateWindow {
	limit: number;
	windowMs: number;
	/** What the window counts: requests (ExactBuyer), or the records they carry (Explorium: 50 ids weigh 50). */
	unit: 'request' | 'record';
}

/** Slow start begins with one request per window (without a window: one in flight). */
const STARTING_PACE = 1;

/** A 429 without Retry-After pauses the key this long, doubling per further 429 in a row. */
const PAUSE_WITHOUT_RETRY_AFTER_MS = 1000;
const LONGEST_PAUSE_WITHOUT_RETRY_AFTER_MS = 60_000;

/**
 * Slow start: the pace grows by this many times an accepted request's weight, so the requests in
 * flight grow by half with each round of answers (the pace counts the window's answered requests
 * too). Doubling would reach the documented limit a round sooner but overshoot an unknown smaller
 * one twice as far.
 */
const SLOW_START_GAIN = 1.5;

/**
 * After a lesson the pace grows by 2^(n - PROBE_DELAY) requests per window's worth of answers, n =
 * whole windows since: about a third of a request, then 0.7, 1.4, 2.8… (but at most doubling per window).
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
 * When the provider's headers show that someone else uses the key too (another process, another
 * app), this process claims this share of the room left (at least one request's worth), so that
 * two claimants arriving together do not both take all of it; what it already holds it keeps.
 */
const SHARE_OF_FREE_ROOM = 0.5;
/** Others seen on the key are remembered this many windows: their places come back at each window's turn. */
const OTHERS_REMEMBERED_WINDOWS = 2;

/** One held place: its weight, and when it leaves the window (Infinity while its request is in flight). */
interface WindowEntry {
	weight: number;
	end: number;
	/** When the provider most likely counted it (half way between sending and the answer). */
	countedAt?: number;
}

/**
 * Paces every request on one API key in this process.
 *
 * - **The documented window is never exceeded** (a sliding window, as Explorium and ExactBuyer
 *   count per key). A request holds its weight in the window (1, or the records it carries where the
 *   provider counts records) from before it is sent until `windowMs` after its answer came: the
 *   provider counted it at arrival, somewhere between the two, so this never lets the provider see
 *   one unit too many, whatever the latency.
 * - **What the provider says is left is never exceeded.** Where answers carry X-RateLimit headers
 *   (Explorium), each answer caps what this process may hold in the window at what it holds plus
 *   what is left; when the headers show that others use the key too, at what it holds plus half of
 *   what is left (at least one request's worth). Its own places still free as they leave the window; the next answer tells again.
 *   Other processes and apps on the key thus show up before any 429, and a process that finished
 *   leaves room that the next answers hand back.
 * - **Without headers the real rate is learned from the provider's 429s**, since other processes
 *   (queue-mode workers) may use the same key, or the plan may allow less than documented. The pace
 *   (units per window this process allows itself) starts at one request and grows by half with each
 *   round of answers (slow start) up to the documented limit. Every 429 pauses every request of the
 *   key until the provider's Retry-After (not only the one that got it). 429s that keep coming (two
 *   or more in a window and half of what was accepted in it the first time; 15 % after that) lower
 *   the pace to what the provider accepted from this process in the last window, between 0.7 and
 *   0.85 of what it was; then it grows gently (a third of a request per window, then 0.7, 1.4,
 *   2.8…) and faster the longer no 429 comes. K processes on one key thus settle near a share each
 *   of the provider's real rate, without talking to each other; a stray 429 now and then only
 *   pauses. After a window without any request the key starts afresh (the other processes may be
 *   gone; without a window, after a minute).
 * - A provider without a documented window (Pronto: 5 requests in flight per key) is paced by
 *   requests in flight instead: a 429 pauses the key and lowers how many this process keeps in
 *   flight; each answer without one adds back (additive increase).
 *
 * One limiter serves every run on the same key in this process (see limitsForKey in in-flight-limiter.ts); each caller
 * brings its own clock, so waiting stays cancellable per execution.
 */
export class KeyRateLimiter {
	private readonly entries: WindowEntry[] = [];
	/** Units per window this process allows itself now (or, without a window, requests in flight). */
	private pace: number;
	/** Most this process may hold in the window by the provider's last X-RateLimit report (Infinity: none). */
	private reportedRoom = Number.POSITIVE_INFINITY;
	/** When the last report's room grows again (its Reset): past it, a request may go to ask afresh. */
	private reportExpiresAt = 0;
	/** When a report last showed that others hold part of the window. */
	private othersSeenAt = Number.NEGATIVE_INFINITY;
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

	constructor(readonly window?: RateWindow) {
		this.ceiling = window ? window.limit : Number.POSITIVE_INFINITY;
		this.pace = STARTING_PACE;
	}

	/** How much of the window one request carrying `records` records uses. */
	weightOf(records: number): number {
		return this.window?.unit === 'record' ? Math.max(1, records) : 1;
	}

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
		this.startAfreshIfIdle(clock.now());
		this.callers++;
		try {
			for (;;) {
				const refusal = shouldStop();
				if (refusal) return refusal;
				const now = clock.now();
				const delay = this.delayBeforeNext(now, weight);
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

	/**
	 * After a whole window in which nobody used or waited for the key, what was learned may be stale
	 * (the other processes may be gone): start afresh with a slow start up to the documented limit.
	 */
	private startAfreshIfIdle(now: number): void {
		if (this.callers > 0 || now < this.pausedUntil) return;
		const idleMs = this.window?.windowMs ?? REFUSAL_MEMORY_WITHOUT_WINDOW_MS;
		if (this.held(now) === 0 && now - this.lastActiveAt >= idleMs) this.startAfresh();
	}

	/** Units held now (by requests in flight, or answered less than a window ago). */
	held(now: number): number {
		this.dropEnded(now);
		return this.entries.reduce((sum, entry) => sum + entry.weight, 0);
	}

	/** The units this process may hold in the window now: its pace, within what the provider last said is left. */
	currentPace(): number {
		return Math.min(this.ceiling, Math.floor(this.pace), this.reportedRoom);
	}

	/** Until when the key is paused after a 429 (0 or past = not paused). */
	pausedUntilTime(): number {
		return this.pausedUntil;
	}

	/**
	 * 0 when a request may go now; else how long to wait before looking again, or `nextAnswer` when
	 * an answer to a request in flight is what may let it go (it raises the pace or frees room).
	 */
	private delayBeforeNext(now: number, weight: number): number | 'nextAnswer' {
		if (now < this.pausedUntil) return this.pausedUntil - now;
		this.dropEnded(now);
		if (!this.window) return this.inFlight < Math.max(1, Math.floor(this.pace)) ? 0 : 'nextAnswer';
		const held = this.held(now);
		if (held + weight <= this.currentPace()) return 0;
		if (held === 0) {
			// Nothing of this process in the window: one request goes whatever its weight (the slow
			// start's first), unless the provider said the room is taken; past its Reset, one asks afresh.
			if (weight <= this.reportedRoom || now >= this.reportExpiresAt) return 0;
			return Math.max(1, this.reportExpiresAt - now);
		}
		if (this.inFlight > 0) return 'nextAnswer';
		// Slow start, nothing in flight: a request alone cannot burst. Else a bigger request after a few
		// small ones (an agent's single look-ups, then a run of 50) would wait a minute for their slots.
		if (!this.learned && held + weight <= Math.min(this.ceiling, this.reportedRoom)) return 0;
		return Math.max(1, this.timeUntilRoomFor(weight, held) - now);
	}

	/** When enough of this process's answered places will have left the window for `weight` more. */
	private timeUntilRoomFor(weight: number, held: number): number {
		const ends = this.entries.slice().sort((a, b) => a.end - b.end);
		let left = held;
		for (const entry of ends) {
			left -= entry.weight;
			if (left === 0 || left + weight <= this.currentPace()) return entry.end;
		}
		return ends.length > 0 ? ends[ends.length - 1].end : 0;
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

	private wakeWaiters(): void {
		for (const wake of this.wakers.splice(0)) wake();
	}

	private startAfresh(): void {
		this.learned = false;
		this.pace = STARTING_PACE;
		this.refusalsWithoutRetryAfter = 0;
	}

	private hold(now: number, weight: number): RateSlot {
		// Slow start begins with one request, whatever it weighs.
		if (this.held(now) === 0) this.pace = Math.max(this.pace, Math.min(weight, this.ceiling));
		const entry: WindowEntry = { weight, end: Infinity };
		this.entries.push(entry);
		this.inFlight++;
		this.lastActiveAt = now;
		const heldAt = now;
		let open = true;
		const release = (end: number | undefined) => {
			if (!open) return false;
			open = false;
			this.inFlight--;
			if (end === undefined) this.entries.splice(this.entries.indexOf(entry), 1);
			else entry.end = end;
			// Waiters look again once this call has updated the pace (they resume after it returns).
			this.wakeWaiters();
			return true;
		};
		const windowMs = this.window?.windowMs ?? 0;
		return {
			settle: (at, report) => {
				entry.countedAt = (heldAt + at) / 2;
				if (!release(at + windowMs)) return;
				this.lastActiveAt = at;
				this.heard(at, report, weight);
				this.grow(at, weight);
			},
			giveBack: () => {
				release(undefined);
			},
			rateLimited: (at, retryAfterMs, report) => {
				if (!release(undefined)) return;
				this.lastActiveAt = at;
				this.heard(at, report, weight);
				this.refused(at, heldAt, retryAfterMs, report !== undefined);
			},
		};
	}

	/**
	 * What an answer's headers said is left caps what this process may hold: what it holds now, plus
	 * what is left. Its requests in flight may not be counted in the report yet, so they are taken
	 * from what is left; its own places that the provider has most likely let go already (it counted
	 * them on arrival, before the answer) are its own to take again, not room to claim. Once a report
	 * shows others on the key (within the last two windows), this process claims half of the room left:
	 * what it sees free may be another's place about to be taken again, and two claimants taking all
	 * of the same room would both be refused. It claims one request's worth when that is more and
	 * nobody else shows in this answer, or when it holds no more than the others do (else a process
	 * that came second would stay at its first share while the first one finishes).
	 * An answer without headers lifts the cap (the pace learned from 429s governs again).
	 */
	private heard(now: number, report: WindowReport | undefined, weight: number): void {
		if (!this.window || !report) {
			this.reportedRoom = Number.POSITIVE_INFINITY;
			return;
		}
		this.dropEnded(now);
		let held = 0;
		let inFlight = 0;
		let letGo = 0;
		for (const entry of this.entries) {
			held += entry.weight;
			if (!Number.isFinite(entry.end)) inFlight += entry.weight;
			else if ((entry.countedAt ?? now) + this.window.windowMs <= now) letGo += entry.weight;
		}
		const limit = report.limit ?? this.ceiling;
		const othersHold = limit - report.remaining - (held - letGo);
		const othersNow = othersHold > 0;
		if (othersNow) this.othersSeenAt = now;
		const free = Math.max(0, report.remaining - inFlight - letGo);
		const shared = now - this.othersSeenAt < OTHERS_REMEMBERED_WINDOWS * this.window.windowMs;
		// One request more than half the room: when nobody else shows in this answer (the others may
		// have finished), or when this process holds no more than the others (of two claimants seeing
		// the same room, only the one holding less takes it).
		const oneRequest = free >= weight && (!othersNow || held <= othersHold) ? weight : 0;
		const claim = shared ? Math.max(Math.floor(free * SHARE_OF_FREE_ROOM), oneRequest) : free;
		this.reportedRoom = held + claim;
		this.reportExpiresAt = report.resetAt ?? now + this.window.windowMs;
	}

	/**
	 * An accepted answer of `weight`. Slow start: +1.5 × weight, so the requests in flight grow by
	 * half with each round of answers (the pace counts the window's answered requests too). After a
	 * 429: a gentle probe per window's worth of answers, faster the longer no 429 comes.
	 */
	private grow(now: number, weight: number): void {
		if (this.pace >= this.ceiling) return;
		// Without a window the pace counts requests in flight only: +1 per answer doubles them per round.
		if (!this.learned) this.pace += this.window ? SLOW_START_GAIN * weight : 1;
		else {
			// Close to the share that was refused it probes gently (a third of a request more per
			// window, then 0.7, 1.4, 2.8…); once the key has been quiet for a while (another process
			// finished), it climbs back fast. In records: a request's worth per step.
			const quietWindows = this.window
				? Math.floor((now - this.lastDecreaseAt) / this.window.windowMs)
				: 0;
			const requestsPerWindow = Math.max(1, this.pace / weight);
			const step = Math.min(requestsPerWindow, 2 ** (Math.min(quietWindows, 10) - PROBE_DELAY));
			this.pace += (step * weight) / requestsPerWindow;
		}
		this.pace = Math.min(this.pace, this.ceiling);
	}

	private refused(
		now: number,
		heldAt: number,
		retryAfterMs: number | undefined,
		reported: boolean,
	): void {
		this.pauseAfterRefusal(now, retryAfterMs);
		this.refusedAt.push(now);
		const memoryMs = this.window?.windowMs ?? REFUSAL_MEMORY_WITHOUT_WINDOW_MS;
		while (this.refusedAt.length > 0 && this.refusedAt[0] <= now - memoryMs) this.refusedAt.shift();
		// Where the provider says what is left, that governs: a 429 there is a race with another
		// claimant (the pause waits it out), not a lesson about this process's share.
		// Requests sent before the last decrease were refused for the same excess: one decrease each time.
		if (reported || heldAt < this.lastDecreaseAt) return;
		const acceptedShare = this.window ? this.acceptedPerWindow(now) : this.inFlight;
		if (this.teaches(acceptedShare)) this.lowerPace(now, acceptedShare);
	}

	/** Whether the 429s remembered say that this process's share is too large. */
	private teaches(acceptedShare: number): boolean {
		// Refused before the provider took anything from this process in the window: that says the key
		// is busy (the pause waits it out), not what this process's share is.
		if (acceptedShare === 0) return false;
		// A stray 429 now and then (a provider's hiccup) teaches nothing: only refusals that keep
		// coming, in proportion to what was accepted, say the share is too large.
		const refused = this.refusedAt.length * (this.window ? this.typicalWeight() : 1);
		if (refused < REFUSED_SHARE_TO_LEARN * acceptedShare) return false;
		// The first lesson takes more: one or two 429s may be a hiccup even when little was accepted.
		return (
			this.learned ||
			(this.refusedAt.length >= 2 && refused >= FIRST_REFUSED_SHARE_TO_LEARN * acceptedShare)
		);
	}

	private lowerPace(now: number, acceptedShare: number): void {
		this.lastDecreaseAt = now;
		this.learned = true;
		// Without a window the pace is requests in flight: what was in flight (the refused one too) is the measure.
		const before = this.window
			? Math.min(this.pace, this.ceiling)
			: Math.min(this.pace, this.inFlight + 1);
		const lowered = Math.max(
			Math.floor(before * LOWEST_DECREASE_FACTOR),
			Math.min(Math.floor(before * DECREASE_FACTOR), acceptedShare),
		);
		this.pace = Math.max(1, lowered);
	}

	private pauseAfterRefusal(now: number, retryAfterMs: number | undefined): void {
		if (retryAfterMs === undefined || retryAfterMs <= 0) {
			const backoff = Math.min(
				LONGEST_PAUSE_WITHOUT_RETRY_AFTER_MS,
				PAUSE_WITHOUT_RETRY_AFTER_MS * 2 ** this.refusalsWithoutRetryAfter,
			);
			this.refusalsWithoutRetryAfter++;
			this.pausedUntil = Math.max(this.pausedUntil, now + backoff);
		} else {
			this.refusalsWithoutRetryAfter = 0;
			this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		}
		// A pause is not idleness: the key is still in use until it ends.
		this.lastActiveAt = Math.max(this.lastActiveAt, this.pausedUntil);
	}

	/**
	 * What the provider takes from this process per window: the units it accepted within the last
	 * window, over the time from the first of them until it accepts again (this pause's end). Where
	 * its real window is shorter than the documented one (30 requests per 3 s), it accepts as much
	 * again after a short Retry-After; counted per documented window only, that would look like 30 a
	 * minute, and the run would go 20 times slower than the provider allows.
	 */
	private acceptedPerWindow(now: number): number {
		this.dropEnded(now);
		let accepted = 0;
		let since = now;
		for (const entry of this.entries) {
			if (!Number.isFinite(entry.end)) continue;
			accepted += entry.weight;
			since = Math.min(since, entry.countedAt ?? now);
		}
		const windowMs = this.window?.windowMs ?? 0;
		const spanMs = Math.max(now, this.pausedUntil) - since;
		return spanMs > 0 && spanMs < windowMs ? (accepted * windowMs) / spanMs : accepted;
	}

	/** The weight of a request as this process sends them (refusals are counted in requests). */
	private typicalWeight(): number {
		const answered = this.entries.filter((entry) => Number.isFinite(entry.end));
		return answered.length === 0
			? 1
			: answered.reduce((sum, entry) => sum + entry.weight, 0) / answered.length;
	}

	private dropEnded(now: number): void {
		for (let index = this.entries.length - 1; index >= 0; index--) {
			if (this.entries[index].end <= now) this.entries.splice(index, 1);
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
