import { createHash } from 'crypto';
import { NodeOperationError, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import { markStillInFlight } from './in-flight-limiter';
import type { SendRequest } from './send-with-retry';
import type { Provider } from './types';

/**
 * Shorter secrets are not redacted: a "secret" like `email` or `null` would match keys, common words
 * and JSON syntax, and redacting it would corrupt answers. Real API keys are far longer, and the
 * Pronto credential refuses a Webhook Secret shorter than MIN_WEBHOOK_SECRET_LENGTH.
 */
export const MIN_REDACTED_SECRET_LENGTH = 8;

export interface ProviderConnection {
	send: SendRequest;
	/** Names the API key (a hash of credential type, base URL and key) so runs on one key share its limits. */
	keyId: string;
	/** The credential's Base URL, without trailing slashes. */
	baseUrl: string;
	/** Values that must never appear in an output item or error (the API key, a webhook secret, a token derived from it). */
	secrets: string[];
}

/**
 * The one place that talks HTTP: n8n's authenticated request helper against the credential's base
 * URL, answering with status, headers and body for every status so the engine decides on retries.
 * Redirects are never followed (they would carry the key elsewhere), the timeout bounds the whole
 * request (a slowly trickled body included), and secrets echoed in a body are redacted on arrival.
 */
export async function connectToProvider(
	context: IExecuteFunctions,
	provider: Pick<Provider, 'credentialType' | 'secretsDerivedFrom'>,
	requestTimeoutMs: number,
	cancelSignal: AbortSignal | undefined,
): Promise<ProviderConnection> {
	const { credentialType } = provider;
	const credentials = await context.getCredentials<{ apiKey?: string; baseUrl?: string; webhookSecret?: string }>(
		credentialType,
	);
	const baseUrl = readBaseUrl(context, credentialType, credentials.baseUrl);
	const secrets = [credentials.apiKey, credentials.webhookSecret, ...(provider.secretsDerivedFrom?.(credentials) ?? [])].filter(
		(secret): secret is string => typeof secret === 'string' && secret.length >= MIN_REDACTED_SECRET_LENGTH,
	);
	const send: SendRequest = async (request: IHttpRequestOptions) => {
		const pending = context.helpers.httpRequestWithAuthentication.call(context, credentialType, {
			json: true,
			...request,
			url: `${baseUrl}${request.url}`,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: requestTimeoutMs,
			abortSignal: cancelSignal,
		}) as Promise<{ statusCode: number; headers?: Record<string, unknown>; body: unknown }>;
		const response = await withDeadline(pending, requestTimeoutMs);
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: redactBody(response.body, secrets) };
	};
	const keyId = createHash('sha256').update(`${credentialType}\n${baseUrl}\n${credentials.apiKey ?? ''}`).digest('hex');
	return { send, secrets, keyId, baseUrl };
}

/** The credential's Base URL without trailing slashes; an error naming the credential when it is no http(s) URL. */
function readBaseUrl(context: IExecuteFunctions, credentialType: string, raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim().replace(/\/+$/, '') : '';
	let valid = false;
	try {
		const url = new URL(text);
		valid = (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new NodeOperationError(context.getNode(), `The Base URL of the ${credentialType} credential is not a valid http(s) URL (got ${JSON.stringify(raw ?? '')})`, {
			description: "Open the credential and set Base URL to the provider's API address (the default is right unless you use a proxy). Nothing was sent.",
		});
	}
	return text;
}

/**
 * The request's answer, or a timeout error once `timeoutMs` has passed since it started. The HTTP
 * client's own timeout only notices an idle socket, so a body trickled slowly would run on for ever;
 * and n8n replaces a request's abort signal by the execution's, so the deadline cannot abort it: the
 * node stops waiting, and the abandoned request ends when the server or the socket gives up.
 */
async function withDeadline<T>(request: Promise<T>, timeoutMs: number): Promise<T> {
	const deadline = AbortSignal.timeout(timeoutMs);
	let onDeadline: () => void = () => {};
	const deadlinePassed = new Promise<never>((_, reject) => {
		onDeadline = () => {
			const error = Object.assign(new Error(`no answer within the request timeout of ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' });
			// The provider may still be working on it: it keeps its place among the requests in flight.
			reject(markStillInFlight(error, endedOrAfter(request, abandonedRequestHoldMs(timeoutMs))));
		};
		deadline.addEventListener('abort', onDeadline, { once: true });
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

/**
 * A provider that echoes the key back must not put it in an output item: every text value that
 * contains a secret has it replaced. Only values: a key of the answer is never touched, so a secret
 * that happens to be a field name cannot rename it, and the JSON is never re-parsed (a key holding
 * `"` or `\\` is matched as it is, not as escaped JSON). Values without a secret are kept as they are.
 */
export function redactBody(body: unknown, secrets: string[]): unknown {
	const usable = usableSecrets(secrets);
	if (usable.length === 0) return body;
	return redactValue(body, usable);
}

function redactValue(value: unknown, secrets: string[]): unknown {
	if (typeof value === 'string') return secrets.some((secret) => value.includes(secret)) ? replaceSecrets(value, secrets) : value;
	if (Array.isArray(value)) {
		let changed = false;
		const result = value.map((entry) => {
			const redacted = redactValue(entry, secrets);
			changed ||= redacted !== entry;
			return redacted;
		});
		return changed ? result : value;
	}
	if (value !== null && typeof value === 'object') {
		let result: Record<string, unknown> | undefined;
		for (const [key, entry] of Object.entries(value)) {
			const redacted = redactValue(entry, secrets);
			if (redacted !== entry) {
				result ??= { ...(value as Record<string, unknown>) };
				result[key] = redacted;
			}
		}
		return result ?? value;
	}
	return value;
}

/** Replaces every secret (of a usable length) in a text, so no message can carry the API key. */
export function redactSecrets(text: string, secrets: string[]): string {
	return replaceSecrets(text, usableSecrets(secrets));
}

function usableSecrets(secrets: string[]): string[] {
	// Longest first: a secret containing another is replaced whole.
	return secrets.filter((secret) => secret.length >= MIN_REDACTED_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function replaceSecrets(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join('[redacted]');
	return result;
}
