import { valueAtPath } from './read-parameters';
import type { Answer, ItemOutcome, Provider, ProviderResponse } from './types';
import { isBlank, isPlainObject, readHeader } from './values';

// How a request ended: why it failed (a RequestFailure, read from a status, a network error or the
// words of a 2xx answer), and the item outcomes that say so.

/** What each kind of failure asks of the user; its keys are the kinds of RequestFailure. */
const FAILURE_HINTS = {
	// The error adds which credential to open and test (operation.ts), whatever the provider's own words.
	auth: 'The API key was refused.',
	forbidden: 'The account is out of credits or may not use this endpoint.',
	rejected: 'The provider refused the request as sent.',
	rateLimited:
		'The provider kept rate-limiting for longer than Options › Max Rate-Limit Wait allows; raise it, or run the jobs on this API key one after the other.',
	redirect:
		"Redirects are not followed, so the API key is never sent to another address: check the credential's Base URL (it must be the provider's API address).",
	transient:
		'The provider or the network kept failing; try again later or raise the retry budget in Options.',
	outcomeUnknown:
		'The request may have been accepted (and charged) although no clear answer came back, so it was not sent again: sending it twice could enrich and charge twice. Check the provider (its dashboard, or whether results arrive) before running these items again.',
	blocked:
		"n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED) does not let n8n call this address (loopback, private and reserved ranges): if the credential's Base URL is right, ask your n8n administrator to allow its host in N8N_SSRF_ALLOWED_HOSTNAMES or its range in N8N_SSRF_ALLOWED_IP_RANGES.",
	other: 'The request could not be completed.',
};

type FailureKind = keyof typeof FAILURE_HINTS;
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

/** A failure of `kind`: only a rate limit and a transient failure are worth trying again. */
export function requestFailure(
	kind: FailureKind,
	providerMessage: string,
	certainlyNotAccepted: boolean,
	more?: Partial<RequestFailure>,
): RequestFailure {
	const retryable = kind === 'rateLimited' || kind === 'transient';
	return { kind, retryable, certainlyNotAccepted, providerMessage, ...more };
}

type ErrorOutcome = Extract<ItemOutcome, { kind: 'error' }>;

export function requestError(message: string, description?: string, status?: number): ErrorOutcome {
	const httpCode = status ? String(status) : undefined;
	return { kind: 'error', cause: 'request', message, description, httpCode };
}

export function notSent(reason: string): ErrorOutcome {
	return { kind: 'error', cause: 'notSent', message: `Not sent: ${reason}` };
}

export function requestFailureOutcome(
	provider: Provider,
	failure: RequestFailure,
	attempts: number,
	baseUrl?: string,
): ErrorOutcome {
	const { name } = provider;
	const { statusCode, kind, detail } = failure;
	const status = statusCode ? `HTTP ${statusCode}` : 'no answer';
	const url = baseUrl ? ` (${baseUrl})` : '';
	// A 404 that is not the endpoint's "no match" answer: most often a typo in the Base URL's path.
	const hint =
		provider.explainFailure?.(failure) ??
		(statusCode === 404
			? `${name} answered that the address itself does not exist: check the Base URL of the ${name} credential${url}, which must be the provider's API address.`
			: FAILURE_HINTS[kind]);
	const unknown = kind === 'outcomeUnknown' ? 'outcome unknown, not sent again: ' : '';
	// A failure named inside a 2xx answer is the provider's word, not a failed request.
	const failed =
		statusCode !== undefined && statusCode < 300
			? `answered ${status} with an error`
			: `request failed (${status})`;
	return requestError(
		`${name} ${failed}: ${unknown}${failure.providerMessage}`,
		`${hint}${detail ? ` Detail: ${detail}.` : ''} Attempts: ${attempts}.`,
		statusCode,
	);
}

// A 2xx answer that could not be read: the provider's message when it says it failed (nothing done);
// else (a proxy's page, cut JSON) a paid request may have been done: outcome unknown, never a miss.
export function unreadableAnswerOutcome(
	provider: Provider,
	response: ProviderResponse,
	error: unknown,
	options: { mayHaveCharged: boolean },
): ErrorOutcome {
	const { name } = provider;
	const { statusCode } = response;
	const providerMessage = failureInAnswer(provider, response, undefined);
	if (providerMessage !== undefined) {
		const why =
			provider.explainFailure?.({ statusCode, providerMessage }) ??
			`${name} reported a failure inside a successful answer, so nothing in this request counts as done.`;
		return requestError(
			`${name} answered HTTP ${statusCode} with an error: ${providerMessage}`,
			`${why} Fix the cause, then run these items again.`,
		);
	}
	const detail = error instanceof Error ? error.message : String(error);
	if (!options.mayHaveCharged)
		return requestError(
			`${name} sent an answer that could not be read (HTTP ${statusCode}): ${detail}`,
			'The answer may come from a proxy or be cut short; reading it again later costs nothing.',
		);
	return requestError(
		`${name} accepted the request (HTTP ${statusCode}) but its answer could not be read (${detail}): outcome unknown, not sent again`,
		`${FAILURE_HINTS.outcomeUnknown} The answer may come from a proxy or be cut short.`,
	);
}

export function classifyStatus(statusCode: number): Pick<RequestFailure, 'kind' | 'retryable'> {
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
// n8n's SsrfBlockedIpError / SsrfBlockedHostnameError (N8N_SSRF_PROTECTION_ENABLED); n8n's request
// helper hands on their message, not their name.
const SSRF_BLOCKED =
	/^The request was blocked because (it resolves to a restricted IP address|the destination hostname is restricted)/;

/** Failure of a request that got no HTTP answer (reset, refused, timed out, blocked). */
export function failureFromException(error: unknown): RequestFailure {
	const code = findErrorCode(error);
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof Error && (error.name.startsWith('Ssrf') || SSRF_BLOCKED.test(message)))
		return requestFailure('blocked', message, true);
	const timedOut = /timeout|timed out/i.test(message);
	const [words, transientCode, neverConnected] = (code && NETWORK_CODES.get(code)) || [];
	const transient = transientCode === true || timedOut || /socket hang up/i.test(message);
	if (code === undefined && !transient) return requestFailure('other', message, false);
	// Plain words only: n8n replaces any error message containing a code like ECONNRESET by its
	// own generic text, which would lose the provider, the item and the attempts.
	const plain = timedOut ? TIMED_OUT : (words ?? NO_ANSWER);
	const detail = code ? `${code}: ${message}` : message;
	const kind = transient ? 'transient' : 'other';
	return requestFailure(kind, plain, neverConnected === true, { detail });
}

function findErrorCode(error: unknown, depth = 0): string | undefined {
	if (depth >= 5 || !error || typeof error !== 'object') return undefined;
	const { code, cause } = error as { code?: unknown; cause?: unknown };
	if (typeof code === 'string' && code.length > 0 && code !== 'ERR_BAD_RESPONSE') return code;
	return findErrorCode(cause, depth + 1);
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

/** Status values that say the request failed, wherever the provider keeps its status. */
const FAILURE_STATUS = /^(?:fail(?:ed|ure)?|error(?:ed)?|aborted|rejected)$/;
/** A message that only says nothing was found (a miss in words), or that all went well: no failure. */
const MISS_MESSAGE =
	/\b(?:not found|nothing found|no match(?:es)?|no (?:data|results?|records?)|no \w+ found)\b/i;
const ALL_WELL = /^(?:ok|success(?:ful)?|succeeded|done|completed?)\.?$/i;
/** "Account not found", "API key not found": not about the person looked up, so no miss. */
const NOT_THE_LOOKUP = /account|api.?key|token|credential|endpoint|route|path|url|page/i;
/** `"…"`, `422`, `true`, `{message}`, `[…]`: said; `""`, `null`, `false`, `{}`, `[]`: not. */
const isSaid = (value: unknown) => value !== false && !isBlank(value);
/** Where an error body keeps its message, in order of preference. */
const ERROR_MESSAGE_KEYS = ['detail', 'details', 'message', 'error', 'errors'];

/**
 * The failure a 2xx answer names, in the provider's words (a false miss makes a waterfall pay the
 * next provider): `error`/`errors`, a failure status at `answerStatusField`, or a message beside no
 * data (`answers`, what the endpoint read) that does not only say nothing was found.
 */
export function failureInAnswer(
	provider: Provider,
	response: ProviderResponse,
	answers: Answer[] | undefined,
): string | undefined {
	const record = response.body;
	if (!isPlainObject(record)) return undefined;
	const words = ERROR_MESSAGE_KEYS.some((key) => isSaid(record[key]))
		? readErrorMessage(record)
		: undefined;
	if (isSaid(record.error) || isSaid(record.errors)) return words;
	const field = provider.answerStatusField;
	const status = field ? valueAtPath(record, field) : undefined;
	if (typeof status === 'string' && FAILURE_STATUS.test(status.trim().toLowerCase()))
		return `${field?.split('.').pop()} "${status}"${words ? `: ${words}` : ''}`;
	if (words === undefined || answers?.some(isDataAnswer)) return undefined;
	const saysNothingWrong =
		ALL_WELL.test(words.trim()) || (MISS_MESSAGE.test(words) && !NOT_THE_LOOKUP.test(words));
	return saysNothingWrong ? undefined : words;
}

/** Found, submitted or pending: data a message beside it does not undo. */
export function isDataAnswer(answer: Answer): boolean {
	return answer.kind === 'found' || answer.kind === 'submitted' || answer.kind === 'pending';
}

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
			// not JSON after all: read as text
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
