// @ts-check
'use strict';
/**
 * Local simulator of the three provider APIs (Explorium, Pronto, ExactBuyer) on one HTTP server.
 *
 *   const { startSimulator } = require('./server.cjs');
 *   const sim = await startSimulator({ port: 0 });
 *   // sim.baseUrls.explorium, sim.apiKeys.explorium, sim.requests, sim.inject({...}), ...
 *   await sim.close();
 *
 * See README.md for the rules (deterministic misses, faults, admin endpoints).
 */
const http = require('node:http');
const { handleExplorium, exploriumUnauthorized } = require('./explorium.cjs');
const { ProntoService, prontoUnauthorized, CONCURRENT_REQUESTS } = require('./pronto.cjs');
const { handleExactBuyer, exactBuyerUnauthorized } = require('./exactbuyer.cjs');
const {
	FaultQueue,
	RateLimiter,
	ConcurrencyQueue,
	sleep,
	faultResponse,
	reshapeRows,
	tooManyRequests,
	rateLimitHeaders,
} = require('./faults.cjs');
const { exploriumRequestWeight } = require('./explorium-weight.cjs');
const fake = require('./fake-data.cjs');

/** @typedef {import('./faults.cjs').ProviderName} ProviderName */
/** @typedef {import('./faults.cjs').Fault} Fault */
/** @typedef {import('./faults.cjs').SimResponse} SimResponse */
/** @typedef {import('./faults.cjs').RateLimitConfig} RateLimitConfig */
/** @typedef {import('./faults.cjs').RateWindowSettings} RateWindowSettings */
/** @typedef {import('./pronto.cjs').DeliveredCallback} DeliveredCallback */
/** @typedef {import('./pronto.cjs').ProntoCallbackVariant} ProntoCallbackVariant */

/**
 * One request the simulator received (admin requests are not recorded).
 * @typedef {object} RecordedRequest
 * @property {ProviderName} provider
 * @property {string} method
 * @property {string} path path without the provider prefix and without the query, e.g. `/v1/prospects/match`
 * @property {Record<string, string>} query
 * @property {Record<string, string>} headers lower-cased names
 * @property {any} body parsed JSON, form fields (`Record<string, string>`) for form bodies, the raw string otherwise, null when empty
 * @property {string} contentType the request's Content-Type ('' when none)
 * @property {number} status what was answered (0 while pending, and for `reset`/`hang` faults)
 * @property {number} [bytesSent] for `trickle`/`flood` faults: body bytes written so far
 * @property {boolean} [closedByClient] for `trickle`/`flood` faults: the client closed the connection before the body ended
 * @property {number} receivedAt ms since the epoch
 */

/**
 * @typedef {object} ApiKeys
 * @property {string} explorium
 * @property {string} pronto
 * @property {string} exactbuyer
 */

/**
 * @typedef {object} SimulatorOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0 (random free port)
 * @property {Partial<ApiKeys>} [apiKeys] keys the simulator accepts (defaults: DEFAULT_API_KEYS)
 * @property {number} [callbackDelayMs] Pronto: delay before a contact finishes and its callback is POSTed (default 30; each contact adds up to half of it more)
 * @property {number} [prontoProcessingMs] Pronto: time each request holds one of the 5 concurrency slots (default 0)
 * @property {(line: string) => void} [log] human-readable log lines (default: none)
 */

/**
 * @typedef {object} AccountSettings
 * @property {number | null} [credits] remaining credits; undefined/null = unlimited
 * @property {boolean} [personalEmailConsent] Pronto only (default true)
 */

/**
 * @typedef {object} Simulator
 * @property {string} url e.g. http://127.0.0.1:5690
 * @property {{explorium: string, pronto: string, exactbuyer: string}} baseUrls
 * @property {ApiKeys} apiKeys
 * @property {RecordedRequest[]} requests every provider request in arrival order (same array for the simulator's lifetime)
 * @property {(provider: ProviderName, pathSuffix?: string) => RecordedRequest[]} requestsTo requests to a provider, optionally only those whose path ends with pathSuffix
 * @property {(fault: Fault) => void} inject queue a fault
 * @property {() => Fault[]} pendingFaults faults not used up yet
 * @property {(provider: ProviderName, config: RateLimitConfig | null) => void} setRateLimit sliding window per API key; null = off (the default). Explorium's counts entities and sends X-RateLimit headers unless `unit: 'requests'` / `headers: false`
 * @property {(provider: ProviderName) => RateWindowSettings | undefined} getRateLimit the provider's window settings, undefined when off
 * @property {(provider: ProviderName, settings: AccountSettings) => void} setAccount
 * @property {(provider: ProviderName) => {credits: number | undefined, personalEmailConsent?: boolean}} getAccount
 * @property {(variant: ProntoCallbackVariant) => void} setProntoCallbackVariant
 * @property {(shape: import('./fake-data.cjs').ExactBuyerContactShape) => void} setExactBuyerContactShape `seen` (default, the evidenced shape) or `guessed` (alternatives nothing public shows)
 * @property {DeliveredCallback[]} callbacks Pronto webhook POSTs made (same array for the simulator's lifetime)
 * @property {(count: number, timeoutMs: number) => Promise<DeliveredCallback[]>} waitForCallbacks resolves with all callbacks once at least `count` were delivered
 * @property {() => {active: number, queued: number, maxActive: number, maxArrived: number, limit: number}} prontoConcurrency
 * @property {() => void} reset clear requests, callbacks, faults, rate limits and windows, accounts (and the ExactBuyer contact shape), whom Explorium matches asked for, callback variant, pending Pronto jobs
 * @property {() => Promise<void>} close
 */

/** Keys the simulator accepts unless `options.apiKeys` says otherwise (readable words, not secrets). */
const DEFAULT_API_KEYS = Object.freeze({
	explorium: 'sim-explorium-key',
	pronto: 'sim-pronto-key',
	exactbuyer: 'sim-exactbuyer-key',
});

/** Path prefix of each provider on the simulator. */
const PREFIXES = /** @type {const} */ ({
	explorium: '/explorium',
	pronto: '/pronto/api/v2',
	exactbuyer: '/exactbuyer',
});

/** The header each provider reads its API key from (lower-cased). */
const AUTH_HEADERS = /** @type {const} */ ({
	explorium: 'api_key',
	pronto: 'x-api-key',
	exactbuyer: 'x-api-key',
});

/**
 * The providers' documented rate limits (the simulator's are off until setRateLimit): Explorium 200
 * queries (entities) per sliding minute with X-RateLimit headers; ExactBuyer 200 requests per minute
 * (no headers documented).
 */
const PROVIDER_RATE_LIMITS = Object.freeze({
	explorium: Object.freeze({ limit: 200, windowMs: 60000, unit: 'entities', headers: true }),
	exactbuyer: Object.freeze({ limit: 200, windowMs: 60000, unit: 'requests', headers: false }),
});

const PROVIDERS = /** @type {ProviderName[]} */ (['explorium', 'pronto', 'exactbuyer']);
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** @param {unknown} v @returns {v is ProviderName} */
function isProvider(v) {
	return typeof v === 'string' && /** @type {string[]} */ (PROVIDERS).includes(v);
}

/**
 * Parses a multipart/form-data body into its fields (files are read as text; last value wins).
 * @param {Buffer | string} raw
 * @param {string} contentType
 * @returns {Record<string, string>}
 */
function parseMultipart(raw, contentType) {
	const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	const boundary = m ? (m[1] ?? m[2]) : undefined;
	if (!boundary) throw new Error('multipart body without a boundary parameter');
	const text = typeof raw === 'string' ? raw : raw.toString('utf8');
	const parts = text.split(`--${boundary}`);
	if (parts.length < 2) throw new Error('multipart body without any boundary delimiter');
	/** @type {Record<string, string>} */
	const fields = {};
	let closed = false;
	for (let i = 1; i < parts.length; i++) {
		let part = /** @type {string} */ (parts[i]);
		if (part.startsWith('--')) {
			closed = true;
			break;
		}
		part = part.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
		const sep = /\r?\n\r?\n/.exec(part);
		if (!sep) throw new Error(`multipart part ${i} has no blank line after its headers`);
		const headerText = part.slice(0, sep.index);
		const value = part.slice(sep.index + sep[0].length);
		const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(headerText);
		if (!disposition)
			throw new Error(`multipart part ${i} has no Content-Disposition: form-data header`);
		const params = /** @type {string} */ (disposition[1]);
		const name =
			/(?:^|;)\s*name="([^"]*)"/i.exec(params) ?? /(?:^|;)\s*name=([^;\s]+)/i.exec(params);
		if (!name) throw new Error(`multipart part ${i} has no name`);
		fields[/** @type {string} */ (name[1])] = value;
	}
	if (!closed) throw new Error('multipart body without a closing boundary');
	return fields;
}

/**
 * Parses an application/x-www-form-urlencoded body (last value wins).
 * @param {string} raw
 * @returns {Record<string, string>}
 */
function parseUrlEncoded(raw) {
	/** @type {Record<string, string>} */
	const fields = {};
	for (const [k, v] of new URLSearchParams(raw)) fields[k] = v;
	return fields;
}

/** @param {string} contentType */
function mediaTypeOf(contentType) {
	return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * What the request log records as body, plus the form fields for form bodies.
 * @param {Buffer} raw
 * @param {string} contentType
 * @returns {{body: any, form: Record<string, string> | null, formError?: string}}
 */
function interpretBody(raw, contentType) {
	const text = raw.toString('utf8');
	const media = mediaTypeOf(contentType);
	if (media === 'multipart/form-data') {
		try {
			const form = parseMultipart(raw, contentType);
			return { body: form, form };
		} catch (error) {
			return {
				body: text === '' ? null : text,
				form: null,
				formError: error instanceof Error ? error.message : String(error),
			};
		}
	}
	if (media === 'application/x-www-form-urlencoded') {
		const form = parseUrlEncoded(text);
		return { body: form, form };
	}
	if (text === '') return { body: null, form: null };
	if (media === 'application/json' || media.endsWith('+json')) {
		try {
			return { body: JSON.parse(text), form: null };
		} catch {
			return { body: text, form: null };
		}
	}
	return { body: text, form: null };
}

/**
 * @param {http.IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * @param {http.ServerResponse} res
 * @param {SimResponse} response
 */
function send(res, response) {
	if (res.writableEnded || res.destroyed) return;
	const isJson = response.json !== undefined;
	const payload = isJson ? JSON.stringify(response.json) : (response.text ?? '');
	const contentType =
		response.contentType ?? (isJson ? 'application/json' : 'text/plain; charset=utf-8');
	res.writeHead(response.status, {
		'content-type': contentType,
		'content-length': Buffer.byteLength(payload),
		...(response.headers ?? {}),
	});
	res.end(payload);
}

/** @param {http.IncomingHttpHeaders} headers */
function flattenHeaders(headers) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [k, v] of Object.entries(headers)) {
		if (v === undefined) continue;
		out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	}
	return out;
}

/**
 * Which provider a path belongs to, and the path without the prefix.
 * @param {string} pathname
 * @returns {{provider: ProviderName, path: string} | null}
 */
function routeOf(pathname) {
	for (const provider of PROVIDERS) {
		const prefix = PREFIXES[provider];
		if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
			return { provider, path: pathname.slice(prefix.length) || '/' };
		}
	}
	return null;
}

/**
 * @param {unknown} credits
 * @returns {number | undefined}
 */
function checkCredits(credits) {
	if (credits === undefined || credits === null) return undefined;
	if (typeof credits !== 'number' || !Number.isFinite(credits) || credits < 0)
		throw new Error('credits must be a number >= 0, or null for unlimited');
	return Math.floor(credits);
}

/**
 * Starts the simulator.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	const host = options.host ?? '127.0.0.1';
	const apiKeys = { ...DEFAULT_API_KEYS, ...(options.apiKeys ?? {}) };
	const log = options.log ?? (() => undefined);
	const prontoProcessingMs = options.prontoProcessingMs ?? 0;

	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {DeliveredCallback[]} */
	const callbacks = [];
	/** @type {Array<{count: number, resolve: (c: DeliveredCallback[]) => void, reject: (e: Error) => void, timer: ReturnType<typeof setTimeout>}>} */
	let waiters = [];
	const faults = new FaultQueue();
	const rateLimiter = new RateLimiter();
	const prontoQueue = new ConcurrencyQueue(CONCURRENT_REQUESTS);
	/** @type {{explorium: {credits?: number, allocated?: number}, exactbuyer: import('./exactbuyer.cjs').ExactBuyerAccount}} */
	const accounts = { explorium: {}, exactbuyer: {} };
	/** @type {import('./explorium.cjs').AskedPeople} */
	const exploriumAskedPeople = new Map();
	/** @type {Set<http.ServerResponse>} */
	const hanging = new Set();

	const checkWaiters = () => {
		waiters = waiters.filter((w) => {
			if (callbacks.length < w.count) return true;
			clearTimeout(w.timer);
			w.resolve(callbacks.slice());
			return false;
		});
	};

	const pronto = new ProntoService({
		callbackDelayMs: options.callbackDelayMs ?? 30,
		callbacks,
		onDelivered: checkWaiters,
		log,
	});

	/** @param {ProviderName} provider @param {AccountSettings} settings */
	const setAccount = (provider, settings) => {
		if (!isProvider(provider)) throw new Error(`unknown provider ${String(provider)}`);
		if (!settings || typeof settings !== 'object')
			throw new Error('account settings must be an object');
		if ('credits' in settings) {
			const credits = checkCredits(settings.credits);
			if (provider === 'explorium') accounts.explorium = { credits, allocated: credits };
			else if (provider === 'exactbuyer') accounts.exactbuyer = { ...accounts.exactbuyer, credits };
			else pronto.account.credits = credits;
		}
		if (settings.personalEmailConsent !== undefined) {
			if (provider !== 'pronto') throw new Error('personalEmailConsent applies to pronto only');
			pronto.account.personalEmailConsent = Boolean(settings.personalEmailConsent);
		}
	};

	/** @param {ProviderName} provider */
	const getAccount = (provider) => {
		if (provider === 'pronto')
			return {
				credits: pronto.account.credits,
				personalEmailConsent: pronto.account.personalEmailConsent,
			};
		if (provider === 'explorium') return { credits: accounts.explorium.credits };
		return { credits: accounts.exactbuyer.credits };
	};

	/** @param {ProntoCallbackVariant} variant */
	const setProntoCallbackVariant = (variant) => {
		if (variant !== 'documented' && variant !== 'alternate')
			throw new Error("variant must be 'documented' or 'alternate'");
		pronto.variant = variant;
	};

	/** @param {import('./fake-data.cjs').ExactBuyerContactShape} shape */
	const setExactBuyerContactShape = (shape) => {
		if (!fake.EXACTBUYER_CONTACT_SHAPES.includes(shape))
			throw new Error(`shape must be one of ${fake.EXACTBUYER_CONTACT_SHAPES.join(', ')}`);
		accounts.exactbuyer = { ...accounts.exactbuyer, contactShape: shape };
	};

	/** @param {ProviderName} provider @param {RateLimitConfig | null} config */
	const setRateLimit = (provider, config) => {
		if (!isProvider(provider)) throw new Error(`unknown provider ${String(provider)}`);
		rateLimiter.set(provider, config);
	};

	/** @param {ProviderName} provider */
	const getRateLimit = (provider) => {
		if (!isProvider(provider)) throw new Error(`unknown provider ${String(provider)}`);
		return rateLimiter.get(provider);
	};

	const reset = () => {
		requests.length = 0;
		callbacks.length = 0;
		faults.clear();
		rateLimiter.clear();
		accounts.explorium = {};
		accounts.exactbuyer = {};
		exploriumAskedPeople.clear();
		pronto.reset();
		prontoQueue.resetStats();
	};

	/**
	 * @param {ProviderName} provider
	 * @param {{method: string, path: string, query: URLSearchParams, headers: Record<string, string>, rawBody: string, contentType: string, form: Record<string, string> | null, formError?: string}} request
	 * @returns {SimResponse}
	 */
	const handleProvider = (provider, request) => {
		const presented = request.headers[AUTH_HEADERS[provider]];
		if (presented === undefined || presented !== apiKeys[provider]) {
			if (provider === 'explorium') return exploriumUnauthorized();
			if (provider === 'pronto') return prontoUnauthorized();
			return exactBuyerUnauthorized();
		}
		// Explorium counts queries: each entity of a bulk or match payload is one (explorium-weight.cjs).
		const weight = provider === 'explorium' ? exploriumRequestWeight(request.rawBody) : 1;
		const verdict = rateLimiter.hit(provider, presented, weight);
		if (!verdict.ok) {
			// Refused whole, nothing counted; Retry-After = whole seconds until the window has room for this weight.
			const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
			return tooManyRequests(provider, retryAfter, verdict);
		}
		const response =
			provider === 'explorium'
				? handleExplorium(request, accounts.explorium, exploriumAskedPeople)
				: provider === 'pronto'
					? pronto.handle(request)
					: handleExactBuyer(request, accounts.exactbuyer);
		if (
			verdict.headers &&
			verdict.limit !== undefined &&
			verdict.remaining !== undefined &&
			verdict.resetAtMs !== undefined
		) {
			// Every answer to the key while its window is on (2xx and 4xx alike), as Explorium documents.
			return {
				...response,
				headers: {
					...(response.headers ?? {}),
					...rateLimitHeaders({
						limit: verdict.limit,
						remaining: verdict.remaining,
						resetAtMs: verdict.resetAtMs,
					}),
				},
			};
		}
		return response;
	};

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {URL} url
	 */
	const handleAdmin = async (req, res, url) => {
		const method = req.method ?? 'GET';
		const raw = (await readBody(req)).toString('utf8');
		/** @type {any} */
		let body = {};
		if (raw.trim() !== '') {
			try {
				body = JSON.parse(raw);
			} catch {
				send(res, { status: 400, json: { error: 'admin bodies are JSON' } });
				return;
			}
		}
		const ok = () => send(res, { status: 200, json: { ok: true } });
		const route = `${method} ${url.pathname}`;
		try {
			switch (route) {
				case 'GET /__admin/requests':
					send(res, { status: 200, json: requests });
					return;
				case 'GET /__admin/callbacks':
					send(res, { status: 200, json: callbacks });
					return;
				case 'GET /__admin/faults':
					send(res, { status: 200, json: faults.pending() });
					return;
				case 'GET /__admin/info':
					send(res, {
						status: 200,
						json: { url: simulator.url, baseUrls: simulator.baseUrls, apiKeys },
					});
					return;
				case 'GET /__admin/sample-inputs':
					send(res, {
						status: 200,
						json: sampleInputs(
							url.searchParams.get('kind') ?? '',
							Number(url.searchParams.get('count') ?? '0'),
							Number(url.searchParams.get('duplicateEvery') ?? '0'),
						),
					});
					return;
				case 'POST /__admin/reset':
					reset();
					ok();
					return;
				case 'POST /__admin/faults':
					faults.inject(body);
					ok();
					return;
				case 'POST /__admin/rate-limit':
					setRateLimit(
						body.provider,
						body.off
							? null
							: {
									limit: body.limit,
									windowMs: body.windowMs,
									unit: body.unit,
									headers: body.headers,
								},
					);
					ok();
					return;
				case 'GET /__admin/rate-limit': {
					/** @type {Record<string, RateWindowSettings | null>} */
					const settings = {};
					for (const provider of PROVIDERS) settings[provider] = rateLimiter.get(provider) ?? null;
					send(res, { status: 200, json: settings });
					return;
				}
				case 'POST /__admin/account': {
					const { provider, ...settings } = body;
					setAccount(provider, settings);
					ok();
					return;
				}
				case 'POST /__admin/pronto-callback-delay':
					if (!Number.isInteger(body.ms) || body.ms < 0)
						throw new Error('ms must be a whole number of milliseconds, 0 or more');
					pronto.callbackDelayMs = body.ms;
					ok();
					return;
				case 'POST /__admin/exactbuyer-contact-shape':
					setExactBuyerContactShape(body.shape);
					ok();
					return;
				case 'POST /__admin/pronto-callback-variant':
					setProntoCallbackVariant(body.variant);
					ok();
					return;
				default:
					send(res, { status: 404, json: { error: `unknown admin endpoint ${route}` } });
			}
		} catch (error) {
			send(res, {
				status: 400,
				json: { error: error instanceof Error ? error.message : String(error) },
			});
		}
	};

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	const onRequest = async (req, res) => {
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://simulator.local');
		if (url.pathname.startsWith('/__admin/')) {
			await handleAdmin(req, res, url);
			return;
		}
		const route = routeOf(url.pathname);
		if (!route) {
			await readBody(req);
			send(res, {
				status: 404,
				json: {
					error: `not a simulator path: ${url.pathname} (use ${Object.values(PREFIXES).join(', ')} or /__admin/...)`,
				},
			});
			return;
		}
		const { provider, path } = route;
		const headers = flattenHeaders(req.headers);
		const contentType = headers['content-type'] ?? '';
		/** @type {RecordedRequest} */
		const record = {
			provider,
			method,
			path,
			query: Object.fromEntries(url.searchParams),
			headers,
			body: null,
			contentType,
			status: 0,
			receivedAt: Date.now(),
		};
		requests.push(record);
		const started = Date.now();
		/** @param {SimResponse} response */
		const answer = (response) => {
			record.status = response.status;
			send(res, response);
			log(
				`${method} ${url.pathname}${url.search} → ${response.status} (${Date.now() - started} ms)`,
			);
		};

		/** @type {Buffer} */
		let raw;
		try {
			raw = await readBody(req);
		} catch (error) {
			answer({
				status: 413,
				json: { error: error instanceof Error ? error.message : 'unreadable body' },
			});
			return;
		}
		const interpreted = interpretBody(raw, contentType);
		record.body = interpreted.body;

		const fault = faults.take(provider, method, path);
		if (fault && fault.kind === 'reset') {
			log(`${method} ${url.pathname} → connection reset (fault)`);
			req.socket.destroy();
			return;
		}
		if (fault && fault.kind === 'hang') {
			log(`${method} ${url.pathname} → hanging (fault)`);
			hanging.add(res);
			res.on('close', () => hanging.delete(res));
			return;
		}
		if (fault && fault.kind === 'status') {
			answer(faultResponse(provider, fault));
			return;
		}
		if (fault && fault.kind === 'trickle') {
			// Headers at once, then the real answer's body a byte at a time: a socket idle timeout never fires.
			const real = handleProvider(provider, {
				method,
				path,
				query: url.searchParams,
				headers,
				rawBody: raw.toString('utf8'),
				contentType,
				form: interpreted.form,
				formError: interpreted.formError,
			});
			const payload = real.text ?? JSON.stringify(real.json ?? {});
			log(`${method} ${url.pathname} → trickling ${payload.length} bytes (fault)`);
			record.status = real.status;
			res.writeHead(real.status, { 'content-type': real.contentType ?? 'application/json' });
			hanging.add(res);
			res.on('close', () => hanging.delete(res));
			record.bytesSent = 0;
			for (const character of payload) {
				if (res.destroyed) {
					record.closedByClient = true;
					return;
				}
				res.write(character);
				record.bytesSent += Buffer.byteLength(character);
				await sleep(fault.ms ?? 100);
			}
			res.end();
			return;
		}
		if (fault && fault.kind === 'flood') {
			// An answer that never ends: 64 KB writes, each as soon as the client has taken the last.
			log(`${method} ${url.pathname} → flooding (fault)`);
			record.status = 200;
			record.bytesSent = 0;
			res.writeHead(200, { 'content-type': 'application/json' });
			hanging.add(res);
			res.on('close', () => hanging.delete(res));
			const block = Buffer.from(`"${'x'.repeat(64 * 1024 - 3)}",`);
			res.write('[');
			while (!res.destroyed && !closing) {
				record.bytesSent += block.length;
				if (!res.write(block))
					await new Promise((resolve) => {
						const done = () => {
							res.off('drain', done).off('close', done);
							resolve(undefined);
						};
						res.once('drain', done).once('close', done);
					});
			}
			record.closedByClient = !closing;
			return;
		}

		const request = {
			method,
			path,
			query: url.searchParams,
			headers,
			rawBody: raw.toString('utf8'),
			contentType,
			form: interpreted.form,
			formError: interpreted.formError,
		};
		if (provider === 'pronto') {
			await prontoQueue.acquire();
			try {
				if (fault && fault.kind === 'latency') await sleep(fault.ms ?? 0);
				if (prontoProcessingMs > 0) await sleep(prontoProcessingMs);
				answer(handleProvider(provider, request));
			} finally {
				prontoQueue.release();
			}
			return;
		}
		if (fault && fault.kind === 'latency') await sleep(fault.ms ?? 0);
		const response = handleProvider(provider, request);
		answer(
			fault && fault.kind === 'rows' && fault.rows ? reshapeRows(response, fault.rows) : response,
		);
	};

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((error) => {
			log(`simulator error: ${error instanceof Error ? error.stack : String(error)}`);
			send(res, { status: 500, json: { error: 'simulator error' } });
		});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const urlHost = host.includes(':') ? `[${host}]` : host;
	const base = `http://${urlHost}:${address.port}`;
	let closing = false;

	/** @type {Simulator} */
	const simulator = {
		url: base,
		baseUrls: {
			explorium: base + PREFIXES.explorium,
			pronto: base + PREFIXES.pronto,
			exactbuyer: base + PREFIXES.exactbuyer,
		},
		apiKeys,
		requests,
		requestsTo: (provider, pathSuffix) =>
			requests.filter(
				(r) => r.provider === provider && (pathSuffix === undefined || r.path.endsWith(pathSuffix)),
			),
		inject: (fault) => faults.inject(fault),
		pendingFaults: () => faults.pending(),
		setRateLimit,
		getRateLimit,
		setAccount,
		getAccount,
		setProntoCallbackVariant,
		setExactBuyerContactShape,
		callbacks,
		waitForCallbacks: (count, timeoutMs) =>
			new Promise((resolve, reject) => {
				if (callbacks.length >= count) {
					resolve(callbacks.slice());
					return;
				}
				const timer = setTimeout(() => {
					waiters = waiters.filter((w) => w.timer !== timer);
					reject(
						new Error(
							`waited ${timeoutMs} ms for ${count} Pronto callbacks, got ${callbacks.length}`,
						),
					);
				}, timeoutMs);
				waiters.push({ count, resolve, reject, timer });
			}),
		prontoConcurrency: () => prontoQueue.stats(),
		reset,
		close: async () => {
			if (closing) return;
			closing = true;
			pronto.close();
			for (const w of waiters) {
				clearTimeout(w.timer);
				w.reject(new Error('simulator closed'));
			}
			waiters = [];
			for (const res of hanging) res.destroy();
			hanging.clear();
			await new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			});
		},
	};
	return simulator;
}

/**
 * Input rows for benchmarks and demos, deterministic: `explorium-prospect-ids` (ids the simulator
 * enriches), `pronto-contacts` (names and a domain), `exactbuyer-emails` (work emails).
 * @param {string} kind
 * @param {number} count at most 1 000 000
 * @param {number} [duplicateEvery] every n-th row repeats the contact of the row before it (10: 10 % duplicates)
 * @returns {Array<Record<string, unknown>>}
 */
function sampleInputs(kind, count, duplicateEvery = 0) {
	if (!Number.isInteger(count) || count < 0 || count > 1_000_000)
		throw new Error('count must be a whole number from 0 to 1000000');
	const rows = [];
	for (let row = 0; row < count; row++) {
		const n = duplicateEvery > 1 && row % duplicateEvery === duplicateEvery - 1 ? row - 1 : row;
		if (kind === 'explorium-prospect-ids')
			rows.push({ row, prospect_id: fake.prospectIdFor({ email: `bench${n}@example.com` }) });
		else if (kind === 'pronto-contacts')
			rows.push({ row, first_name: 'Bench', last_name: `Person${n}`, domain: 'example.com' });
		else if (kind === 'exactbuyer-emails') rows.push({ row, email: `bench${n}@example.com` });
		else
			throw new Error('kind must be explorium-prospect-ids, pronto-contacts or exactbuyer-emails');
	}
	return rows;
}

module.exports = {
	startSimulator,
	DEFAULT_API_KEYS,
	PREFIXES,
	AUTH_HEADERS,
	PROVIDER_RATE_LIMITS,
	parseMultipart,
	parseUrlEncoded,
};
