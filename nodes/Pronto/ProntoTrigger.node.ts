import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { MAIN_CONNECTION } from '../shared/node-panel';
import { PROBE_ANSWER, TOKEN_REFUSED_MESSAGE } from './adapter/webhook-probe';
import { authenticateCallbackCached, readCallback } from './trigger/trigger-helpers';

// Pronto has no registration API: the static data keeps the URL the trigger was "registered" at.
const REGISTERED_URL = 'webhookUrl';

export class ProntoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pronto Trigger',
		name: 'prontoTrigger',
		icon: { light: 'file:pronto.svg', dark: 'file:pronto.dark.svg' },
		group: ['trigger'],
		version: 1,
		// Opened as given by n8n 2.x (the codex link gets ?utm_… appended, which would cut an #anchor).
		documentationUrl:
			'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/pronto-trigger.md',
		subtitle: 'On Bulk Enrich result',
		// n8n's nodes panel merges this trigger and the Pronto node into one "Pronto" entry and shows
		// this description for it: it says what the app does, the entry's actions say what each is.
		description:
			'Find work emails and phones of people with Pronto, in bulk or one at a time; bulk results arrive at the Pronto Trigger',
		defaults: { name: 'Pronto Trigger' },
		inputs: [],
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'bulkEnrichmentProntoApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'callback' },
			// The Pronto node's probe before Bulk Enrich (GET, same path): answered here, never an execution.
			{
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: 'callback',
				ndvHideUrl: true,
			},
		],
		properties: [
			// The nodes panel lists a trigger's actions from its Event options (without one: "On new Pronto event").
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Bulk Enrich Result',
						value: 'bulkEnrichResult',
						action: 'On a Bulk Enrich result',
						description:
							'Starts a workflow for each contact result Pronto posts back after a Pronto Bulk Enrich',
					},
				],
				default: 'bulkEnrichResult',
			},
			{
				displayName:
					"Put this trigger's Production URL in the Pronto node's Webhook URL and publish this workflow: Pronto posts one result per contact, each starting its own execution (n8n's test URL takes only one call). Each result names only the execution and input item that sent it (the n8n_bulk_* fields) unless Bulk Enrich's Custom holds more: put your CRM record ID in Custom to join results to your records, and each result brings it back under custom. With a Webhook Secret on the Pronto credential, calls without the token the Pronto node adds are refused; without one, anyone who knows the URL can post to it.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const registered = this.getWorkflowStaticData('node')[REGISTERED_URL];
				return registered === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.getWorkflowStaticData('node')[REGISTERED_URL] = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				delete this.getWorkflowStaticData('node')[REGISTERED_URL];
				return true;
			},
		},
	};

	/** Checks first, answers fast; one execution per genuine callback, none for the probe (GET). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const answer = (status: number, message: string): IWebhookResponseData => {
			this.getResponseObject().status(status).json({ message });
			return { noWebhookResponse: true };
		};
		const readSecret = async () => {
			const { webhookSecret } = await this.getCredentials<{ webhookSecret?: string }>(
				'bulkEnrichmentProntoApi',
			);
			return typeof webhookSecret === 'string' ? webhookSecret : '';
		};
		const credentialId = this.getNode().credentials?.bulkEnrichmentProntoApi?.id ?? undefined;
		const authenticity = await authenticateCallbackCached(
			credentialId,
			readSecret,
			this.getQueryData() as IDataObject,
			Date.now(),
		);
		if (authenticity === 'refused') return answer(401, TOKEN_REFUSED_MESSAGE);
		// No workflowData: n8n answers with webhookResponse and starts no execution.
		if (this.getWebhookName() === 'setup') return { webhookResponse: { ...PROBE_ANSWER } };
		const callback = readCallback(this.getBodyData());
		if ('reason' in callback) return answer(400, `Bad request: ${callback.reason}`);
		return { workflowData: [[callback.item]] };
	}
}
