import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { STATUS_FIELD } from '../../bulk/output-items';
import { isPlainObject } from '../../bulk/values';
import { callbackResultJson, enrichmentIdOf } from '../adapter/pronto-result';
import {
	expectedTokenDigest,
	matchesTokenDigest,
	WEBHOOK_TOKEN_PARAMETER,
} from '../adapter/webhook-token';

// ── Authenticity ────────────────────────────────────────────────────────────────────────────────

export type Authenticity = 'authentic' | 'unchecked' | 'refused';

function checkToken(expected: Buffer | undefined, query: Record<string, unknown>): Authenticity {
	if (!expected) return 'unchecked';
	const token = query[WEBHOOK_TOKEN_PARAMETER];
	return matchesTokenDigest(Array.isArray(token) ? token[0] : token, expected)
		? 'authentic'
		: 'refused';
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
 * Whether a callback may start an execution: with a Webhook Secret on the credential it must carry
 * the token the Pronto node put in the URL (constant-time check); without one, anyone who knows the
 * URL can post ("unchecked", as the node's notice says). The credential is read at most once a
 * minute per credential (in this process). A token that does not match what was read is checked
 * again against a fresh read, so a rotated secret's new token is accepted at once; the old token
 * stays accepted for at most CREDENTIAL_READ_TTL_MS after the rotation, and a secret added to a
 * credential that had none applies within the same time. Forged calls always cost a fresh read.
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

// ── The callback ────────────────────────────────────────────────────────────────────────────────

export type CallbackBody = { ok: true; body: IDataObject } | { ok: false; reason: string };

/**
 * The callback's body if it is one Pronto result: a JSON object with an enrichment id. n8n hands the
 * node an empty request as undefined and a text/plain one as a string; a JSON body n8n cannot parse
 * never reaches the node (n8n answers 422 itself).
 */
export function readCallbackBody(body: unknown): CallbackBody {
	if (!isPlainObject(body))
		return { ok: false, reason: 'the body must be a JSON object (one Pronto result)' };
	if (enrichmentIdOf(body) === null) {
		return {
			ok: false,
			reason: 'the body has no enrichment_id (or id): it is not a Pronto result',
		};
	}
	return { ok: true, body: body as IDataObject };
}

/** One callback as the trigger's one output item (see callbackResultJson for its fields). */
export function callbackItem(body: IDataObject): INodeExecutionData {
	return { json: callbackResultJson(body, STATUS_FIELD), pairedItem: { item: 0 } };
}
