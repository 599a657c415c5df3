import { isAuthenticToken, WEBHOOK_TOKEN_PARAMETER } from '../adapter/webhook-token';

export type Authenticity = 'authentic' | 'unchecked' | 'refused';

/**
 * Whether a callback may start an execution: with a Webhook Secret on the credential it must carry
 * the token the Pronto node put in the URL (checked in constant time); without one, anyone who knows
 * the URL can post ("unchecked", which the node's notice says).
 */
export function authenticateCallback(secret: string, query: Record<string, unknown>): Authenticity {
	if (secret === '') return 'unchecked';
	const token = query[WEBHOOK_TOKEN_PARAMETER];
	return isAuthenticToken(Array.isArray(token) ? token[0] : token, secret) ? 'authentic' : 'refused';
}
