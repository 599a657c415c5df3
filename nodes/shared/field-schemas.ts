import { z } from 'zod';

import { isNotGiven, LINKEDIN_PROFILE } from '../bulk/values';
import { looksLikePhone, normalizePhone } from '../contact/standard-contact';

// Values read from input items must already be of the right type: an object, list, number or boolean
// is refused rather than turned into "[object Object]" and sent.
export const MAX_TEXT_LENGTH = 500;

export const blankToUndefined = (value: unknown): unknown =>
	isNotGiven(value) ? undefined : value;

export interface TextRules {
	maxLength?: number;
	/** Numbers are taken as their digits (phone numbers from spreadsheets); otherwise refused. */
	acceptNumbers?: boolean;
	/** Applied to the trimmed text before `check`, which gives the reason it is refused. */
	normalize?: (text: string) => string;
	check?: (text: string) => string | undefined;
}

/** One text value read by its rules, without zod (cheap enough per item and field); blank → `{}`. */
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
	const text = rules.normalize?.(trimmed) ?? trimmed;
	const problem = rules.check?.(text);
	return problem ? { problem } : { text };
}

/** One text field in one transform (zod's preprocess-and-pipe costs several times more per item). */
const textField = <Required extends boolean>(rules: TextRules, required: Required) =>
	z.unknown().transform((value, context) => {
		const read = readText(rules, value);
		if (read.problem !== undefined || (read.text === undefined && required)) {
			context.addIssue({ code: 'custom', message: read.problem ?? 'is required' });
			return z.NEVER;
		}
		return read.text as Required extends true ? string : string | undefined;
	});

export const requiredText = (maxLength = MAX_TEXT_LENGTH) => textField({ maxLength }, true);

export const optionalText = (maxLength = MAX_TEXT_LENGTH) => textField({ maxLength }, false);

// What mail systems accept in practice, international addresses included (josé@example.com,
// a&b@example.com): stricter checks reject real contacts; the provider judges deliverability.
const EMAIL_SHAPE = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]_]+\.[^\s@"<>(),;:\\[\]_.]{2,}$/u;

export function isEmailAddress(value: string): boolean {
	if (value.length > 254 || !EMAIL_SHAPE.test(value)) return false; // 254: SMTP's longest address
	const [local, domain] = value.split('@');
	if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
	return !domain
		.split('.')
		.some((label) => label === '' || label.startsWith('-') || label.endsWith('-'));
}

/** One spelling per address, so a person is paid for once: NFC, lower case, the domain in punycode. */
export function normalizeEmail(text: string): string {
	const email = text.normalize('NFC').toLowerCase();
	const at = email.lastIndexOf('@');
	if (at < 0 || /^[ -~]*$/.test(email.slice(at + 1))) return email;
	try {
		// The URL parser applies IDNA (UTS #46): the domain's punycode, with no import.
		return `${email.slice(0, at)}@${new URL(`http://${email.slice(at + 1)}`).hostname}`;
	} catch {
		return email;
	}
}

const DOMAIN =
	/^(?=.{3,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;

/** The rules of each kind of contact value: shared by the schemas and the standard fields' validation. */
export const TEXT_RULES = {
	text: {},
	email: {
		maxLength: 254,
		normalize: normalizeEmail,
		check: (text: string) => (isEmailAddress(text) ? undefined : 'must be an email address'),
	},
	/** A LinkedIn person profile URL, written with https:// whatever the input had. */
	linkedinProfileUrl: {
		check: (text: string) =>
			LINKEDIN_PROFILE.test(text)
				? undefined
				: 'must be a LinkedIn profile URL (linkedin.com/in/…)',
		normalize: withScheme,
	},
	/** A company domain; a website URL is reduced to its host ("https://www.acme.com/about" → "www.acme.com"). */
	domain: {
		normalize: hostOf,
		check: (text: string) => (DOMAIN.test(text) ? undefined : 'must be a domain such as acme.com'),
	},
	/** A phone number as text or a number, 7 to 15 digits; E.164 when the text says the country. */
	phone: {
		maxLength: 40,
		acceptNumbers: true,
		check: (text: string) =>
			looksLikePhone(text) ? undefined : 'must be a phone number (7 to 15 digits)',
		normalize: (text: string) => (looksLikePhone(text) ? (normalizePhone(text) ?? text) : text),
	},
} satisfies Record<string, TextRules>;

export const optionalEmail = textField(TEXT_RULES.email, false);
export const optionalLinkedinProfileUrl = textField(TEXT_RULES.linkedinProfileUrl, false);
export const optionalDomain = textField(TEXT_RULES.domain, false);
export const optionalPhone = textField(TEXT_RULES.phone, false);

function withScheme(text: string): string {
	return /^https?:\/\//i.test(text) ? text : `https://${text}`;
}

function hostOf(value: string): string {
	try {
		return new URL(withScheme(value)).hostname.toLowerCase();
	} catch {
		return value;
	}
}

type FieldProblem<K extends string> = { field: K; message: string };

/** Malformed values the operation did not need, left out (validateInput makes them warnings). */
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

interface IdentifierSet<K extends string> {
	fields: Record<K, z.ZodTypeAny>;
	labels: Record<string, string>;
	/** Fields whose malformed value is always an error (required names, a correlation object). */
	strict?: ReadonlyArray<NoInfer<K>>;
	/** What is missing from the valid values, and which fields could have supplied it. */
	missing(
		valid: Partial<Record<K, unknown>>,
	): (FieldProblem<K> & { candidates?: readonly K[] }) | undefined;
}

/**
 * Several fields of one record under one rule for every node: a malformed value the operation does
 * not need is left out with a warning naming the field (`ignored`); one it needs (`strict`, or what
 * `missing` says is lacking) is an error naming the field's own problem.
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
		const ignored = problems.map(
			({ field, message }) =>
				`${options.labels[field] ?? field} left out: ${message}${describeReceived(raw[field])}`,
		);
		return { values: valid, ignored };
	});
}
