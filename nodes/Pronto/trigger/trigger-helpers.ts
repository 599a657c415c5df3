import type { INodeExecutionData } from 'n8n-workflow';

import { STATUS_FIELD } from '../../bulk/operation';
import { isPlainObject } from '../../bulk/values';
import { callbackResultJson, enrichmentIdOf } from '../adapter/pronto-result';
import {
	expectedTokenDigest,
	matchesTokenDigest,
	WEBHOOK_TOKEN_PARAMETER,
} from '../adapter/webhook-token';

export type Authenticity = 'authentic' | 'unchecked' | 'refused';

function checkToken(expected: Buffer | undefined, query: Record<string, unknown>): Authenticity {
	if (!expected) return 'unchecked';
	const token = query[WEBHOOK_TOKEN_PARAMETER];
	return matchesTokenDigest(Array.isArray(token) ? token[0] : token, expected)
		? 'authentic'
		: 'refused';
}

/**
 * How long a trigger trusts what it read from a credential. Reading it costs n8n an expression
 * isolate per callback (as much as the trigger itself), and Pronto posts one callback per contact.
 */
export const CREDENTIAL_READ_TTL_MS = 60_000;

/** Per credential id: the expected token's digest (never the secret), or none, and when it was read. */
const readByCredential = new Map<string, { expected: Buffer | undefined; readAt: number }>();

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

/**
 * The output item if the body is one Pronto result, else why not. n8n hands over an empty request as
 * undefined, text/plain as a string; a JSON body it cannot parse never arrives (n8n answers 422).
 */
export function readCallback(body: unknown): { item: INodeExecutionData } | { reason: string } {
	if (!isPlainObject(body)) return { reason: 'the body must be a JSON object (one Pronto result)' };
	if (enrichmentIdOf(body) === null)
		return { reason: 'the body has no enrichment_id (or id): it is not a Pronto result' };
	return { item: { json: callbackResultJson(body, STATUS_FIELD), pairedItem: { item: 0 } } };
}
