import { ERROR_MESSAGE_KEYS, readErrorMessage, type RequestFailure } from './classify-failure';
import { valueAtPath } from './read-parameters';
import { isBlank, isPlainObject } from './values';
import type { Answer, ItemOutcome, Provider, ProviderResponse } from './types';

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

type ErrorOutcome = Extract<ItemOutcome, { kind: 'error' }>;

export function requestError(message: string, description?: string, status?: number): ErrorOutcome {
	const httpCode = status ? String(status) : undefined;
	return { kind: 'error', cause: 'request', message, description, httpCode };
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

const FAILURE_HINTS: Record<RequestFailure['kind'], string> = {
	// The error adds which credential to open and test (output-items.ts), whatever the provider's own words.
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

export function notSent(reason: string): ErrorOutcome {
	return { kind: 'error', cause: 'notSent', message: `Not sent: ${reason}` };
}

/** Status values that say the request failed, wherever the provider keeps its status. */
const FAILURE_STATUS = /^(?:fail(?:ed|ure)?|error(?:ed)?|aborted|rejected)$/;
/** A message that only says nothing was found (a miss in words), or that all went well: no failure. */
const MISS_MESSAGE =
	/\b(?:not found|nothing found|no match(?:es)?|no (?:data|results?|records?)|no \w+ found)\b/i;
const ALL_WELL = /^(?:ok|success(?:ful)?|succeeded|done|completed?)\.?$/i;
/** "Account not found", "API key not found": not about the person looked up, so no miss. */
const NOT_THE_LOOKUP = /account|api.?key|token|credential|endpoint|route|path|url|page/i;

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
	return saysNothingWrong(words) ? undefined : words;
}

function saysNothingWrong(message: string): boolean {
	return (
		ALL_WELL.test(message.trim()) || (MISS_MESSAGE.test(message) && !NOT_THE_LOOKUP.test(message))
	);
}

/** Found, submitted or pending: data a message beside it does not undo. */
export function isDataAnswer(answer: Answer): boolean {
	return answer.kind === 'found' || answer.kind === 'submitted' || answer.kind === 'pending';
}

/** `"…"`, `422`, `true`, `{message}`, `[…]`: said; `""`, `null`, `false`, `{}`, `[]`: not. */
function isSaid(value: unknown): boolean {
	return value !== false && !isBlank(value);
}
