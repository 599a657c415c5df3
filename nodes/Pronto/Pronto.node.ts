import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { toolAnswerProperty } from '../bulk/operation';
import { mergeTwinProperties } from '../shared/merge-twin-properties';
import { operationSubtitle } from '../shared/operation-subtitle';
import * as contact from './actions/contact/contact.resource';
import { route } from './actions/router';

// Named once: the two lint rule sets disagree on writing the connection type inline.
const MAIN_CONNECTION = [NodeConnectionTypes.Main];

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Contact', value: 'contact' }],
	default: 'contact',
};

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
		subtitle: operationSubtitle(resourceProperty, contact.description),
		description:
			'Find work emails and phone numbers of people with Pronto, in bulk or one at a time; enrichment costs Pronto credits',
		defaults: { name: 'Pronto' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'bulkEnrichmentProntoApi', required: true }],
		// One property per field: each declared copy costs when the panel opens (issue 27).
		properties: mergeTwinProperties([resourceProperty, ...contact.description, toolAnswerProperty]),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
