import type { z } from 'zod';

import { optionalDomain, optionalEmail, optionalLinkedinProfileUrl, optionalPhone, optionalText } from './field-schemas';
import type { StandardContactField } from './standard-contact';

/** Each standard field's own validation: the same checks the nodes apply to what they send. */
const FIELD_SCHEMAS: Partial<Record<StandardContactField, z.ZodTypeAny>> = {
	email: optionalEmail,
	personal_email: optionalEmail,
	phone: optionalPhone,
	mobile_phone: optionalPhone,
	linkedin_url: optionalLinkedinProfileUrl,
	company_domain: optionalDomain,
};
const ANY_TEXT = optionalText();

/**
 * Whether an item holds a usable value for a standard field: present and passing that field's own
 * validation. `@@`, `12345` or `company page@…` in `email` is not an email: for Only Enrich Items
 * Missing such an item is missing its email, and a provider's email may take that value's place.
 */
export function holdsUsableValue(field: string, value: unknown): boolean {
	// CRMs may hold a list (Pipedrive's `phone: [{value, primary}]`) or an object: usable when something in it is.
	if (Array.isArray(value)) return value.some((entry) => holdsUsableValue(field, entry));
	if (value !== null && typeof value === 'object') {
		const entry = value as Record<string, unknown>;
		return VALUE_KEYS.some((key) => entry[key] !== undefined && !isObject(entry[key]) && holdsUsableValue(field, entry[key]));
	}
	const schema = FIELD_SCHEMAS[field as StandardContactField] ?? ANY_TEXT;
	const parsed = schema.safeParse(value);
	return parsed.success && parsed.data !== undefined;
}

/** Where CRMs and providers keep the value inside an object. */
const VALUE_KEYS = ['value', 'email', 'address', 'number', 'phone', 'url'];

function isObject(value: unknown): boolean {
	return value !== null && typeof value === 'object';
}
