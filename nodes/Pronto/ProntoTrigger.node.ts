import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { STATUS_FIELD } from '../bulk/operation';
import { isPlainObject } from '../bulk/values';
import { MAIN_CONNECTION } from '../shared/node-panel';
import { callbackResultJson, enrichmentIdOf } from './adapter/pronto-result';
import {
	authenticateCallbackCached,
	PROBE_ANSWER,
	TOKEN_REFUSED_MESSAGE,
	webhookSecretOf,
} from './adapter/webhook-token';

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
		const refuse = (status: number, message: string): IWebhookResponseData => {
			this.getResponseObject().status(status).json({ message });
			return { noWebhookResponse: true };
		};
		const authenticity = await authenticateCallbackCached(
			this.getNode().credentials?.bulkEnrichmentProntoApi?.id ?? undefined,
			async () => webhookSecretOf(await this.getCredentials('bulkEnrichmentProntoApi')),
			this.getQueryData() as IDataObject,
			Date.now(),
		);
		if (authenticity === 'refused') return refuse(401, TOKEN_REFUSED_MESSAGE);
		// No workflowData: n8n answers with webhookResponse and starts no execution.
		if (this.getWebhookName() === 'setup') return { webhookResponse: { ...PROBE_ANSWER } };
		// n8n hands over an empty request as undefined, text/plain as a string; a JSON body it cannot
		// parse never arrives (n8n answers 422).
		const body: unknown = this.getBodyData();
		if (!isPlainObject(body))
			return refuse(400, 'Bad request: the body must be a JSON object (one Pronto result)');
		if (enrichmentIdOf(body) === null)
			return refuse(
				400,
				'Bad request: the body has no enrichment_id (or id): it is not a Pronto result',
			);
		const json = callbackResultJson(body, STATUS_FIELD);
		return { workflowData: [[{ json, pairedItem: { item: 0 } }]] };
	}
}
