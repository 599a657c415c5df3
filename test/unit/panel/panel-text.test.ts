/** Issues 21 and 27: what the canvas and the panel tell a new user: subtitles, notices (few), the join key. */
import { NodeHelpers, type INodeParameters, type INodeTypeDescription } from 'n8n-workflow';

import { ExactBuyer } from '../../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../../nodes/Explorium/Explorium.node';
import { Pronto } from '../../../nodes/Pronto/Pronto.node';
import { evaluateSubtitle } from './repo-files.cjs';

/** Evaluates a subtitle expression as n8n would for these parameters (it is plain JavaScript over $parameter). */
function subtitleFor(
	description: INodeTypeDescription,
	parameters: Record<string, string>,
): string {
	const expression = /^=\{\{(.*)\}\}$/s.exec(description.subtitle ?? '');
	if (!expression) throw new Error(`not an expression: ${description.subtitle}`);
	return evaluateSubtitle(expression[1], parameters) as string;
}

const operationsOf = (description: INodeTypeDescription) =>
	description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			((property.displayOptions?.show?.resource ?? []) as string[]).flatMap((resource) =>
				(property.options as Array<{ name: string; value: string }>).map((option) => ({
					resource,
					operation: option.value,
					name: option.name,
				})),
			),
		);

describe('canvas subtitle', () => {
	it.each<[string, INodeTypeDescription, Record<string, string>, string]>([
		[
			'Pronto Enrich and Wait',
			new Pronto().description,
			{ resource: 'contact', operation: 'enrich' },
			'Enrich and Wait',
		],
		[
			'Pronto Bulk Enrich',
			new Pronto().description,
			{ resource: 'contact', operation: 'bulkEnrich' },
			'Bulk Enrich',
		],
		[
			'ExactBuyer Enrich',
			new ExactBuyer().description,
			{ resource: 'contact', operation: 'enrich' },
			'Enrich',
		],
		[
			'Explorium Enrich Contacts',
			new Explorium().description,
			{ resource: 'prospect', operation: 'enrichContacts' },
			'Enrich Contacts: Prospect',
		],
		[
			'Explorium business Match',
			new Explorium().description,
			{ resource: 'business', operation: 'match' },
			'Match: Business',
		],
	])('%s shows %p', (_, description, parameters, expected) => {
		expect(subtitleFor(description, parameters)).toBe(expected);
	});

	it.each([new Explorium().description, new Pronto().description, new ExactBuyer().description])(
		'$displayName: every operation has its display name, never its internal value',
		(description) => {
			const operations = operationsOf(description);
			expect(operations.length).toBeGreaterThan(1);
			for (const { resource, operation, name } of operations)
				expect(subtitleFor(description, { resource, operation })).toContain(name);
		},
	);
});

describe('notices', () => {
	/** The notices n8n shows for these parameters, resolved by n8n-workflow as the editor does. */
	const shownNotices = (
		description: INodeTypeDescription,
		typeVersion: number,
		tool: boolean,
		parameters: INodeParameters,
	) => {
		const asDerived = tool ? { ...description, name: `${description.name}Tool` } : description;
		return description.properties.filter(
			(property) =>
				property.type === 'notice' &&
				NodeHelpers.displayParameter(parameters, property, { typeVersion }, asDerived),
		);
	};
	const versionsOf = (description: INodeTypeDescription) =>
		Array.isArray(description.version) ? description.version : [description.version];
	const cases = [
		new Explorium().description,
		new Pronto().description,
		new ExactBuyer().description,
	].flatMap((description) =>
		versionsOf(description).flatMap((typeVersion) =>
			operationsOf(description).map(
				({ resource, operation }) =>
					[
						`${description.displayName} v${typeVersion} ${resource} › ${operation}`,
						description,
						typeVersion,
						{ resource, operation },
					] as const,
			),
		),
	);

	it.each(cases)(
		'%s: at most one short notice, none on the tool variant',
		(_, description, typeVersion, parameters) => {
			const notices = shownNotices(description, typeVersion, false, parameters);
			expect(notices.length).toBeLessThanOrEqual(1);
			for (const notice of notices) expect(notice.displayName.length).toBeLessThanOrEqual(400);
			expect(shownNotices(description, typeVersion, true, parameters)).toEqual([]);
		},
	);

	it('no notice repeats what the errors say about On Error and Retry On Fail', () => {
		for (const description of [
			new Explorium().description,
			new Pronto().description,
			new ExactBuyer().description,
		]) {
			for (const notice of description.properties.filter((property) => property.type === 'notice'))
				expect(notice.displayName).not.toMatch(/Retry On Fail|On Error/);
		}
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
