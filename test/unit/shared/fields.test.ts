import { stableStringify } from '../../../nodes/bulk/values';
import {
	isEmailAddress,
	optionalEmail,
	optionalLinkedinProfileUrl,
} from '../../../nodes/shared/field-schemas';
import { looksLikePhone, normalizePhone, toE164 } from '../../../nodes/contact/standard-contact';

describe('isEmailAddress', () => {
	it.each([
		'josé@example.com',
		'user@bücher.de',
		'a&b@example.com',
		'first.last+tag@sub.example.co.uk',
		"o'neil@example.ie",
	])('accepts %s', (address) => expect(isEmailAddress(address)).toBe(true));

	it.each([
		'not an email',
		'a@b',
		'@example.com',
		'a@@example.com',
		'a b@example.com',
		'.a@example.com',
		'a..b@example.com',
		'a@-x.com',
		'a@x.c',
		`${'a'.repeat(250)}@x.com`,
	])('refuses %s', (address) => expect(isEmailAddress(address)).toBe(false));

	it('the zod field lower-cases, trims and treats blanks as absent', () => {
		expect(optionalEmail.parse('  Ada@Example.COM ')).toBe('ada@example.com');
		expect(optionalEmail.parse('')).toBeUndefined();
		expect(optionalEmail.safeParse({ address: 'a@example.com' }).success).toBe(false);
	});
});

describe('phones', () => {
	it.each([
		['+1 (415) 555-0100', '+14155550100'],
		['0044 20 7946 0000', '+442079460000'],
		['14155550100', '+14155550100'],
		[14155550100, '+14155550100'],
		['+33 6 12 34 56 78', '+33612345678'],
	])('%s → %s', (raw, e164) => expect(toE164(raw)).toBe(e164));

	it('without a known country code there is no E.164, but the digits are kept', () => {
		expect(toE164('415 555 0100')).toBeUndefined();
		expect(normalizePhone('415 555 0100')).toBe('4155550100');
		expect(toE164('+0 123 4567')).toBeUndefined();
	});

	it('looksLikePhone wants 7 to 15 digits', () => {
		expect(looksLikePhone('555-0100')).toBe(true);
		expect(looksLikePhone('12345')).toBe(false);
		expect(looksLikePhone('+1234567890123456')).toBe(false);
		expect(looksLikePhone('call me')).toBe(false);
		expect(looksLikePhone({})).toBe(false);
	});
});

describe('LinkedIn profile URLs and stable identities', () => {
	it('accepts profile URLs with or without scheme or country prefix; refuses company pages and other hosts', () => {
		expect(optionalLinkedinProfileUrl.parse('https://www.linkedin.com/in/ada/')).toBe(
			'https://www.linkedin.com/in/ada/',
		);
		expect(optionalLinkedinProfileUrl.parse('fr.linkedin.com/in/ada')).toBe(
			'https://fr.linkedin.com/in/ada',
		);
		expect(
			optionalLinkedinProfileUrl.safeParse('https://www.linkedin.com/company/acme').success,
		).toBe(false);
		expect(
			optionalLinkedinProfileUrl.safeParse('https://evil.example/linkedin.com/in/ada').success,
		).toBe(false);
	});

	it('stableStringify ignores key order, keeps list order', () => {
		expect(stableStringify({ b: 1, a: { d: [2, 1], c: null } })).toBe(
			stableStringify({ a: { c: null, d: [2, 1] }, b: 1 }),
		);
		expect(stableStringify([1, 2])).not.toBe(stableStringify([2, 1]));
	});
});
