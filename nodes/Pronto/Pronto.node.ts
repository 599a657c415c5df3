import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionNodePanel, MAIN_CONNECTION } from '../shared/node-panel';
import * as contact from './actions/contact/contact.resource';
import { route } from './actions/router';

const panel = actionNodePanel(
	[{ name: 'Contact', value: 'contact' }],
	'contact',
	contact.description,
);

export class Pronto implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pronto',
		name: 'pronto',
		icon: { light: 'file:pronto.svg', dark: 'file:pronto.dark.svg' },
		group: ['transform'],
		version: 1,
		// Opened as given by n8n 2.x (the codex link gets ?utm_… appended, which would cut an #anchor).
		documentationUrl:
			'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/pronto.md',
		subtitle: panel.subtitle,
		description:
			'Find work emails and phone numbers of people with Pronto, in bulk or one at a time; enrichment costs Pronto credits',
		defaults: { name: 'Pronto' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'bulkEnrichmentProntoApi', required: true }],
		properties: panel.properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
