import type { IDataObject } from 'n8n-workflow';

import { fillStandardFields } from '../../../nodes/contact/contact-part';
import { asRecord as record, isBlank } from '../../../nodes/bulk/values';
import {
	domainText,
	emailText,
	linkedinUrlText,
	list,
	phoneText,
	SOURCE_FIELD,
	STANDARD_CONTACT_FIELDS,
	text,
} from '../../../nodes/contact/standard-contact';

describe('isBlank', () => {
	it.each<[string, unknown]>([
		['undefined', undefined],
		['null', null],
		['empty text', ''],
		['whitespace', '  \t\n '],
		['an empty list', []],
		['an empty object', {}],
	])('%s is blank', (_, value) => {
		expect(isBlank(value)).toBe(true);
	});

	it.each<[string, unknown]>([
		['text', 'a'],
		['text with spaces around', ' a '],
		['0', 0],
		['false', false],
		['a list of one blank', ['']],
		['an object with a key', { a: null }],
	])('%s is not blank', (_, value) => {
		expect(isBlank(value)).toBe(false);
	});
});

describe('text', () => {
	it.each<[unknown, string | null]>([
		['  Ada Lovelace ', 'Ada Lovelace'],
		['x', 'x'],
		['', null],
		['   ', null],
		[42, '42'],
		[0, '0'],
		[Number.NaN, null],
		[Number.POSITIVE_INFINITY, null],
		[true, null],
		[null, null],
		[undefined, null],
		[['a'], null],
		[{ a: 1 }, null],
	])('%p → %p', (value, expected) => {
		expect(text(value)).toBe(expected);
	});
});

describe('emailText', () => {
	it('trims and lower-cases', () => {
		expect(emailText('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
	});

	it('anything not text is null', () => {
		expect(emailText('')).toBeNull();
		expect(emailText(null)).toBeNull();
		expect(emailText({ email: 'a@example.com' })).toBeNull();
	});
});

describe('phoneText', () => {
	it.each<[unknown, string | null]>([
		['+1 (415) 555-0100', '+14155550100'],
		['0044 20 7946 0000', '+442079460000'],
		['1 415 555 0100', '+14155550100'],
		[14155550100, '+14155550100'],
		// No country code: kept as the provider wrote it (trimmed).
		['  415 555 0100 ', '415 555 0100'],
		['ext. 12', 'ext. 12'],
		['', null],
		[null, null],
		[undefined, null],
	])('%p → %p', (value, expected) => {
		expect(phoneText(value)).toBe(expected);
	});
});

describe('linkedinUrlText', () => {
	const canonical = 'https://www.linkedin.com/in/x';

	it.each([
		'https://www.linkedin.com/in/x',
		'https://www.linkedin.com/in/x/',
		'http://www.linkedin.com/in/x',
		'https://linkedin.com/in/x',
		'HTTPS://LinkedIn.com/in/x//',
		'www.linkedin.com/in/x',
		'linkedin.com/in/x',
		'linkedin.com/in/x/',
		'  linkedin.com/in/x  ',
		'uk.linkedin.com/in/x',
	])('%s → https://www.linkedin.com/in/x', (value) => {
		expect(linkedinUrlText(value)).toBe(canonical);
	});

	it('keeps the path as written (a company page stays a company page)', () => {
		expect(linkedinUrlText('linkedin.com/company/acme')).toBe(
			'https://www.linkedin.com/company/acme',
		);
	});

	it.each([
		'https://example.com/in/x',
		'x',
		'/in/x',
		'notlinkedin.com/in/x',
		'linkedin.com.example.org/in/x',
	])('a value that is not a LinkedIn URL stays as it is: %s', (value) => {
		expect(linkedinUrlText(value)).toBe(value);
	});

	it('blank or not text is null', () => {
		expect(linkedinUrlText('  ')).toBeNull();
		expect(linkedinUrlText(null)).toBeNull();
		expect(linkedinUrlText(7)).toBe('7');
	});
});

describe('domainText', () => {
	it.each<[unknown, string | null]>([
		['https://www.acme.com/about', 'acme.com'],
		['ACME.com', 'acme.com'],
		['http://acme.com', 'acme.com'],
		['www.Acme.com', 'acme.com'],
		['acme.com/', 'acme.com'],
		['https://acme.com:8443/x?y=1', 'acme.com'],
		['acme.com?ref=1', 'acme.com'],
		['acme.com#top', 'acme.com'],
		['https://shop.acme.co.uk/', 'shop.acme.co.uk'],
		['  acme.com  ', 'acme.com'],
		['https://', null],
		['', null],
		[null, null],
	])('%p → %p', (value, expected) => {
		expect(domainText(value)).toBe(expected);
	});
});

describe('record and list', () => {
	it('record keeps an object, anything else is {}', () => {
		const object = { a: 1 };
		expect(record(object)).toBe(object);
		expect(record([1])).toEqual({});
		expect(record(null)).toEqual({});
		expect(record('a')).toEqual({});
	});

	it('list keeps a list (its non-objects as {}), anything else is []', () => {
		expect(list([{ a: 1 }, 'b', null])).toEqual([{ a: 1 }, {}, {}]);
		expect(list({ a: 1 })).toEqual([]);
		expect(list(undefined)).toEqual([]);
	});
});

describe('STANDARD_CONTACT_FIELDS', () => {
	it('are the twelve fields every contact operation writes', () => {
		expect(STANDARD_CONTACT_FIELDS).toEqual([
			'email',
			'email_status',
			'personal_email',
			'phone',
			'mobile_phone',
			'linkedin_url',
			'full_name',
			'first_name',
			'last_name',
			'job_title',
			'company_name',
			'company_domain',
		]);
		expect(SOURCE_FIELD).toBe('enrichment_source');
	});
});

describe('fillStandardFields', () => {
	it('fills blank fields and records the provider for each field it filled', () => {
		const output: IDataObject = { row: 1 };
		const result = fillStandardFields(
			output,
			{ row: 1 },
			{ email: 'ada@example.com', phone: '+14155550100' },
			'Explorium',
		);
		expect(result).toBe(output);
		expect(output).toEqual({
			row: 1,
			email: 'ada@example.com',
			phone: '+14155550100',
			enrichment_source: { email: 'Explorium', phone: 'Explorium' },
		});
	});

	it("never overwrites the input's non-empty value, and does not credit the provider for it", () => {
		const input = { email: 'own@example.com', phone: '' };
		const output: IDataObject = { ...input };
		fillStandardFields(
			output,
			input,
			{ email: 'other@example.com', phone: '+14155550100' },
			'ExactBuyer',
		);
		expect(output).toEqual({
			email: 'own@example.com',
			phone: '+14155550100',
			enrichment_source: { phone: 'ExactBuyer' },
			// The provider's value is not lost: it is shown beside the input's.
			enrichment_conflicts: { email: 'other@example.com' },
		});
	});

	it.each<[string, unknown]>([
		['null', null],
		['whitespace', '  '],
		['an empty list', []],
		['an empty object', {}],
	])('an input value that is %s is filled', (_, blank) => {
		const input: IDataObject = { job_title: blank as IDataObject[string] };
		const output: IDataObject = { ...input };
		fillStandardFields(output, input, { job_title: 'CTO' }, 'Explorium');
		expect(output).toEqual({ job_title: 'CTO', enrichment_source: { job_title: 'Explorium' } });
	});

	it('looks at the input, not the output: a provider field already merged into the output is replaced by the standard value', () => {
		// e.g. Pronto's own `email` landed in the output; the standard (lower-cased) value goes on top.
		const output: IDataObject = { email: 'Ada@Example.com' };
		fillStandardFields(output, {}, { email: 'ada@example.com' }, 'Pronto');
		expect(output).toEqual({ email: 'ada@example.com', enrichment_source: { email: 'Pronto' } });
	});

	it('null and undefined standard values are ignored (the provider did not say)', () => {
		const output: IDataObject = { row: 2 };
		fillStandardFields(
			output,
			{ row: 2 },
			{ email: null, phone: undefined, full_name: 'Ada Lovelace' },
			'Explorium',
		);
		expect(output).toEqual({
			row: 2,
			full_name: 'Ada Lovelace',
			enrichment_source: { full_name: 'Explorium' },
		});
		expect(output).not.toHaveProperty('email');
		expect(output).not.toHaveProperty('phone');
	});

	it('adds no enrichment_source when it filled nothing', () => {
		const output: IDataObject = { email: 'own@example.com' };
		fillStandardFields(
			output,
			{ email: 'own@example.com' },
			{ email: 'Own@Example.com', phone: null },
			'Explorium',
		);
		expect(output).toEqual({ email: 'own@example.com' });
	});

	it("merges with an earlier provider's enrichment_source already on the output, keeping what it recorded", () => {
		const input = { email: 'ada@example.com', enrichment_source: { email: 'Explorium' } };
		const output: IDataObject = { ...input };
		fillStandardFields(
			output,
			input,
			{ email: 'other@example.com', phone: '+14155550100' },
			'ExactBuyer',
		);
		expect(output).toEqual({
			email: 'ada@example.com',
			phone: '+14155550100',
			enrichment_source: { email: 'Explorium', phone: 'ExactBuyer' },
			enrichment_conflicts: { email: 'other@example.com' },
		});
		// The input's own object is not changed.
		expect(input.enrichment_source).toEqual({ email: 'Explorium' });
	});

	it('a field the input lacks but the earlier source names (removed since) is credited to the new provider', () => {
		const output: IDataObject = { enrichment_source: { phone: 'Pronto' } };
		fillStandardFields(output, {}, { phone: '+14155550100' }, 'ExactBuyer');
		expect(output.enrichment_source).toEqual({ phone: 'ExactBuyer' });
	});

	it('an enrichment_source that is not an object is replaced', () => {
		const output: IDataObject = { enrichment_source: 'Explorium' };
		fillStandardFields(output, {}, { email: 'a@example.com' }, 'Pronto');
		expect(output.enrichment_source).toEqual({ email: 'Pronto' });
	});

	it('ignores fields that are not standard', () => {
		const output: IDataObject = {};
		fillStandardFields(output, {}, { email: 'a@example.com', nickname: 'Ada' } as never, 'Pronto');
		expect(output).toEqual({ email: 'a@example.com', enrichment_source: { email: 'Pronto' } });
	});
});
