import type { IDataObject } from 'n8n-workflow';

import { exactBuyerStandardFields } from '../../../nodes/ExactBuyer/adapter/standard-fields';
import { exactBuyerAvailability, exactBuyerContactFor } from '../../simulator/fake-data.cjs';

const read = (contact: unknown) => exactBuyerStandardFields.read(contact as IDataObject);

/** The first simulator email input whose contact has every kind of data (deterministic). */
function emailWithEverything(): string {
	for (let n = 0; n < 200; n++) {
		const value = `person${n}@acme-corp.test`;
		const available = exactBuyerAvailability(value, 'email');
		if (available.phone && available.personal_email && available.work_email && available.social_profile) return value;
	}
	throw new Error('no simulator input with every kind of data');
}

describe('ExactBuyer contact → standard fields', () => {
	it('is credited to ExactBuyer', () => {
		expect(exactBuyerStandardFields.providerName).toBe('ExactBuyer');
	});

	it('reads a documented contact: work email, personal email, first phone, the mobile, LinkedIn, names, title, company', () => {
		const contact = {
			full_name: 'Ada Lovelace',
			first_name: 'Ada',
			last_name: 'Lovelace',
			emails: [
				{ email: 'Ada.L@Gmail.com', type: 'personal' },
				{ email: 'Ada@Acme.com', type: 'work' },
			],
			phone_numbers: [
				{ E164: '+14155550100', number: '(415) 555-0100', type: 'work' },
				{ number: '+1 415 555 0101', type: 'mobile' },
			],
			social_profiles: [
				{ network: 'twitter', url: 'twitter.com/ada' },
				{ network: 'linkedin', url: 'linkedin.com/in/ada-lovelace' },
			],
			employment: { name: 'Acme', domain: 'ACME.com', job: { title: 'CTO' } },
		};
		expect(read(contact)).toEqual({
			email: 'ada@acme.com',
			personal_email: 'ada.l@gmail.com',
			phone: '+14155550100',
			mobile_phone: '+14155550101',
			linkedin_url: 'https://www.linkedin.com/in/ada-lovelace',
			full_name: 'Ada Lovelace',
			first_name: 'Ada',
			last_name: 'Lovelace',
			job_title: 'CTO',
			company_name: 'Acme',
			company_domain: 'acme.com',
		});
	});

	it("the simulator's contact: phone_numbers[0].E164, LinkedIn without scheme in the data made a full URL", () => {
		const value = emailWithEverything();
		const contact = exactBuyerContactFor(value, 'email');
		const linkedin = contact.social_profiles.find((profile) => profile.network === 'linkedin')?.url;
		expect(linkedin).toMatch(/^linkedin\.com\/in\//);
		expect(read(contact)).toEqual({
			email: value,
			personal_email: contact.emails.find((entry) => entry.type === 'personal')?.email,
			phone: contact.phone_numbers[0].E164,
			mobile_phone: null,
			linkedin_url: `https://www.${linkedin}`,
			full_name: contact.full_name,
			first_name: contact.first_name,
			last_name: contact.last_name,
			job_title: contact.employment.job.title,
			company_name: contact.employment.name,
			// The simulator's employment has no domain or website.
			company_domain: null,
		});
	});

	it('a contact without a work email has no standard email, even with a personal one', () => {
		const contact = exactBuyerContactFor('no-work-email@gmail.com', 'email');
		expect(contact.emails.map((entry) => entry.type)).toEqual(['personal']);
		expect(read(contact)).toMatchObject({ email: null, personal_email: 'no-work-email@gmail.com' });
	});

	it('no phone and no social profile: phone and linkedin_url are null', () => {
		const contact = exactBuyerContactFor('no-phone-no-social@acme-corp.test', 'email');
		expect(contact.phone_numbers).toEqual([]);
		expect(contact.social_profiles).toEqual([]);
		expect(read(contact)).toMatchObject({ phone: null, mobile_phone: null, linkedin_url: null });
	});

	it('a phone without E164 is read from its number; the company domain may come from the website', () => {
		const contact = { phone_numbers: [{ number: '0044 20 7946 0000' }], employment: { website: 'https://www.acme.co.uk/' } };
		expect(read(contact)).toMatchObject({ phone: '+442079460000', company_domain: 'acme.co.uk' });
	});

	it('an empty contact gives only nulls', () => {
		const standard = read({});
		expect(Object.keys(standard).sort()).toEqual(
			['company_domain', 'company_name', 'email', 'first_name', 'full_name', 'job_title', 'last_name', 'linkedin_url', 'mobile_phone', 'personal_email', 'phone'],
		);
		for (const value of Object.values(standard)) expect(value).toBeNull();
	});
});
