import type { ZodType, ZodTypeDef } from 'zod';

import { describeReceived, type LeftOutValues } from '../shared/field-schemas';

import { valueAtPath } from './read-parameters';
import type { InputSlot } from './types';
import { nothingReached } from './values';

/** Field names as the user sees them in the node, keyed by the schema's field names. */
export type FieldLabels = Record<string, string>;

/** Validates one item's raw input; an invalid one names the field and the reason. */
export function validateInput<T>(
	schema: ZodType<T, ZodTypeDef, unknown>,
	raw: unknown,
	labels: FieldLabels,
): InputSlot<T> {
	const parsed = schema.safeParse(raw);
	if (parsed.success) return withoutLeftOut(parsed.data);
	const issue = parsed.error.issues[0];
	const field = issue.path.length > 0 ? String(issue.path[0]) : (Object.keys(labels)[0] ?? 'input');
	const label = labels[field] ?? field;
	const value = valueAtPath(raw, issue.path);
	const slot: InputSlot<T> = {
		kind: 'invalid',
		field,
		message: `${label}: ${issue.message}${describeReceived(value)}`,
	};
	const description = emptyValueDescription(raw, value, label);
	return description ? { ...slot, description } : slot;
}

/**
 * An empty value usually means the node's field reads a name the input item does not have (its
 * expression is mapped to the wrong field), not that the input is wrong: say so.
 */
function emptyValueDescription(raw: unknown, value: unknown, label: string): string | undefined {
	if (!nothingReached(value)) return undefined;
	const fields =
		raw !== null && typeof raw === 'object' ? Object.values(raw as Record<string, unknown>) : [];
	if (fields.length > 1 && fields.every(nothingReached)) {
		return "Nothing reached any of this node's fields for this item. If the input item has these values, the fields are probably mapped to the wrong input fields: check their expressions against the input item's field names.";
	}
	return `Nothing reached ${label} for this item. If the input item has this value, ${label} is probably mapped to the wrong field: check its expression against the input item's field names.`;
}

/** Values the schema left out (malformed, not needed) become the slot's warnings; they are never sent. */
function withoutLeftOut<T>(value: T): InputSlot<T> {
	if (value === null || typeof value !== 'object' || !('ignored' in value))
		return { kind: 'valid', value };
	const { ignored, ...rest } = value as T & LeftOutValues;
	const slot: InputSlot<T> = { kind: 'valid', value: rest as T };
	if (ignored && ignored.length > 0) slot.warnings = ignored;
	return slot;
}
