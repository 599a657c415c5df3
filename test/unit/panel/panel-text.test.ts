/** Issue 21: what the canvas and the panel tell a new user: subtitles, notices, the join key. */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { ExactBuyer } from '../../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../../nodes/Explorium/Explorium.node';
import { Pronto } from '../../../nodes/Pronto/Pronto.node';
import { evaluateSubtitle } from './repo-files.cjs';

/** Evaluates a subtitle expression as n8n would for these parameters (it is plain JavaScript over $parameter). */
function subtitleFor(description: INodeTypeDescription, parameters: Record<string, string>): string {
	const expression = /^=\{\{(.*)\}\}$/s.exec(description.subtitle ?? '');
	if (!expression) throw new Error(`not an expression: ${description.subtitle}`);
	return evaluateSubtitle(expression[1], parameters) as string;
}

const operationsOf = (description: INodeTypeDescription) =>
	description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			((property.displayOptions?.show?.resource ?? []) as string[]).flatMap((resource) =>
				(property.options as Array<{ name: string; value: string }>).map((option) => ({ resource, operation: option.value, name: option.name })),
			),
		);

describe('canvas subtitle', () => {
	it.each<[string, INodeTypeDescription, Record<string, string>, string]>([
		['Pronto Enrich and Wait', new Pronto().description, { resource: 'contact', operation: 'enrich' }, 'Enrich and Wait'],
		['Pronto Bulk Enrich', new Pronto().description, { resource: 'contact', operation: 'bulkEnrich' }, 'Bulk Enrich'],
		['ExactBuyer Enrich', new ExactBuyer().description, { resource: 'contact', operation: 'enrich' }, 'Enrich'],
		['Explorium Enrich Contacts', new Explorium().description, { resource: 'prospect', operation: 'enrichContacts' }, 'Enrich Contacts: Prospect'],
		['Explorium business Match', new Explorium().description, { resource: 'business', operation: 'match' }, 'Match: Business'],
	])('%s shows %p', (_, description, parameters, expected) => {
		expect(subtitleFor(description, parameters)).toBe(expected);
	});

	it.each([new Explorium().description, new Pronto().description, new ExactBuyer().description])('$displayName: every operation has its display name, never its internal value', (description) => {
		const operations = operationsOf(description);
		expect(operations.length).toBeGreaterThan(1);
		for (const { resource, operation, name } of operations) expect(subtitleFor(description, { resource, operation })).toContain(name);
	});
});

describe('notices', () => {
	const noticesFor = (description: INodeTypeDescription, name: string) =>
		description.properties
			.filter((property: INodeProperties) => property.type === 'notice' && property.name === name)
			.flatMap((property) => (property.displayOptions?.show?.operation ?? []) as string[]);

	it.each([new Explorium().description, new Pronto().description, new ExactBuyer().description])('$displayName: every operation says how to let malformed rows through (On Error)', (description) => {
		expect(noticesFor(description, 'onErrorNotice').sort()).toEqual(operationsOf(description).map(({ operation }) => operation).sort());
		const text = description.properties.find((property) => property.name === 'onErrorNotice')?.displayName;
		expect(text).toMatch(/On Error/);
		expect(text).toMatch(/Continue/);
	});

	it('the Retry On Fail notice says the node refuses to send and why', () => {
		const text = new Pronto().description.properties.find((property) => property.name === 'retryOnFailNotice')?.displayName;
		expect(text).toMatch(/Retry On Fail/);
		expect(text).toMatch(/refuses to send/);
		expect(text).toMatch(/pays again/);
	});

	it("Pronto Bulk Enrich says how a CRM record's ID comes back with each result", () => {
		const properties = new Pronto().description.properties;
		const notice = properties.find((property) => property.name === 'customJoinKeyNotice');
		expect(notice?.displayOptions?.show?.operation).toEqual(['bulkEnrich']);
		expect(notice?.displayName).toMatch(/Custom/);
		expect(notice?.displayName).toMatch(/custom\.crm_id/);
		const custom = properties.find((property) => property.name === 'custom');
		expect(custom?.description).toMatch(/custom\.crm_id/);
	});
});
