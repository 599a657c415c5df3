import { readErrorMessage } from './classify-failure';
import type { ProviderResponse } from './types';

/**
 * What a 2xx answer the endpoint could not read means.
 * - `providerError`: the provider said inside the 2xx that it failed (`{"error": "Insufficient
 *   credits"}`, Explorium's `request_status: "failure"`): nothing in it was done, the provider's
 *   own message is shown.
 * - `unreadable`: anything else (an HTML page from a proxy, truncated JSON, no id): the provider may
 *   well have done (and charged) the work, so it is an outcome unknown, never a plain miss.
 */
export type UnreadableAnswer = { kind: 'providerError'; message: string } | { kind: 'unreadable'; detail: string };

/**
 * Thrown by an endpoint's reader when the provider's answer reports a failure in its own way
 * (e.g. Explorium's `response_context.request_status: "failure"`).
 */
export class ProviderReportedFailure extends Error {}

export function explainUnreadableAnswer(response: ProviderResponse, error: unknown): UnreadableAnswer {
	if (error instanceof ProviderReportedFailure) return { kind: 'providerError', message: error.message };
	const body = response.body;
	if (body !== null && typeof body === 'object' && !Array.isArray(body) && carriesError(body as Record<string, unknown>)) {
		return { kind: 'providerError', message: readErrorMessage(body) ?? 'an error without a message' };
	}
	return { kind: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
}

/** `{error: "…"}`, `{error: 402, message}`, `{error: {message}}`, `{errors: [...]}`. */
function carriesError(body: Record<string, unknown>): boolean {
	const { error, errors } = body;
	if (typeof error === 'string') return error.trim() !== '';
	if (typeof error === 'number' || error === true) return true;
	if (error !== null && typeof error === 'object') return Object.keys(error).length > 0;
	return Array.isArray(errors) && errors.length > 0;
}
