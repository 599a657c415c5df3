import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { SendRequest } from './send-with-retry';

export interface ProviderConnection {
	send: SendRequest;
	/** Values that must never appear in an output item or error (the API key, a webhook secret). */
	secrets: string[];
}

/**
 * The one place that talks HTTP: n8n's authenticated request helper against the credential's base
 * URL, answering with status, headers and body for every status so the engine decides on retries.
 */
export async function connectToProvider(
	context: IExecuteFunctions,
	credentialType: string,
	requestTimeoutMs: number,
	cancelSignal: AbortSignal | undefined,
): Promise<ProviderConnection> {
	const credentials = await context.getCredentials<{ apiKey?: string; baseUrl?: string; webhookSecret?: string }>(
		credentialType,
	);
	const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	const send: SendRequest = async (request: IHttpRequestOptions) => {
		const response = (await context.helpers.httpRequestWithAuthentication.call(context, credentialType, {
			json: true,
			...request,
			url: `${baseUrl}${request.url}`,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: requestTimeoutMs,
			abortSignal: cancelSignal,
		})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
	};
	const secrets = [credentials.apiKey, credentials.webhookSecret].filter(
		(secret): secret is string => typeof secret === 'string' && secret.length >= 4,
	);
	return { send, secrets };
}

/** Replaces every secret in a text, so no message can carry the API key. */
export function redactSecrets(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join('[redacted]');
	return result;
}
