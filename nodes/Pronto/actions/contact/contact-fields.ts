import { randomUUID } from 'crypto';
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { OptionValues, readChoiceOption } from '../../../bulk/bulk-options';
import type { BulkSession } from '../../../bulk/bulk-session';
import type { FieldLabels } from '../../../bulk/types';
import { isNotGiven } from '../../../bulk/values';
import {
	blankToUndefined,
	identifierSetSchema,
	type LeftOutValues,
	optionalDomain,
	optionalLinkedinProfileUrl,
	optionalText,
	requiredText,
} from '../../../shared/field-schemas';
import { CORRELATION_PREFIX } from '../../adapter/provider';
import {
	ENRICHMENT_TYPES,
	type EnrichmentType,
	type ProntoContact,
	type ProntoSubmission,
} from '../../adapter/endpoints';

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

/** Each field of a contact as Pronto names it: its node parameter, label and rule. */
const CONTACT_FIELDS = {
	firstname: ['firstName', 'First Name', requiredText(100)],
	lastname: ['lastName', 'Last Name', requiredText(100)],
	domain: ['domain', 'Domain', optionalDomain],
	company_name: ['companyName', 'Company Name', optionalText(200)],
	linkedin_url: ['linkedinUrl', 'LinkedIn URL', optionalLinkedinProfileUrl],
	custom: ['custom', 'Custom', customObject],
} as const;
type ContactField = keyof typeof CONTACT_FIELDS;

const column = <C extends 0 | 1 | 2>(index: C) =>
	Object.fromEntries(
		Object.entries(CONTACT_FIELDS).map(([field, columns]) => [field, columns[index]]),
	) as Record<ContactField, (typeof CONTACT_FIELDS)[ContactField][C]>;

export const prontoContactLabels: FieldLabels = column(1);
const parameterOf = column(0);

/** A parameter whose default reads the standard field our nodes write first, then CRMs' name. */
const mapped = (field: ContactField, reads: string[], description: string): INodeProperties => ({
	displayName: CONTACT_FIELDS[field][1],
	name: CONTACT_FIELDS[field][0],
	type: 'string',
	default: `={{ ${reads.map((read) => `$json.${read}`).join(' || ')} }}`,
	description,
});

export const contactFields: INodeProperties[] = [
	{
		displayName: 'Enrichment Type',
		name: 'enrichmentType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Email',
				value: 'email',
				description: 'Work email; needs first and last name and a domain or company name',
			},
			{
				name: 'Personal Email',
				value: 'personal_email',
				description: "Needs a LinkedIn URL and your account's consent to Pronto's terms",
			},
			{
				name: 'Phone',
				value: 'phone',
				description: 'Needs first and last name and a LinkedIn URL',
			},
		],
		default: 'email',
	},
	mapped('firstname', ['first_name', 'firstname'], 'First name of the contact'),
	mapped('lastname', ['last_name', 'lastname'], 'Last name of the contact'),
	mapped(
		'domain',
		['company_domain', 'domain'],
		'Company domain (a website URL is reduced to its host); Domain or Company Name is needed for email',
	),
	mapped('company_name', ['company_name', 'company'], 'Company the contact works for'),
	mapped(
		'linkedin_url',
		['linkedin_url'],
		'LinkedIn profile URL; needed for phone and personal email',
	),
	{
		displayName: 'Custom',
		name: 'custom',
		type: 'json',
		default: '{}',
		description:
			'An object Pronto echoes back with each result: how a result finds its CRM record again. Map the record ID under a key of your choice, e.g. crm_id, and each result item carries it as custom.crm_id. The node adds its own n8n_bulk_* correlation fields beside it.',
	},
];

/**
 * Email needs a company (Domain or Company Name), phone and personal email a LinkedIn URL. A
 * malformed value the type does not need (a LinkedIn URL for email, a Domain beside a valid Company
 * Name) is left out with a warning; one it needs is an error.
 */
export function prontoContactSchema(enrichmentType: EnrichmentType) {
	return identifierSetSchema({
		fields: column(2),
		labels: prontoContactLabels,
		// Names are always needed; `custom` is the user's way to join results back.
		strict: ['firstname', 'lastname', 'custom'],
		missing: (valid) => {
			if (enrichmentType === 'email') {
				if (valid.domain || valid.company_name) return undefined;
				return {
					field: 'domain',
					message: 'give a Domain or a Company Name for email enrichment',
					candidates: ['domain', 'company_name'],
				};
			}
			if (valid.linkedin_url) return undefined;
			const type = enrichmentType === 'phone' ? 'phone' : 'personal email';
			return { field: 'linkedin_url', message: `is required for ${type} enrichment` };
		},
	}).transform(({ values, ignored }) => {
		// The valid values only, in the fields' order (names first): the contact as sent.
		const contact: Record<string, unknown> = values;
		if (ignored.length > 0) contact.ignored = ignored;
		return contact as unknown as ProntoContact & LeftOutValues;
	});
}

export const readContacts = (session: BulkSession, { enrichmentType }: ProntoSubmission) =>
	session.readSlots(parameterOf, prontoContactSchema(enrichmentType), prontoContactLabels);

export const readEnrichmentType = (context: IExecuteFunctions): EnrichmentType =>
	readChoiceOption(
		context,
		context.getNodeParameter('enrichmentType', 0, 'email'),
		'Enrichment Type',
		ENRICHMENT_TYPES,
		'email',
	);

export const phoneCountryCodesOption: INodeProperties = {
	displayName: 'Phone Country Codes',
	name: 'phoneCountryCodes',
	type: 'string',
	default: '',
	placeholder: 'US, FR',
	description: 'Only return phone numbers of these countries (two-letter codes, comma-separated)',
};

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

export function readPhoneCountryCodes(options: OptionValues): string[] | undefined {
	try {
		return parsePhoneCountryCodes(options.raw(phoneCountryCodesOption.name));
	} catch (error) {
		throw new NodeOperationError(
			options.context.getNode(),
			`Phone Country Codes: ${(error as Error).message}`,
			{ description: 'Nothing was sent.' },
		);
	}
}

/** Read before the session opens; a fresh run id tells two runs of one execution apart. */
export function readSubmission(context: IExecuteFunctions) {
	const enrichmentType = readEnrichmentType(context);
	const options = OptionValues.read(context);
	const phoneCountryCodes = readPhoneCountryCodes(options);
	const executionId = String(context.getExecutionId() ?? '');
	const runId = randomUUID();
	const submission: ProntoSubmission = { enrichmentType, phoneCountryCodes, executionId, runId };
	return { options, submission };
}
