/**
 * Issue 21: Explorium version 2 identifies people by Person Details, pre-mapped to CRM field names;
 * version 1 keeps its defaults, so workflows saved with it behave as before. Defaults are resolved by
 * n8n-workflow's own getNodeParameters, as the editor and the engine resolve them.
 */
import { NodeHelpers, type INodeParameters } from 'n8n-workflow';

import { Explorium } from '../../../nodes/Explorium/Explorium.node';
import { namesForMatch } from '../../../nodes/Explorium/actions/prospect/person-details';

const description = new Explorium().description;

function resolved(typeVersion: number, parameters: INodeParameters): INodeParameters {
	const values = NodeHelpers.getNodeParameters(
		description.properties,
		parameters,
		true,
		false,
		{ typeVersion },
		description,
	);
	if (!values) throw new Error('no parameters resolved');
	return values;
}

describe('Explorium node versions', () => {
	it('offers versions 1 to 3, new nodes get 3 (the one calling Explorium v2)', () => {
		expect(description.version).toEqual([1, 2, 3]);
		expect(description.defaultVersion).toBe(3);
	});

	it("versions 1 and 2 show one notice of v1's end and how to move; version 3 shows none", () => {
		const v1Notices = (typeVersion: number) =>
			description.properties.filter(
				(property) =>
					property.type === 'notice' &&
					/v1 API/.test(property.displayName) &&
					NodeHelpers.displayParameter(
						{ resource: 'prospect', operation: 'enrichContacts' },
						property,
						{ typeVersion },
						description,
					),
			);
		for (const typeVersion of [1, 2]) {
			const notices = v1Notices(typeVersion);
			expect(notices).toHaveLength(1);
			expect(notices[0].displayName).toMatch(
				/around March 2027 \(v1 stops serving traffic about September 2027\)/,
			);
			expect(notices[0].displayName).toMatch(
				/replace this node with a new Explorium node from the nodes panel \(new nodes call v2\)/,
			);
		}
		expect(v1Notices(3)).toHaveLength(0);
	});

	it("version 3 keeps version 2's defaults (the v1 notice aside)", () => {
		const withoutNotice = (values: INodeParameters) =>
			Object.fromEntries(Object.entries(values).filter(([name]) => name !== 'v1EndNotice'));
		const cases = [
			...['enrichContacts', 'enrichProfiles', 'match'].map((operation) => ({
				resource: 'prospect',
				operation,
			})),
			...['enrichFirmographics', 'match'].map((operation) => ({ resource: 'business', operation })),
		];
		for (const parameters of cases) {
			expect(resolved(3, parameters)).not.toHaveProperty('v1EndNotice');
			expect(resolved(3, parameters)).toEqual(withoutNotice(resolved(2, parameters)));
		}
	});

	it.each(['enrichContacts', 'enrichProfiles'])(
		'version 1 %s still identifies by Prospect ID, with no person fields pre-mapped',
		(operation) => {
			const values = resolved(1, { resource: 'prospect', operation });
			expect(values.identifyBy).toBe('prospectId');
			expect(values.prospectId).toBe('={{ $json.prospect_id }}');
			expect(values).not.toHaveProperty('email');
			expect(
				resolved(1, { resource: 'prospect', operation, identifyBy: 'personDetails' }),
			).toMatchObject({
				email: '',
				phone: '',
				linkedinUrl: '',
				fullName: '',
				companyName: '',
				businessId: '',
			});
			expect(
				resolved(1, { resource: 'prospect', operation, identifyBy: 'personDetails' }),
			).not.toHaveProperty('firstName');
		},
	);

	it.each(['enrichContacts', 'enrichProfiles'])(
		'version 2 %s identifies by Person Details, only the fields most CRM records have pre-mapped',
		(operation) => {
			const values = resolved(2, { resource: 'prospect', operation });
			expect(values.identifyBy).toBe('personDetails');
			expect(values).not.toHaveProperty('prospectId');
			expect(values).toMatchObject({
				email: '={{ $json.email || $json.Email }}',
				// Issue 27: a pre-mapped field the input lacks previews as a red "undefined" on a fresh node.
				phone: '',
				linkedinUrl: '',
				fullName: '',
				firstName: '={{ $json.first_name || $json.firstname }}',
				lastName: '={{ $json.last_name || $json.lastname }}',
				companyName: '={{ $json.company_name || $json.company }}',
				businessId: '',
			});
		},
	);

	it('version 2 Match is pre-mapped the same way; version 1 Match is not', () => {
		expect(resolved(2, { resource: 'prospect', operation: 'match' })).toMatchObject({
			email: '={{ $json.email || $json.Email }}',
			firstName: '={{ $json.first_name || $json.firstname }}',
		});
		expect(resolved(1, { resource: 'prospect', operation: 'match' })).toMatchObject({
			email: '',
			fullName: '',
		});
	});

	it('a saved choice is kept in either version', () => {
		expect(
			resolved(2, { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'prospectId' })
				.identifyBy,
		).toBe('prospectId');
		expect(
			resolved(1, {
				resource: 'prospect',
				operation: 'enrichContacts',
				identifyBy: 'personDetails',
			}).identifyBy,
		).toBe('personDetails');
	});
});

describe('namesForMatch (version 2: Explorium matches on full_name, only with company_name)', () => {
	it('joins First Name and Last Name when Full Name is empty', () => {
		expect(
			namesForMatch({
				full_name: '',
				first_name: ' Jane ',
				last_name: 'Doe',
				company_name: 'Acme',
			}),
		).toEqual({ full_name: 'Jane Doe', company_name: 'Acme' });
		expect(namesForMatch({ first_name: 'Jane', company_name: 'Acme' }).full_name).toBe('Jane');
	});

	it('keeps a Full Name that is given', () => {
		expect(
			namesForMatch({
				full_name: 'J. Doe',
				first_name: 'Jane',
				last_name: 'Doe',
				company_name: 'Acme',
			}).full_name,
		).toBe('J. Doe');
	});

	it('without a Company Name, leaves the names out where the rest of the row identifies the person', () => {
		expect(
			namesForMatch({
				email: 'jane@example.com',
				full_name: 'Jane Doe',
				first_name: 'Jane',
				company_name: ' ',
			}),
		).toEqual({
			email: 'jane@example.com',
			full_name: undefined,
			company_name: ' ',
		});
		// Nothing else: the name stays, so the error says a company is needed.
		expect(namesForMatch({ first_name: 'Jane', last_name: 'Doe' })).toEqual({
			full_name: 'Jane Doe',
		});
	});

	it('adds nothing when no name is given, or when the names are not text', () => {
		expect(
			namesForMatch({ full_name: '', first_name: '', last_name: '  ', company_name: 'Acme' }),
		).toEqual({ full_name: '', company_name: 'Acme' });
		expect(namesForMatch({ first_name: 42, company_name: 'Acme' })).not.toHaveProperty('full_name');
	});
});
