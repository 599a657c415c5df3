/** How often and how long a single request may be retried, and how long a run may wait for the rate limit. */
export interface RetryPolicy {
	/** Retries after failures (5xx, resets, timeouts); a 429 is no failure and not counted. */
	maxRetries: number;
	/** First backoff; doubled on each further attempt. */
	baseDelayMs: number;
	/** Largest single backoff (a longer Retry-After is still honoured within the total). */
	maxDelayMs: number;
	/** Total time one request may spend waiting between attempts after failures. */
	maxTotalWaitMs: number;
	/**
	 * Total time one node run may spend waiting for the provider's rate limit (its window, a pace
	 * learned from 429s, their Retry-After). Waiting is safe and free: a 429 was not accepted.
	 */
	maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxTotalWaitMs: 120_000,
	maxRateLimitWaitMs: 3_600_000,
};

/**
 * The longest pause a Retry-After may impose. The documented windows are a minute; a provider asking
 * for longer speaks of a quota (an hour, a day) or misbehaves (a 400-digit number, a date years
 * ahead). Trusting it would stall every run on the key for that long (or until n8n restarts), while
 * asking again every ten minutes costs one refused, free request each time.
 */
export const LONGEST_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Reads a Retry-After header: delay-seconds or an HTTP date. Returns milliseconds, at most
 * LONGEST_RETRY_AFTER_MS, or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: unknown, nowMs: number): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	const within = (ms: number) => Math.min(LONGEST_RETRY_AFTER_MS, ms);
	if (typeof value === 'number') return value >= 0 ? within(value * 1000) : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return within(Math.ceil(Number(trimmed) * 1000));
	if (/^[-+]?\d/.test(trimmed)) return undefined; // a signed or malformed number is no HTTP date either
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return within(Math.max(0, date - nowMs));
}

/** Exponential backoff with full jitter: a random wait in [base/2, base * 2^attempt], capped. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	const floor = Math.min(ceiling, policy.baseDelayMs / 2);
	return Math.round(floor + random() * (ceiling - floor));
}
