/**
 * Issue 27 point 8: n8n's editor re-resolves every expression parameter against the input items for
 * each property with display options when a panel opens, so a field declared once per operation and
 * per node version cost several times over. Each node declares such a field once; what every
 * operation and version shows, and resolves to, is what the separate copies gave.
 */
import {
	NodeHelpers,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as exactBuyerContact from '../../../nodes/ExactBuyer/actions/contact/contact.resource';
import { ExactBuyer } from '../../../nodes/ExactBuyer/ExactBuyer.node';
import * as business from '../../../nodes/Explorium/actions/business/business.resource';
import { beforeVersion, fromVersion } from '../../../nodes/Explorium/actions/common.descriptions';
import * as prospect from '../../../nodes/Explorium/actions/prospect/prospect.resource';
import { Explorium } from '../../../nodes/Explorium/Explorium.node';
import * as prontoContact from '../../../nodes/Pronto/actions/contact/contact.resource';
import { Pronto } from '../../../nodes/Pronto/Pronto.node';
import { mergeTwinProperties } from '../../../nodes/shared/node-panel';

/** Each node's description, the operations' properties as declared (`leading`: the unique ones before them, kept as they are). */
const NODES: Array<[string, INodeTypeDescription, INodeProperties[], number]> = [
	['Explorium', new Explorium().description, [...prospect.description, ...business.description], 2],
	['ExactBuyer', new ExactBuyer().description, exactBuyerContact.description, 1],
	['Pronto', new Pronto().description, prontoContact.description, 1],
];

const versionsOf = (description: INodeTypeDescription) =>
	Array.isArray(description.version) ? description.version : [description.version];
const optionValues = (properties: INodeProperties[], name: string) =>
	properties
		.filter((p) => p.name === name)
		.flatMap((p) => (p.options ?? []).map((o) => (o as { value: string }).value));

/** Every resource × operation × identifyBy a panel can be in, per version. */
function panelStates(
	description: INodeTypeDescription,
): Array<{ typeVersion: number; values: INodeParameters }> {
	const states: Array<{ typeVersion: number; values: INodeParameters }> = [];
	for (const typeVersion of versionsOf(description))
		for (const resource of optionValues(description.properties, 'resource'))
			for (const operation of optionValues(description.properties, 'operation'))
				for (const identifyBy of [
					undefined,
					...new Set(optionValues(description.properties, 'identifyBy')),
				])
					states.push({
						typeVersion,
						values: { resource, operation, ...(identifyBy ? { identifyBy } : {}) },
					});
	return states;
}

/** What a panel in that state shows, in order, and what its parameters resolve to. */
function panel(
	description: INodeTypeDescription,
	properties: INodeProperties[],
	{ typeVersion, values }: { typeVersion: number; values: INodeParameters },
) {
	const node = { typeVersion };
	const shown = properties
		.filter((p) => NodeHelpers.displayParameter(values, p, node, description))
		.map((p) => ({ ...p, displayOptions: undefined }));
	return {
		shown,
		resolved: NodeHelpers.getNodeParameters(properties, values, true, false, node, description),
	};
}

describe.each(NODES)('%s declares each field once', (_name, description, operations, leading) => {
	it('has no two properties that differ only in the operations or versions showing them', () => {
		expect(mergeTwinProperties(description.properties).length).toBe(description.properties.length);
	});

	it('shows and resolves in every panel state what the copies as declared did', () => {
		const { properties } = description;
		const declared = [
			...properties.slice(0, leading),
			...operations,
			properties[properties.length - 1],
		];
		expect(declared.length).toBeGreaterThanOrEqual(properties.length);
		for (const state of panelStates(description))
			expect(panel(description, properties, state)).toEqual(panel(description, declared, state));
	});
});

describe('mergeTwinProperties', () => {
	const field = (operation: string, version: 'lt' | 'gte', defaultValue = ''): INodeProperties => ({
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: defaultValue,
		displayOptions: {
			show: {
				operation: [operation],
				...(version === 'lt' ? beforeVersion(2) : fromVersion(2)).show,
			},
		},
	});

	it('merges copies per operation and per version into one, and keeps copies with other defaults apart', () => {
		const merged = mergeTwinProperties([
			field('a', 'lt'),
			field('a', 'gte'),
			field('b', 'lt'),
			field('b', 'gte'),
			field('b', 'gte', '={{ $json.phone }}'),
		]);
		expect(merged).toHaveLength(2);
		expect(merged[0].displayOptions?.show).toEqual({
			operation: ['a', 'b'],
			'@version': [{ _cnd: { lt: 2 } }, { _cnd: { gte: 2 } }],
		});
		expect(merged[1].default).toBe('={{ $json.phone }}');
	});
});
