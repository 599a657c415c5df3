import { KeyPacer, type WindowReport } from './key-pacer';

/** None without a readable Remaining. Reset: Unix seconds, or (small) seconds from now as some APIs send. */
export function readWindowReport(header: (name: string) => unknown, now: number) {
	const remaining = wholeNumber(header('x-ratelimit-remaining'));
	if (remaining === undefined) return undefined;
	const limit = wholeNumber(header('x-ratelimit-limit')) || undefined; // 0: none
	const reset = wholeNumber(header('x-ratelimit-reset'));
	const resetAt = reset === undefined ? undefined : reset > 1e9 ? reset * 1000 : now + reset * 1000;
	return { remaining, limit, resetAt };
}

function wholeNumber(value: unknown): number | undefined {
	const text: unknown = Array.isArray(value) ? value[0] : value;
	const number = typeof text === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
	return typeof number === 'number' && Number.isFinite(number) && number >= 0
		? Math.floor(number)
		: undefined;
}

/** The provider's documented window per key: `limit` units per `windowMs`. */
export interface RateWindow {
	limit: number;
	windowMs: number;
	/** What the window counts: requests (ExactBuyer), or the records they carry (Explorium: 50 ids weigh 50). */
	unit: 'request' | 'record';
}

// Slow start: +1.5 × an accepted request's weight grows the requests in flight by half per round (the
// pace counts answered ones too); doubling would overshoot an unknown smaller limit twice as far.
const SLOW_START_GAIN = 1.5;
/** With others on the key, two claimants taking all of the same room left would both be refused. */
const SHARE_OF_FREE_ROOM = 0.5;
/** Others seen on the key are remembered this many windows: their places come back at each window's turn. */
const OTHERS_REMEMBERED_WINDOWS = 2;

interface WindowEntry {
	weight: number;
	sentAt: number;
	end: number; // when it leaves the window (Infinity while its request is in flight)
	countedAt?: number; // when the provider most likely counted it: half way between sending and answer
}

/**
 * Paces one API key with a documented window (Explorium, ExactBuyer) for every run in this process
 * (limitsForKey); each caller brings its own clock, so waiting stays cancellable per execution.
 * - The documented (sliding) window is never exceeded: a request holds its weight from before it is
 *   sent until `windowMs` after its answer, as the provider counted it somewhere in between.
 * - Nor is what X-RateLimit headers (Explorium) say is left: others on the key show up before any
 *   429, and room a finished process leaves comes back with the next answers.
 * - Without headers the real rate is learned from 429s (KeyPacer), so K processes on one key settle
 *   near a share each of its real rate.
 */
export class WindowPacer extends KeyPacer {
	private entries: WindowEntry[] = [];
	/** Places that left this process's count lately: a report may still count them as its own. */
	private ended: WindowEntry[] = [];
	/** Most this process may hold by the last X-RateLimit report (Infinity: none). */
	private reportedRoom = Number.POSITIVE_INFINITY;
	/** The last report's Reset: past it, a request may go to ask afresh. */
	private reportExpiresAt = 0;
	private othersSeenAt = Number.NEGATIVE_INFINITY;
	/** What the others held at the previous report, to tell whether they are still growing. */
	private othersBefore = { hold: 0, at: Number.NEGATIVE_INFINITY };
	/** When the request whose answer last set the room was sent. */
	private heardFromSentAt = Number.NEGATIVE_INFINITY;

	constructor(readonly window: RateWindow) {
		super(window.limit, window.windowMs);
	}

	override weightOf(records: number): number {
		return this.window.unit === 'record' ? Math.max(1, records) : 1;
	}

	/** Units held by requests in flight or answered less than a window ago. */
	held(now: number): number {
		this.dropEnded(now);
		return this.entries.reduce((sum, entry) => sum + entry.weight, 0);
	}

	private currentPace(): number {
		return Math.min(this.ceiling, Math.floor(this.pace), this.reportedRoom);
	}

	protected delayBeforeNext(now: number, weight: number): number | 'nextAnswer' {
		const held = this.held(now);
		if (held + weight <= this.currentPace()) return 0;
		// Nothing of this process in the window: one request goes whatever its weight (the slow
		// start's first), unless the provider said the room is taken; past its Reset, one asks afresh.
		if (held === 0 && (weight <= this.reportedRoom || now >= this.reportExpiresAt)) return 0;
		if (held === 0) return Math.max(1, this.reportExpiresAt - now);
		if (this.inFlight > 0) return 'nextAnswer';
		// Slow start, nothing in flight: a request alone cannot burst. Else a bigger request after a few
		// small ones (an agent's single look-ups, then a run of 50) would wait a minute for their slots.
		if (!this.learned && held + weight <= Math.min(this.ceiling, this.reportedRoom)) return 0;
		// Until enough of this process's answered places have left the window for `weight` more.
		const ends = this.entries.slice().sort((a, b) => a.end - b.end);
		let left = held;
		for (const entry of ends) {
			left -= entry.weight;
			if (left === 0 || left + weight <= this.currentPace()) return Math.max(1, entry.end - now);
		}
		return Math.max(1, (ends.length > 0 ? ends[ends.length - 1].end : 0) - now);
	}

	protected place(now: number, weight: number): (answeredAt: number | undefined) => void {
		// Slow start begins with one request, whatever it weighs.
		if (this.held(now) === 0) this.pace = Math.max(this.pace, Math.min(weight, this.ceiling));
		const entry: WindowEntry = { weight, sentAt: now, end: Infinity };
		this.entries.push(entry);
		return (answeredAt) => {
			if (answeredAt === undefined) return void this.entries.splice(this.entries.indexOf(entry), 1);
			entry.countedAt = (now + answeredAt) / 2;
			entry.end = answeredAt + this.window.windowMs;
		};
	}

	/**
	 * A report caps what this process may hold at what it holds plus what is left (half of it with
	 * others on the key). Its requests in flight may not be counted yet, so they come off what is
	 * left; its places the provider most likely let go already, and those that left the window since
	 * this request went (not yet taken again), are its own to take again, not room to claim. No
	 * headers: no cap (the learned pace governs). An answer to a request sent before the last one
	 * heard is older news, and is ignored.
	 */
	protected override heard(now: number, weight: number, sentAt: number, report?: WindowReport) {
		if (sentAt < this.heardFromSentAt) return;
		this.heardFromSentAt = sentAt;
		if (!report) return void (this.reportedRoom = Number.POSITIVE_INFINITY);
		this.dropEnded(now);
		let [held, inFlight, letGo, heldWhenSent] = [0, 0, 0, 0];
		for (const entry of this.entries) {
			held += entry.weight;
			if (!Number.isFinite(entry.end)) inFlight += entry.weight;
			else if ((entry.countedAt ?? now) + this.window.windowMs <= now) letGo += entry.weight;
		}
		for (const entry of [...this.entries, ...this.ended])
			if (entry.sentAt <= sentAt && entry.end > sentAt) heldWhenSent += entry.weight;
		const owed = Math.max(0, heldWhenSent - held);
		const othersHold = (report.limit ?? this.ceiling) - report.remaining - (held - letGo);
		if (othersHold > 0) this.othersSeenAt = now;
		const free = Math.max(0, report.remaining - inFlight - letGo - owed);
		this.reportedRoom = held + owed + this.claimOf(now, free, weight, held, owed, othersHold);
		this.reportExpiresAt = report.resetAt ?? now + this.window.windowMs;
	}

	/**
	 * Alone on the key: all that is free. With others: nothing while its own places wait to be taken
	 * again (the others are taking theirs at that turn, so what looks free is theirs); else half, or
	 * one request more when nobody else shows (they may have finished), or when this process holds no
	 * more than the others and they are not still growing (of two claimants seeing the same room,
	 * only the one holding less takes it; a newcomer does not take what a starting process claims).
	 */
	private claimOf(
		now: number,
		free: number,
		weight: number,
		held: number,
		owed: number,
		othersHold: number,
	) {
		const remembered = OTHERS_REMEMBERED_WINDOWS * this.window.windowMs;
		const before = now - this.othersBefore.at < remembered ? this.othersBefore.hold : 0;
		this.othersBefore = { hold: othersHold, at: now };
		if (now - this.othersSeenAt >= remembered) return free;
		if (owed > 0) return 0;
		const settled = othersHold <= 0 || (othersHold <= before && held <= othersHold);
		const oneRequest = free >= weight && settled ? weight : 0;
		return Math.max(Math.floor(free * SHARE_OF_FREE_ROOM), oneRequest);
	}

	protected slowStartGrowth = (weight: number) => SLOW_START_GAIN * weight;
	protected quietWindows = (now: number) =>
		Math.floor((now - this.lastDecreaseAt) / this.window.windowMs);

	/**
	 * The units accepted within the last window, over the time from the first of them until it
	 * accepts again (this pause's end). Where the real window is shorter than the documented one (30
	 * requests per 3 s), counting per documented window would read as 30 a minute: 20 times too slow.
	 */
	protected acceptedShare(now: number): number {
		this.dropEnded(now);
		let accepted = 0;
		let since = now;
		for (const entry of this.entries) {
			if (!Number.isFinite(entry.end)) continue;
			accepted += entry.weight;
			since = Math.min(since, entry.countedAt ?? now);
		}
		const { windowMs } = this.window;
		const spanMs = Math.max(now, this.pausedUntilTime()) - since;
		return spanMs > 0 && spanMs < windowMs ? (accepted * windowMs) / spanMs : accepted;
	}

	/** The average weight of this process's answered requests (refusals are counted in requests). */
	protected refusalWeight(): number {
		const answered = this.entries.filter((entry) => Number.isFinite(entry.end));
		return answered.reduce((sum, entry) => sum + entry.weight, 0) / answered.length || 1;
	}

	private dropEnded(now: number): void {
		const { windowMs } = this.window;
		this.ended = this.ended.filter((entry) => entry.end > now - windowMs);
		this.ended.push(...this.entries.filter((entry) => entry.end <= now));
		this.entries = this.entries.filter((entry) => entry.end > now);
	}
}
