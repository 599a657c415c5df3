import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { PRONTO } from '../../adapter/provider';
import { addWebhookToken, webhookSecretProblem } from '../../adapter/webhook-token';

/**
 * The run's webhook URL, checked before anything is sent (a bad URL would lose every paid result),
 * with the authenticity token added when the credential has a Webhook Secret.
 */
export async function readWebhookUrl(context: IExecuteFunctions): Promise<string> {
	const raw = context.getNodeParameter('webhookUrl', 0, '') as unknown;
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new NodeOperationError(context.getNode(), `Webhook URL: must be an http(s) URL (got ${JSON.stringify(raw)})`, {
			description: "Paste the Production URL of a Pronto Trigger node (the workflow must be published). Nothing was sent.",
		});
	}
	if (url.pathname.includes('/webhook-test/')) {
		throw new NodeOperationError(context.getNode(), "Webhook URL: this is n8n's test URL, which takes only one call", {
			description: 'Pronto posts one callback per contact: use the Pronto Trigger\'s Production URL and publish its workflow. Nothing was sent.',
		});
	}
	const credentials = await context.getCredentials<{ webhookSecret?: string }>(PRONTO.credentialType);
	const secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret : '';
	const problem = webhookSecretProblem(secret);
	if (problem) {
		throw new NodeOperationError(context.getNode(), `Pronto credential: ${problem}`, {
			description: 'Open the Pronto credential and set a longer Webhook Secret (e.g. 32 random characters), or clear it. Nothing was sent.',
		});
	}
	return secret ? addWebhookToken(url.toString(), secret) : url.toString();
}
