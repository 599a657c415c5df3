import { isBlank } from '../shared/is-blank';
import { readErrorMessage } from './classify-failure';
import { readDottedPath } from './read-parameters';
import type { Answer, Provider, ProviderResponse } from './types';

/**
 * What a 2xx answer the endpoint could not read means.
 * - `providerError`: the provider said inside the 2xx that it failed (`{"error": "Insufficient
 *   credits"}`, Explorium's `request_status: "failure"`): nothing in it was done, the provider's
 *   own message is shown.
 * - `unreadable`: anything else (an HTML page from a proxy, truncated JSON, no id): the provider may
 *   well have done (and charged) the work, so it is an outcome unknown, never a plain miss.
 */
export type UnreadableAnswer =
	| { kind: 'providerError'; message: string }
	| { kind: 'unreadable'; detail: string };

export function explainUnreadableAnswer(
	provider: Provider,
	response: ProviderResponse,
	error: unknown,
): UnreadableAnswer {
	const failure = failureInAnswer(provider, response, undefined);
	if (failure !== undefined) return { kind: 'providerError', message: failure };
	return { kind: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
}

/** Status values that say the request failed, wherever the provider keeps its status. */
const FAILURE_STATUSES = new Set([
	'fail',
	'failed',
	'failure',
	'error',
	'errored',
	'aborted',
	'rejected',
]);
/** A message that only says nothing was found (a miss in words), or that all went well: no failure. */
const MISS_MESSAGE =
	/\b(?:not found|nothing found|no match(?:es)?|no (?:data|results?|records?)|no \w+ found)\b/i;
const ALL_WELL = /^(?:ok|success(?:ful)?|succeeded|done|completed?)\.?$/i;
/** "Account not found", "API key not found": not about the person looked up, so no miss. */
const NOT_THE_LOOKUP = /account|api.?key|token|credential|endpoint|route|path|url|page/i;

/**
 * The failure a 2xx answer names, in the provider's words; undefined when it says nothing went wrong.
 * A miss must be an answer that says nothing went wrong (a waterfall pays the next provider for every
 * false miss), so an answer names a failure when it carries `error`/`errors`, a failure status where
 * the provider keeps one (`Provider.answerStatusField`), or a message with no data beside it (unless
 * the message itself only says nothing was found). `answers`: what the endpoint read from it, if it could.
 */
export function failureInAnswer(
	provider: Provider,
	response: ProviderResponse,
	answers: Answer[] | undefined,
): string | undefined {
	const body = response.body;
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const record = body as Record<string, unknown>;
	const words = ['detail', 'details', 'message', 'error', 'errors'].some((key) =>
		isSaid(record[key]),
	)
		? readErrorMessage(record)
		: undefined;
	if (isSaid(record.error) || isSaid(record.errors)) return words;
	const field = provider.answerStatusField;
	const status = field ? readDottedPath(record, field) : undefined;
	if (typeof status === 'string' && FAILURE_STATUSES.has(status.trim().toLowerCase())) {
		return `${field?.split('.').pop()} "${status}"${words ? `: ${words}` : ''}`;
	}
	const hasData = answers?.some(isDataAnswer) ?? false;
	return !hasData && words !== undefined && !saysNothingWrong(words) ? words : undefined;
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
