import { createHash } from 'crypto';
import { NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import { markStillInFlight } from './in-flight-limiter';
import type { SendRequest } from './send-with-retry';
import type { Provider, ProviderResponse } from './types';

// The largest answer (ExactBuyer's 1000 contacts) is about 0.5 MB: 32 MB leaves room for records 60
// times richer and still cuts a runaway answer before n8n's memory.
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export interface ProviderConnection {
	send: SendRequest;
	/** A hash of credential type, base URL and key: runs on one key share its limits. */
	keyId: string;
	/** As messages show it: without trailing slashes and `user:password@`. */
	baseUrl: string;
	/** Never to appear in an output item or error: the key, the Base URL's password, a webhook secret, a token derived from it. */
	secrets: string[];
	/** Read once for the run (an operation may need more of it, e.g. Pronto's Webhook Secret). */
	credentials: Readonly<Record<string, unknown>>;
}

/** The one place that talks HTTP: n8n's authenticated helper, under requestWithinLimits' rules. */
export async function connectToProvider(
	context: IExecuteFunctions,
	provider: Pick<Provider, 'credentialType' | 'secretFields' | 'secretsDerivedFrom'>,
	requestTimeoutMs: number,
	cancelSignal: AbortSignal | undefined,
): Promise<ProviderConnection> {
	const { credentialType } = provider;
	const credentials = await context.getCredentials<Record<string, unknown>>(credentialType);
	const [key, ...otherSecrets] = provider.secretFields.map((field) => {
		const value = credentials[field];
		if (typeof value === 'string') return value;
		// A secret field the credential lacks would go unredacted.
		throw new NodeOperationError(
			context.getNode(),
			`The ${credentialType} credential has no text field "${field}", which its provider names as a secret`,
			{
				description:
					'The credential type and the provider disagree on the secret field names (a package defect), so the secret could not be kept out of answers and errors. Nothing was sent.',
			},
		);
	});
	const baseUrl = readBaseUrl(context, credentialType, credentials.baseUrl);
	const derived = provider.secretsDerivedFrom?.(credentials) ?? [];
	const secrets = [key, ...otherSecrets, ...baseUrl.secrets, ...derived];
	const limits = { timeoutMs: requestTimeoutMs, maxBytes: MAX_ANSWER_BYTES, cancelSignal, secrets };
	const send: SendRequest = async (request) =>
		await requestWithinLimits(
			async (options) =>
				await context.helpers.httpRequestWithAuthentication.call(context, credentialType, options),
			{ ...request, url: `${baseUrl.url}${request.url}` },
			limits,
		);
	const hash = createHash('sha256').update(`${credentialType}\n${baseUrl.url}\n${key}`);
	return { send, secrets, keyId: hash.digest('hex'), baseUrl: baseUrl.shown, credentials };
}

interface RequestLimits {
	timeoutMs: number; // the whole request, to the answer's last byte
	maxBytes: number; // of the answer after decompression: a longer answer is an error
	cancelSignal?: AbortSignal;
	secrets: string[]; // redacted from the answer
}

/** An answer that arrived but could not be read whole: its status goes with the error. */
export type AnswerError = Error & { statusCode?: number; code?: string };

/**
 * No redirect is followed (it would carry the key elsewhere), the timeout bounds the whole request
 * (a trickled body too), a cancelled execution stops it, at most `maxBytes` are read. The body is a
 * stream so that each of these closes the connection (else the client would go on downloading).
 */
export async function requestWithinLimits(
	send: (options: IHttpRequestOptions) => Promise<unknown>,
	request: IHttpRequestOptions,
	limits: RequestLimits,
): Promise<ProviderResponse> {
	const { timeoutMs, cancelSignal } = limits;
	const deadline = AbortSignal.timeout(timeoutMs);
	const stop = cancelSignal ? AbortSignal.any([deadline, cancelSignal]) : deadline;
	const pending = send({
		json: true,
		...request,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: timeoutMs,
		// n8n's authenticated helper puts the execution's cancel signal here instead: then the deadline
		// cannot abort the request before its answer starts (see withDeadline), only its body.
		abortSignal: stop,
	}) as Promise<{ statusCode: number; headers?: Record<string, unknown>; body: unknown }>;
	const response = await withDeadline(pending, deadline, timeoutMs);
	const answered = { statusCode: response.statusCode, headers: response.headers ?? {} };
	// A body that is no stream (an evaluation's mocked answer) is taken as it is.
	if (!isReadable(response.body))
		return { ...answered, body: redactBody(response.body, limits.secrets) };
	const text = await readCapped(response.body, limits.maxBytes, stop, () => {
		if (cancelSignal?.aborted)
			return new Error('the execution was canceled while the answer was arriving');
		return codedError(
			`the answer did not end within the request timeout of ${timeoutMs / 1000} s`,
			'ETIMEDOUT',
		);
	}).catch((error: AnswerError) => {
		throw Object.assign(error, { statusCode: answered.statusCode });
	});
	return { ...answered, body: redactBody(parseAnswer(text), limits.secrets, text) };
}

/** JSON when the answer is JSON, else its text (as n8n's helper reads a `json: true` answer). */
function parseAnswer(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

const BOM = /^\uFEFF/;

/** Past `maxBytes`, on `stop` or a broken connection, the stream is destroyed (closing the connection). */
async function readCapped(
	stream: BodyStream,
	maxBytes: number,
	stop: AbortSignal,
	stopError: () => Error,
): Promise<string> {
	return await new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const finish = (error?: Error) => {
			stream.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
			stop.removeEventListener('abort', onStop);
			if (!error) return resolve(Buffer.concat(chunks).toString('utf8').replace(BOM, ''));
			stream.on('error', () => undefined); // a late error of the destroyed stream concerns nobody
			stream.destroy();
			reject(error);
		};
		const onData = (chunk: Buffer | string) => {
			size += chunk.length;
			if (size > maxBytes) return finish(tooLarge(maxBytes));
			chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
		};
		const onEnd = () => finish();
		// The HTTP client may break the stream on `stop` before this reader hears of it: then `stop` says why.
		const onError = (error: Error) => finish(stop.aborted ? stopError() : error);
		const closed = 'the connection was closed before the answer ended';
		const onClose = () => finish(stop.aborted ? stopError() : codedError(closed, 'ECONNRESET'));
		const onStop = () => finish(stopError());
		if (stop.aborted) return onStop();
		stream.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
		stop.addEventListener('abort', onStop, { once: true });
	});
}

function tooLarge(maxBytes: number): Error {
	const MB = 1024 * 1024;
	const size = maxBytes >= MB ? `${maxBytes / MB} MB` : `${maxBytes / 1024} KB`;
	return new Error(
		`the answer was too large: over ${size}, so it was not read (the connection was closed)`,
	);
}

function codedError(message: string, code: string): Error {
	return Object.assign(new Error(message), { code });
}

/** A Node.js readable stream, by its global type ('stream' may not be imported in node code). */
type BodyStream = NodeJS.ReadableStream & { destroy(): void };

function isReadable(body: unknown): body is BodyStream {
	const stream = typeof body === 'object' ? (body as Partial<BodyStream> | null) : null;
	return typeof stream?.on === 'function' && typeof stream.destroy === 'function';
}

/** The Base URL without trailing slashes; shown without `user:password@` (a proxy's login, a secret). */
function readBaseUrl(
	context: IExecuteFunctions,
	credentialType: string,
	raw: unknown,
): { url: string; shown: string; secrets: string[] } {
	const text = typeof raw === 'string' ? raw.trim().replace(/\/+$/, '') : '';
	const url = URL.canParse(text) ? new URL(text) : undefined;
	const secrets = passwordOf(url);
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
		throw new NodeOperationError(
			context.getNode(),
			`The Base URL of the ${credentialType} credential is not a valid http(s) URL (got ${JSON.stringify(redactSecrets(String(raw ?? ''), secrets))})`,
			{
				description:
					"Open the credential and set Base URL to the provider's API address (the default is right unless you use a proxy). Nothing was sent.",
			},
		);
	}
	if (!url.username && !url.password) return { url: text, shown: text, secrets };
	url.username = '';
	url.password = '';
	return { url: text, shown: url.toString().replace(/\/+$/, ''), secrets };
}

function passwordOf(url: URL | undefined): string[] {
	if (!url?.password) return [];
	try {
		return [url.password, decodeURIComponent(url.password)];
	} catch {
		return [url.password];
	}
}

/** The request's answer, or a timeout error once the deadline has passed: the node stops waiting. */
async function withDeadline<T extends { body?: unknown }>(
	request: Promise<T>,
	deadline: AbortSignal,
	timeoutMs: number,
): Promise<T> {
	let onDeadline = () => {};
	const deadlinePassed = new Promise<never>((_, reject) => {
		onDeadline = () => {
			// An abandoned request's late answer is closed unread; its late failure concerns nobody.
			request.then(
				(late) => isReadable(late.body) && late.body.destroy(),
				() => undefined,
			);
			// The provider may still be working on it: it keeps its place among the requests in flight
			// (Pronto's 5) until its late answer, else one more timeout, at least 30 s. A closed
			// connection proves nothing; longer would let a silent server block the key's places for good.
			const hold = endedOrAfter(request, Math.max(timeoutMs, 30_000));
			const timeout = `no answer within the request timeout of ${timeoutMs / 1000} s`;
			reject(markStillInFlight(codedError(timeout, 'ETIMEDOUT'), hold));
		};
		// Never aborted yet: the deadline's timer cannot fire while its request is being started.
		deadline.addEventListener('abort', onDeadline, { once: true });
	});
	try {
		return await Promise.race([request, deadlinePassed]);
	} finally {
		deadline.removeEventListener('abort', onDeadline);
	}
}

/** Settles when the request's answer arrives, or after `ms` (an unreferenced timer: it never keeps n8n up). */
function endedOrAfter(request: Promise<unknown>, ms: number): Promise<void> {
	return new Promise<void>((resolve) => {
		AbortSignal.timeout(ms).addEventListener('abort', () => resolve(), { once: true });
		request.then(
			() => resolve(),
			() => undefined,
		);
	});
}

// Secrets of 1–3 characters are not redacted: that would corrupt nearly every answer while hiding
// nothing (they are guessed in a few thousand tries).
const MIN_REDACTED_SECRET_LENGTH = 4;
// Shortest base64 prefix worth matching alone: shorter ones would hit unrelated base64 text.
const MIN_BASE64_PREFIX = 8;
const REDACTED = '[redacted]';

/** Replaces every form of every secret; `numeric` when a parsed number may spell one (a form of digits, signs, dots and `e`). */
type Redact = ((text: string) => string) & { numeric: boolean };

/** Compiled once per list of secrets (a connection's list lives as long as its run). */
const compiled = new WeakMap<string[], Redact | null>();

/**
 * Every form in which a provider or proxy may echo a secret back: as it is, URL-encoded (both
 * ways), JSON-escaped, and base64 (alone, or as the `key:` / `:key` of HTTP Basic; a prefix that
 * stays the same whatever password follows `key:`). Matched case-insensitively (an upper-cased echo).
 */
function formsOf(secret: string): string[] {
	const forms = [
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		JSON.stringify(secret).slice(1, -1),
	];
	for (const basic of [secret, `${secret}:`, `:${secret}`]) {
		const bytes = Buffer.from(basic, 'utf8');
		forms.push(bytes.toString('base64'));
		const stablePrefix = bytes.subarray(0, bytes.length - (bytes.length % 3)).toString('base64');
		if (stablePrefix.length >= MIN_BASE64_PREFIX) forms.push(stablePrefix);
	}
	return forms;
}

function redactorFor(secrets: string[]): Redact | null {
	const known = compiled.get(secrets);
	if (known !== undefined) return known;
	const long = secrets.filter((secret) => secret.length >= MIN_REDACTED_SECRET_LENGTH);
	const forms = [...new Set(long.flatMap(formsOf))];
	// Longest first: a form containing another is replaced whole (the padded base64 before its prefix).
	const source = forms
		.sort((a, b) => b.length - a.length)
		.map((form) => form.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
		.join('|');
	const pattern = new RegExp(source, 'gi'); // global: `replace` restarts it at 0 and leaves it there
	const redact = source
		? Object.assign((text: string) => text.replace(pattern, REDACTED), {
				numeric: forms.some((form) => /^[\d.e+-]+$/i.test(form)),
			})
		: null;
	compiled.set(secrets, redact);
	return redact;
}

/** Replaces every secret, in every echoed form, in a text, so no message can carry the API key. */
export function redactSecrets(text: string, secrets: string[]): string {
	return redactorFor(secrets)?.(text) ?? text;
}

/**
 * The answer with every secret replaced in its texts, numbers and field names. Only what contains a
 * secret is copied: one test per value and per distinct field name, so big answers stay cheap.
 */
export function redactBody(body: unknown, secrets: string[], parsedFrom?: string): unknown {
	const redact = redactorFor(secrets);
	// The text the body was parsed from, looked at once, spares most answers the walk: without a
	// backslash (an escape such as `\u0041` could spell a secret) every parsed text and field name
	// stands in it as it is, and a number can only spell a numeric secret.
	const clean =
		parsedFrom !== undefined &&
		!redact?.numeric &&
		!parsedFrom.includes('\\') &&
		redact?.(parsedFrom) === parsedFrom;
	return !redact || clean ? body : redactValue(body, redact, new Map());
}

/** A value with every secret replaced; `names` remembers each field name's redaction. */
function redactValue(value: unknown, redact: Redact, names: Map<string, string>): unknown {
	if (typeof value === 'string') return redact(value);
	if (typeof value === 'number') {
		const spelled = String(value);
		return redact(spelled) === spelled ? value : REDACTED;
	}
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) {
		const result = value.map((entry) => redactValue(entry, redact, names));
		return result.some((entry, index) => entry !== value[index]) ? result : value;
	}
	let changed = false;
	const entries = Object.entries(value).map(([name, entry]): [string, string, unknown] => {
		const redactedName = names.get(name) ?? redact(name);
		names.set(name, redactedName);
		const redacted = redactValue(entry, redact, names);
		changed ||= redactedName !== name || redacted !== entry;
		return [name, redactedName, redacted];
	});
	if (!changed) return value;
	// A redacted name already taken gets the next free number, ` (2)`, so two fields never merge.
	const taken = new Set(entries.filter(([name, to]) => name === to).map(([name]) => name));
	return Object.fromEntries(
		entries.map(([name, redactedName, redacted]) => {
			if (name === redactedName) return [name, redacted];
			let unique = redactedName;
			for (let n = 2; taken.has(unique); n++) unique = `${redactedName} (${n})`;
			taken.add(unique);
			return [unique, redacted];
		}),
	);
}
