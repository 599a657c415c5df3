import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, retryOnFailNotice } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { isToolCall } from '../../../bulk/tool-answer';
import { contactPart } from '../../../contact/contact-part';
import { bulkEnrichEndpoint } from '../../adapter/endpoints';
import { PRONTO } from '../../adapter/provider';
import { prontoStandardFields } from '../../adapter/pronto-result';
import { parsePhoneCountryCodes } from '../../adapter/schemas';
import { contactFields, readContacts, readEnrichmentType } from './contact-fields';
import { hintWhenCustomIsEmpty, runIdentity } from './run-identity';
import { checkWebhookReachesTrigger } from './webhook-probe-check';
import { readWebhookUrl } from './webhook-url';

const showOnlyFor = { show: { resource: ['contact'], operation: ['bulkEnrich'] } };

export const phoneCountryCodesOption: INodeProperties = {
	displayName: 'Phone Country Codes',
	name: 'phoneCountryCodes',
	type: 'string',
	default: '',
	placeholder: 'US, FR',
	description: 'Only return phone numbers of these countries (two-letter codes, comma-separated)',
};

export const description: INodeProperties[] = [
	retryOnFailNotice(showOnlyFor),
	...contactFields(showOnlyFor),
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://your-n8n.example.com/webhook/…/callback',
		description:
			'Where Pronto posts each result: the Production URL of a Pronto Trigger node in a published workflow',
		displayOptions: showOnlyFor,
	},
	bulkOptionsCollection(PRONTO.limits, showOnlyFor, [phoneCountryCodesOption]),
];

/**
 * Submits contacts for asynchronous enrichment, 2..100 per request (POST /contacts/bulk_enrich).
 * Results arrive later, one callback per contact, at the Pronto Trigger; each output item says
 * `submitted` with the job's enrichment_id and the correlation fields the callback will carry.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (isToolCall(this)) {
		// Its results reach another workflow later: an agent would pay and never read them.
		throw new NodeOperationError(
			this.getNode(),
			'Pronto Bulk Enrich cannot answer an AI agent: its results arrive later at a Pronto Trigger workflow. Nothing was sent. As a tool, use the operation Enrich and Wait, which answers with the result.',
		);
	}
	const enrichmentType = readEnrichmentType(this);
	const phoneCountryCodes = readPhoneCountryCodes(this);
	const webhookUrl = await readWebhookUrl(this, items);
	const slots = readContacts(this, items, enrichmentType);
	// Once per run, after the checks that cost nothing and before anything is sent.
	if (slots.some((slot) => slot.kind === 'valid')) await checkWebhookReachesTrigger(this, webhookUrl);
	hintWhenCustomIsEmpty(this, slots);
	const session = await BulkSession.open(this, items, PRONTO, contactPart(prontoStandardFields));
	const endpoint = bulkEnrichEndpoint({ enrichmentType, webhookUrl, phoneCountryCodes, ...runIdentity(this) });
	const outcomes = await session.run(endpoint, slots);
	return session.toOutputItems(outcomes);
}

export function readPhoneCountryCodes(context: IExecuteFunctions): string[] | undefined {
	const options = context.getNodeParameter('options', 0, {}) as { phoneCountryCodes?: unknown };
	try {
		return parsePhoneCountryCodes(options.phoneCountryCodes);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `Phone Country Codes: ${(error as Error).message}`, {
			description: 'Nothing was sent.',
		});
	}
}
