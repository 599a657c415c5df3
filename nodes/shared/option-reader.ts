import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { isPlainObject } from '../bulk/values';
import { isNotGiven } from './field-schemas';

/**
 * One way to read every option and parameter a user sets: an expression can give anything, so each
 * value is checked, and a wrong one is an error naming it before anything is sent (never a silent
 * fallback that could buy something else than asked).
 */
const NOTHING_SENT = 'Nothing was sent. Fix the option and run again.';

export interface NumberRange {
	min: number;
	max: number;
	whole: boolean;
}

export const numberRange = (min: number, max: number, whole: boolean): NumberRange => ({
	min,
	max,
	whole,
});

/** A number option declared once: its panel property's min and max are the range it is read with. */
export interface NumberOption extends NumberRange {
	displayName: string;
	name: string;
	default: number;
	description: string;
}

/** The panel property of a number option: its range as minValue and maxValue. */
export function numberProperty(option: NumberOption): INodeProperties {
	const { displayName, name, description, min, max, default: fallback } = option;
	const typeOptions = { minValue: min, maxValue: max };
	return { displayName, name, type: 'number', typeOptions, default: fallback, description };
}

/** The node's Options collection, read once per run; each option is read from it as `Options › Name`. */
export class OptionValues {
	private constructor(
		readonly context: IExecuteFunctions,
		private readonly values: Record<string, unknown>,
	) {}

	static read(context: IExecuteFunctions): OptionValues {
		return new OptionValues(context, readCollection(context, 'options', 'Options'));
	}

	raw(name: string): unknown {
		return this.values[name];
	}

	number(option: NumberOption): number {
		const raw = this.values[option.name];
		return readNumberOption(this.context, raw, labelOf(option), option.default, option);
	}

	boolean(property: INodeProperties): boolean {
		const fallback = property.default as boolean;
		return readBooleanOption(this.context, this.values[property.name], labelOf(property), fallback);
	}

	/** One of the property's values; unset gives its default. */
	choice<T extends string>(property: INodeProperties): T {
		const raw = this.values[property.name];
		return readChoiceOption(
			this.context,
			raw,
			labelOf(property),
			valuesOf<T>(property),
			property.default as T,
		);
	}

	/** Some of the property's values (a multiOptions). */
	list<T extends string>(property: INodeProperties): T[] {
		return readListOption(
			this.context,
			this.values[property.name],
			labelOf(property),
			valuesOf<T>(property),
		);
	}
}

const labelOf = (option: { displayName: string }) => `Options › ${option.displayName}`;
const valuesOf = <T extends string>(property: INodeProperties) =>
	(property.options ?? []).map((option) => (option as INodePropertyOptions).value as T);

function refuse(
	context: IExecuteFunctions,
	label: string,
	expected: string,
	raw: unknown,
	description = NOTHING_SENT,
): never {
	throw new NodeOperationError(
		context.getNode(),
		`${label}: must be ${expected} (got ${JSON.stringify(raw)})`,
		{ description },
	);
}

/** The values of a collection parameter (e.g. "Options"); anything but an object is an error. */
export function readCollection(
	context: IExecuteFunctions,
	name: string,
	label: string,
): Record<string, unknown> {
	const raw = context.getNodeParameter(name, 0, {});
	if (isNotGiven(raw)) return {};
	if (isPlainObject(raw)) return raw;
	return refuse(context, label, 'a collection of options', raw);
}

export function readNumberOption(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	fallback: number,
	range: NumberRange,
): number {
	if (isNotGiven(raw)) return fallback;
	const value =
		typeof raw === 'number'
			? raw
			: typeof raw === 'string' && raw.trim() !== ''
				? Number(raw)
				: Number.NaN;
	const inRange =
		Number.isFinite(value) &&
		value >= range.min &&
		value <= range.max &&
		(!range.whole || Number.isInteger(value));
	if (inRange) return value;
	return refuse(
		context,
		label,
		`${range.whole ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}`,
		raw,
	);
}

/** true/false, or the text "true"/"false" an expression may give; unset gives the fallback. */
export function readBooleanOption<Fallback extends boolean | undefined>(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	fallback: Fallback,
): boolean | Fallback {
	if (isNotGiven(raw)) return fallback;
	if (typeof raw === 'boolean') return raw;
	const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
	if (text === 'true' || text === 'false') return text === 'true';
	return refuse(context, label, 'true or false', raw);
}

/** One of the option's values; unset gives the fallback. */
export function readChoiceOption<T extends string>(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	choices: readonly T[],
	fallback: T,
): T {
	if (isNotGiven(raw)) return fallback;
	if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
	return refuse(context, label, `one of ${choices.join(', ')}`, raw);
}

/** A list of known names; an expression may give one text with names separated by commas. */
export function readListOption<T extends string>(
	context: IExecuteFunctions,
	raw: unknown,
	label: string,
	known: readonly T[],
	description = NOTHING_SENT,
): T[] {
	if (isNotGiven(raw)) return [];
	const entries =
		typeof raw === 'string'
			? raw
					.split(',')
					.map((entry) => entry.trim())
					.filter(Boolean)
			: raw;
	const knownNames = new Set<string>(known);
	if (
		Array.isArray(entries) &&
		entries.every((entry) => typeof entry === 'string' && knownNames.has(entry))
	) {
		return [...new Set(entries as T[])];
	}
	return refuse(context, label, `a list of ${known.join(', ')}`, raw, description);
}

/** A top-level boolean parameter of the node (e.g. Simplify), read like an option. */
export function readBooleanParameter(
	context: IExecuteFunctions,
	name: string,
	label: string,
	fallback: boolean,
): boolean {
	return readBooleanOption<boolean>(
		context,
		context.getNodeParameter(name, 0, fallback),
		label,
		fallback,
	);
}

/** Simplify, shown where an output would have more than 10 fields. */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export const readSimplify = (context: IExecuteFunctions) =>
	readBooleanParameter(context, 'simplify', 'Simplify', true);
