import { expectedTokenDigest, matchesTokenDigest, WEBHOOK_TOKEN_PARAMETER } from '../adapter/webhook-token';

export type Authenticity = 'authentic' | 'unchecked' | 'refused';

/**
 * Whether a callback may start an execution: with a Webhook Secret on the credential it must carry
 * the token the Pronto node put in the URL (checked in constant time); without one, anyone who knows
 * the URL can post ("unchecked", which the node's notice says).
 */
export function authenticateCallback(secret: string, query: Record<string, unknown>): Authenticity {
	return checkToken(secret === '' ? undefined : expectedTokenDigest(secret), query);
}

function checkToken(expected: Buffer | undefined, query: Record<string, unknown>): Authenticity {
	if (!expected) return 'unchecked';
	const token = query[WEBHOOK_TOKEN_PARAMETER];
	return matchesTokenDigest(Array.isArray(token) ? token[0] : token, expected) ? 'authentic' : 'refused';
}

/**
 * How long a trigger trusts what it read from a credential. Reading the credential costs n8n an
 * expression isolate per callback (as much as the trigger itself); Pronto posts one callback per
 * contact, so a batch would read it hundreds of times a second.
 */
export const CREDENTIAL_READ_TTL_MS = 60_000;

/** Per credential id: the expected token's digest (never the secret), or none, and when it was read. */
const readByCredential = new Map<string, { expected: Buffer | undefined; readAt: number }>();

/**
 * `authenticateCallback` with the credential read at most once a minute per credential (in this
 * process). A token that does not match what was read is checked again against a fresh read, so a
 * rotated secret's new token is accepted at once; the old token stays accepted for at most
 * CREDENTIAL_READ_TTL_MS after the rotation, and a secret added to a credential that had none
 * applies within the same time. Forged calls always cost a fresh read (as every call did before).
 */
export async function authenticateCallbackCached(
	credentialId: string | undefined,
	readSecret: () => Promise<string>,
	query: Record<string, unknown>,
	now: number,
): Promise<Authenticity> {
	const known = credentialId === undefined ? undefined : readByCredential.get(credentialId);
	if (known && now - known.readAt < CREDENTIAL_READ_TTL_MS) {
		const verdict = checkToken(known.expected, query);
		if (verdict !== 'refused') return verdict;
	}
	const secret = await readSecret();
	const expected = secret === '' ? undefined : expectedTokenDigest(secret);
	if (credentialId !== undefined) readByCredential.set(credentialId, { expected, readAt: now });
	return checkToken(expected, query);
}
