import { validateInput } from '../../../nodes/bulk/operation';
import {
	businessIdLabels,
	businessIdSchema,
	businessMatchLabels,
	businessMatchSchema,
	prospectIdLabels,
	prospectIdSchema,
	prospectMatchLabels,
	prospectMatchSchema,
} from '../../../nodes/Explorium/adapter/schemas';
import { businessId, prospectId } from '../bulk/helpers';

const HEX_40 = 'must be 40 hexadecimal characters (an Explorium prospect id)';
const HEX_32 = 'must be 32 hexadecimal characters (an Explorium business id)';

describe('prospect id', () => {
	const read = (value: unknown) =>
		validateInput(prospectIdSchema, { prospect_id: value }, prospectIdLabels);
	const id = prospectId(42);

	it('accepts 40 hex characters, trimmed and lower-cased', () => {
		expect(read(id)).toEqual({ kind: 'valid', value: { prospect_id: id } });
		expect(read(`  ${id.toUpperCase()}\n`)).toEqual({ kind: 'valid', value: { prospect_id: id } });
	});

	it.each<[string, unknown, string]>([
		['null', null, 'Prospect ID: must be a text prospect id (got null)'],
		['missing', undefined, 'Prospect ID: is required (the prospect id from a match) (no value)'],
		['empty', '', `Prospect ID: ${HEX_40} (got "")`],
		['blank', '   ', `Prospect ID: ${HEX_40} (got "   ")`],
		['short', id.slice(0, 39), `Prospect ID: ${HEX_40} (got "${id.slice(0, 39)}")`],
		['long', `${id}a`, `Prospect ID: ${HEX_40} (got "${id}a")`],
		['not hex', 'g'.repeat(40), `Prospect ID: ${HEX_40} (got "${'g'.repeat(40)}")`],
		['a business id', businessId(1), `Prospect ID: ${HEX_40} (got "${businessId(1)}")`],
		['a number', 12345, 'Prospect ID: must be a text prospect id (got 12345)'],
		['an object', { id }, `Prospect ID: must be a text prospect id (got {"id":"${id}"})`],
	])('rejects %s with the label and the reason', (_, value, message) => {
		expect(read(value)).toMatchObject({ kind: 'invalid', field: 'prospect_id', message });
	});

	it('shortens a long received value in the message', () => {
		const slot = read('x'.repeat(200));
		expect(slot).toEqual({
			kind: 'invalid',
			field: 'prospect_id',
			message: `Prospect ID: ${HEX_40} (got "${'x'.repeat(76)}...)`,
		});
	});
});

describe('business id', () => {
	const read = (value: unknown) =>
		validateInput(businessIdSchema, { business_id: value }, businessIdLabels);

	it('accepts 32 hex characters, trimmed and lower-cased, and rejects the rest', () => {
		const id = businessId(7);
		expect(read(` ${id.toUpperCase()} `)).toEqual({ kind: 'valid', value: { business_id: id } });
		expect(read(prospectId(1))).toEqual({
			kind: 'invalid',
			field: 'business_id',
			message: `Business ID: ${HEX_32} (got "${prospectId(1)}")`,
		});
		expect(read(null)).toEqual({
			kind: 'invalid',
			field: 'business_id',
			message: 'Business ID: must be a text business id (got null)',
		});
	});
});

describe('person details (prospect match)', () => {
	const read = (raw: Record<string, unknown>) =>
		validateInput(prospectMatchSchema, raw, prospectMatchLabels);
	const AT_LEAST_ONE =
		'give at least one of Email, Phone, LinkedIn URL, or Full Name with Company Name';

	it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
		[
			'an email alone, lower-cased so that case variants are sent once',
			{ email: ' Jane@Example.com ' },
			{ email: 'jane@example.com' },
			[],
		],
		[
			'a phone alone (a number becomes E.164 text)',
			{ phone_number: 14155550100 },
			{ phone_number: '+14155550100' },
			[],
		],
		[
			'international addresses',
			{ email: 'José@Bücher.de' },
			{ email: 'josé@xn--bcher-kva.de' },
			[],
		],
		[
			'an address in NFD with a punycode domain',
			{ email: 'Jose\u0301@xn--bcher-kva.de' },
			{ email: 'josé@xn--bcher-kva.de' },
			[],
		],
		['an address with &', { email: 'a&b@example.com' }, { email: 'a&b@example.com' }, []],
		[
			'a bad email beside a good phone: the phone is used, the email left out with a warning',
			{ email: 'jane-at-example', phone_number: '+1 415 555 0100' },
			{ phone_number: '+14155550100' },
			['Email left out: must be an email address (got "jane-at-example")'],
		],
		[
			'a bad business id beside an email: left out with a warning',
			{ email: 'jane@example.com', business_id: 'acme' },
			{ email: 'jane@example.com' },
			[`Business ID left out: ${HEX_32} (got "acme")`],
		],
		[
			'a LinkedIn URL alone',
			{ linkedin: 'https://www.LinkedIn.com/in/jane-doe' },
			{ linkedin: 'https://www.LinkedIn.com/in/jane-doe' },
			[],
		],
		[
			'full name with company',
			{ full_name: 'Jane Doe', company_name: 'Acme' },
			{ full_name: 'Jane Doe', company_name: 'Acme' },
			[],
		],
		[
			'blanks and nulls dropped, business id lower-cased',
			{
				email: 'jane@example.com',
				phone_number: '  ',
				linkedin: null,
				full_name: '',
				business_id: businessId(3).toUpperCase(),
			},
			{ email: 'jane@example.com', business_id: businessId(3) },
			[],
		],
	])('accepts %s', (_, raw, value, warnings) => {
		expect(read(raw)).toEqual(
			warnings.length > 0 ? { kind: 'valid', value, warnings } : { kind: 'valid', value },
		);
	});

	it('a malformed email beside a valid name and company: matched on the rest, the email named in a warning', () => {
		expect(
			read({ email: 'company page@acme.com', full_name: 'Jane Doe', company_name: 'Acme' }),
		).toEqual({
			kind: 'valid',
			value: { full_name: 'Jane Doe', company_name: 'Acme' },
			warnings: ['Email left out: must be an email address (got "company page@acme.com")'],
		});
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		[
			'full name without company',
			{ full_name: 'Jane Doe' },
			'company_name',
			'Company Name: is required together with Full Name (no value)',
		],
		[
			'full name with a blank company',
			{ full_name: 'Jane Doe', company_name: ' ' },
			'company_name',
			'Company Name: is required together with Full Name (got " ")',
		],
		['nothing at all', {}, 'email', `Email: ${AT_LEAST_ONE} (no value)`],
		[
			'only blanks',
			{ email: '', phone_number: ' ', linkedin: null },
			'email',
			`Email: ${AT_LEAST_ONE} (got "")`,
		],
		[
			'only company and business id',
			{ company_name: 'Acme', business_id: businessId(1) },
			'email',
			`Email: ${AT_LEAST_ONE} (no value)`,
		],
		[
			'a malformed email',
			{ email: 'jane-at-example' },
			'email',
			'Email: must be an email address (got "jane-at-example")',
		],
		[
			'a non-LinkedIn URL',
			{ linkedin: 'https://example.com/in/jane' },
			'linkedin',
			'LinkedIn URL: must be a LinkedIn profile URL (linkedin.com/in/…) (got "https://example.com/in/jane")',
		],
		[
			'an object instead of text',
			{ email: { address: 'a@example.com' } },
			'email',
			'Email: must be text (got {"address":"a@example.com"})',
		],
		[
			'a list instead of text',
			{ full_name: ['Acme', 'Beta'], company_name: 'Acme' },
			'full_name',
			'Full Name: must be text (got ["Acme","Beta"])',
		],
		[
			'a 10 000-character value',
			{ email: `${'a'.repeat(10_000)}@example.com` },
			'email',
			`Email: must be at most 254 characters (got "${'a'.repeat(76)}...)`,
		],
	])('rejects %s, naming the field', (_, raw, field, message) => {
		expect(read(raw)).toMatchObject({ kind: 'invalid', field, message });
	});
});

describe('company details (business match)', () => {
	const read = (raw: Record<string, unknown>) =>
		validateInput(businessMatchSchema, raw, businessMatchLabels);

	it.each<[Record<string, unknown>, Record<string, unknown>]>([
		[{ name: ' Apple ' }, { name: 'Apple' }],
		[{ domain: 'apple.com', url: '' }, { domain: 'apple.com' }],
		[{ url: 'https://www.apple.com' }, { url: 'https://www.apple.com' }],
		[
			{ linkedin_url: 'https://linkedin.com/company/apple' },
			{ linkedin_url: 'https://linkedin.com/company/apple' },
		],
	])('accepts %j', (raw, value) => {
		expect(read(raw)).toEqual({ kind: 'valid', value });
	});

	it('needs at least one identifier', () => {
		expect(read({ name: '', domain: null })).toMatchObject({
			kind: 'invalid',
			field: 'name',
			message:
				'Company Name: give at least one of Company Name, Domain, Website URL or LinkedIn URL (got "")',
		});
	});

	it('a LinkedIn URL that is not LinkedIn: left out beside a name, refused alone', () => {
		expect(read({ name: 'Apple', linkedin_url: 'https://apple.com' })).toEqual({
			kind: 'valid',
			value: { name: 'Apple' },
			warnings: [
				'LinkedIn URL left out: must be a LinkedIn company URL (linkedin.com/company/…) (got "https://apple.com")',
			],
		});
		expect(read({ linkedin_url: 'https://apple.com' })).toEqual({
			kind: 'invalid',
			field: 'linkedin_url',
			message:
				'LinkedIn URL: must be a LinkedIn company URL (linkedin.com/company/…) (got "https://apple.com")',
		});
	});
});
