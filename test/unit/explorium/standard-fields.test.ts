import type { IDataObject } from 'n8n-workflow';

import { contactPart } from '../../../nodes/contact/contact-part';
import {
	exploriumContactsStandardFields,
	exploriumProfileStandardFields,
} from '../../../nodes/Explorium/adapter/standard-fields';
import { contactsInformationFor, profileFor } from '../../simulator/fake-data.cjs';
import { prospectId } from '../bulk/helpers';

const readContacts = (data: unknown) => exploriumContactsStandardFields.read(data as IDataObject);
const readProfile = (data: unknown) => exploriumProfileStandardFields.read(data as IDataObject);

describe('Explorium Enrich Contacts → standard fields', () => {
	it('is credited to Explorium', () => {
		expect(exploriumContactsStandardFields.providerName).toBe('Explorium');
	});

	it('reads the documented contacts_information shape', () => {
		const data = {
			professions_email: ' Ada.Lovelace@Acme.com ',
			professional_email_status: 'valid',
			emails: [
				{ address: 'Ada.L@Gmail.com', type: 'personal' },
				{ address: 'ada.lovelace@acme.com', type: 'professional' },
			],
			phone_numbers: [{ phone_number: '+1 (415) 555-0100' }, { phone_number: '+1 415 555 0101' }],
			mobile_phone: '415 555 0101',
		};
		expect(readContacts(data)).toEqual({
			email: 'ada.lovelace@acme.com',
			email_status: 'valid',
			personal_email: 'ada.l@gmail.com',
			phone: '+14155550100',
			// No country code: as Explorium wrote it.
			mobile_phone: '415 555 0101',
		});
	});

	it("the simulator's data: professions_email → email, its status, the personal address, the first phone, the mobile", () => {
		for (const n of [1, 2, 3]) {
			const data = contactsInformationFor(prospectId(n)) as {
				professions_email: string;
				professional_email_status: string;
				emails: Array<{ address: string; type: string }>;
				phone_numbers: Array<{ phone_number: string }>;
				mobile_phone: string;
			};
			const personal = data.emails.find((entry) => entry.type === 'personal')?.address;
			expect(personal).toMatch(/@/);
			expect(personal).not.toBe(data.professions_email);
			expect(data.phone_numbers[0].phone_number).not.toBe(data.mobile_phone);
			expect(readContacts(data)).toEqual({
				email: data.professions_email,
				email_status: data.professional_email_status,
				personal_email: personal,
				phone: data.phone_numbers[0].phone_number,
				mobile_phone: data.mobile_phone,
			});
		}
	});

	it('only phones asked for: the email fields are null', () => {
		const data = contactsInformationFor(prospectId(4), { contact_types: ['phone'] }) as IDataObject;
		expect(readContacts(data)).toEqual({
			email: null,
			email_status: null,
			personal_email: null,
			phone: expect.stringMatching(/^\+1\d{10}$/),
			mobile_phone: expect.stringMatching(/^\+1\d{10}$/),
		});
	});

	it('falls back to professional_email, then to the professional entry of emails', () => {
		expect(readContacts({ professional_email: 'A@acme.com' }).email).toBe('a@acme.com');
		expect(readContacts({ emails: [{ address: 'B@acme.com', type: 'professional' }] }).email).toBe(
			'b@acme.com',
		);
		expect(
			readContacts({ professions_email: 'c@acme.com', professional_email: 'd@acme.com' }).email,
		).toBe('c@acme.com');
	});

	it("v1's emails list: current, current_professional or professional is the work email, personal the personal one", () => {
		for (const type of ['current', 'current_professional', 'professional']) {
			const data = {
				emails: [
					{ address: 'Ada@Gmail.test', type: 'personal' },
					{ address: 'Ada@Acme.test', type },
				],
				phone_numbers: null,
			};
			expect(readContacts(data)).toMatchObject({
				email: 'ada@acme.test',
				personal_email: 'ada@gmail.test',
				phone: null,
			});
		}
		// A real v1 answer (2026): professions_email, `current` and `personal` entries, phone_numbers null.
		expect(
			readContacts({
				professions_email: 'ada@acme.test',
				professional_email_status: 'valid',
				emails: [
					{ address: 'ada@acme.test', type: 'current' },
					{ address: 'ada.l@gmail.test', type: 'personal' },
				],
				phone_numbers: null,
				mobile_phone: null,
			}),
		).toEqual({
			email: 'ada@acme.test',
			email_status: 'valid',
			personal_email: 'ada.l@gmail.test',
			phone: null,
			mobile_phone: null,
		});
	});

	it('v2 shape: professional_email and its status, no emails list so no personal email, phone_numbers of objects or texts', () => {
		const v2 = {
			professional_email: 'Ada@Acme.test',
			professional_email_status: 'catch-all',
			mobile_phone: '+14155550101',
		};
		expect(readContacts({ ...v2, phone_numbers: [{ phone_number: '+1 415 555 0100' }] })).toEqual({
			email: 'ada@acme.test',
			email_status: 'catch-all',
			personal_email: null,
			phone: '+14155550100',
			mobile_phone: '+14155550101',
		});
		expect(readContacts({ ...v2, phone_numbers: ['+1 415 555 0102'] }).phone).toBe('+14155550102');
		// The v2 schema names no key inside a phone object: its first text value is the number.
		expect(readContacts({ ...v2, phone_numbers: [{}, { number: '+1 415 555 0103' }] }).phone).toBe(
			'+14155550103',
		);
		expect(readContacts({ ...v2, phone_numbers: null, mobile_phone: null })).toMatchObject({
			phone: null,
			mobile_phone: null,
		});
	});

	it('v2 through the contact part: the email and its status are written, no personal email (nor an empty one) beside them', () => {
		const part = contactPart(exploriumContactsStandardFields);
		const found = {
			prospect_id: prospectId(1),
			professional_email: 'ada@acme.test',
			professional_email_status: 'valid',
			phone_numbers: null,
			mobile_phone: null,
		};
		const input = { name: 'Ada' };
		const output: IDataObject = { ...input, ...found };
		part.completeFound?.(output, input, found, found);
		expect(output).toMatchObject({
			email: 'ada@acme.test',
			email_status: 'valid',
			enrichment_source: { email: 'Explorium', email_status: 'Explorium' },
		});
		expect(output).not.toHaveProperty('personal_email');
		expect(output).not.toHaveProperty('personal_email_status');
		expect(output.enrichment_source).not.toHaveProperty('personal_email');
	});

	it('an empty answer gives only nulls', () => {
		expect(readContacts({})).toEqual({
			email: null,
			email_status: null,
			personal_email: null,
			phone: null,
			mobile_phone: null,
		});
		expect(readContacts({ emails: 'none', phone_numbers: null })).toEqual({
			email: null,
			email_status: null,
			personal_email: null,
			phone: null,
			mobile_phone: null,
		});
	});
});

describe('Explorium Enrich Profiles → standard fields', () => {
	it('is credited to Explorium', () => {
		expect(exploriumProfileStandardFields.providerName).toBe('Explorium');
	});

	it('reads full_name, job_title, company_name, company_domain (from company_website) and linkedin_url (from linkedin)', () => {
		const data = {
			full_name: ' Ada Lovelace ',
			job_title: 'Chief Technology Officer',
			company_name: 'Acme Analytics',
			company_website: 'https://www.Acme.com/about',
			linkedin: 'linkedin.com/in/ada-lovelace/',
			experience: [{ company: { name: 'older co', website: 'older.example' }, is_primary: false }],
		};
		expect(readProfile(data)).toEqual({
			full_name: 'Ada Lovelace',
			job_title: 'Chief Technology Officer',
			company_name: 'Acme Analytics',
			company_domain: 'acme.com',
			linkedin_url: 'https://www.linkedin.com/in/ada-lovelace',
		});
	});

	it("the simulator's profile", () => {
		const data = profileFor(prospectId(7)) as {
			full_name: string;
			job_title: string;
			company_name: string;
			company_website: string;
			linkedin: string;
		};
		expect(data.linkedin).toMatch(/^https:\/\/linkedin\.com\/in\//);
		expect(data.company_website).toMatch(/^https:\/\//);
		expect(readProfile(data)).toEqual({
			full_name: data.full_name,
			job_title: data.job_title,
			company_name: data.company_name,
			company_domain: data.company_website.replace('https://', ''),
			linkedin_url: data.linkedin.replace('https://linkedin.com', 'https://www.linkedin.com'),
		});
	});

	it('without company fields: the primary experience; without linkedin: the first of linkedin_url_array', () => {
		const data = {
			experience: [
				{ company: { name: 'Old Co', website: 'old.example' } },
				{ company: { name: 'Acme', website: 'https://acme.example/' }, is_primary: true },
			],
			linkedin_url_array: ['https://www.linkedin.com/in/ada/', 'https://www.linkedin.com/in/other'],
		};
		expect(readProfile(data)).toEqual({
			full_name: null,
			job_title: null,
			company_name: 'Acme',
			company_domain: 'acme.example',
			linkedin_url: 'https://www.linkedin.com/in/ada',
		});
	});

	it('without a primary experience the first one counts', () => {
		const data = {
			experience: [
				{ company: { name: 'First', website: 'first.example' } },
				{ company: { name: 'Second' } },
			],
		};
		expect(readProfile(data)).toMatchObject({
			company_name: 'First',
			company_domain: 'first.example',
		});
	});

	it('an empty profile gives only nulls', () => {
		expect(readProfile({})).toEqual({
			full_name: null,
			job_title: null,
			company_name: null,
			company_domain: null,
			linkedin_url: null,
		});
	});
});
