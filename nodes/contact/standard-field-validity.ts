import { isPlainObject } from '../bulk/values';
import { readText, TEXT_RULES, type TextRules } from '../shared/field-schemas';

/** Each standard field's own validation: the same rules the nodes apply to what they send. */
const FIELD_RULES: Record<string, TextRules> = {
	email: TEXT_RULES.email,
	personal_email: TEXT_RULES.email,
	phone: TEXT_RULES.phone,
	mobile_phone: TEXT_RULES.phone,
	linkedin_url: TEXT_RULES.linkedinProfileUrl,
	company_domain: TEXT_RULES.domain,
};

/** Where CRMs and providers keep the value inside an object. */
const VALUE_KEYS = ['value', 'email', 'address', 'number', 'phone', 'url'];

/** Present and passing the field's own validation: `@@` in `email` is missing, and may be replaced. */
export function holdsUsableValue(field: string, value: unknown): boolean {
	// CRMs may hold a list (Pipedrive's `phone: [{value, primary}]`) or an object: usable when something in it is.
	if (Array.isArray(value)) return value.some((entry) => holdsUsableValue(field, entry));
	// Only a plain value inside: a list or object there is not looked into.
	if (isPlainObject(value))
		return VALUE_KEYS.some(
			(key) => typeof value[key] !== 'object' && holdsUsableValue(field, value[key]),
		);
	return readText(FIELD_RULES[field] ?? TEXT_RULES.text, value).text !== undefined;
}
