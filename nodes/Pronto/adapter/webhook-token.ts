import { createHmac, timingSafeEqual } from 'crypto';

import { asRecord } from '../../bulk/values';

// What the Pronto node and the Pronto Trigger agree on. Pronto signs nothing, so authenticity comes
// from a token in the callback URL: the node adds it, the trigger with the same credential checks it.
// It is derived from the credential's Webhook Secret, so the secret itself never leaves n8n.
export const WEBHOOK_TOKEN_PARAMETER = 'n8n_token';

const TOKEN_PURPOSE = 'n8n-nodes-bulk-enrichment:pronto-callback:v1';

/** A shorter one is guessable (and, never used, is no secret: see the provider's secretsDerivedFrom). */
const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** The credential's Webhook Secret; '' for none. */
export const webhookSecretOf = ({ webhookSecret }: Readonly<Record<string, unknown>>): string =>
	typeof webhookSecret === 'string' ? webhookSecret : '';

/** Why a Webhook Secret cannot be used, or undefined (an empty one means none). */
export function webhookSecretProblem(secret: string): string | undefined {
	if (secret === '' || secret.length >= MIN_WEBHOOK_SECRET_LENGTH) return undefined;
	return `the Webhook Secret of the Pronto credential is too short to be secret (${secret.length} characters; at least ${MIN_WEBHOOK_SECRET_LENGTH})`;
}

export const webhookTokenFor = (secret: string): string =>
	createHmac('sha256', secret).update(TOKEN_PURPOSE).digest('hex');

export function addWebhookToken(webhookUrl: string, secret: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set(WEBHOOK_TOKEN_PARAMETER, webhookTokenFor(secret));
	return url.toString();
}

// The trigger keeps an HMAC of the expected token, not the secret. Hashing both sides gives the
// equal lengths timingSafeEqual needs, without leaking the token's length.
const digestOf = (token: string) => createHmac('sha256', TOKEN_PURPOSE).update(token).digest();

const matchesDigest = (received: unknown, expected: Buffer) =>
	typeof received === 'string' && received !== '' && timingSafeEqual(expected, digestOf(received));

export const isAuthenticToken = (received: unknown, secret: string): boolean =>
	matchesDigest(received, digestOf(webhookTokenFor(secret)));

export type Authenticity = 'authentic' | 'unchecked' | 'refused';

/**
 * How long a trigger trusts what it read from a credential. Reading it costs n8n an expression
 * isolate per callback (as much as the trigger itself), and Pronto posts one callback per contact.
 */
export const CREDENTIAL_READ_TTL_MS = 60_000;

/** Per credential id: the expected token's digest (none without a secret), and when it was read. */
const readByCredential = new Map<string, { expected?: Buffer; readAt: number }>();

/**
 * Whether a callback may start an execution: with a Webhook Secret on the credential it must carry
 * the token the Pronto node put in the URL (constant-time check); without one, anyone who knows the
 * URL can post ("unchecked", as the node's notice says). A token that does not match the cached read
 * is checked again against a fresh read, so a rotated secret's new token is accepted at once; the old
 * token, or a credential's lack of a secret, lasts at most the TTL. Forged calls always cost a read.
 */
export async function authenticateCallbackCached(
	credentialId: string | undefined,
	readSecret: () => Promise<string>,
	query: Record<string, unknown>,
	now: number,
): Promise<Authenticity> {
	const token = query[WEBHOOK_TOKEN_PARAMETER];
	const check = (expected?: Buffer): Authenticity => {
		if (!expected) return 'unchecked';
		return matchesDigest(Array.isArray(token) ? token[0] : token, expected)
			? 'authentic'
			: 'refused';
	};
	const known = credentialId === undefined ? undefined : readByCredential.get(credentialId);
	if (known && now - known.readAt < CREDENTIAL_READ_TTL_MS) {
		const verdict = check(known.expected);
		if (verdict !== 'refused') return verdict;
	}
	const secret = await readSecret();
	const expected = secret === '' ? undefined : digestOf(webhookTokenFor(secret));
	if (credentialId !== undefined) readByCredential.set(credentialId, { expected, readAt: now });
	return check(expected);
}

// Before Bulk Enrich sends anything, it asks its Webhook URL whether a published Pronto Trigger
// listens there (a callback to a URL n8n does not serve is answered 404, its paid result lost): a
// GET on the callback's path (the trigger's `setup` webhook) with the callback's token.

/** What only a Pronto Trigger answers to the probe. */
export const PROBE_ANSWER = {
	receiver: 'n8n-nodes-bulk-enrichment.prontoTrigger',
	listening: true,
} as const;

/** The trigger's refusal of a call without the right token (also the answer to a forged callback). */
export const TOKEN_REFUSED_MESSAGE = 'Unauthorized: the callback URL lacks the right token';

export type ProbeVerdict =
	| 'trigger'
	/** n8n serves nothing at this path (a typo, a workflow not published, the test URL's path). */
	| 'notRegistered'
	/** n8n serves this path for POST only: callbacks arrive, but not at a Pronto Trigger of this version. */
	| 'postOnly'
	/** A Pronto Trigger with another Webhook Secret: it would refuse every callback. */
	| 'tokenRefused'
	| 'notTrigger'
	/** No answer from n8n itself (host unreachable from here, gateway errors): it could not be checked. */
	| 'unchecked';

/** n8n's own 404 for a path it serves with other methods only (webhook-not-found.error.ts). */
const OTHER_METHODS_ONLY = /not registered for GET requests/i;
/** A proxy's or gateway's answers, not n8n's: they say nothing about the URL. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

export function judgeProbeAnswer(statusCode: number, body: unknown): ProbeVerdict {
	const record = asRecord(body);
	if (statusCode >= 200 && statusCode < 300)
		return record.receiver === PROBE_ANSWER.receiver ? 'trigger' : 'notTrigger';
	if (statusCode === 401 && record.message === TOKEN_REFUSED_MESSAGE) return 'tokenRefused';
	if (statusCode === 404) {
		return typeof record.message === 'string' && OTHER_METHODS_ONLY.test(record.message)
			? 'postOnly'
			: 'notRegistered';
	}
	return GATEWAY_STATUSES.has(statusCode) ? 'unchecked' : 'notTrigger';
}
