/**
 * One rule for every node (issue 16): a malformed value the operation does not need is left out of
 * the request with a warning naming the field; a malformed value it needs is an error naming it.
 */
import { validateInput } from '../../../nodes/bulk/operation';
import {
	exactBuyerLookupLabels,
	exactBuyerLookupSchema,
} from '../../../nodes/ExactBuyer/adapter/schemas';
import {
	businessMatchLabels,
	businessMatchSchema,
	prospectMatchLabels,
	prospectMatchSchema,
} from '../../../nodes/Explorium/adapter/schemas';
import {
	prontoContactLabels,
	prontoContactSchema,
} from '../../../nodes/Pronto/actions/contact/contact-fields';

const pronto = (type: 'email' | 'phone' | 'personal_email', raw: Record<string, unknown>) =>
	validateInput(prontoContactSchema(type), raw, prontoContactLabels);
const BAD_LINKEDIN = 'linkedin.com/company/acme';
const LINKEDIN_WARNING = `LinkedIn URL left out: must be a LinkedIn profile URL (linkedin.com/in/…) (got "${BAD_LINKEDIN}")`;

describe('Pronto contact', () => {
	it('email enrichment does not need the LinkedIn URL: a malformed one is left out, with a warning', () => {
		expect(
			pronto('email', {
				firstname: 'Ada',
				lastname: 'Lovelace',
				domain: 'acme.com',
				linkedin_url: BAD_LINKEDIN,
			}),
		).toEqual({
			kind: 'valid',
			value: { firstname: 'Ada', lastname: 'Lovelace', domain: 'acme.com' },
			warnings: [LINKEDIN_WARNING],
		});
	});

	it.each(['phone', 'personal_email'] as const)(
		'%s enrichment needs it: a malformed LinkedIn URL is an error naming the field',
		(type) => {
			expect(
				pronto(type, { firstname: 'Ada', lastname: 'Lovelace', linkedin_url: BAD_LINKEDIN }),
			).toEqual({
				kind: 'invalid',
				field: 'linkedin_url',
				message: `LinkedIn URL: must be a LinkedIn profile URL (linkedin.com/in/…) (got "${BAD_LINKEDIN}")`,
			});
		},
	);

	it('email with a valid Company Name does not need the Domain: a malformed one is left out', () => {
		expect(
			pronto('email', {
				firstname: 'Ada',
				lastname: 'Lovelace',
				domain: 'not a domain',
				company_name: 'Acme',
			}),
		).toEqual({
			kind: 'valid',
			value: { firstname: 'Ada', lastname: 'Lovelace', company_name: 'Acme' },
			warnings: ['Domain left out: must be a domain such as acme.com (got "not a domain")'],
		});
	});

	it('email with only a malformed Domain: an error naming the Domain and its problem', () => {
		expect(
			pronto('email', { firstname: 'Ada', lastname: 'Lovelace', domain: 'not a domain' }),
		).toMatchObject({
			kind: 'invalid',
			field: 'domain',
			message: 'Domain: must be a domain such as acme.com (got "not a domain")',
		});
	});

	it('phone does not need the Domain: a malformed one is left out, the LinkedIn URL is sent', () => {
		expect(
			pronto('phone', {
				firstname: 'Ada',
				lastname: 'Lovelace',
				domain: 'x',
				linkedin_url: 'linkedin.com/in/ada',
			}),
		).toEqual({
			kind: 'valid',
			value: {
				firstname: 'Ada',
				lastname: 'Lovelace',
				linkedin_url: 'https://linkedin.com/in/ada',
			},
			warnings: ['Domain left out: must be a domain such as acme.com (got "x")'],
		});
	});

	it('phone without a LinkedIn URL names the LinkedIn URL, not another malformed field', () => {
		expect(pronto('phone', { firstname: 'Ada', lastname: 'Lovelace', domain: 'x' })).toMatchObject({
			kind: 'invalid',
			field: 'linkedin_url',
			message: 'LinkedIn URL: is required for phone enrichment (no value)',
		});
	});

	it.each<[string, Record<string, unknown>, string]>([
		[
			'a first name that is an object',
			{ firstname: { a: 1 }, lastname: 'L', domain: 'acme.com' },
			'firstname',
		],
		['no last name', { firstname: 'Ada', domain: 'acme.com' }, 'lastname'],
		[
			'a custom that is not an object',
			{ firstname: 'Ada', lastname: 'L', domain: 'acme.com', custom: 'crm-1' },
			'custom',
		],
	])('always needed: %s is an error', (_, raw, field) => {
		expect(pronto('email', raw)).toMatchObject({ kind: 'invalid', field });
	});
});

describe('ExactBuyer single Enrich', () => {
	const lookup = (raw: Record<string, unknown>) =>
		validateInput(exactBuyerLookupSchema, raw, exactBuyerLookupLabels);

	it('the details only help the look-up: a malformed Company Domain is left out with a warning', () => {
		expect(
			lookup({
				field_type: 'email',
				value: 'ada@acme.com',
				company_domain: 'not a domain',
				first_name: 'Ada',
			}),
		).toEqual({
			kind: 'valid',
			value: { field_type: 'email', value: 'ada@acme.com', first_name: 'Ada' },
			warnings: ['Company Domain left out: must be a domain such as acme.com (got "not a domain")'],
		});
	});

	it('the identifier is needed: a malformed Value is an error naming it', () => {
		expect(lookup({ field_type: 'email', value: '@@', company_domain: 'acme.com' })).toMatchObject({
			kind: 'invalid',
			field: 'value',
		});
	});
});

describe('Explorium Match', () => {
	it('a malformed email beside a valid name and company: matched on the rest, the email named', () => {
		expect(
			validateInput(
				prospectMatchSchema,
				{ email: '@@', full_name: 'Ada Lovelace', company_name: 'Acme' },
				prospectMatchLabels,
			),
		).toEqual({
			kind: 'valid',
			value: { full_name: 'Ada Lovelace', company_name: 'Acme' },
			warnings: ['Email left out: must be an email address (got "@@")'],
		});
	});

	it('a malformed Company Name beside a Full Name is the error (it is needed)', () => {
		expect(
			validateInput(
				prospectMatchSchema,
				{ full_name: 'Ada', company_name: { x: 1 }, phone_number: 'abc' },
				prospectMatchLabels,
			),
		).toMatchObject({
			kind: 'invalid',
			field: 'company_name',
			message: 'Company Name: must be text (got {"x":1})',
		});
	});

	it('a business with a malformed domain beside a name: left out with a warning', () => {
		expect(
			validateInput(businessMatchSchema, { name: 'Acme', domain: 'nope' }, businessMatchLabels),
		).toEqual({
			kind: 'valid',
			value: { name: 'Acme' },
			warnings: ['Domain left out: must be a domain such as acme.com (got "nope")'],
		});
	});
});
