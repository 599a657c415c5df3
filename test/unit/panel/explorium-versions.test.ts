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
	const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, { typeVersion }, description);
	if (!values) throw new Error('no parameters resolved');
	return values;
}

describe('Explorium node versions', () => {
	it('offers versions 1 and 2, new nodes get 2', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});

	it.each(['enrichContacts', 'enrichProfiles'])('version 1 %s still identifies by Prospect ID, with no person fields pre-mapped', (operation) => {
		const values = resolved(1, { resource: 'prospect', operation });
		expect(values.identifyBy).toBe('prospectId');
		expect(values.prospectId).toBe('={{ $json.prospect_id }}');
		expect(values).not.toHaveProperty('email');
		expect(resolved(1, { resource: 'prospect', operation, identifyBy: 'personDetails' })).toMatchObject({
			email: '',
			phone: '',
			linkedinUrl: '',
			fullName: '',
			companyName: '',
			businessId: '',
		});
		expect(resolved(1, { resource: 'prospect', operation, identifyBy: 'personDetails' })).not.toHaveProperty('firstName');
	});

	it.each(['enrichContacts', 'enrichProfiles'])('version 2 %s identifies by Person Details mapped from CRM field names', (operation) => {
		const values = resolved(2, { resource: 'prospect', operation });
		expect(values.identifyBy).toBe('personDetails');
		expect(values).not.toHaveProperty('prospectId');
		expect(values).toMatchObject({
			email: '={{ $json.email || $json.Email }}',
			phone: '={{ $json.phone || $json.Phone }}',
			linkedinUrl: '={{ $json.linkedin_url }}',
			fullName: '={{ $json.full_name }}',
			firstName: '={{ $json.first_name || $json.firstname }}',
			lastName: '={{ $json.last_name || $json.lastname }}',
			companyName: '={{ $json.company_name || $json.company }}',
			businessId: '={{ $json.business_id }}',
		});
	});

	it('version 2 Match is pre-mapped the same way; version 1 Match is not', () => {
		expect(resolved(2, { resource: 'prospect', operation: 'match' })).toMatchObject({ email: '={{ $json.email || $json.Email }}', firstName: '={{ $json.first_name || $json.firstname }}' });
		expect(resolved(1, { resource: 'prospect', operation: 'match' })).toMatchObject({ email: '', fullName: '' });
	});

	it('a saved choice is kept in either version', () => {
		expect(resolved(2, { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'prospectId' }).identifyBy).toBe('prospectId');
		expect(resolved(1, { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'personDetails' }).identifyBy).toBe('personDetails');
	});
});

describe('namesForMatch (version 2: Explorium matches on full_name, only with company_name)', () => {
	it('joins First Name and Last Name when Full Name is empty', () => {
		expect(namesForMatch({ full_name: '', first_name: ' Jane ', last_name: 'Doe', company_name: 'Acme' })).toEqual({ full_name: 'Jane Doe', company_name: 'Acme' });
		expect(namesForMatch({ first_name: 'Jane', company_name: 'Acme' }).full_name).toBe('Jane');
	});

	it('keeps a Full Name that is given', () => {
		expect(namesForMatch({ full_name: 'J. Doe', first_name: 'Jane', last_name: 'Doe', company_name: 'Acme' }).full_name).toBe('J. Doe');
	});

	it('without a Company Name, leaves the names out where the rest of the row identifies the person', () => {
		expect(namesForMatch({ email: 'jane@example.com', full_name: 'Jane Doe', first_name: 'Jane', company_name: ' ' })).toEqual({
			email: 'jane@example.com',
			full_name: undefined,
			company_name: ' ',
		});
		// Nothing else: the name stays, so the error says a company is needed.
		expect(namesForMatch({ first_name: 'Jane', last_name: 'Doe' })).toEqual({ full_name: 'Jane Doe' });
	});

	it('adds nothing when no name is given, or when the names are not text', () => {
		expect(namesForMatch({ full_name: '', first_name: '', last_name: '  ', company_name: 'Acme' })).toEqual({ full_name: '', company_name: 'Acme' });
		expect(namesForMatch({ first_name: 42, company_name: 'Acme' })).not.toHaveProperty('full_name');
	});
});
