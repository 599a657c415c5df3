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
		subtitle: operationSubtitle(resourceProperty, contact.description),
		description:
			'Find work emails, phones, LinkedIn URLs and job titles of people by email, phone or LinkedIn URL with ExactBuyer, up to 1000 per request; one credit per person found',
		defaults: { name: 'ExactBuyer' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'bulkEnrichmentExactBuyerApi', required: true }],
		// One property per field: each declared copy costs when the panel opens (issue 27).
		properties: mergeTwinProperties([resourceProperty, ...contact.description, toolAnswerProperty]),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
