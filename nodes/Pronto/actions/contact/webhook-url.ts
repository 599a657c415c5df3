import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { BulkSession } from '../../../bulk/bulk-session';
import { createParameterReader } from '../../../bulk/read-parameters';

import { addWebhookToken, webhookSecretProblem } from '../../adapter/webhook-token';

/**
 * The run's webhook URL, checked before anything is sent (a bad URL would lose every paid result),
 * with the authenticity token added when the credential has a Webhook Secret.
 */
export function readWebhookUrl(context: IExecuteFunctions, session: BulkSession): string {
	const raw = readOneUrlForAllItems(context, session.items);
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new NodeOperationError(
			context.getNode(),
			`Webhook URL: must be an http(s) URL (got ${JSON.stringify(raw)})`,
			{
				description:
					'Paste the Production URL of a Pronto Trigger node (the workflow must be published). Nothing was sent.',
			},
		);
	}
	if (url.pathname.includes('/webhook-test/')) {
		throw new NodeOperationError(
			context.getNode(),
			"Webhook URL: this is n8n's test URL, which takes only one call",
			{
				description:
					"Pronto posts one callback per contact: use the Pronto Trigger's Production URL and publish its workflow. Nothing was sent.",
			},
		);
	}
	const secret = readWebhookSecret(context, session);
	return secret ? addWebhookToken(url.toString(), secret) : url.toString();
}

/** The credential's Webhook Secret ('' for none); one too short to be secret is an error. */
function readWebhookSecret(context: IExecuteFunctions, session: BulkSession): string {
	const { webhookSecret } = session.credentials;
	const secret = typeof webhookSecret === 'string' ? webhookSecret : '';
	const problem = webhookSecretProblem(secret);
	if (problem) {
		throw new NodeOperationError(context.getNode(), `Pronto credential: ${problem}`, {
			description:
				'Open the Pronto credential and set a longer Webhook Secret (e.g. 32 random characters), or clear it. Nothing was sent.',
		});
	}
	return secret;
}

/**
 * The Webhook URL every item gives. One run sends all its contacts with one URL: an expression
 * giving items different URLs (one trigger per tenant) is refused before anything is sent, since
 * reading item 0 only would deliver another tenant's results to the first tenant's trigger.
 */
function readOneUrlForAllItems(context: IExecuteFunctions, items: INodeExecutionData[]): unknown {
	const read = createParameterReader(context, items, 'webhookUrl', '');
	const first = read(0);
	const normalized = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
	for (let itemIndex = 1; itemIndex < items.length; itemIndex++) {
		const value = read(itemIndex);
		if (normalized(value) === normalized(first)) continue;
		throw new NodeOperationError(
			context.getNode(),
			`Webhook URL: item ${itemIndex} gives another URL than item 0 (${JSON.stringify(value)} instead of ${JSON.stringify(first)})`,
			{
				itemIndex,
				description:
					'One Bulk Enrich run sends every contact with one Webhook URL, so results of items with another URL would reach the wrong Pronto Trigger. Split the items by URL (e.g. with a Switch node or Loop Over Items) and run one Bulk Enrich per URL. Nothing was sent.',
			},
		);
	}
	return first;
}
