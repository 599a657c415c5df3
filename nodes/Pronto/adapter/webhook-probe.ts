import { asRecord } from '../../bulk/values';

/**
 * Before Bulk Enrich sends anything, it asks its Webhook URL once whether a published Pronto Trigger
 * listens there: a callback posted to a URL n8n does not serve is answered 404 and its paid result is
 * lost. The probe is a GET on the callback's own path (the trigger's `setup` webhook), carrying the
 * callback's token; the trigger answers it without starting an execution.
 */

/** What only a Pronto Trigger answers to the probe. */
export const PROBE_ANSWER = {
	receiver: 'n8n-nodes-bulk-enrichment.prontoTrigger',
	listening: true,
} as const;

/** The trigger's refusal of a call without the right token (also the answer to a forged callback). */
export const TOKEN_REFUSED_MESSAGE = 'Unauthorized: the callback URL lacks the right token';

export type ProbeVerdict =
	/** A published Pronto Trigger answered, and accepts this URL's token. */
	| 'trigger'
	/** n8n serves nothing at this path (a typo, a workflow not published, the test URL's path). */
	| 'notRegistered'
	/** n8n serves this path for POST only: callbacks arrive, but not at a Pronto Trigger of this version. */
	| 'postOnly'
	/** A Pronto Trigger answered, but its credential has another Webhook Secret: it would refuse every callback. */
	| 'tokenRefused'
	/** Something answered that is no Pronto Trigger. */
	| 'notTrigger'
	/** No answer from n8n itself (host unreachable from here, gateway errors): it could not be checked. */
	| 'unchecked';

/** n8n's own 404 for a path it serves with other methods only (webhook-not-found.error.ts). */
const OTHER_METHODS_ONLY = /not registered for GET requests/i;
/** Answers of a proxy or gateway in front of n8n, not of n8n's webhook: they say nothing about the URL. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/** What an HTTP answer to the probe says about the URL. */
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
