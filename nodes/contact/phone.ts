/** Phone numbers as providers and CRMs write them: "+1 (415) 555-0100", "0044 20 7946 0000", 14155550100. */

/** E.164 allows at most 15 digits; fewer than 7 cannot be a dialable number. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;
const SEPARATORS = /[\s().\-/]/g;

/**
 * The number in E.164 (`+` and digits) when its country code is known from the text ("+…" or "00…"),
 * or when it is an 11-digit North American number starting with 1; otherwise undefined.
 */
export function toE164(raw: unknown): string | undefined {
	const compact = compactPhone(raw);
	if (compact === undefined) return undefined;
	let digits: string;
	if (compact.startsWith('+')) digits = compact.slice(1);
	else if (compact.startsWith('00')) digits = compact.slice(2);
	else if (compact.length === 11 && compact.startsWith('1')) digits = compact;
	else return undefined;
	if (!/^[1-9]\d*$/.test(digits) || digits.length < MIN_DIGITS || digits.length > MAX_DIGITS)
		return undefined;
	return `+${digits}`;
}

/** Whether the text has the digits of a phone number (7 to 15, separators allowed). */
export function looksLikePhone(raw: unknown): boolean {
	const compact = compactPhone(raw);
	if (compact === undefined) return false;
	const digits = compact.replace(/^\+/, '');
	return /^\d+$/.test(digits) && digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS;
}

/** The phone in E.164 when possible, else its digits as written (with a leading + kept). */
export function normalizePhone(raw: unknown): string | undefined {
	return toE164(raw) ?? compactPhone(raw);
}

function compactPhone(raw: unknown): string | undefined {
	if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return String(raw);
	if (typeof raw !== 'string') return undefined;
	const compact = raw.trim().replace(SEPARATORS, '');
	return compact === '' ? undefined : compact;
}
