import { z } from 'zod';

import type { FieldLabels } from '../../bulk/types';
import { asRecord, isNotGiven, LINKEDIN_PROFILE } from '../../bulk/values';
import {
	identifierSetSchema,
	optionalDomain,
	optionalText,
	TEXT_RULES,
	type LeftOutValues,
} from '../../shared/field-schemas';

const QUERY_FIELD_TYPES = ['email', 'phone', 'social_profile'] as const;
type QueryFieldType = (typeof QUERY_FIELD_TYPES)[number];

/** One element of `query_list`, normalized so that equal contacts are sent once. */
export interface ExactBuyerQuery {
	field_type: QueryFieldType;
	value: string;
}

const MAX_VALUE_LENGTH = 300;

/** The value in the form ExactBuyer's examples use, or the reason it cannot be one of this type. */
function normalizeValue(fieldType: QueryFieldType, text: string): string | { problem: string } {
	if (fieldType !== 'social_profile') {
		const { normalize, check } = TEXT_RULES[fieldType];
		const value = normalize(text);
		const problem = check(value);
		return problem ? { problem } : value;
	}
	const profile = LINKEDIN_PROFILE.exec(text);
	return profile
		? `linkedin.com/in/${profile[1].toLowerCase()}`
		: { problem: 'must be a LinkedIn profile URL (linkedin.com/in/…)' };
}

/** The field type and value of one item, checked for that type (the type may differ per item). */
function readQuery(
	raw: { field_type?: unknown; value?: unknown },
	context: z.RefinementCtx,
): ExactBuyerQuery | undefined {
	const fail = (path: string, message: string) => {
		context.addIssue({ code: 'custom', path: [path], message });
		return undefined;
	};
	const fieldType = raw.field_type as QueryFieldType;
	if (!QUERY_FIELD_TYPES.includes(fieldType))
		return fail('field_type', `must be one of ${QUERY_FIELD_TYPES.join(', ')}`);
	const value =
		typeof raw.value === 'number' && fieldType === 'phone' ? String(raw.value) : raw.value;
	if (isNotGiven(value)) return fail('value', 'is required');
	if (typeof value !== 'string') return fail('value', 'must be text');
	if (value.length > MAX_VALUE_LENGTH)
		return fail('value', `must be at most ${MAX_VALUE_LENGTH} characters`);
	const normalized = normalizeValue(fieldType, value.trim());
	if (typeof normalized !== 'string')
		return fail('value', `${normalized.problem} for field type ${fieldType}`);
	return { field_type: fieldType, value: normalized };
}

// The item's raw fields are read as they are: zod's object parsing cost more per item than the checks.
export const exactBuyerQuerySchema = z
	.unknown()
	.transform((raw, context) => readQuery(asRecord(raw), context) ?? z.NEVER);
export const exactBuyerQueryLabels: FieldLabels = { field_type: 'Field Type', value: 'Value' };

const HINT_LABELS = {
	first_name: 'First Name',
	last_name: 'Last Name',
	company_name: 'Company Name',
	company_domain: 'Company Domain',
};
/** A single look-up: the identifier plus the optional details that help ExactBuyer find the person. */
export type ExactBuyerLookup = ExactBuyerQuery & Partial<Record<keyof typeof HINT_LABELS, string>>;

// The details only help: a malformed one is left out with a warning.
const lookupHints = identifierSetSchema({
	fields: {
		first_name: optionalText(100),
		last_name: optionalText(100),
		company_name: optionalText(200),
		company_domain: optionalDomain,
	},
	labels: HINT_LABELS,
	missing: () => undefined,
});

export const exactBuyerLookupSchema = z
	.record(z.unknown())
	.transform((raw, context): ExactBuyerLookup & LeftOutValues => {
		const query = readQuery(raw, context);
		if (!query) return z.NEVER;
		const { values, ignored } = lookupHints.parse(raw);
		return {
			...query,
			...(values as Partial<ExactBuyerLookup>),
			...(ignored.length > 0 && { ignored }),
		};
	});
export const exactBuyerLookupLabels: FieldLabels = { ...exactBuyerQueryLabels, ...HINT_LABELS };

/** The value as ExactBuyer may echo it: case, scheme and "www." aside. */
export function comparableValue(value: unknown): string {
	return String(value ?? '')
		.trim()
		.toLowerCase()
		.replace(/^https?:\/\//, '')
		.replace(/^www\./, '');
}
