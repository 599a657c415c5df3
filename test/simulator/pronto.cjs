// @ts-check
'use strict';
/**
 * Pronto (https://app.prontohq.com/api/v2) as the simulator plays it: asynchronous bulk enrichment
 * with one webhook POST per contact. Paths here are without the `/pronto/api/v2` prefix.
 */
const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');
const fake = require('./fake-data.cjs');

/** @typedef {import('./faults.cjs').SimResponse} SimResponse */
/** @typedef {{credits?: number, personalEmailConsent: boolean}} ProntoAccount */
/** @typedef {'documented' | 'alternate'} ProntoCallbackVariant */
/**
 * A webhook POST the simulator made for Pronto.
 * @typedef {object} DeliveredCallback
 * @property {string} url
 * @property {Record<string, any>} body what was POSTed (JSON)
 * @property {number} status the receiver's answer, 0 on a connection error or timeout
 * @property {number} deliveredAt ms since the epoch, when the answer (or the error) came
 * @property {string} [error] the connection error, when status is 0
 */

const MIN_CONTACTS = 2;
const MAX_CONTACTS = 100;
const ENRICHMENT_TYPES = ['email', 'phone', 'personal_email'];
const CONSENT_MESSAGE =
	"You can't use the personal email enrichment feature without consenting with our terms of use";
const CREDITS_MESSAGE = 'Not enough enrichment credits';
const CONCURRENT_REQUESTS = 5;
/**
 * Callbacks POSTed at once, at most (a guess: Pronto's delivery pool is undocumented, but every
 * webhook sender bounds it). Unbounded, a burst of finished contacts queues inside n8n past the
 * 10 s delivery timeout below; the others wait here instead, as they would at the sender.
 */
const DELIVERIES_IN_FLIGHT = 10;

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** @param {unknown} v */
function filled(v) {
	return typeof v === 'string' && v.trim() !== '';
}

/** @param {number} status @param {string} message @returns {SimResponse} */
function fail(status, message) {
	return { status, json: { error: status, message } };
}

/** @param {unknown} url */
function validWebhookUrl(url) {
	if (typeof url !== 'string') return false;
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'http:' || parsed.protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * Problems with one contact for an enrichment type (messages name the field; `where` prefixes them).
 * @param {unknown} contact
 * @param {string} type
 * @param {string} where e.g. `contacts[3]` or `` for the single endpoint
 * @returns {string[]}
 */
function contactProblems(contact, type, where) {
	const at = (/** @type {string} */ field) => (where ? `${where}.${field}` : field);
	if (!isObject(contact)) return [`${where || 'contact'} must be an object`];
	/** @type {string[]} */
	const problems = [];
	if (!filled(contact.firstname)) problems.push(`${at('firstname')} is required`);
	if (!filled(contact.lastname)) problems.push(`${at('lastname')} is required`);
	if (type === 'email' && !filled(contact.domain) && !filled(contact.company_name)) {
		problems.push(
			`${where ? `${where}: ` : ''}domain or company_name is required for email enrichment`,
		);
	}
	if ((type === 'phone' || type === 'personal_email') && !filled(contact.linkedin_url)) {
		problems.push(`${at('linkedin_url')} is required for ${type} enrichment`);
	}
	if (contact.custom !== undefined && contact.custom !== null && !isObject(contact.custom))
		problems.push(`${at('custom')} must be an object`);
	return problems;
}

/** @param {string[]} problems */
function summarise(problems) {
	const first = /** @type {string} */ (problems[0]);
	return problems.length > 1
		? `${first} (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
		: first;
}

/**
 * @param {Record<string, unknown>} body
 * @returns {{ok: true, type: string} | {ok: false, response: SimResponse}}
 */
function checkEnrichmentType(body) {
	const t = body.enrichment_type;
	if (
		!Array.isArray(t) ||
		t.length !== 1 ||
		typeof t[0] !== 'string' ||
		!ENRICHMENT_TYPES.includes(t[0])
	) {
		return {
			ok: false,
			response: fail(
				400,
				'enrichment_type must be an array with exactly one of: email, phone, personal_email',
			),
		};
	}
	return { ok: true, type: t[0] };
}

/**
 * @typedef {object} StoredContact
 * @property {string} id
 * @property {'pending' | 'finished'} status
 * @property {Record<string, unknown>} contact
 * @property {string} type
 * @property {string[]} [countryCodes]
 * @property {string | undefined} webhookUrl
 */

class ProntoService {
	/**
	 * @param {{callbackDelayMs: number, callbacks: DeliveredCallback[], onDelivered: (c: DeliveredCallback) => void, log: (line: string) => void}} options
	 */
	constructor(options) {
		this.options = options;
		/** @type {ProntoAccount} */
		this.account = { credits: undefined, personalEmailConsent: true };
		/** @type {ProntoCallbackVariant} */
		this.variant = 'documented';
		/** Delay before a contact finishes (each adds up to half of it more); a test may widen it to spread callbacks. */
		this.callbackDelayMs = options.callbackDelayMs;
		/** @type {Map<string, StoredContact>} */
		this.contacts = new Map();
		/** @type {Set<ReturnType<typeof setTimeout>>} */
		this.timers = new Set();
		/** @type {Set<import('node:http').ClientRequest>} */
		this.inFlight = new Set();
		/** @type {Array<() => void>} callbacks due but waiting for a place among DELIVERIES_IN_FLIGHT */
		this.waitingDeliveries = [];
		this.closed = false;
		/** Bumped by reset(): deliveries started before a reset are not recorded after it. */
		this.generation = 0;
	}

	reset() {
		this.generation += 1;
		this.waitingDeliveries = [];
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		this.contacts.clear();
		this.account = { credits: undefined, personalEmailConsent: true };
		this.variant = 'documented';
		this.callbackDelayMs = this.options.callbackDelayMs;
	}

	close() {
		this.closed = true;
		this.reset();
		for (const req of this.inFlight) req.destroy();
		this.inFlight.clear();
	}

	/**
	 * The documented result shape (GET /contacts/{id}) of a stored contact.
	 * @param {StoredContact} stored
	 */
	resultOf(stored) {
		const base = {
			enrichment_id: stored.id,
			first_name: stored.contact.firstname ?? null,
			last_name: stored.contact.lastname ?? null,
			status: stored.status,
		};
		const custom = stored.contact.custom === undefined ? null : stored.contact.custom;
		if (stored.status === 'pending') return { ...base, custom };
		return {
			...base,
			...fake.prontoFindingsFor(stored.contact, stored.type, stored.countryCodes),
			custom,
		};
	}

	/**
	 * The callback body in the current variant.
	 * @param {StoredContact} stored
	 * @returns {Record<string, unknown>}
	 */
	callbackBodyOf(stored) {
		const documented = this.resultOf(stored);
		if (this.variant === 'documented') return documented;
		const {
			enrichment_id: id,
			phone,
			...rest
		} = /** @type {Record<string, unknown>} */ (documented);
		const phones = Array.isArray(phone) ? phone.map((n) => ({ number: n, type: 'mobile' })) : [];
		const { custom, ...others } = rest;
		return { id, ...others, phones, custom };
	}

	/**
	 * @param {string} contactId
	 * @param {Record<string, unknown>} contact
	 * @param {string} type
	 * @param {string[] | undefined} countryCodes
	 * @param {string | undefined} webhookUrl
	 */
	enqueue(contactId, contact, type, countryCodes, webhookUrl) {
		/** @type {StoredContact} */
		const stored = { id: contactId, status: 'pending', contact, type, countryCodes, webhookUrl };
		this.contacts.set(contactId, stored);
		const base = this.callbackDelayMs;
		const spread = Math.floor(base / 2);
		const delay = base + (parseInt(fake.sha1(contactId).slice(0, 8), 16) % (spread + 1));
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			stored.status = 'finished';
			if (webhookUrl) this.deliver(webhookUrl, this.callbackBodyOf(stored));
		}, delay);
		this.timers.add(timer);
	}

	/**
	 * POSTs one callback when a place among DELIVERIES_IN_FLIGHT is free, and records it.
	 * @param {string} url
	 * @param {Record<string, unknown>} body
	 */
	deliver(url, body) {
		this.waitingDeliveries.push(() => this.post(url, body, () => this.startWaitingDeliveries()));
		this.startWaitingDeliveries();
	}

	startWaitingDeliveries() {
		while (
			!this.closed &&
			this.inFlight.size < DELIVERIES_IN_FLIGHT &&
			this.waitingDeliveries.length > 0
		) {
			const start = /** @type {() => void} */ (this.waitingDeliveries.shift());
			start();
		}
	}

	/**
	 * POSTs one callback and records it; `onSettled` runs once its answer (or error) came.
	 * @param {string} url
	 * @param {Record<string, unknown>} body
	 * @param {() => void} onSettled
	 */
	post(url, body, onSettled) {
		const payload = JSON.stringify(body);
		const generation = this.generation;
		/** @param {number} status @param {string} [error] */
		const record = (status, error) => {
			if (generation !== this.generation) return;
			/** @type {DeliveredCallback} */
			const delivered = { url, body, status, deliveredAt: Date.now() };
			if (error) delivered.error = error;
			this.options.callbacks.push(delivered);
			this.options.log(`pronto callback → ${url} ${status}${error ? ` (${error})` : ''}`);
			this.options.onDelivered(delivered);
		};
		let target;
		try {
			target = new URL(url);
		} catch {
			record(0, 'invalid URL');
			onSettled();
			return;
		}
		const client = target.protocol === 'https:' ? https : http;
		let done = false;
		const req = client.request(
			target,
			{
				method: 'POST',
				agent: false,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(payload),
					'user-agent': 'Pronto-Webhooks/1.0 (simulator)',
				},
				timeout: 10000,
			},
			(res) => {
				res.resume();
				res.on('end', () => {
					this.inFlight.delete(req);
					if (!done) {
						done = true;
						record(res.statusCode ?? 0);
					}
					onSettled();
				});
			},
		);
		this.inFlight.add(req);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (error) => {
			this.inFlight.delete(req);
			if (!done && !this.closed) {
				done = true;
				record(0, error.message);
			}
			onSettled();
		});
		req.end(payload);
	}

	/**
	 * Consent and credits, checked up front for the whole request.
	 * @param {string} type
	 * @param {number} count
	 * @returns {SimResponse | null}
	 */
	checkAccount(type, count) {
		if (type === 'personal_email' && !this.account.personalEmailConsent)
			return fail(422, CONSENT_MESSAGE);
		if (this.account.credits !== undefined) {
			if (this.account.credits < count) return fail(422, CREDITS_MESSAGE);
			this.account.credits -= count;
		}
		return null;
	}

	/**
	 * @param {Record<string, unknown>} body
	 * @returns {SimResponse}
	 */
	bulkEnrich(body) {
		const contacts = body.contacts;
		if (!Array.isArray(contacts))
			return fail(400, `contacts must be an array of ${MIN_CONTACTS} to ${MAX_CONTACTS} contacts`);
		if (contacts.length < MIN_CONTACTS) {
			return fail(
				400,
				`contacts must contain at least ${MIN_CONTACTS} contacts (got ${contacts.length}); use /contacts/single_enrich for a single contact`,
			);
		}
		if (contacts.length > MAX_CONTACTS)
			return fail(
				400,
				`contacts must contain at most ${MAX_CONTACTS} contacts (got ${contacts.length})`,
			);
		const typeCheck = checkEnrichmentType(body);
		if (!typeCheck.ok) return typeCheck.response;
		const type = typeCheck.type;
		if (
			body.webhook_url !== undefined &&
			body.webhook_url !== null &&
			!validWebhookUrl(body.webhook_url)
		) {
			return fail(400, 'webhook_url must be a valid http(s) URL');
		}
		const codes = body.phone_country_codes;
		if (
			codes !== undefined &&
			codes !== null &&
			(!Array.isArray(codes) ||
				codes.some((c) => typeof c !== 'string' || !/^[A-Za-z]{2}$/.test(c)))
		) {
			return fail(400, 'phone_country_codes must be an array of ISO 3166-1 alpha-2 country codes');
		}
		const problems = contacts.flatMap((c, i) => contactProblems(c, type, `contacts[${i}]`));
		if (problems.length > 0) return fail(400, summarise(problems));
		const accountProblem = this.checkAccount(type, contacts.length);
		if (accountProblem) return accountProblem;
		const jobId = crypto.randomUUID();
		const webhookUrl = typeof body.webhook_url === 'string' ? body.webhook_url : undefined;
		const countryCodes = Array.isArray(codes) ? codes.map(String) : undefined;
		contacts.forEach((contact, i) => {
			this.enqueue(
				fake.uuidFrom(`${jobId}|${i}`),
				/** @type {Record<string, unknown>} */ (contact),
				type,
				countryCodes,
				webhookUrl,
			);
		});
		// Accepted for asynchronous processing: 202, one id for the whole job.
		return { status: 202, json: { enrichment_id: jobId, status: 'queued' } };
	}

	/**
	 * @param {Record<string, unknown>} body
	 * @returns {SimResponse}
	 */
	singleEnrich(body) {
		const typeCheck = checkEnrichmentType(body);
		if (!typeCheck.ok) return typeCheck.response;
		const type = typeCheck.type;
		if (
			body.webhook_url !== undefined &&
			body.webhook_url !== null &&
			!validWebhookUrl(body.webhook_url)
		) {
			return fail(400, 'webhook_url must be a valid http(s) URL');
		}
		const problems = contactProblems(body, type, '');
		if (problems.length > 0) return fail(400, summarise(problems));
		const accountProblem = this.checkAccount(type, 1);
		if (accountProblem) return accountProblem;
		const id = crypto.randomUUID();
		/** @type {Record<string, unknown>} */
		const contact = {};
		for (const key of ['firstname', 'lastname', 'domain', 'company_name', 'linkedin_url', 'custom'])
			if (body[key] !== undefined) contact[key] = body[key];
		this.enqueue(
			id,
			contact,
			type,
			undefined,
			typeof body.webhook_url === 'string' ? body.webhook_url : undefined,
		);
		return {
			status: 200,
			json: this.resultOf(/** @type {StoredContact} */ (this.contacts.get(id))),
		};
	}

	/**
	 * Handles one authenticated Pronto request.
	 * @param {{method: string, path: string, rawBody: string}} request
	 * @returns {SimResponse}
	 */
	handle(request) {
		const { method, path } = request;
		if (path === '/credits') {
			if (method !== 'GET') return fail(405, 'Method not allowed');
			return {
				status: 200,
				json: { credits: this.account.credits === undefined ? 1000000 : this.account.credits },
			};
		}
		if (path === '/contacts/bulk_enrich' || path === '/contacts/single_enrich') {
			if (method !== 'POST') return fail(405, 'Method not allowed');
			/** @type {unknown} */
			let body;
			try {
				body = JSON.parse(request.rawBody);
			} catch {
				return fail(400, 'Request body must be valid JSON');
			}
			if (!isObject(body)) return fail(400, 'Request body must be a JSON object');
			return path === '/contacts/bulk_enrich' ? this.bulkEnrich(body) : this.singleEnrich(body);
		}
		const m = /^\/contacts\/([^/]+)$/.exec(path);
		if (m) {
			if (method !== 'GET') return fail(405, 'Method not allowed');
			const stored = this.contacts.get(decodeURIComponent(/** @type {string} */ (m[1])));
			if (!stored) return fail(404, 'Contact not found');
			return { status: 200, json: this.resultOf(stored) };
		}
		return fail(404, 'Not found');
	}
}

/** @returns {SimResponse} */
function prontoUnauthorized() {
	return fail(401, 'Unauthorized');
}

module.exports = {
	ProntoService,
	prontoUnauthorized,
	CONSENT_MESSAGE,
	CREDITS_MESSAGE,
	CONCURRENT_REQUESTS,
	MIN_CONTACTS,
	MAX_CONTACTS,
};
