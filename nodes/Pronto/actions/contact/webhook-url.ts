import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { BulkSession } from '../../../bulk/bulk-session';
import { createParameterReader } from '../../../bulk/read-parameters';
import { redactSecrets, requestWithinLimits, type AnswerError } from '../../../bulk/transport';
import { asRecord } from '../../../bulk/values';
import {
	addWebhookToken,
	judgeProbeAnswer,
	type ProbeVerdict,
	WEBHOOK_TOKEN_PARAMETER,
	webhookSecretOf,
	webhookSecretProblem,
} from '../../adapter/webhook-token';

/** Every refusal here comes before anything is sent, and says so. */
const nothingSent = (
	context: IExecuteFunctions,
	message: string,
	description: string,
	itemIndex?: number,
) =>
	new NodeOperationError(context.getNode(), message, {
		itemIndex,
		description: `${description} Nothing was sent.`,
	});

/** Checked before anything is sent: a bad URL would lose every paid result. */
export function readWebhookUrl(context: IExecuteFunctions, session: BulkSession): string {
	const raw = readOneUrlForAllItems(context, session.items);
	const text = typeof raw === 'string' ? raw.trim() : '';
	const url = URL.canParse(text) ? new URL(text) : undefined;
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw nothingSent(
			context,
			`Webhook URL: must be an http(s) URL (got ${JSON.stringify(raw)})`,
			'Paste the Production URL of a Pronto Trigger node (the workflow must be published).',
		);
	}
	if (url.pathname.includes('/webhook-test/')) {
		throw nothingSent(
			context,
			"Webhook URL: this is n8n's test URL, which takes only one call",
			"Pronto posts one callback per contact: use the Pronto Trigger's Production URL and publish its workflow.",
		);
	}
	const secret = webhookSecretOf(session.credentials);
	const problem = webhookSecretProblem(secret);
	if (problem) {
		throw nothingSent(
			context,
			`Pronto credential: ${problem}`,
			'Open the Pronto credential and set a longer Webhook Secret (e.g. 32 random characters), or clear it.',
		);
	}
	return secret ? addWebhookToken(url.toString(), secret) : url.toString();
}

/**
 * One run sends all its contacts with one URL: items giving different URLs (one trigger per tenant)
 * are refused, since reading item 0 only would deliver another tenant's results to the first's trigger.
 */
function readOneUrlForAllItems(context: IExecuteFunctions, items: INodeExecutionData[]): unknown {
	const read = createParameterReader(context, items, 'webhookUrl', '');
	const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
	const first = read(0);
	for (let itemIndex = 1; itemIndex < items.length; itemIndex++) {
		const value = read(itemIndex);
		if (trimmed(value) === trimmed(first)) continue;
		throw nothingSent(
			context,
			`Webhook URL: item ${itemIndex} gives another URL than item 0 (${JSON.stringify(value)} instead of ${JSON.stringify(first)})`,
			'One Bulk Enrich run sends every contact with one Webhook URL, so results of items with another URL would reach the wrong Pronto Trigger. Split the items by URL (e.g. with a Switch node or Loop Over Items) and run one Bulk Enrich per URL.',
			itemIndex,
		);
	}
	return first;
}

/** Long enough for a busy n8n to answer; short enough not to hold a run whose URL does not answer. */
export const PROBE_TIMEOUT_MS = 10_000;
/** A Pronto Trigger's answer is under 100 bytes, n8n's 404 under 1 KB: more is read of no answer. */
export const PROBE_MAX_BYTES = 16 * 1024;

const PUBLISH_AND_COPY =
	'Open the workflow with the Pronto Trigger, publish it, and copy the trigger\'s Production URL into Webhook URL. (Its Test URL works only while the trigger waits for a test event after "Execute step".)';

/** The refusal (message, description) of each verdict that would lose every result. */
const REFUSALS: Partial<Record<ProbeVerdict, (shown: string, detail: string) => [string, string]>> =
	{
		notRegistered: (shown) => [
			`Webhook URL: no published workflow listens at ${shown} (it answered 404), so every result would be lost`,
			`${PUBLISH_AND_COPY} Check the URL for typos.`,
		],
		tokenRefused: (shown) => [
			`Webhook URL: the Pronto Trigger at ${shown} refuses this node's token, so it would refuse every result`,
			'The trigger checks a token derived from the Webhook Secret of its Pronto credential: use the same Pronto credential (or the same Webhook Secret) in this node and in the Pronto Trigger.',
		],
		notTrigger: (shown, detail) => [
			`Webhook URL: ${shown} does not answer as a Pronto Trigger (${detail})`,
			`Pronto posts each result to this URL, and only a Pronto Trigger reads them. ${PUBLISH_AND_COPY}`,
		],
	};

/**
 * Fails where callbacks would be lost (see judgeProbeAnswer); where the URL cannot be checked from
 * here (e.g. a public tunnel address n8n itself cannot reach), sends and says so.
 */
export async function checkWebhookReachesTrigger(context: IExecuteFunctions, webhookUrl: string) {
	// As shown in messages: without the query, which holds the callback token.
	const { origin, pathname } = new URL(webhookUrl);
	const shown = `${origin}${pathname}`;
	const { verdict, detail } = await probe(context, webhookUrl);
	const refusal = REFUSALS[verdict];
	if (refusal) throw nothingSent(context, ...refusal(shown, detail));
	if (verdict === 'trigger') return;
	const why =
		verdict === 'unchecked'
			? `n8n could not reach it (${detail})`
			: 'it takes POST calls but does not answer as a Pronto Trigger of this version';
	context.addExecutionHints?.({
		message: `Pronto Bulk Enrich could not check the Webhook URL ${shown}: ${why}. The contacts were sent: if no Pronto Trigger receives the results there, they are lost. ${verdict === 'postOnly' ? 'If it is a Pronto Trigger, publish its workflow again.' : 'Make sure it is the Production URL of a published Pronto Trigger.'}`,
		type: 'warning',
		location: 'outputPane',
	});
}

/**
 * One GET under the transport's rules, the token redacted from anything quoted. An answer that does
 * not end in time, or is too long, is no Pronto Trigger's (n8n answers at once): judged by its status.
 */
async function probe(context: IExecuteFunctions, webhookUrl: string) {
	const cancelSignal = context.getExecutionCancelSignal?.();
	const token = new URL(webhookUrl).searchParams.get(WEBHOOK_TOKEN_PARAMETER);
	const secrets = token ? [token] : [];
	try {
		const { statusCode, body } = await requestWithinLimits(
			async (options) => await context.helpers.httpRequest(options),
			{ method: 'GET', url: webhookUrl },
			{ timeoutMs: PROBE_TIMEOUT_MS, maxBytes: PROBE_MAX_BYTES, cancelSignal, secrets },
		);
		const { message } = asRecord(body);
		const quoted = typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
		return { verdict: judgeProbeAnswer(statusCode, body), detail: `HTTP ${statusCode}${quoted}` };
	} catch (caught) {
		if (cancelSignal?.aborted) {
			throw new NodeOperationError(
				context.getNode(),
				'The execution was canceled while checking the Webhook URL',
				{ description: 'Nothing was sent.' },
			);
		}
		const { statusCode, message, code } = caught as AnswerError;
		if (statusCode !== undefined) {
			const detail = `HTTP ${statusCode}, but ${redactSecrets(message, secrets)}`;
			return { verdict: judgeProbeAnswer(statusCode, undefined), detail };
		}
		// No HTTP answer at all: the host is not reachable from n8n, which says nothing about Pronto's reach.
		return { verdict: 'unchecked' as const, detail: typeof code === 'string' ? code : 'no answer' };
	}
}
