import { createHash } from 'crypto';
import { NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import { markStillInFlight } from './in-flight-limiter';
import { MIN_REDACTED_SECRET_LENGTH, redactBody, redactSecrets } from './redact-secrets';
import type { SendRequest } from './send-with-retry';
import type { Provider, ProviderResponse } from './types';

/**
 * Most a provider's answer may hold. The largest answer is ExactBuyer's 1000 contacts: 0.5 MB in the
 * simulator and at the reference payload's 550 bytes a contact (Explorium's 50 profiles: 0.1 MB);
 * 32 MB leaves room for records 60 times richer, while an endless or runaway answer is cut long
 * before it can fill n8n's memory.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export interface ProviderConnection {
	send: SendRequest;
	/** Names the API key (a hash of credential type, base URL and key) so runs on one key share its limits. */
	keyId: string;
	/** The credential's Base URL as messages show it: without trailing slashes and without `user:password@`. */
	baseUrl: string;
	/** Values that must never appear in an output item or error (the API key, the Base URL's password, a webhook secret, a token derived from it). */
	secrets: string[];
}

/**
 * The one place that talks HTTP: n8n's authenticated request helper against the credential's base
 * URL, answering with status, headers and body for every status so the engine decides on retries.
 * Every request follows the rules of `requestWithinLimits`; secrets echoed in a body are redacted on arrival.
 */
export async function connectToProvider(
	context: IExecuteFunctions,
	provider: Pick<Provider, 'credentialType' | 'secretsDerivedFrom'>,
	requestTimeoutMs: number,
	cancelSignal: AbortSignal | undefined,
): Promise<ProviderConnection> {
	const { credentialType } = provider;
	const credentials = await context.getCredentials<{
		apiKey?: string;
		baseUrl?: string;
		webhookSecret?: string;
	}>(credentialType);
	const baseUrl = readBaseUrl(context, credentialType, credentials.baseUrl);
	const secrets = [
		credentials.apiKey,
		...baseUrl.secrets,
		...(provider.secretsDerivedFrom?.(credentials) ?? []),
	].filter(
		(secret): secret is string =>
			typeof secret === 'string' && secret.length >= MIN_REDACTED_SECRET_LENGTH,
	);
	const limits = { timeoutMs: requestTimeoutMs, maxBytes: MAX_ANSWER_BYTES, cancelSignal, secrets };
	const send: SendRequest = async (request: IHttpRequestOptions) =>
		await requestWithinLimits(
			async (options) =>
				await context.helpers.httpRequestWithAuthentication.call(context, credentialType, options),
			{ ...request, url: `${baseUrl.url}${request.url}` },
			limits,
		);
	const keyId = createHash('sha256')
		.update(`${credentialType}\n${baseUrl.url}\n${credentials.apiKey ?? ''}`)
		.digest('hex');
	return { send, secrets, keyId, baseUrl: baseUrl.shown };
}

export interface RequestLimits {
	/** Bounds the whole request, from sending to the last byte of the answer. */
	timeoutMs: number;
	/** Most bytes of the answer read (after decompression); a longer answer is an error. */
	maxBytes: number;
	cancelSignal?: AbortSignal;
	/** Redacted from the answer. */
	secrets: string[];
}

/** An answer that arrived but could not be read whole: its status goes with the error. */
export type AnswerError = Error & { statusCode?: number; code?: string };

/**
 * Sends one request under the package's transport rules: redirects are never followed (they would
 * carry the key or the callback token elsewhere), the timeout bounds the whole request (a slowly
 * trickled body included), a cancelled execution stops it, and at most `maxBytes` of the answer are
 * read. The body is read as a stream so that each of these really closes the connection: the
 * HTTP client would otherwise go on downloading into memory after the node stopped waiting.
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
		return Object.assign(
			new Error(`the answer did not end within the request timeout of ${timeoutMs / 1000} s`),
			{ code: 'ETIMEDOUT' },
		);
	}).catch((error: AnswerError) => {
		throw Object.assign(error, { statusCode: answered.statusCode });
	});
	return { ...answered, body: redactBody(parseAnswer(text), limits.secrets, text) };
}

/** JSON when the answer is JSON, else its text (as n8n's helper reads a `json: true` answer). */
function parseAnswer(text: string): unknown {
	if (text.trim() === '') return text;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/**
 * The body's text, read up to `maxBytes`. Past them, when `stop` aborts, or when the connection
 * breaks, the stream is destroyed (which closes the connection) and the read fails.
 */
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
			if (!error)
				return resolve(
					Buffer.concat(chunks)
						.toString('utf8')
						.replace(/^\uFEFF/, ''),
				);
			stream.on('error', () => undefined); // a late error of the destroyed stream concerns nobody
			stream.destroy();
			reject(error);
		};
		const onData = (chunk: Buffer | string) => {
			size += chunk.length;
			if (size > maxBytes) {
				finish(
					new Error(
						`the answer was too large: over ${formatBytes(maxBytes)}, so it was not read (the connection was closed)`,
					),
				);
				return;
			}
			chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
		};
		const onEnd = () => finish();
		// The HTTP client may break the stream on `stop` before this reader hears of it: then `stop` says why.
		const onError = (error: Error) => finish(stop.aborted ? stopError() : error);
		const onClose = () =>
			finish(
				stop.aborted
					? stopError()
					: Object.assign(new Error('the connection was closed before the answer ended'), {
							code: 'ECONNRESET',
						}),
			);
		const onStop = () => finish(stopError());
		if (stop.aborted) return onStop();
		stream.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
		stop.addEventListener('abort', onStop, { once: true });
	});
}

/** The part of a Node.js readable stream used here ('stream' may not be imported in node code). */
interface BodyStream {
	on(event: string, listener: (...args: never[]) => void): BodyStream;
	once(event: string, listener: (...args: never[]) => void): BodyStream;
	off(event: string, listener: (...args: never[]) => void): BodyStream;
	destroy(): void;
}

function isReadable(body: unknown): body is BodyStream {
	return (
		body !== null &&
		typeof body === 'object' &&
		typeof (body as BodyStream).on === 'function' &&
		typeof (body as BodyStream).destroy === 'function'
	);
}

function formatBytes(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

/**
 * The credential's Base URL without trailing slashes (an error naming the credential when it is no
 * http(s) URL); as shown in messages without `user:password@` (a proxy's login), whose password is a secret.
 */
function readBaseUrl(
	context: IExecuteFunctions,
	credentialType: string,
	raw: unknown,
): { url: string; shown: string; secrets: string[] } {
	const text = typeof raw === 'string' ? raw.trim().replace(/\/+$/, '') : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
		throw new NodeOperationError(
			context.getNode(),
			`The Base URL of the ${credentialType} credential is not a valid http(s) URL (got ${JSON.stringify(redactSecrets(String(raw ?? ''), passwordOf(url)))})`,
			{
				description:
					"Open the credential and set Base URL to the provider's API address (the default is right unless you use a proxy). Nothing was sent.",
			},
		);
	}
	if (!url.username && !url.password) return { url: text, shown: text, secrets: [] };
	const secrets = passwordOf(url);
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

/**
 * The request's answer, or a timeout error once the deadline has passed. n8n's authenticated helper
 * replaces a request's abort signal by the execution's, so the deadline cannot abort a request whose
 * answer has not started: the node stops waiting, and the abandoned request ends when the server or
 * the socket gives up (its answer, should it come, is closed unread).
 */
async function withDeadline<T extends { body?: unknown }>(
	request: Promise<T>,
	deadline: AbortSignal,
	timeoutMs: number,
): Promise<T> {
	let onDeadline: () => void = () => {};
	const deadlinePassed = new Promise<never>((_, reject) => {
		onDeadline = () => {
			const error = Object.assign(
				new Error(`no answer within the request timeout of ${timeoutMs / 1000} s`),
				{ code: 'ETIMEDOUT' },
			);
			request.then(
				(late) => isReadable(late.body) && late.body.destroy(),
				() => undefined,
			);
			// The provider may still be working on it: it keeps its place among the requests in flight.
			reject(markStillInFlight(error, endedOrAfter(request, abandonedRequestHoldMs(timeoutMs))));
		};
		if (deadline.aborted) onDeadline();
		else deadline.addEventListener('abort', onDeadline, { once: true });
	});
	request.catch(() => undefined); // an abandoned request may still fail later: nobody waits for it then
	try {
		return await Promise.race([request, deadlinePassed]);
	} finally {
		deadline.removeEventListener('abort', onDeadline);
	}
}

/**
 * How long a request abandoned at its timeout keeps its place among the requests in flight (Pronto's
 * 5): until its late answer arrives, else one more Request Timeout, at least 30 s. A closed
 * connection proves nothing (the provider goes on working on what it received); longer would let a
 * server that never answers block the key's places for good.
 */
export function abandonedRequestHoldMs(requestTimeoutMs: number): number {
	return Math.max(requestTimeoutMs, 30_000);
}

/** Settles when the request's answer arrives, or after `ms` (an unreferenced timer: it never keeps n8n up). */
function endedOrAfter(request: Promise<unknown>, ms: number): Promise<void> {
	const limit = AbortSignal.timeout(ms);
	return new Promise<void>((resolve) => {
		const done = () => {
			limit.removeEventListener('abort', done);
			resolve();
		};
		limit.addEventListener('abort', done, { once: true });
		request.then(done, () => undefined);
	});
}
