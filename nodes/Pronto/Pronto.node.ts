import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { routeToOperation } from '../shared/router';
import * as contact from './actions/contact/contact.resource';
import { toolAnswerProperty } from '../bulk/tool-answer';

// Named once: the two lint rule sets disagree on writing the connection type inline.
const MAIN_CONNECTION = [NodeConnectionTypes.Main];

export class Pronto implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pronto',
		name: 'pronto',
		icon: { light: 'file:pronto.svg', dark: 'file:pronto.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Find work emails and phone numbers of people with Pronto, in bulk or one at a time; enrichment costs Pronto credits',
		defaults: { name: 'Pronto' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'prontoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Contact', value: 'contact' }],
				default: 'contact',
			},
			...contact.description,
			toolAnswerProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeToOperation(this, { contact: contact.operations });
	}
}
