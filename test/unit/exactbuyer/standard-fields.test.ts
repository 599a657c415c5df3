import type { IDataObject } from 'n8n-workflow';

import { exactBuyerStandardFields } from '../../../nodes/ExactBuyer/adapter/standard-fields';
import { exactBuyerAvailability, exactBuyerContactFor } from '../../simulator/fake-data.cjs';

const read = (contact: unknown) => exactBuyerStandardFields.read(contact as IDataObject);

/** The first simulator email input whose contact has every kind of data (deterministic). */
function emailWithEverything(): string {
	for (let n = 0; n < 200; n++) {
		const value = `person${n}@acme-corp.test`;
		const available = exactBuyerAvailability(value, 'email');
		if (
			available.phone &&
			available.personal_email &&
			available.work_email &&
			available.social_profile
		)
			return value;
	}
	throw new Error('no simulator input with every kind of data');
}

describe('ExactBuyer contact → standard fields', () => {
	it('is credited to ExactBuyer', () => {
		expect(exactBuyerStandardFields.providerName).toBe('ExactBuyer');
	});

	it('reads the seen shape: current_work_email, phone_numbers[].E164, social_profiles[]{network,url}, names, title, company', () => {
		const contact = {
			full_name: 'Ada Lovelace',
			first_name: 'Ada',
			last_name: 'Lovelace',
			current_work_email: 'Ada@Acme.com',
			phone_numbers: [{ E164: '+14155550100' }],
			social_profiles: [
				{ network: 'twitter', url: 'twitter.com/ada' },
				{ network: 'linkedin', url: 'linkedin.com/in/ada-lovelace' },
			],
			employment: { name: 'Acme', job: { title: 'CTO' } },
		};
		expect(read(contact)).toEqual({
			email: 'ada@acme.com',
			personal_email: null,
			phone: '+14155550100',
			mobile_phone: null,
			linkedin_url: 'https://www.linkedin.com/in/ada-lovelace',
			full_name: 'Ada Lovelace',
			first_name: 'Ada',
			last_name: 'Lovelace',
			job_title: 'CTO',
			company_name: 'Acme',
			company_domain: null,
		});
	});

	it('current_work_email wins over every guessed key', () => {
		const contact = {
			current_work_email: 'seen@acme.com',
			work_email: 'guess1@acme.com',
			emails: [{ email: 'guess2@acme.com', type: 'work' }, 'guess3@acme.com'],
		};
		expect(read(contact).email).toBe('seen@acme.com');
	});

	describe('guessed alternatives, read defensively', () => {
		it.each([
			['work_email as text', { work_email: 'Ada@Acme.com' }],
			['work_email as an object', { work_email: { email: 'ada@acme.com' } }],
			[
				'emails[{email, type: work}]',
				{
					emails: [
						{ email: 'ada.l@gmail.com', type: 'personal' },
						{ email: 'ada@acme.com', type: 'work' },
					],
				},
			],
			[
				'emails[{address, type: Professional}]',
				{ emails: [{ address: 'ada@acme.com', type: 'Professional' }] },
			],
			['emails as strings', { emails: ['ada@acme.com'] }],
			['work_emails as strings', { work_emails: ['ada@acme.com'] }],
		])('work email from %s', (_, contact) => {
			expect(read(contact).email).toBe('ada@acme.com');
		});

		it.each([
			['personal_email as text', { personal_email: 'Ada.L@Gmail.com' }],
			[
				'emails[{email, type: personal}]',
				{ emails: [{ email: 'ada.l@gmail.com', type: 'PERSONAL' }] },
			],
			['personal_emails as objects', { personal_emails: [{ value: 'ada.l@gmail.com' }] }],
		])('personal email from %s', (_, contact) => {
			expect(read(contact)).toMatchObject({ personal_email: 'ada.l@gmail.com' });
		});

		it('a personal entry never becomes the work email', () => {
			expect(read({ emails: [{ email: 'ada.l@gmail.com', type: 'personal' }] })).toMatchObject({
				email: null,
				personal_email: 'ada.l@gmail.com',
			});
		});

		it('phones as {number, type}, e164, strings; the mobile by its type in any case', () => {
			expect(
				read({
					phone_numbers: [
						{ number: '+1 (415) 555-0100', type: 'work' },
						{ e164: '+14155550101', type: 'Mobile' },
					],
				}),
			).toMatchObject({
				phone: '+14155550100',
				mobile_phone: '+14155550101',
			});
			expect(read({ phone_numbers: ['+1 415 555 0102'] })).toMatchObject({
				phone: '+14155550102',
				mobile_phone: null,
			});
			expect(read({ phones: [{ phone_number: '+33 1 23 45 67 89' }] })).toMatchObject({
				phone: '+33123456789',
			});
		});

		it.each([
			['LinkedIn', 'https://www.linkedin.com/in/ada'],
			['LINKEDIN', 'linkedin.com/in/ada'],
			['linkedin.com', 'http://linkedin.com/in/ada/'],
			[undefined, 'www.linkedin.com/in/ada'],
		])('the LinkedIn profile whatever the network is called (%s)', (network, url) => {
			expect(
				read({
					social_profiles: [
						{ network: 'twitter', url: 'twitter.com/ada' },
						{ network, url },
					],
				}).linkedin_url,
			).toBe('https://www.linkedin.com/in/ada');
		});

		it('unreadable values are skipped, never thrown on', () => {
			expect(() =>
				read({
					current_work_email: 42,
					emails: 'x',
					phone_numbers: [null, 3],
					social_profiles: [null, 'x'],
				}),
			).not.toThrow();
			expect(read({ current_work_email: { email: 'ada@acme.com' } }).email).toBe('ada@acme.com');
		});
	});

	it("the simulator's default (seen) contact: current_work_email, phone_numbers[0].E164, LinkedIn without scheme made a full URL", () => {
		const value = emailWithEverything();
		const contact = exactBuyerContactFor(value, 'email');
		expect(contact).not.toHaveProperty('emails');
		const linkedin = (contact.social_profiles as Array<{ network: string; url: string }>).find(
			(profile) => profile.network === 'linkedin',
		)?.url;
		expect(linkedin).toMatch(/^linkedin\.com\/in\//);
		expect(read(contact)).toEqual({
			email: value,
			personal_email: null,
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

	it("the simulator's guessed shape reads into the same standard fields, plus the personal email and mobile", () => {
		const value = emailWithEverything();
		const seen = read(exactBuyerContactFor(value, 'email', 'seen'));
		const guessed = read(exactBuyerContactFor(value, 'email', 'guessed'));
		expect(guessed).toEqual({
			...seen,
			personal_email: expect.stringContaining('@'),
			mobile_phone: seen.phone,
		});
	});

	it('a contact without a work email has no standard email', () => {
		const contact = exactBuyerContactFor('no-work-email@gmail.com', 'email');
		expect(contact).not.toHaveProperty('current_work_email');
		expect(read(contact)).toMatchObject({ email: null });
		expect(read(exactBuyerContactFor('no-work-email@gmail.com', 'email', 'guessed'))).toMatchObject(
			{ email: null, personal_email: 'no-work-email@gmail.com' },
		);
	});

	it('no phone and no social profile: phone and linkedin_url are null', () => {
		const contact = exactBuyerContactFor('no-phone-no-social@acme-corp.test', 'email');
		expect(contact.phone_numbers).toEqual([]);
		expect(contact.social_profiles).toEqual([]);
		expect(read(contact)).toMatchObject({ phone: null, mobile_phone: null, linkedin_url: null });
	});

	it('a phone without E164 is read from its number; the company domain may come from the website', () => {
		const contact = {
			phone_numbers: [{ number: '0044 20 7946 0000' }],
			employment: { website: 'https://www.acme.co.uk/' },
		};
		expect(read(contact)).toMatchObject({ phone: '+442079460000', company_domain: 'acme.co.uk' });
	});

	it('an empty contact gives only nulls', () => {
		const standard = read({});
		expect(Object.keys(standard).sort()).toEqual([
			'company_domain',
			'company_name',
			'email',
			'first_name',
			'full_name',
			'job_title',
			'last_name',
			'linkedin_url',
			'mobile_phone',
			'personal_email',
			'phone',
		]);
		for (const value of Object.values(standard)) expect(value).toBeNull();
	});
});
