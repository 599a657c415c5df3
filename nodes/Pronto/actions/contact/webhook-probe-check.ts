import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { judgeProbeAnswer, type ProbeVerdict } from '../../adapter/webhook-probe';

/** Long enough for a busy n8n to answer; short enough not to hold a run whose URL does not answer. */
const PROBE_TIMEOUT_MS = 10_000;

const PUBLISH_AND_COPY =
	"Open the workflow with the Pronto Trigger, publish it, and copy the trigger's Production URL into Webhook URL (the test URL only listens while \"Listen for test event\" runs).";

/**
 * Asks the Webhook URL once, before anything is sent, whether a published Pronto Trigger listens
 * there (see adapter/webhook-probe.ts). Fails where callbacks would be lost; where the URL cannot be
 * checked from here (e.g. a public tunnel address n8n itself cannot reach), sends and says so.
 */
export async function checkWebhookReachesTrigger(context: IExecuteFunctions, webhookUrl: string): Promise<void> {
	const shown = withoutQuery(webhookUrl);
	const { verdict, detail } = await probe(context, webhookUrl);
	if (verdict === 'trigger') return;
	if (verdict === 'unchecked' || verdict === 'postOnly') {
		const why = verdict === 'unchecked' ? `n8n could not reach it (${detail})` : 'it takes POST calls but does not answer as a Pronto Trigger of this version';
		context.addExecutionHints?.({
			message: `Pronto Bulk Enrich could not check the Webhook URL ${shown}: ${why}. The contacts were sent: if no Pronto Trigger receives the results there, they are lost. ${verdict === 'postOnly' ? 'If it is a Pronto Trigger, publish its workflow again.' : 'Make sure it is the Production URL of a published Pronto Trigger.'}`,
			type: 'warning',
			location: 'outputPane',
		});
		return;
	}
	throw failure(context, verdict, shown, detail);
}

function failure(context: IExecuteFunctions, verdict: ProbeVerdict, shown: string, detail: string): NodeOperationError {
	if (verdict === 'notRegistered') {
		return new NodeOperationError(context.getNode(), `Webhook URL: n8n serves no published webhook at ${shown} (${detail}), so every result would be lost`, {
			description: `${PUBLISH_AND_COPY} Check the URL for typos. Nothing was sent.`,
		});
	}
	if (verdict === 'tokenRefused') {
		return new NodeOperationError(context.getNode(), `Webhook URL: the Pronto Trigger at ${shown} refuses this node's token, so it would refuse every result`, {
			description:
				'The trigger checks a token derived from the Webhook Secret of its Pronto credential: use the same Pronto credential (or the same Webhook Secret) in this node and in the Pronto Trigger. Nothing was sent.',
		});
	}
	return new NodeOperationError(context.getNode(), `Webhook URL: ${shown} does not answer as a Pronto Trigger (${detail})`, {
		description: `Pronto posts each result to this URL, and only a Pronto Trigger reads them. ${PUBLISH_AND_COPY} Nothing was sent.`,
	});
}

async function probe(context: IExecuteFunctions, webhookUrl: string): Promise<{ verdict: ProbeVerdict; detail: string }> {
	try {
		const response = (await context.helpers.httpRequest({
			method: 'GET',
			url: webhookUrl,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: PROBE_TIMEOUT_MS,
		})) as { statusCode: number; body: unknown };
		const message = (response.body as IDataObject | null)?.message;
		const detail = `HTTP ${response.statusCode}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}`;
		return { verdict: judgeProbeAnswer(response.statusCode, response.body), detail };
	} catch (error) {
		// No HTTP answer at all: the host is not reachable from n8n, which says nothing about Pronto's reach.
		const code = (error as { code?: unknown }).code;
		return { verdict: 'unchecked', detail: typeof code === 'string' ? code : 'no answer' };
	}
}

/** The URL as shown in messages: without its query, which holds the callback token. */
function withoutQuery(webhookUrl: string): string {
	const url = new URL(webhookUrl);
	return `${url.origin}${url.pathname}`;
}
