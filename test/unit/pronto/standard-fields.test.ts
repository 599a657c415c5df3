import type { IDataObject } from 'n8n-workflow';

import { normalizeProntoResult } from '../../../nodes/Pronto/adapter/normalize-result';
import { prontoStandardContact, prontoStandardFields } from '../../../nodes/Pronto/adapter/standard-fields';

const normalized = (body: IDataObject) => normalizeProntoResult(body) as unknown as IDataObject;

describe('Pronto result → standard fields', () => {
	it('is credited to Pronto and reads like prontoStandardContact', () => {
		expect(prontoStandardFields.providerName).toBe('Pronto');
		const result = normalized({ status: 'finished', email: 'a@example.com' });
		expect(prontoStandardFields.read(result)).toEqual(prontoStandardContact(result));
	});

	it('reads a normalized result: emails lower-cased, the first phone, the names Pronto echoed', () => {
		const result = normalized({
			enrichment_id: 'test-enrichment-1',
			status: 'finished',
			first_name: ' Mathieu ',
			last_name: 'Brun-Picard',
			email: 'Mathieu@ProntoHQ.com',
			email_status: 'deliverable',
			personal_email: 'Mathieu.BP@gmail.com',
			phone: ['+1 201-555-0123', '+33 6 12 34 56 78'],
		});
		expect(prontoStandardContact(result)).toEqual({
			email: 'mathieu@prontohq.com',
			email_status: 'deliverable',
			personal_email: 'mathieu.bp@gmail.com',
			phone: '+12015550123',
			first_name: 'Mathieu',
			last_name: 'Brun-Picard',
		});
	});

	it('Pronto gives no mobile, LinkedIn, title or company', () => {
		const standard = prontoStandardContact(normalized({ status: 'finished', phone: ['+12015550123'] }));
		for (const field of ['mobile_phone', 'linkedin_url', 'full_name', 'job_title', 'company_name', 'company_domain']) {
			expect(standard).not.toHaveProperty(field);
		}
	});

	it('a number without country code is kept as its digits', () => {
		expect(prontoStandardContact(normalized({ status: 'finished', phone: '415 555 0100' })).phone).toBe('4155550100');
	});

	it('a finished miss fills nothing: an email status ("N/A") only goes with an email', () => {
		expect(prontoStandardContact(normalized({ status: 'finished', email: null, email_status: 'N/A', phone: [] }))).toEqual({
			email: null,
			email_status: null,
			personal_email: null,
			phone: null,
			first_name: null,
			last_name: null,
		});
	});

	it('phones that are not a list give no phone', () => {
		expect(prontoStandardContact({ phones: '+12015550123' }).phone).toBeNull();
	});
});
