/**
 * Issue 16: every mapped parameter's default meets the fields our own nodes write (the standard
 * contact fields, the ids Match and Pronto write), then the names CRMs commonly use.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { parseJsonPathAlternatives } from '../../../nodes/bulk/read-parameters';
import { ExactBuyer } from '../../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../../nodes/Explorium/Explorium.node';
import { Pronto } from '../../../nodes/Pronto/Pronto.node';
import { STANDARD_CONTACT_FIELDS } from '../../../nodes/contact/standard-contact';

/** Fields our nodes write besides the standard contact fields. */
const WRITTEN_BY_OUR_NODES = new Set<string>([
	...STANDARD_CONTACT_FIELDS,
	'prospect_id',
	'business_id',
	'enrichment_id',
]);

function mappedDefaults(
	description: INodeTypeDescription,
): Array<{ node: string; parameter: string; paths: string[][] }> {
	const found: Array<{ node: string; parameter: string; paths: string[][] }> = [];
	const visit = (properties: INodeProperties[]) => {
		for (const property of properties) {
			if (typeof property.default === 'string' && property.default.includes('$json')) {
				const paths = parseJsonPathAlternatives(property.default);
				found.push({ node: description.displayName, parameter: property.name, paths: paths ?? [] });
			}
			for (const option of (property.options ?? []) as unknown[]) {
				if (option && typeof option === 'object' && 'displayName' in option && 'type' in option)
					visit([option as INodeProperties]);
			}
		}
	};
	visit(description.properties);
	return found;
}

const nodes = [new Explorium().description, new Pronto().description, new ExactBuyer().description];
const all = nodes.flatMap(mappedDefaults);

describe('default mappings', () => {
	it('there are mapped defaults to check', () => {
		expect(all.length).toBeGreaterThan(8);
	});

	it.each(all.map((entry) => [`${entry.node} › ${entry.parameter}`, entry] as const))(
		'%s reads a field our nodes write first, through the fast path',
		(_, entry) => {
			expect(entry.paths.length).toBeGreaterThan(0);
			expect(WRITTEN_BY_OUR_NODES.has(entry.paths[0].join('.'))).toBe(true);
		},
	);

	it.each<[string, string]>([
		['firstName', '={{ $json.first_name || $json.firstname }}'],
		['lastName', '={{ $json.last_name || $json.lastname }}'],
		['domain', '={{ $json.company_domain || $json.domain }}'],
		['companyName', '={{ $json.company_name || $json.company }}'],
		['linkedinUrl', '={{ $json.linkedin_url }}'],
	])("Pronto's %s defaults to %s", (name, expected) => {
		const defaults = new Set(
			new Pronto().description.properties
				.filter((property) => property.name === name)
				.map((property) => property.default),
		);
		expect([...defaults]).toEqual([expected]);
	});

	it("Explorium Business Match's Company Name and Domain read company_name and company_domain", () => {
		const match = new Explorium().description.properties.filter(
			(property) =>
				property.displayOptions?.show?.resource?.includes('business') &&
				property.displayOptions.show.operation?.includes('match'),
		);
		expect(match.find((property) => property.name === 'companyName')?.default).toBe(
			'={{ $json.company_name || $json.company }}',
		);
		expect(match.find((property) => property.name === 'domain')?.default).toBe(
			'={{ $json.company_domain || $json.domain }}',
		);
	});
});
