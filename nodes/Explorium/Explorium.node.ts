import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionNodePanel, MAIN_CONNECTION } from '../shared/node-panel';
import { V1_END_NOTICE, V2_API_NODE_VERSION } from './adapter/provider';
import * as business from './actions/business/business.resource';
import * as prospect from './actions/prospect/prospect.resource';
import { beforeVersion } from './actions/common.descriptions';
import { route } from './actions/router';

const panel = actionNodePanel(
	[
		{ name: 'Business', value: 'business' },
		{ name: 'Prospect', value: 'prospect' },
	],
	'prospect',
	[...prospect.description, ...business.description],
	// A tool sees V1_END_NOTICE in its run hint instead (router.ts).
	[
		{
			displayName: V1_END_NOTICE,
			name: 'v1EndNotice',
			type: 'notice',
			default: '',
			displayOptions: { ...beforeVersion(V2_API_NODE_VERSION), hide: { '@tool': [true] } },
		},
	],
);

export class Explorium implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Explorium',
		name: 'explorium',
		icon: { light: 'file:explorium.svg', dark: 'file:explorium.dark.svg' },
		group: ['transform'],
		// Version 2: Enrich Contacts and Enrich Profiles identify people by Person Details, pre-mapped
		// to CRM field names. Version 3: Explorium's v2 API, version 2's defaults. Older versions keep
		// their defaults and v1 paths, so saved workflows behave as before.
		version: [1, 2, V2_API_NODE_VERSION],
		defaultVersion: V2_API_NODE_VERSION,
		// Opened as given by n8n 2.x (the codex link gets ?utm_… appended, which would cut an #anchor).
		documentationUrl:
			'https://github.com/n8n-nodes-bulk-enrichment/n8n-nodes-bulk-enrichment/blob/main/docs/explorium.md',
		subtitle: panel.subtitle,
		description:
			'Find emails, phones and profiles of people and firmographics of companies with Explorium, in bulk; matching and enrichment cost Explorium credits',
		defaults: { name: 'Explorium' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'bulkEnrichmentExploriumApi', required: true }],
		properties: panel.properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
