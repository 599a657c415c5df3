import type { ProviderResponse } from './types';
import { readHeader } from './values';

/** Why a request did not succeed, and whether trying again can help. */
export type FailureKind =
	| 'auth' // 401: the key is wrong
	| 'forbidden' // 402/403: out of credits or not allowed
	| 'rejected' // 400/404/409/413/422: the request itself is refused
	| 'rateLimited' // 429
	| 'transient' // 408, 5xx, connection reset, timeout
	| 'outcomeUnknown' // transient, on an endpoint that must not be sent twice: it may have been accepted
	| 'redirect' // 3xx: never followed, since it would carry the API key (or the whole request) to another URL
	| 'blocked' // n8n's SSRF protection refused the address before connecting
	| 'other';

export interface RequestFailure {
	kind: FailureKind;
	retryable: boolean;
	certainlyNotAccepted: boolean; // refused, or no connection made: safe to send again
	statusCode?: number;
	providerMessage: string; // read from any error body shape, or what went wrong on the way
	canceled?: boolean; // cancelled while waiting for its answer (it went out)
	detail?: string; // for the error description (e.g. the network error code)
	response?: ProviderResponse;
}

const TIMED_OUT = 'no answer within the request timeout';
const CLOSED = 'the connection was closed before an answer';
const UNRESOLVED = 'the host name could not be resolved';
const UNREACHABLE = 'the host could not be reached';
const NO_ANSWER = 'the request failed without an answer';
// Network error codes: plain words, whether retrying can help, whether no connection was made.
const NETWORK_CODES = new Map<string, [string, boolean, boolean]>([
	['ETIMEDOUT', [TIMED_OUT, true, false]],
	['ESOCKETTIMEDOUT', [TIMED_OUT, true, false]],
	['ECONNABORTED', [TIMED_OUT, true, false]],
	['ECONNRESET', [CLOSED, true, false]],
	['EPIPE', [CLOSED, true, false]],
	['UND_ERR_SOCKET', [CLOSED, true, false]],
	['ERR_SOCKET_CONNECTION_TIMEOUT', [NO_ANSWER, true, false]],
	['ECONNREFUSED', ['the connection was refused', true, true]],
	['EAI_AGAIN', [UNRESOLVED, true, true]],
	['ENOTFOUND', [UNRESOLVED, false, true]],
	['ENETUNREACH', [UNREACHABLE, true, true]],
	['EHOSTUNREACH', [UNREACHABLE, true, true]],
]);

export function classifyStatus(statusCode: number): { kind: FailureKind; retryable: boolean } {
	if (statusCode >= 300 && statusCode < 400) return { kind: 'redirect', retryable: false };
	if (statusCode === 401) return { kind: 'auth', retryable: false };
	if (statusCode === 402 || statusCode === 403) return { kind: 'forbidden', retryable: false };
	if (statusCode === 429) return { kind: 'rateLimited', retryable: true };
	if (statusCode === 408 || statusCode >= 500) return { kind: 'transient', retryable: true };
	if (statusCode >= 400) return { kind: 'rejected', retryable: false };
	return { kind: 'other', retryable: false };
}

export function failureFromResponse(response: ProviderResponse): RequestFailure {
	const { statusCode } = response;
	const { kind, retryable } = classifyStatus(statusCode);
	return {
		kind,
		retryable,
		// A 3xx or 4xx (429 included) is a refusal; after a 5xx or 408 nobody knows what was done.
		certainlyNotAccepted: statusCode >= 300 && statusCode < 500 && statusCode !== 408,
		statusCode,
		providerMessage:
			kind === 'redirect'
				? `the provider answered with a redirect${describeLocation(response.headers)}, which was not followed`
				: (readErrorMessage(response.body) ?? `HTTP ${statusCode}`),
		response,
	};
}

/** The origin of an absolute Location (never its path, which may carry tokens). */
function describeLocation(headers: Record<string, unknown>): string {
	const location = readHeader(headers, 'location');
	const text = Array.isArray(location) ? location[0] : location;
	const valid = typeof text === 'string' && /^https?:\/\//i.test(text) && URL.canParse(text);
	return valid ? ` to ${new URL(text).origin}` : '';
}

const RATE_LIMIT_WORDS = /rate.?limit|too many requests|throttl/i;
const CREDIT_WORDS = /credit|quota|insufficient|payment|balance/i;
const TEMPORARY_WORDS = /internal|temporar|unavailable|timed? ?out|try again|overload/i;

/** Judged by its words as the status it stands for; a 429 only where resending cannot pay twice. */
export function failureInsideAnswer(
	response: ProviderResponse,
	providerMessage: string,
	idempotent: boolean,
): RequestFailure {
	const answer = { statusCode: response.statusCode, providerMessage, response };
	if (idempotent && RATE_LIMIT_WORDS.test(providerMessage))
		return { ...answer, kind: 'rateLimited', retryable: true, certainlyNotAccepted: true };
	if (CREDIT_WORDS.test(providerMessage))
		return { ...answer, kind: 'forbidden', retryable: false, certainlyNotAccepted: true };
	if (TEMPORARY_WORDS.test(providerMessage))
		return { ...answer, kind: 'transient', retryable: true, certainlyNotAccepted: false };
	return { ...answer, kind: 'rejected', retryable: false, certainlyNotAccepted: true };
}

const SSRF_BLOCKED =
	/^The request was blocked because (it resolves to a restricted IP address|the destination hostname is restricted)/;

/** Failure of a request that got no HTTP answer (reset, refused, timed out). */
export function failureFromException(error: unknown): RequestFailure {
	const code = findErrorCode(error);
	const message = error instanceof Error ? error.message : String(error);
	// n8n's SsrfBlockedIpError / SsrfBlockedHostnameError (N8N_SSRF_PROTECTION_ENABLED); n8n's request
	// helper hands on their message, not their name.
	if (error instanceof Error && (error.name.startsWith('Ssrf') || SSRF_BLOCKED.test(message)))
		return {
			kind: 'blocked',
			retryable: false,
			certainlyNotAccepted: true,
			providerMessage: message,
		};
	const timedOut = /timeout|timed out/i.test(message);
	const [words, transientCode, neverConnected] = (code && NETWORK_CODES.get(code)) || [];
	const transient = transientCode === true || timedOut || /socket hang up/i.test(message);
	const networkFailure = code !== undefined || transient;
	return {
		kind: transient ? 'transient' : 'other',
		retryable: transient,
		certainlyNotAccepted: neverConnected === true,
		// Plain words only: n8n replaces any error message containing a code like ECONNRESET by its
		// own generic text, which would lose the provider, the item and the attempts.
		providerMessage: networkFailure ? (timedOut ? TIMED_OUT : (words ?? NO_ANSWER)) : message,
		...(networkFailure ? { detail: code ? `${code}: ${message}` : message } : {}),
	};
}

function findErrorCode(error: unknown, depth = 0): string | undefined {
	if (depth >= 5 || !error || typeof error !== 'object') return undefined;
	const { code, cause } = error as { code?: unknown; cause?: unknown };
	if (typeof code === 'string' && code.length > 0 && code !== 'ERR_BAD_RESPONSE') return code;
	return findErrorCode(cause, depth + 1);
}

/** Where an error body keeps its message, in order of preference. */
export const ERROR_MESSAGE_KEYS = ['detail', 'details', 'message', 'error', 'errors'];

/** One readable line from any error body: `{detail}`, `{details}`, `{message}`, `{error}`, HTML. */
export function readErrorMessage(body: unknown): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') return readTextBody(body);
	if (typeof body !== 'object') return String(body);
	const record = body as Record<string, unknown>;
	const said = ERROR_MESSAGE_KEYS.map((key) => describeValue(record[key])).find(Boolean);
	return said ?? JSON.stringify(body).slice(0, 300);
}

function describeValue(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return undefined; // `{error: 422, message}`: the number is the status
	if (Array.isArray(value))
		return value.map((item) => describeValue(item) ?? JSON.stringify(item)).join('; ') || undefined;
	if (typeof value !== 'object') return String(value);
	const { msg, loc, message } = value as Record<string, unknown>;
	if (typeof msg === 'string') return Array.isArray(loc) ? `${msg} (at ${loc.join('.')})` : msg;
	if (typeof message === 'string') return message;
	return JSON.stringify(value).slice(0, 300);
}

function readTextBody(text: string): string | undefined {
	const trimmed = text.trim();
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			return readErrorMessage(JSON.parse(trimmed));
		} catch {
			// not JSON after all: fall through to text handling
		}
	}
	if (/<[a-z!]/i.test(trimmed)) {
		const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1];
		const paragraphs = [...trimmed.matchAll(/<(?:h1|p)>([^<]*)<\/(?:h1|p)>/gi)].map((m) =>
			m[1].trim(),
		);
		return [...new Set([title, ...paragraphs])].filter(Boolean).join(': ') || 'HTML error page';
	}
	return trimmed.slice(0, 300) || undefined;
}
