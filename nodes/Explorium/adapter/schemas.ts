import { z } from 'zod';

import type { FieldLabels } from '../../bulk/validate-input';

/** Blank strings, null and undefined all mean "not given" for optional inputs. */
const optionalText = z.preprocess(
	(value) => (value === null || value === undefined || (typeof value === 'string' && value.trim() === '') ? undefined : value),
	z.coerce.string().trim().optional(),
);

// zod's own trim/toLowerCase steps: several times cheaper per item than a preprocess function.
const hexId = (length: number, what: string) =>
	z
		.string({ required_error: `is required (the ${what} id from a match)`, invalid_type_error: `must be a text ${what} id` })
		.trim()
		.toLowerCase()
		.regex(new RegExp(`^[0-9a-f]{${length}}$`), `must be ${length} hexadecimal characters (an Explorium ${what} id)`);

export const prospectIdSchema = z.object({ prospect_id: hexId(40, 'prospect') });
export type ProspectIdInput = z.infer<typeof prospectIdSchema>;
export const prospectIdLabels: FieldLabels = { prospect_id: 'Prospect ID' };

export const businessIdSchema = z.object({ business_id: hexId(32, 'business') });
export type BusinessIdInput = z.infer<typeof businessIdSchema>;
export const businessIdLabels: FieldLabels = { business_id: 'Business ID' };

const optionalBusinessId = z.preprocess(
	(value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value ?? undefined),
	z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hexadecimal characters (an Explorium business id)').optional(),
);

/** Person details for POST /v1/prospects/match. */
export const prospectMatchSchema = z
	.object({
		email: optionalText.pipe(z.string().email('must be an email address').toLowerCase().optional()),
		phone_number: optionalText,
		linkedin: optionalText.pipe(
			z.string().regex(/linkedin\.com\//i, 'must be a LinkedIn profile URL').optional(),
		),
		full_name: optionalText,
		company_name: optionalText,
		business_id: optionalBusinessId,
	})
	.superRefine((input, context) => {
		if (input.full_name && !input.company_name) {
			context.addIssue({ code: 'custom', path: ['company_name'], message: 'is required together with Full Name' });
			return;
		}
		if (!input.email && !input.phone_number && !input.linkedin && !input.full_name) {
			context.addIssue({
				code: 'custom',
				path: ['email'],
				message: 'give at least one of Email, Phone, LinkedIn URL, or Full Name with Company Name',
			});
		}
	})
	.transform((input) => dropUndefined(input) as ProspectMatchInput);

/** The fields of one element of `prospects_to_match`. */
export interface ProspectMatchInput {
	email?: string;
	phone_number?: string;
	linkedin?: string;
	full_name?: string;
	company_name?: string;
	business_id?: string;
}
export const prospectMatchLabels: FieldLabels = {
	email: 'Email',
	phone_number: 'Phone',
	linkedin: 'LinkedIn URL',
	full_name: 'Full Name',
	company_name: 'Company Name',
	business_id: 'Business ID',
};

/** Company details for POST /v1/businesses/match. */
export const businessMatchSchema = z
	.object({
		name: optionalText,
		domain: optionalText,
		url: optionalText,
		linkedin_url: optionalText.pipe(
			z.string().regex(/linkedin\.com\//i, 'must be a LinkedIn company URL').optional(),
		),
	})
	.superRefine((input, context) => {
		if (!input.name && !input.domain && !input.url && !input.linkedin_url) {
			context.addIssue({
				code: 'custom',
				path: ['name'],
				message: 'give at least one of Company Name, Domain, Website URL or LinkedIn URL',
			});
		}
	})
	.transform((input) => dropUndefined(input) as BusinessMatchInput);

/** The fields of one element of `businesses_to_match`. */
export interface BusinessMatchInput {
	name?: string;
	domain?: string;
	url?: string;
	linkedin_url?: string;
}
export const businessMatchLabels: FieldLabels = {
	name: 'Company Name',
	domain: 'Domain',
	url: 'Website URL',
	linkedin_url: 'LinkedIn URL',
};

function dropUndefined(input: Record<string, unknown>): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(input)) if (value !== undefined) result[key] = value;
	return result;
}
