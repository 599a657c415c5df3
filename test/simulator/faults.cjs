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
 * @property {'status' | 'latency' | 'reset' | 'hang' | 'trickle' | 'flood' | 'rows'} kind `trickle`: the real answer, its body sent one byte every `ms`; `flood`: status 200 and a JSON body that never ends, written as fast as the client reads
 *   `rows`: the real 2xx answer with its row list (`data`, `matched_*`) reshaped as `rows` says
 * @property {number} [status] for `status` (default 500)
 * @property {Record<string, string>} [headers] extra response headers for `status` (e.g. Retry-After)
 * @property {unknown} [body] response body for `status`: a string is sent as is, anything else as JSON
 * @property {string} [contentType] content type for a string `body`
 * @property {number} [probability] 0..1: the fault hits a matching request with this chance (seeded, reproducible), else the request goes on to the next matching fault; only hits use it up
 * @property {number} [ms] for `latency`: wait this long, then handle the request normally; for `trickle`: the pause between bytes
 * @property {RowsReshape} [rows] for `rows`: `duplicateEmpty` adds after each row a second one for the same id, upper-cased,
 *   with empty data; `blankEcho` / `companyEcho` make every match row's `input` echo `{}` / only its `company_name`; `reverse` reverses the rows
 */

/** @typedef {'duplicateEmpty' | 'blankEcho' | 'companyEcho' | 'reverse'} RowsReshape */

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
 * The provider's 429 answer. With a window (the simulator's own limiter), Explorium's carries the
 * X-RateLimit headers of the key's window unless the window's `headers` is false.
 * @param {ProviderName} provider
 * @param {number} retryAfterSeconds
 * @param {{limit: number, windowMs: number, resetAtMs?: number, remaining?: number, headers?: boolean}} [window]
 * @returns {SimResponse}
 */
function tooManyRequests(provider, retryAfterSeconds, window) {
	const retry = String(retryAfterSeconds);
	if (provider === 'explorium') {
		/** @type {Record<string, string>} */
		const headers = { 'Retry-After': retry };
		if (window && window.headers !== false) {
			Object.assign(
				headers,
				rateLimitHeaders({
					limit: window.limit,
					remaining: window.remaining ?? 0,
					resetAtMs: window.resetAtMs ?? Date.now() + retryAfterSeconds * 1000,
				}),
			);
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
		const text = window
			? EXACTBUYER_429_HTML.replace(
					'200 per 1 minute',
					describeWindow(window.limit, window.windowMs),
				)
			: EXACTBUYER_429_HTML;
		return {
			status: 429,
			headers: { 'Retry-After': retry },
			text,
			contentType: 'text/html; charset=utf-8',
		};
	}
	return {
		status: 429,
		headers: { 'Retry-After': retry },
		json: { error: 429, message: 'Too Many Requests' },
	};
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
			return {
				status,
				headers,
				text: fault.body,
				contentType:
					fault.contentType ??
					(looksHtml ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8'),
			};
		}
		return { status, headers, json: fault.body, contentType: fault.contentType };
	}
	if (status === 429) {
		const retryHeader = Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after');
		const retryAfter = retryHeader ? Number(retryHeader[1]) : 1;
		const base = tooManyRequests(provider, Number.isFinite(retryAfter) ? retryAfter : 1);
		const merged = { ...(base.headers ?? {}) };
		for (const [k, v] of Object.entries(headers)) {
			for (const existing of Object.keys(merged))
				if (existing.toLowerCase() === k.toLowerCase()) delete merged[existing];
			merged[k] = v;
		}
		return { ...base, headers: merged };
	}
	const text = statusText(status);
	if (provider === 'explorium') return { status, headers, json: { detail: text } };
	if (provider === 'pronto') return { status, headers, json: { error: status, message: text } };
	return { status, headers, json: { error: text } };
}

/**
 * A real answer with its row list reshaped by a `rows` fault (misbehaviours seen from Explorium-like
 * APIs: a second, empty row for an id; echoes that cannot tell rows apart; rows out of order).
 * @param {SimResponse} response
 * @param {RowsReshape} reshape
 * @returns {SimResponse}
 */
function reshapeRows(response, reshape) {
	const json = /** @type {Record<string, unknown>} */ (response.json);
	if (response.status >= 300 || !json || typeof json !== 'object') return response;
	const key = Object.keys(json).find((name) => name === 'data' || name.startsWith('matched_'));
	if (!key || !Array.isArray(json[key])) return response;
	/** @type {Array<Record<string, unknown>>} */
	let rows = json[key];
	if (reshape === 'duplicateEmpty') {
		rows = rows.flatMap((row) => {
			const idKey = Object.keys(row).find((name) => name.endsWith('_id'));
			return idKey ? [row, { [idKey]: String(row[idKey]).toUpperCase(), data: {} }] : [row];
		});
	} else if (reshape === 'reverse') {
		rows = rows.slice().reverse();
	} else {
		// Reversed too, so rows matched by position alone go to the wrong inputs.
		rows = rows
			.map((row) => {
				const input = /** @type {Record<string, unknown>} */ (row.input ?? {});
				return {
					...row,
					input:
						reshape === 'blankEcho'
							? {}
							: { company_name: input.company_name ?? input.name ?? null },
				};
			})
			.reverse();
	}
	return { ...response, json: { ...json, [key]: rows } };
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
		const kinds = ['status', 'latency', 'reset', 'hang', 'trickle', 'flood', 'rows'];
		if (!fault || typeof fault !== 'object' || !kinds.includes(fault.kind)) {
			throw new Error(`fault.kind must be one of ${kinds.join(', ')}`);
		}
		if (
			fault.provider !== undefined &&
			!['explorium', 'pronto', 'exactbuyer'].includes(fault.provider)
		) {
			throw new Error('fault.provider must be explorium, pronto or exactbuyer');
		}
		if (fault.kind === 'latency' && !(typeof fault.ms === 'number' && fault.ms >= 0)) {
			throw new Error('a latency fault needs ms >= 0');
		}
		if (
			fault.kind === 'rows' &&
			!['duplicateEmpty', 'blankEcho', 'companyEcho', 'reverse'].includes(String(fault.rows))
		) {
			throw new Error('a rows fault needs rows: duplicateEmpty, blankEcho, companyEcho or reverse');
		}
		if (
			fault.probability !== undefined &&
			!(typeof fault.probability === 'number' && fault.probability >= 0 && fault.probability <= 1)
		) {
			throw new Error('fault.probability must be a number from 0 to 1');
		}
		const times = fault.times === undefined || fault.times === null ? 1 : Number(fault.times);
		if (Number.isNaN(times) || times === 0)
			throw new Error('fault.times must be a number other than 0');
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

/**
 * What one request costs in a rate window: `requests` = 1 each; `entities` = its entity count
 * (Explorium's documented rule: each entity in a bulk or match payload is one query).
 * @typedef {'requests' | 'entities'} RateUnit
 */

/**
 * A rate window as configured (`setRateLimit`, `POST /__admin/rate-limit`). Missing fields: the
 * provider's documented 200 per 60 s; for Explorium `unit: 'entities'` and `headers: true`, for the
 * others `unit: 'requests'` and `headers: false` (neither is allowed otherwise for them).
 * @typedef {object} RateLimitConfig
 * @property {number} [limit] requests or entities per window (integer > 0)
 * @property {number} [windowMs] the sliding window (> 0)
 * @property {RateUnit} [unit] what one request costs; `entities` for Explorium only
 * @property {boolean} [headers] `X-RateLimit-Limit/-Remaining/-Reset` on every answer to the key (Explorium only)
 */

/** @typedef {{limit: number, windowMs: number, unit: RateUnit, headers: boolean}} RateWindowSettings */

/**
 * The key's window once a request was counted (or refused): what the X-RateLimit headers say.
 * `resetAtMs`: when the oldest entry still in the window leaves it, i.e. when `remaining` next grows
 * (now, when the window is empty).
 * @typedef {{limit: number, windowMs: number, unit: RateUnit, headers: boolean, weight: number, remaining: number, resetAtMs: number}} RateWindowState
 */

/**
 * @typedef {({ok: true} & Partial<RateWindowState>) | ({ok: false, retryAfterMs: number} & RateWindowState)} RateVerdict
 * `ok: true` without the state fields when the provider has no window.
 */

/**
 * The three X-RateLimit headers of a window state (`X-RateLimit-Reset` in whole Unix seconds,
 * rounded up so that a client waiting until then finds the room it was told about).
 * @param {{limit: number, remaining: number, resetAtMs: number}} state
 * @returns {Record<string, string>}
 */
function rateLimitHeaders(state) {
	return {
		'X-RateLimit-Limit': String(state.limit),
		'X-RateLimit-Remaining': String(Math.max(0, state.remaining)),
		'X-RateLimit-Reset': String(Math.ceil(state.resetAtMs / 1000)),
	};
}

/** Sliding-window rate limits per provider and API key, counting requests or entities. */
class RateLimiter {
	constructor() {
		/** @type {Map<ProviderName, RateWindowSettings>} */
		this.limits = new Map();
		/** @type {Map<string, Array<{at: number, weight: number}>>} */
		this.windows = new Map();
	}

	/**
	 * @param {ProviderName} provider
	 * @param {RateLimitConfig | null} config null = off; see RateLimitConfig for the defaults
	 */
	set(provider, config) {
		for (const key of [...this.windows.keys()])
			if (key.startsWith(`${provider}|`)) this.windows.delete(key);
		if (config === null || config === undefined) {
			this.limits.delete(provider);
			return;
		}
		const limit = config.limit ?? 200;
		const windowMs = config.windowMs ?? 60000;
		if (
			!(Number.isInteger(limit) && limit > 0) ||
			!(typeof windowMs === 'number' && windowMs > 0)
		) {
			throw new Error('rate limit needs an integer limit > 0 and windowMs > 0');
		}
		const isExplorium = provider === 'explorium';
		const unit = config.unit ?? (isExplorium ? 'entities' : 'requests');
		if (unit !== 'requests' && unit !== 'entities')
			throw new Error("rate limit unit must be 'requests' or 'entities'");
		if (unit === 'entities' && !isExplorium)
			throw new Error(
				'only Explorium counts entities (its documented rule); other providers count requests',
			);
		const headers = config.headers ?? isExplorium;
		if (typeof headers !== 'boolean') throw new Error('rate limit headers must be true or false');
		if (headers && !isExplorium)
			throw new Error('only Explorium documents X-RateLimit headers; other providers send none');
		this.limits.set(provider, { limit, windowMs, unit, headers });
	}

	/**
	 * The provider's window settings, or undefined when it has none.
	 * @param {ProviderName} provider
	 * @returns {RateWindowSettings | undefined}
	 */
	get(provider) {
		const settings = this.limits.get(provider);
		return settings ? { ...settings } : undefined;
	}

	/**
	 * Counts a request of `weight` (entities; 1 when the window counts requests) if the window has
	 * room for all of it; otherwise refuses it whole (nothing counted) and says how long until
	 * enough entries have left the window. A request heavier than the whole limit never fits: it is
	 * refused with the time until the window is empty.
	 * @param {ProviderName} provider
	 * @param {string} apiKey
	 * @param {number} [weight] default 1
	 * @param {number} [now]
	 * @returns {RateVerdict}
	 */
	hit(provider, apiKey, weight = 1, now = Date.now()) {
		const config = this.limits.get(provider);
		if (!config) return { ok: true };
		const cost = config.unit === 'entities' ? Math.max(1, Math.floor(weight)) : 1;
		const key = `${provider}|${apiKey}`;
		const entries = (this.windows.get(key) ?? []).filter((e) => e.at > now - config.windowMs);
		this.windows.set(key, entries);
		const used = entries.reduce((sum, e) => sum + e.weight, 0);
		const left = config.limit - used;
		/** @param {number} remaining */
		const state = (remaining) => ({
			...config,
			weight: cost,
			remaining,
			resetAtMs:
				entries.length > 0 ? /** @type {{at: number}} */ (entries[0]).at + config.windowMs : now,
		});
		if (cost > left) {
			let retryAfterMs;
			if (cost > config.limit) {
				const newest = entries[entries.length - 1];
				retryAfterMs = newest ? newest.at + config.windowMs - now : config.windowMs;
			} else {
				let room = left;
				retryAfterMs = 0;
				for (const entry of entries) {
					room += entry.weight;
					retryAfterMs = entry.at + config.windowMs - now;
					if (room >= cost) break;
				}
			}
			return { ok: false, retryAfterMs: Math.max(0, retryAfterMs), ...state(Math.max(0, left)) };
		}
		entries.push({ at: now, weight: cost });
		return { ok: true, ...state(left - cost) };
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
		return {
			active: this.active,
			queued: this.waiting.length,
			maxActive: this.maxActive,
			maxArrived: this.maxArrived,
			limit: this.max,
		};
	}

	resetStats() {
		this.maxActive = this.active;
		this.maxArrived = this.active + this.waiting.length;
	}
}

module.exports = {
	EXACTBUYER_429_HTML,
	statusText,
	sleep,
	tooManyRequests,
	faultResponse,
	reshapeRows,
	rateLimitHeaders,
	FaultQueue,
	RateLimiter,
	ConcurrencyQueue,
};
