// @ts-check
'use strict';
/**
 * The person a request asks for, as far as the request names them. A real provider answers a
 * match or an enrichment by name and company, by email or by LinkedIn profile with that person's
 * own record, so the simulator's found record carries the name asked for (the rest stays
 * deterministic fake data); without it a first run asking for Ada Lovelace showed another person.
 */

/** @typedef {{first: string, last: string, company: string | null, domain: string | null}} AskedPerson */

/** Free-mail domains: an address there says nothing about the person's company. */
const FREE_MAIL_DOMAINS = [
	'gmail.com',
	'yahoo.com',
	'hotmail.com',
	'outlook.com',
	'icloud.com',
	'proton.me',
	'protonmail.com',
	'aol.com',
	'gmx.com',
	'live.com',
];

/** @param {unknown} value @returns {value is string} */
function present(value) {
	return typeof value === 'string' && value.trim() !== '';
}

/** @param {string} word */
function capitalise(word) {
	return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The name a handle spells: `ada.lovelace`, `ada_lovelace`, `ada-lovelace-1a2b3c` → Ada Lovelace.
 * Only when its first two parts are both words (`jane`, `trust-7`, `ada-12` name nobody).
 * @param {string} handle
 * @returns {{first: string, last: string} | null}
 */
function nameFromHandle(handle) {
	const [first, last] = handle
		.trim()
		.toLowerCase()
		.split(/[._-]+/);
	const word = /^[a-z]{2,}$/;
	if (!first || !last || !word.test(first) || !word.test(last)) return null;
	return { first: capitalise(first), last: capitalise(last) };
}

/**
 * A full name's first word and the rest: `Ada King Lovelace` → Ada / King Lovelace.
 * @param {string} fullName
 */
function nameFromFullName(fullName) {
	const words = fullName.trim().split(/\s+/);
	if (words.length < 2) return null;
	return { first: words[0] ?? '', last: words.slice(1).join(' ') };
}

/** @param {string} email */
function emailDomain(email) {
	const domain = email.trim().toLowerCase().split('@')[1] ?? '';
	return domain && !FREE_MAIL_DOMAINS.includes(domain) ? domain : null;
}

/** @param {string} email */
function personFromEmail(email) {
	const name = nameFromHandle(email.split('@')[0] ?? '');
	return name ? { ...name, company: null, domain: emailDomain(email) } : null;
}

/** @param {string} url a LinkedIn profile URL, with or without scheme */
function personFromLinkedin(url) {
	const handle = /linkedin\.com\/in\/([^/?#]+)/i.exec(url)?.[1];
	const name = handle ? nameFromHandle(decodeURIComponent(handle)) : null;
	return name ? { ...name, company: null, domain: null } : null;
}

/**
 * Whom an Explorium prospect match input asks for: its full name (with its company), else the
 * name its email or LinkedIn URL spells; null when it names nobody (a phone, `jane@…`).
 * @param {Record<string, unknown>} input
 * @returns {AskedPerson | null}
 */
function askedPersonForMatch(input) {
	if (present(input.full_name) && present(input.company_name)) {
		const name = nameFromFullName(input.full_name);
		const domain = present(input.email) ? emailDomain(input.email) : null;
		if (name) return { ...name, company: input.company_name.trim(), domain };
	}
	if (present(input.email)) {
		const person = personFromEmail(input.email);
		if (person) return person;
	}
	return present(input.linkedin) ? personFromLinkedin(input.linkedin) : null;
}

/**
 * Whom an ExactBuyer lookup asks for: the name its email or LinkedIn profile spells; a phone
 * number names nobody.
 * @param {string} value
 * @param {string} [fieldType] email | phone | social_profile
 * @returns {AskedPerson | null}
 */
function askedPersonForLookup(value, fieldType) {
	if (fieldType === 'email') return personFromEmail(value);
	if (fieldType === 'social_profile') return personFromLinkedin(value);
	return null;
}

module.exports = { askedPersonForMatch, askedPersonForLookup, nameFromHandle };
