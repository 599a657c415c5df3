import { z } from 'zod';

import type { FieldLabels } from '../../bulk/types';
import {
	blankToUndefined,
	identifierSetSchema,
	type LeftOutValues,
	MAX_TEXT_LENGTH,
	optionalDomain,
	optionalEmail,
	optionalLinkedinProfileUrl,
	optionalPhone,
	optionalText,
} from '../../shared/field-schemas';

// Explorium's ids are lowercase hexadecimal, of one length per kind.
const ID_LENGTH = { prospect: 40, business: 32 };
export const idPattern = (what: keyof typeof ID_LENGTH) =>
	new RegExp(`^[0-9a-f]{${ID_LENGTH[what]}}$`);

// zod's own trim/toLowerCase steps: several times cheaper per item than a preprocess function.
const hexId = (what: keyof typeof ID_LENGTH) =>
	z
		.string({
			required_error: `is required (the ${what} id from a match)`,
			invalid_type_error: `must be a text ${what} id`,
		})
		.trim()
		.toLowerCase()
		.regex(
			idPattern(what),
			`must be ${ID_LENGTH[what]} hexadecimal characters (an Explorium ${what} id)`,
		);

export const prospectIdSchema = z.object({ prospect_id: hexId('prospect') });
export type ProspectIdInput = z.infer<typeof prospectIdSchema>;
export const prospectIdLabels: FieldLabels = { prospect_id: 'Prospect ID' };

export const businessIdSchema = z.object({ business_id: hexId('business') });
export type BusinessIdInput = z.infer<typeof businessIdSchema>;
export const businessIdLabels: FieldLabels = { business_id: 'Business ID' };

const optionalBusinessId = z.preprocess(blankToUndefined, hexId('business').optional());

const LINKEDIN_COMPANY =
	/^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/(?:company|school|showcase)\/[^\s/?#]+/i;
const optionalLinkedinCompanyUrl = z.preprocess(
	blankToUndefined,
	z
		.string({ invalid_type_error: 'must be text' })
		.trim()
		.max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`)
		.regex(LINKEDIN_COMPANY, 'must be a LinkedIn company URL (linkedin.com/company/…)')
		.optional(),
);

/** One element of a match list: each labelled field as text (plus what was left out, never sent). */
type MatchInput<Labels> = LeftOutValues & { [field in keyof Labels]?: string };

const withIgnored = <T extends LeftOutValues>(
	values: Partial<Record<string, unknown>>,
	ignored: string[],
) => ({ ...values, ...(ignored.length > 0 ? { ignored } : {}) }) as unknown as T;

export const prospectMatchLabels = {
	email: 'Email',
	phone_number: 'Phone',
	linkedin: 'LinkedIn URL',
	full_name: 'Full Name',
	company_name: 'Company Name',
	business_id: 'Business ID',
} satisfies FieldLabels;
export type ProspectMatchInput = MatchInput<typeof prospectMatchLabels>;

export const prospectMatchSchema = identifierSetSchema({
	fields: {
		email: optionalEmail,
		phone_number: optionalPhone,
		linkedin: optionalLinkedinProfileUrl,
		full_name: optionalText(200),
		company_name: optionalText(200),
		business_id: optionalBusinessId,
	},
	labels: prospectMatchLabels,
	missing: (valid) => {
		if (valid.email || valid.phone_number || valid.linkedin) return undefined;
		if (valid.full_name && valid.company_name) return undefined;
		if (valid.full_name)
			return { field: 'company_name', message: 'is required together with Full Name' };
		return {
			field: 'email',
			message: 'give at least one of Email, Phone, LinkedIn URL, or Full Name with Company Name',
			candidates: ['email', 'phone_number', 'linkedin', 'full_name', 'company_name'],
		};
	},
}).transform(({ values, ignored }): ProspectMatchInput => withIgnored(values, ignored));

export const businessMatchLabels = {
	name: 'Company Name',
	domain: 'Domain',
	url: 'Website URL',
	linkedin_url: 'LinkedIn URL',
} satisfies FieldLabels;
export type BusinessMatchInput = MatchInput<typeof businessMatchLabels>;

export const businessMatchSchema = identifierSetSchema({
	fields: {
		name: optionalText(200),
		domain: optionalDomain,
		url: optionalText(),
		linkedin_url: optionalLinkedinCompanyUrl,
	},
	labels: businessMatchLabels,
	missing: (valid) =>
		valid.name || valid.domain || valid.url || valid.linkedin_url
			? undefined
			: {
					field: 'name',
					message: 'give at least one of Company Name, Domain, Website URL or LinkedIn URL',
					candidates: ['name', 'domain', 'url', 'linkedin_url'],
				},
}).transform(({ values, ignored }): BusinessMatchInput => withIgnored(values, ignored));
