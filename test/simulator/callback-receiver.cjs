// @ts-check
'use strict';
/**
 * A tiny loopback HTTP server that records the webhook POSTs it receives (for tests of Pronto's
 * callbacks): `const rx = await startCallbackReceiver(); ... rx.url ... await rx.waitFor(2, 2000)`.
 */
const http = require('node:http');

/**
 * @typedef {object} ReceivedCallback
 * @property {string} method
 * @property {string} path path and query as received
 * @property {Record<string, string>} headers lower-cased names
 * @property {any} body parsed JSON, or the raw string when it is not JSON
 * @property {number} receivedAt ms since the epoch
 */

/**
 * @typedef {object} CallbackReceiver
 * @property {string} url base URL, e.g. http://127.0.0.1:PORT (any path under it is accepted)
 * @property {ReceivedCallback[]} received the POSTs (callbacks)
 * @property {ReceivedCallback[]} probes the GETs: a Pronto node's probe, answered as a Pronto Trigger answers it
 * @property {(status: number) => void} setStatus status answered from now on (default 200)
 * @property {(fault: ProbeFault | undefined) => void} setProbeFault how GETs are answered from now on (undefined: as a Pronto Trigger)
 * @property {(count: number, timeoutMs: number) => Promise<ReceivedCallback[]>} waitFor resolves once at least `count` arrived
 * @property {() => Promise<void>} close
 */

/**
 * A misbehaving answer to GETs: `trickle` 200 with a body sent a byte every `ms`; `flood` 200 with a
 * body that never ends; `redirect` 302 to `location`; `echo` a 404 whose message quotes the URL asked.
 * The probe's record then counts `bytesSent` and says `closedByClient` (closed before the body ended).
 * @typedef {{kind: 'trickle', ms: number} | {kind: 'flood'} | {kind: 'redirect', location: string} | {kind: 'echo'}} ProbeFault
 */

/**
 * `body`: answer every request (GETs too) with it, to stand for another server than a Pronto Trigger.
 * @param {{host?: string, port?: number, status?: number, body?: unknown}} [options]
 * @returns {Promise<CallbackReceiver>}
 */
async function startCallbackReceiver(options = {}) {
	const host = options.host ?? '127.0.0.1';
	let status = options.status ?? 200;
	/** @type {ProbeFault | undefined} */
	let probeFault;
	/** @type {ReceivedCallback[]} */
	const received = [];
	/** @type {ReceivedCallback[]} */
	const probes = [];
	/** @type {Array<{count: number, resolve: (r: ReceivedCallback[]) => void, timer: ReturnType<typeof setTimeout>}>} */
	let waiters = [];
	const check = () => {
		waiters = waiters.filter((w) => {
			if (received.length < w.count) return true;
			clearTimeout(w.timer);
			w.resolve(received.slice());
			return false;
		});
	};
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			/** @type {any} */
			let body = text;
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
			/** @type {Record<string, string>} */
			const headers = {};
			for (const [k, v] of Object.entries(req.headers))
				if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
			const call = {
				method: req.method ?? 'GET',
				path: req.url ?? '/',
				headers,
				body,
				receivedAt: Date.now(),
			};
			if (options.body !== undefined) {
				received.push(call);
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(options.body));
				check();
				return;
			}
			if (call.method === 'GET') {
				// What a published Pronto Trigger answers the Pronto node's probe (nodes/Pronto/adapter/webhook-token.ts).
				probes.push(call);
				if (probeFault) {
					void answerProbeBadly(probeFault, call, res);
					return;
				}
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(
					JSON.stringify(
						status === 200
							? { receiver: 'n8n-nodes-bulk-enrichment.prontoTrigger', listening: true }
							: { received: true },
					),
				);
				return;
			}
			received.push(call);
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ received: true }));
			check();
		});
	});
	await new Promise((resolve) => server.listen(options.port ?? 0, host, () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://${host}:${address.port}`,
		received,
		probes,
		setStatus: (s) => {
			status = s;
		},
		setProbeFault: (fault) => {
			probeFault = fault;
		},
		waitFor: (count, timeoutMs) =>
			new Promise((resolve, reject) => {
				if (received.length >= count) {
					resolve(received.slice());
					return;
				}
				const timer = setTimeout(() => {
					waiters = waiters.filter((w) => w.timer !== timer);
					reject(
						new Error(`waited ${timeoutMs} ms for ${count} callbacks, got ${received.length}`),
					);
				}, timeoutMs);
				waiters.push({ count, resolve, timer });
			}),
		close: () =>
			new Promise((resolve) => {
				for (const w of waiters) clearTimeout(w.timer);
				waiters = [];
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

/**
 * @param {ProbeFault} fault
 * @param {ReceivedCallback & {bytesSent?: number, closedByClient?: boolean}} call
 * @param {import('node:http').ServerResponse} res
 */
async function answerProbeBadly(fault, call, res) {
	if (fault.kind === 'redirect') {
		res.writeHead(302, { location: fault.location });
		res.end();
		return;
	}
	if (fault.kind === 'echo') {
		res.writeHead(404, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ code: 404, message: `nothing is served at http://host${call.path}` }));
		return;
	}
	res.writeHead(200, { 'content-type': 'application/json' });
	call.bytesSent = 0;
	const block = fault.kind === 'flood' ? Buffer.alloc(64 * 1024, 'x') : Buffer.from('x');
	while (!res.destroyed) {
		const drained = res.write(block);
		call.bytesSent += block.length;
		// A trickle's pause ends early when the client closes, so `closedByClient` is true as soon as it did.
		if (fault.kind === 'trickle')
			await new Promise((resolve) => {
				const done = () => {
					clearTimeout(timer);
					res.off('close', done);
					resolve(undefined);
				};
				const timer = setTimeout(done, fault.ms);
				res.once('close', done);
			});
		else if (!drained)
			await new Promise((resolve) => {
				const done = () => {
					res.off('drain', done).off('close', done);
					resolve(undefined);
				};
				res.once('drain', done).once('close', done);
			});
	}
	call.closedByClient = true;
}

module.exports = { startCallbackReceiver };
