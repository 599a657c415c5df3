import { z } from 'zod';

import { isNotGiven, LINKEDIN_PROFILE } from '../bulk/values';
import { isEmailAddress, normalizeEmail } from '../contact/email';
import { looksLikePhone, normalizePhone } from '../contact/standard-contact';

/**
 * zod building blocks for fields read from input items. Values must already be of the right type:
 * an object, list, number or boolean is refused rather than turned into "[object Object]" and sent.
 */
export const MAX_TEXT_LENGTH = 500;

export const blankToUndefined = (value: unknown): unknown =>
	isNotGiven(value) ? undefined : value;

export interface TextRules {
	maxLength?: number;
	/** Numbers are taken as their digits (phone numbers from spreadsheets); otherwise refused. */
	acceptNumbers?: boolean;
	/** Applied to the trimmed text before `check` (lower-casing, adding a scheme, reducing a URL to its host). */
	normalize?: (text: string) => string;
	/** The reason the normalized text is refused, or undefined when it is fine. */
	check?: (text: string) => string | undefined;
}

/**
 * One text value read by its rules, without zod (cheap enough to run per item and field): blank →
 * `{}` (not given), anything but text refused, trimmed, capped, normalized, checked.
 */
export function readText(rules: TextRules, value: unknown): { text?: string; problem?: string } {
	const given =
		rules.acceptNumbers && typeof value === 'number' && Number.isFinite(value)
			? String(value)
			: value;
	if (isNotGiven(given)) return {};
	if (typeof given !== 'string') return { problem: 'must be text' };
	const trimmed = given.trim();
	const maxLength = rules.maxLength ?? MAX_TEXT_LENGTH;
	if (trimmed.length > maxLength) return { problem: `must be at most ${maxLength} characters` };
	const text = rules.normalize ? rules.normalize(trimmed) : trimmed;
	const problem = rules.check?.(text);
	return problem ? { problem } : { text };
}

/**
 * One text field in a single pass (one transform, not zod's preprocess-and-pipe, which costs several
 * times more per item): blank → not given, anything but text refused, trimmed, capped, normalized, checked.
 */
function textField(rules: TextRules, required: true): z.ZodEffects<z.ZodUnknown, string, unknown>;
function textField(
	rules: TextRules,
	required: false,
): z.ZodEffects<z.ZodUnknown, string | undefined, unknown>;
function textField(rules: TextRules, required: boolean) {
	return z.unknown().transform((value, context) => {
		const read = readText(rules, value);
		if (read.problem !== undefined || (read.text === undefined && required)) {
			context.addIssue({ code: 'custom', message: read.problem ?? 'is required' });
			return z.NEVER;
		}
		return read.text;
	});
}

export const requiredText = (maxLength = MAX_TEXT_LENGTH) => textField({ maxLength }, true);

export const optionalText = (maxLength = MAX_TEXT_LENGTH) => textField({ maxLength }, false);

const DOMAIN =
	/^(?=.{3,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;

/** The rules of each kind of contact value: shared by the schemas and by the standard fields' own validation. */
export const TEXT_RULES = {
	text: {} as TextRules,
	email: {
		maxLength: 254,
		normalize: normalizeEmail,
		check: (text: string) => (isEmailAddress(text) ? undefined : 'must be an email address'),
	} as TextRules,
	/** A LinkedIn person profile URL, written with https:// whatever the input had. */
	linkedinProfileUrl: {
		check: (text: string) =>
			LINKEDIN_PROFILE.test(text)
				? undefined
				: 'must be a LinkedIn profile URL (linkedin.com/in/…)',
		normalize: (text: string) => (/^https?:\/\//i.test(text) ? text : `https://${text}`),
	} as TextRules,
	/** A company domain; a website URL is reduced to its host ("https://www.acme.com/about" → "www.acme.com"). */
	domain: {
		normalize: hostOf,
		check: (text: string) => (DOMAIN.test(text) ? undefined : 'must be a domain such as acme.com'),
	} as TextRules,
	/** A phone number as text or a number, 7 to 15 digits; E.164 when the text says the country. */
	phone: {
		maxLength: 40,
		acceptNumbers: true,
		check: (text: string) =>
			looksLikePhone(text) ? undefined : 'must be a phone number (7 to 15 digits)',
		normalize: (text: string) => (looksLikePhone(text) ? (normalizePhone(text) ?? text) : text),
	} as TextRules,
};

export const optionalEmail = textField(TEXT_RULES.email, false);

/** A LinkedIn person profile URL, written with https:// whatever the input had. */
export const optionalLinkedinProfileUrl = textField(TEXT_RULES.linkedinProfileUrl, false);

/** A company domain; a website URL is reduced to its host ("https://www.acme.com/about" → "www.acme.com"). */
export const optionalDomain = textField(TEXT_RULES.domain, false);

/** A phone number as text or a number, 7 to 15 digits; E.164 when the text says the country. */
export const optionalPhone = textField(TEXT_RULES.phone, false);

function hostOf(value: string): string {
	const withScheme = /^https?:\/\//i.test(value) ? value : `https://${value}`;
	try {
		return new URL(withScheme).hostname.toLowerCase();
	} catch {
		return value;
	}
}

/** One field's problem, as validation reports it. */
export interface FieldProblem<K extends string> {
	field: K;
	message: string;
}

/**
 * Values a schema left out of what is sent because they were malformed while the operation did not
 * need them (validateInput turns this into the item's `enrichment_warnings`, never sent).
 */
export interface LeftOutValues {
	ignored?: string[];
}

/** How a received value is shown in a message: ` (got "…")`, cut at 80 characters. */
export function describeReceived(value: unknown): string {
	if (value === undefined) return ' (no value)';
	if (value === null) return ' (got null)';
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return ` (got ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
}

/** The warning for a value left out: names the field, the reason and what was received. */
export function leftOutWarning(label: string, message: string, value: unknown): string {
	return `${label} left out: ${message}${describeReceived(value)}`;
}

interface IdentifierSet<K extends string> {
	fields: Record<K, z.ZodTypeAny>;
	labels: Record<string, string>;
	/** Fields a malformed value of which is always an error (required names, a correlation object). */
	strict?: ReadonlyArray<NoInfer<K>>;
	/** Undefined when the valid values are enough; else what is missing, and which fields could have supplied it. */
	missing(
		valid: Partial<Record<K, unknown>>,
	): (FieldProblem<K> & { candidates?: readonly K[] }) | undefined;
}

/**
 * Several fields of one record, each checked on its own, under one rule for every node: a
 * malformed value the operation does not need is left out with a warning (`ignored`) naming the
 * field; one it needs is an error naming the field. Needed are the `strict` fields whenever they
 * are malformed, and whatever `missing` says is lacking once malformed values are left out (the
 * error names that field's own problem when it, or one of its `candidates`, was malformed).
 */
export function identifierSetSchema<K extends string>(options: IdentifierSet<K>) {
	const entries = Object.entries(options.fields) as Array<[K, z.ZodTypeAny]>;
	const strict = new Set<K>(options.strict ?? []);
	return z.record(z.unknown()).transform((raw, context) => {
		const valid: Partial<Record<K, unknown>> = {};
		const problems: Array<FieldProblem<K>> = [];
		for (const [field, schema] of entries) {
			const parsed = schema.safeParse(raw[field]);
			if (parsed.success) {
				if (parsed.data !== undefined) valid[field] = parsed.data;
				continue;
			}
			const message = parsed.error.issues[0]?.message ?? 'is invalid';
			if (strict.has(field)) {
				context.addIssue({ code: 'custom', path: [field], message });
				return z.NEVER;
			}
			problems.push({ field, message });
		}
		const missing = options.missing(valid);
		if (missing) {
			const candidates = new Set<K>([missing.field, ...(missing.candidates ?? [])]);
			const reported = problems.find((problem) => candidates.has(problem.field)) ?? missing;
			context.addIssue({ code: 'custom', path: [reported.field], message: reported.message });
			return z.NEVER;
		}
		const ignored = problems.map(({ field, message }) =>
			leftOutWarning(options.labels[field] ?? field, message, raw[field]),
		);
		return { values: valid, ignored };
	});
}
