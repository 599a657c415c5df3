import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as business from './actions/business/business.resource';
import * as prospect from './actions/prospect/prospect.resource';
import { route } from './actions/router';
import { toolAnswerProperty } from '../bulk/tool-answer';

// One main input and output. Named once here: the two lint rule sets disagree on writing them
// inline (one wants the 'main' literal, the other the NodeConnectionTypes enum).
const MAIN_CONNECTION = [NodeConnectionTypes.Main];

export class Explorium implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Explorium',
		name: 'explorium',
		icon: { light: 'file:explorium.svg', dark: 'file:explorium.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Find emails, phones and profiles of people and firmographics of companies with Explorium, in bulk; enrichment costs Explorium credits',
		defaults: { name: 'Explorium' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'exploriumApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Business', value: 'business' },
					{ name: 'Prospect', value: 'prospect' },
				],
				default: 'prospect',
			},
			...prospect.description,
			...business.description,
			toolAnswerProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
