/**
 * Secrets of 1–3 characters are not redacted: they occur inside ordinary words, field names and
 * numbers, so redacting them would corrupt nearly every answer while hiding nothing (such a
 * "secret" is guessed in a few thousand tries). From 4 characters on they are redacted, accepting
 * that a rare word equal to the key is masked too; the Pronto credential refuses a Webhook Secret
 * shorter than MIN_WEBHOOK_SECRET_LENGTH anyway.
 */
export const MIN_REDACTED_SECRET_LENGTH = 4;

const REDACTED = '[redacted]';

/** Shortest base64 prefix worth matching alone: shorter ones would hit unrelated base64 text. */
const MIN_BASE64_PREFIX = 8;

interface SecretPattern {
	/** Non-global: `test` keeps no state between calls. */
	find: RegExp;
	replaceAll: RegExp;
	/** A form is all digits, signs, dots and `e`: a parsed number may spell it where its JSON text does not. */
	numeric: boolean;
}

/** Compiled once per list of secrets (a connection's list lives as long as its run). */
const compiled = new WeakMap<string[], SecretPattern | null>();

/**
 * Every form in which a provider or proxy may echo a secret back: as it is, URL-encoded (both
 * ways), JSON-escaped, and base64 (alone, or as the `key:` / `:key` of HTTP Basic; a prefix that
 * stays the same whatever password follows `key:`). Matched case-insensitively (an upper-cased echo).
 */
function formsOf(secret: string): string[] {
	const forms = [
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		JSON.stringify(secret).slice(1, -1),
	];
	for (const basic of [secret, `${secret}:`, `:${secret}`]) {
		const bytes = Buffer.from(basic, 'utf8');
		forms.push(bytes.toString('base64'));
		const stablePrefix = bytes.subarray(0, bytes.length - (bytes.length % 3)).toString('base64');
		if (stablePrefix.length >= MIN_BASE64_PREFIX) forms.push(stablePrefix);
	}
	return forms;
}

function patternFor(secrets: string[]): SecretPattern | null {
	let pattern = compiled.get(secrets);
	if (pattern !== undefined) return pattern;
	const forms = [
		...new Set(
			secrets.filter((secret) => secret.length >= MIN_REDACTED_SECRET_LENGTH).flatMap(formsOf),
		),
	];
	// Longest first: a form containing another is replaced whole (the padded base64 before its prefix).
	const source = forms
		.sort((a, b) => b.length - a.length)
		.map((form) => form.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
		.join('|');
	pattern = source
		? {
				find: new RegExp(source, 'i'),
				replaceAll: new RegExp(source, 'gi'),
				numeric: forms.some((form) => /^[\d.e+-]+$/i.test(form)),
			}
		: null;
	compiled.set(secrets, pattern);
	return pattern;
}

/** Replaces every secret, in every echoed form, in a text, so no message can carry the API key. */
export function redactSecrets(text: string, secrets: string[]): string {
	const pattern = patternFor(secrets);
	return pattern && pattern.find.test(text) ? text.replace(pattern.replaceAll, REDACTED) : text;
}

/**
 * A provider that echoes the key back must not put it in an output item: every text, number and
 * field name of the answer that contains a secret has it replaced. Field names are redacted like
 * values; one that would then equal another gets a number (` (2)`), so two fields never merge.
 * Only what contains a secret is copied: one test per value and per distinct field name, so big
 * answers stay cheap.
 */
export function redactBody(body: unknown, secrets: string[], parsedFrom?: string): unknown {
	const pattern = patternFor(secrets);
	// The text the body was parsed from, looked at once, spares most answers the walk: without a
	// backslash (an escape such as `\u0041` could spell a secret) every parsed text and field name
	// stands in it as it is, and a number can only spell a numeric secret.
	const clean =
		parsedFrom !== undefined &&
		!pattern?.numeric &&
		!parsedFrom.includes('\\') &&
		!pattern?.find.test(parsedFrom);
	if (!pattern || clean) return body;
	const redactedNames = new Map<string, string>();
	const redactName = (name: string) => {
		let redacted = redactedNames.get(name);
		if (redacted === undefined)
			redactedNames.set(
				name,
				(redacted = pattern.find.test(name) ? name.replace(pattern.replaceAll, REDACTED) : name),
			);
		return redacted;
	};
	const redact = (value: unknown): unknown => {
		if (typeof value === 'string')
			return pattern.find.test(value) ? value.replace(pattern.replaceAll, REDACTED) : value;
		if (typeof value === 'number') return pattern.find.test(String(value)) ? REDACTED : value;
		if (Array.isArray(value)) {
			let changed = false;
			const result = value.map((entry) => {
				const redacted = redact(entry);
				changed ||= redacted !== entry;
				return redacted;
			});
			return changed ? result : value;
		}
		if (value === null || typeof value !== 'object') return value;
		let changed = false;
		const entries = Object.entries(value).map(([name, entry]): [string, string, unknown] => {
			const redacted: [string, string, unknown] = [name, redactName(name), redact(entry)];
			changed ||= redacted[1] !== name || redacted[2] !== entry;
			return redacted;
		});
		return changed ? withDistinctNames(entries) : value;
	};
	return redact(body);
}

/** An object of [name, redacted name, value] entries: a redacted name already taken gets the next free number. */
function withDistinctNames(entries: Array<[string, string, unknown]>): Record<string, unknown> {
	const taken = new Set(
		entries.filter(([name, redacted]) => name === redacted).map(([name]) => name),
	);
	return Object.fromEntries(
		entries.map(([name, redacted, value]) => {
			if (name === redacted) return [name, value];
			let unique = redacted;
			for (let n = 2; taken.has(unique); n++) unique = `${redacted} (${n})`;
			taken.add(unique);
			return [unique, value];
		}),
	);
}
