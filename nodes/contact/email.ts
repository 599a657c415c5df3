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
