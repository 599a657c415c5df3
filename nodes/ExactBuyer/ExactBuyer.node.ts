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

export class ExactBuyer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ExactBuyer',
		name: 'exactBuyer',
		icon: { light: 'file:exactbuyer.svg', dark: 'file:exactbuyer.dark.svg' },
		group: ['transform'],
		version: 1,
		// Opened as given by n8n 2.x (the codex link gets ?utm_… appended, which would cut an #anchor).
		documentationUrl:
			'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/exactbuyer.md',
		subtitle: panel.subtitle,
		description:
			'Find work emails, phones, LinkedIn URLs and job titles of people by email, phone or LinkedIn URL with ExactBuyer, up to 1000 per request; one credit per person found',
		defaults: { name: 'ExactBuyer' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'bulkEnrichmentExactBuyerApi', required: true }],
		properties: panel.properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
