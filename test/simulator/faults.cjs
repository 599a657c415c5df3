// @ts-check
'use strict';
/**
 * Fault injection, sliding rate-limit windows and Pronto's concurrency queue for the simulator.
 */

/** @typedef {'explorium' | 'pronto' | 'exactbuyer'} ProviderName */

/**
 * A fault to inject. Faults match in order of injection; each is used up after `times` matches
 * (default 1; `Infinity` or a negative number = never used up).
 * @typedef {object} Fault
 * @property {ProviderName} [provider] only requests to this provider
 * @property {string} [path] substring of the request path (without the provider prefix and query)
 * @property {string} [method] only this HTTP method
 * @property {number} [times] how many requests it answers (default 1)
 * @property {'status' | 'latency' | 'reset' | 'hang' | 'trickle'} kind `trickle`: the real answer, its body sent one byte every `ms`
 * @property {number} [status] for `status` (default 500)
 * @property {Record<string, string>} [headers] extra response headers for `status` (e.g. Retry-After)
 * @property {unknown} [body] response body for `status`: a string is sent as is, anything else as JSON
 * @property {string} [contentType] content type for a string `body`
 * @property {number} [probability] 0..1: the fault hits a matching request with this chance (seeded, reproducible), else the request goes on to the next matching fault; only hits use it up
 * @property {number} [ms] for `latency`: wait this long, then handle the request normally; for `trickle`: the pause between bytes
 */

/** @typedef {{status: number, headers?: Record<string, string>, json?: unknown, text?: string, contentType?: string}} SimResponse */

/** The documented HTML body ExactBuyer answers a 429 with. */
const EXACTBUYER_429_HTML =
	'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>429 Too Many Requests</title>\n<h1>Too Many Requests</h1>\n<p>200 per 1 minute</p>\n';

/** @type {Record<number, string>} */
const STATUS_TEXT = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	408: 'Request Timeout',
	409: 'Conflict',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** @param {number} status */
function statusText(status) {
	return STATUS_TEXT[status] ?? 'Error';
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
function sleep(ms) {
	return new Promise((resolve) => {
		setTimeout(resolve, Math.max(0, ms));
	});
}

/**
 * @param {number} limit
 * @param {number} windowMs
 */
function describeWindow(limit, windowMs) {
	if (windowMs % 60000 === 0) return `${limit} per ${windowMs / 60000} minute`;
	return `${limit} per ${Math.max(1, Math.ceil(windowMs / 1000))} second`;
}

/**
 * The provider's 429 answer.
 * @param {ProviderName} provider
 * @param {number} retryAfterSeconds
 * @param {{limit: number, windowMs: number, resetAtMs?: number}} [window]
 * @returns {SimResponse}
 */
function tooManyRequests(provider, retryAfterSeconds, window) {
	const retry = String(retryAfterSeconds);
	if (provider === 'explorium') {
		/** @type {Record<string, string>} */
		const headers = { 'Retry-After': retry };
		if (window) {
			headers['X-RateLimit-Limit'] = String(window.limit);
			headers['X-RateLimit-Remaining'] = '0';
			headers['X-RateLimit-Reset'] = String(Math.ceil((window.resetAtMs ?? Date.now() + retryAfterSeconds * 1000) / 1000));
		}
		return {
			status: 429,
			headers,
			json: {
				error: 'rate_limit_exceeded',
				message: `API rate limit exceeded. Please retry after ${retryAfterSeconds} seconds.`,
				retry_after: retryAfterSeconds,
			},
		};
	}
	if (provider === 'exactbuyer') {
		const text = window ? EXACTBUYER_429_HTML.replace('200 per 1 minute', describeWindow(window.limit, window.windowMs)) : EXACTBUYER_429_HTML;
		return { status: 429, headers: { 'Retry-After': retry }, text, contentType: 'text/html; charset=utf-8' };
	}
	return { status: 429, headers: { 'Retry-After': retry }, json: { error: 429, message: 'Too Many Requests' } };
}

/**
 * The answer to a `status` fault.
 * @param {ProviderName} provider
 * @param {Fault} fault
 * @returns {SimResponse}
 */
function faultResponse(provider, fault) {
	const status = fault.status ?? 500;
	/** @type {Record<string, string>} */
	const headers = { ...(fault.headers ?? {}) };
	if (fault.body !== undefined) {
		if (typeof fault.body === 'string') {
			const looksHtml = /^\s*</.test(fault.body);
			return { status, headers, text: fault.body, contentType: fault.contentType ?? (looksHtml ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8') };
		}
		return { status, headers, json: fault.body, contentType: fault.contentType };
	}
	if (status === 429) {
		const retryHeader = Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after');
		const retryAfter = retryHeader ? Number(retryHeader[1]) : 1;
		const base = tooManyRequests(provider, Number.isFinite(retryAfter) ? retryAfter : 1);
		const merged = { ...(base.headers ?? {}) };
		for (const [k, v] of Object.entries(headers)) {
			for (const existing of Object.keys(merged)) if (existing.toLowerCase() === k.toLowerCase()) delete merged[existing];
			merged[k] = v;
		}
		return { ...base, headers: merged };
	}
	const text = statusText(status);
	if (provider === 'explorium') return { status, headers, json: { detail: text } };
	if (provider === 'pronto') return { status, headers, json: { error: status, message: text } };
	return { status, headers, json: { error: text } };
}

/** Queue of injected faults. */
/**
 * A small seeded PRNG (mulberry32): probabilistic faults hit the same requests on every run.
 * @param {number} seed
 * @returns {() => number}
 */
function seededRandom(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

class FaultQueue {
	constructor(seed = 1) {
		/** @type {Array<Fault & {remaining: number}>} */
		this.faults = [];
		this.random = seededRandom(seed);
	}

	/**
	 * @param {Fault} fault
	 */
	inject(fault) {
		const kinds = ['status', 'latency', 'reset', 'hang', 'trickle'];
		if (!fault || typeof fault !== 'object' || !kinds.includes(fault.kind)) {
			throw new Error(`fault.kind must be one of ${kinds.join(', ')}`);
		}
		if (fault.provider !== undefined && !['explorium', 'pronto', 'exactbuyer'].includes(fault.provider)) {
			throw new Error('fault.provider must be explorium, pronto or exactbuyer');
		}
		if (fault.kind === 'latency' && !(typeof fault.ms === 'number' && fault.ms >= 0)) {
			throw new Error('a latency fault needs ms >= 0');
		}
		if (fault.probability !== undefined && !(typeof fault.probability === 'number' && fault.probability >= 0 && fault.probability <= 1)) {
			throw new Error('fault.probability must be a number from 0 to 1');
		}
		const times = fault.times === undefined || fault.times === null ? 1 : Number(fault.times);
		if (Number.isNaN(times) || times === 0) throw new Error('fault.times must be a number other than 0');
		this.faults.push({ ...fault, remaining: times < 0 ? Infinity : times });
	}

	/**
	 * The first fault matching this request (used up by one), or undefined.
	 * @param {ProviderName} provider
	 * @param {string} method
	 * @param {string} path
	 * @returns {Fault | undefined}
	 */
	take(provider, method, path) {
		for (let index = 0; index < this.faults.length; index++) {
			const fault = /** @type {Fault & {remaining: number}} */ (this.faults[index]);
			const matches =
				(fault.provider === undefined || fault.provider === provider) &&
				(fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()) &&
				(fault.path === undefined || path.includes(fault.path));
			if (!matches) continue;
			if (fault.probability !== undefined && this.random() >= fault.probability) continue;
			fault.remaining -= 1;
			if (fault.remaining <= 0) this.faults.splice(index, 1);
			const { remaining: _remaining, ...rest } = fault;
			return rest;
		}
		return undefined;
	}

	/** Faults not used up yet. */
	pending() {
		return this.faults.map((f) => ({ ...f }));
	}

	clear() {
		this.faults.length = 0;
		this.random = seededRandom(1);
	}
}

/** Sliding-window rate limits per provider and API key. */
class RateLimiter {
	constructor() {
		/** @type {Map<ProviderName, {limit: number, windowMs: number}>} */
		this.limits = new Map();
		/** @type {Map<string, number[]>} */
		this.windows = new Map();
	}

	/**
	 * @param {ProviderName} provider
	 * @param {{limit?: number, windowMs?: number} | null} config null = off; missing fields = the provider's documented 200 per 60 s
	 */
	set(provider, config) {
		for (const key of [...this.windows.keys()]) if (key.startsWith(`${provider}|`)) this.windows.delete(key);
		if (config === null || config === undefined) {
			this.limits.delete(provider);
			return;
		}
		const limit = config.limit ?? 200;
		const windowMs = config.windowMs ?? 60000;
		if (!(Number.isInteger(limit) && limit > 0) || !(typeof windowMs === 'number' && windowMs > 0)) {
			throw new Error('rate limit needs an integer limit > 0 and windowMs > 0');
		}
		this.limits.set(provider, { limit, windowMs });
	}

	/**
	 * Counts a request if a slot is free; otherwise says how long until one frees.
	 * @param {ProviderName} provider
	 * @param {string} apiKey
	 * @param {number} [now]
	 * @returns {{ok: true} | {ok: false, retryAfterMs: number, limit: number, windowMs: number}}
	 */
	hit(provider, apiKey, now = Date.now()) {
		const config = this.limits.get(provider);
		if (!config) return { ok: true };
		const key = `${provider}|${apiKey}`;
		const stamps = (this.windows.get(key) ?? []).filter((t) => t > now - config.windowMs);
		if (stamps.length >= config.limit) {
			this.windows.set(key, stamps);
			const oldest = /** @type {number} */ (stamps[stamps.length - config.limit]);
			return { ok: false, retryAfterMs: Math.max(0, oldest + config.windowMs - now), limit: config.limit, windowMs: config.windowMs };
		}
		stamps.push(now);
		this.windows.set(key, stamps);
		return { ok: true };
	}

	clear() {
		this.limits.clear();
		this.windows.clear();
	}
}

/** A counting semaphore with a FIFO queue (Pronto: 5 concurrent requests, extra queued). */
class ConcurrencyQueue {
	/** @param {number} max */
	constructor(max) {
		this.max = max;
		this.active = 0;
		this.maxActive = 0;
		/** Most requests that arrived while earlier ones were active or queued: above `max` means a client sent too many at once. */
		this.maxArrived = 0;
		/** @type {Array<() => void>} */
		this.waiting = [];
	}

	/** @returns {Promise<void>} */
	acquire() {
		this.maxArrived = Math.max(this.maxArrived, this.active + this.waiting.length + 1);
		if (this.active < this.max) {
			this.active += 1;
			this.maxActive = Math.max(this.maxActive, this.active);
			return Promise.resolve();
		}
		return new Promise((resolve) => {
			this.waiting.push(() => {
				this.active += 1;
				this.maxActive = Math.max(this.maxActive, this.active);
				resolve();
			});
		});
	}

	release() {
		this.active = Math.max(0, this.active - 1);
		const next = this.waiting.shift();
		if (next) next();
	}

	stats() {
		return { active: this.active, queued: this.waiting.length, maxActive: this.maxActive, maxArrived: this.maxArrived, limit: this.max };
	}

	resetStats() {
		this.maxActive = this.active;
		this.maxArrived = this.active + this.waiting.length;
	}
}

module.exports = { EXACTBUYER_429_HTML, statusText, sleep, tooManyRequests, faultResponse, FaultQueue, RateLimiter, ConcurrencyQueue };
