/**
 * A pragmatic address check: what mail systems accept in practice, international addresses included
 * (josé@example.com, user@bücher.de, a&b@example.com). Stricter checks reject real contacts; the
 * provider is the judge of deliverability.
 */
const MAX_EMAIL_LENGTH = 254;
const EMAIL_SHAPE = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]_]+\.[^\s@"<>(),;:\\[\]_.]{2,}$/u;

export function isEmailAddress(value: string): boolean {
	if (value.length > MAX_EMAIL_LENGTH) return false;
	if (!EMAIL_SHAPE.test(value)) return false;
	const [local, domain] = value.split('@');
	if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
	return !domain.split('.').some((label) => label === '' || label.startsWith('-') || label.endsWith('-'));
}
