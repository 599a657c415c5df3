import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { FieldLabels } from '../../bulk/types';
import { isNotGiven } from '../../bulk/values';
import {
	blankToUndefined,
	identifierSetSchema,
	type LeftOutValues,
	optionalDomain,
	optionalLinkedinProfileUrl,
	optionalText,
	requiredText,
} from '../../shared/field-schemas';
import { CORRELATION_PREFIX } from './correlation';

export const ENRICHMENT_TYPES = ['email', 'phone', 'personal_email'] as const;
export type EnrichmentType = (typeof ENRICHMENT_TYPES)[number];

/** `custom` is echoed back by Pronto: kept small, and free of the keys the node adds itself. */
const MAX_CUSTOM_JSON_LENGTH = 4000;

const customObject = z.preprocess(
	(value) => {
		const given = blankToUndefined(value);
		if (typeof given !== 'string') return given;
		try {
			return JSON.parse(given) as unknown;
		} catch {
			return given; // left as text: refused below as "must be an object"
		}
	},
	z
		.record(z.unknown(), {
			invalid_type_error: 'must be an object, e.g. {{ { crm_id: $json.id } }}',
		})
		.superRefine((custom, context) => {
			const reserved = Object.keys(custom).find((key) => key.startsWith(CORRELATION_PREFIX));
			if (reserved) {
				context.addIssue({
					code: 'custom',
					message: `must not use the key "${reserved}": keys starting with "${CORRELATION_PREFIX}" are added by the node`,
				});
			}
			if (JSON.stringify(custom).length > MAX_CUSTOM_JSON_LENGTH) {
				context.addIssue({
					code: 'custom',
					message: `must be at most ${MAX_CUSTOM_JSON_LENGTH} characters as JSON`,
				});
			}
		})
		.optional(),
);

export interface ProntoContact {
	firstname: string;
	lastname: string;
	domain?: string;
	company_name?: string;
	linkedin_url?: string;
	custom?: IDataObject;
}

export const prontoContactLabels: FieldLabels = {
	firstname: 'First Name',
	lastname: 'Last Name',
	domain: 'Domain',
	company_name: 'Company Name',
	linkedin_url: 'LinkedIn URL',
	custom: 'Custom',
};

const OPTIONAL_FIELDS = ['domain', 'company_name', 'linkedin_url', 'custom'] as const;

/**
 * Email needs a company (Domain or Company Name), phone and personal email a LinkedIn URL. A
 * malformed value the type does not need (a LinkedIn URL for email, a Domain beside a valid Company
 * Name) is left out with a warning; one it needs is an error.
 */
export function prontoContactSchema(enrichmentType: EnrichmentType) {
	return identifierSetSchema({
		fields: {
			firstname: requiredText(100),
			lastname: requiredText(100),
			domain: optionalDomain,
			company_name: optionalText(200),
			linkedin_url: optionalLinkedinProfileUrl,
			custom: customObject,
		},
		labels: prontoContactLabels,
		// Names are always needed; `custom` is the user's way to join results back.
		strict: ['firstname', 'lastname', 'custom'],
		missing: (valid) => missingFor(enrichmentType, valid),
	}).transform(({ values, ignored }) => {
		const contact: Record<string, unknown> = {
			firstname: values.firstname,
			lastname: values.lastname,
		};
		for (const field of OPTIONAL_FIELDS) if (values[field]) contact[field] = values[field];
		if (ignored.length > 0) contact.ignored = ignored;
		return contact as unknown as ProntoContact & LeftOutValues;
	});
}

/** An enrichment id as Pronto returns it (a UUID); ids are used in URL paths, so nothing else passes. */
export const enrichmentIdSchema = z.object({
	enrichment_id: z.preprocess(
		blankToUndefined,
		z
			.string({
				required_error: 'is required (the enrichment_id Pronto returned)',
				invalid_type_error: 'must be text',
			})
			.trim()
			.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a Pronto enrichment id (letters, digits and dashes)'),
	),
});
export type EnrichmentIdInput = z.infer<typeof enrichmentIdSchema>;
export const enrichmentIdLabels: FieldLabels = { enrichment_id: 'Enrichment ID' };

/** "US, fr" → ["US", "FR"]; undefined when empty; throws a readable message when a code is not ISO 3166-1 alpha-2. */
export function parsePhoneCountryCodes(raw: unknown): string[] | undefined {
	if (isNotGiven(raw)) return undefined;
	const parts = (Array.isArray(raw) ? raw.map(String) : String(raw).split(/[\s,;]+/))
		.map((part) => part.trim())
		.filter(Boolean);
	const invalid = parts.filter((part) => !/^[A-Za-z]{2}$/.test(part));
	if (invalid.length > 0)
		throw new Error(`"${invalid.join('", "')}" is not a two-letter country code (e.g. US, FR)`);
	return parts.length > 0 ? [...new Set(parts.map((part) => part.toUpperCase()))] : undefined;
}

/** What the enrichment type needs and the item lacks (valid values only). */
function missingFor(enrichmentType: EnrichmentType, valid: Partial<Record<string, unknown>>) {
	if (enrichmentType === 'email') {
		if (valid.domain || valid.company_name) return undefined;
		return {
			field: 'domain' as const,
			message: 'give a Domain or a Company Name for email enrichment',
			candidates: ['domain' as const, 'company_name' as const],
		};
	}
	if (valid.linkedin_url) return undefined;
	const type = enrichmentType === 'phone' ? 'phone' : 'personal email';
	return { field: 'linkedin_url' as const, message: `is required for ${type} enrichment` };
}
