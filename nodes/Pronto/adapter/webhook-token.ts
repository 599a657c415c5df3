import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Pronto signs nothing, so authenticity comes from a token in the callback URL: the Pronto node adds
 * it, the Pronto Trigger with the same credential checks it. It is derived from the credential's
 * Webhook Secret, so the secret itself never leaves n8n.
 */
export const WEBHOOK_TOKEN_PARAMETER = 'n8n_token';

const TOKEN_PURPOSE = 'n8n-nodes-bulk-enrichment:pronto-callback:v1';

/** A shorter one is guessable (and, never used, is no secret: see the provider's secretsDerivedFrom). */
const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** Why a Webhook Secret cannot be used, or undefined (an empty one means none). */
export function webhookSecretProblem(secret: string): string | undefined {
	if (secret === '' || secret.length >= MIN_WEBHOOK_SECRET_LENGTH) return undefined;
	return `the Webhook Secret of the Pronto credential is too short to be secret (${secret.length} characters; at least ${MIN_WEBHOOK_SECRET_LENGTH})`;
}

export function webhookTokenFor(secret: string): string {
	return createHmac('sha256', secret).update(TOKEN_PURPOSE).digest('hex');
}

/** Existing query parameters are kept. */
export function addWebhookToken(webhookUrl: string, secret: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set(WEBHOOK_TOKEN_PARAMETER, webhookTokenFor(secret));
	return url.toString();
}

/** An HMAC of the expected token, so the secret need not be kept; fixed length whatever the token's. */
export function expectedTokenDigest(secret: string): Buffer {
	return digestOf(webhookTokenFor(secret));
}

export function matchesTokenDigest(received: unknown, expected: Buffer): boolean {
	if (typeof received !== 'string' || received.length === 0) return false;
	// Hashing both sides gives equal lengths, which timingSafeEqual needs, without leaking the length.
	return timingSafeEqual(expected, digestOf(received));
}

export function isAuthenticToken(received: unknown, secret: string): boolean {
	return matchesTokenDigest(received, expectedTokenDigest(secret));
}

function digestOf(token: string): Buffer {
	return createHmac('sha256', TOKEN_PURPOSE).update(token).digest();
}
