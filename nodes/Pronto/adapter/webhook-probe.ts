import { asRecord } from '../../bulk/values';

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
