import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { FieldLabels } from '../../bulk/validate-input';
import {
	blankToUndefined,
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
		.record(z.unknown(), { invalid_type_error: 'must be an object, e.g. {{ { crm_id: $json.id } }}' })
		.superRefine((custom, context) => {
			const reserved = Object.keys(custom).find((key) => key.startsWith(CORRELATION_PREFIX));
			if (reserved) {
				context.addIssue({ code: 'custom', message: `must not use the key "${reserved}": keys starting with "${CORRELATION_PREFIX}" are added by the node` });
			}
			if (JSON.stringify(custom).length > MAX_CUSTOM_JSON_LENGTH) {
				context.addIssue({ code: 'custom', message: `must be at most ${MAX_CUSTOM_JSON_LENGTH} characters as JSON` });
			}
		})
		.optional(),
);

/** One contact as Pronto's bulk and single endpoints take it. */
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

/** What Pronto needs for each enrichment type: email needs a company, phone and personal email a profile. */
export function prontoContactSchema(enrichmentType: EnrichmentType) {
	return z
		.object({
			firstname: requiredText(100),
			lastname: requiredText(100),
			domain: optionalDomain,
			company_name: optionalText(200),
			linkedin_url: optionalLinkedinProfileUrl,
			custom: customObject,
		})
		.superRefine((contact, context) => {
			if (enrichmentType === 'email' && !contact.domain && !contact.company_name) {
				context.addIssue({ code: 'custom', path: ['domain'], message: 'give a Domain or a Company Name for email enrichment' });
			}
			if (enrichmentType !== 'email' && !contact.linkedin_url) {
				context.addIssue({
					code: 'custom',
					path: ['linkedin_url'],
					message: `is required for ${enrichmentType === 'phone' ? 'phone' : 'personal email'} enrichment`,
				});
			}
		})
		.transform((contact): ProntoContact => {
			const result: ProntoContact = { firstname: contact.firstname, lastname: contact.lastname };
			if (contact.domain) result.domain = contact.domain;
			if (contact.company_name) result.company_name = contact.company_name;
			if (contact.linkedin_url) result.linkedin_url = contact.linkedin_url;
			if (contact.custom) result.custom = contact.custom as IDataObject;
			return result;
		});
}

/** An enrichment id as Pronto returns it (a UUID); ids are used in URL paths, so nothing else passes. */
export const enrichmentIdSchema = z.object({
	enrichment_id: z.preprocess(
		blankToUndefined,
		z
			.string({ required_error: 'is required (the enrichment_id Pronto returned)', invalid_type_error: 'must be text' })
			.trim()
			.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a Pronto enrichment id (letters, digits and dashes)'),
	),
});
export type EnrichmentIdInput = z.infer<typeof enrichmentIdSchema>;
export const enrichmentIdLabels: FieldLabels = { enrichment_id: 'Enrichment ID' };

/** "US, fr" → ["US", "FR"]; undefined when empty; throws a readable message when a code is not ISO 3166-1 alpha-2. */
export function parsePhoneCountryCodes(raw: unknown): string[] | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const parts = (Array.isArray(raw) ? raw.map(String) : String(raw).split(/[\s,;]+/)).map((part) => part.trim()).filter(Boolean);
	const invalid = parts.filter((part) => !/^[A-Za-z]{2}$/.test(part));
	if (invalid.length > 0) throw new Error(`"${invalid.join('", "')}" is not a two-letter country code (e.g. US, FR)`);
	return parts.length > 0 ? [...new Set(parts.map((part) => part.toUpperCase()))] : undefined;
}
