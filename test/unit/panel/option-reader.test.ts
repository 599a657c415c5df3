/** Issue 18: every option is read one way, and a wrong value is an error naming it before anything is sent. */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import {
	readBooleanOption,
	readBooleanParameter,
	readChoiceOption,
	readCollection,
	readListOption,
	readNumberOption,
	OptionValues,
} from '../../../nodes/bulk/bulk-options';
import {
	readEnrichmentType,
	readPhoneCountryCodes,
} from '../../../nodes/Pronto/actions/contact/contact-fields';
import { NODE } from '../bulk/helpers';

function contextWith(parameters: Record<string, unknown>): IExecuteFunctions {
	return {
		getNode: () => NODE,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
	} as unknown as IExecuteFunctions;
}
const context = contextWith({});

function errorOf(read: () => unknown): NodeOperationError {
	try {
		read();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('no error');
}

describe('readNumberOption', () => {
	const range = { min: 1, max: 30, whole: false };
	it('reads numbers and numeric text, unset gives the fallback', () => {
		expect(readNumberOption(context, 5, 'Options › Poll', 9, range)).toBe(5);
		expect(readNumberOption(context, ' 2.5 ', 'Options › Poll', 9, range)).toBe(2.5);
		expect(readNumberOption(context, undefined, 'Options › Poll', 9, range)).toBe(9);
		expect(readNumberOption(context, '', 'Options › Poll', 9, range)).toBe(9);
	});

	it.each([0, 31, 'soon', true, Number.NaN])(
		'%p is an error naming the option and its range',
		(value) => {
			const error = errorOf(() =>
				readNumberOption(context, value, 'Options › Poll Interval (Seconds)', 5, range),
			);
			expect(error.message).toBe(
				`Options › Poll Interval (Seconds): must be a number from 1 to 30 (got ${JSON.stringify(value)})`,
			);
			expect(error.description).toMatch(/Nothing was sent/);
		},
	);

	it('a fraction where a whole number is wanted is an error', () => {
		expect(
			errorOf(() =>
				readNumberOption(context, 2.5, 'Options › Batch Size', 1, { min: 1, max: 10, whole: true }),
			).message,
		).toMatch(/must be a whole number from 1 to 10/);
	});
});

describe('readBooleanOption', () => {
	it('reads booleans and "true"/"false" text; unset gives the fallback, which may be undefined', () => {
		expect(readBooleanOption(context, false, 'Simplify', true)).toBe(false);
		expect(readBooleanOption(context, ' TRUE ', 'Simplify', false)).toBe(true);
		expect(readBooleanOption(context, 'false', 'Simplify', true)).toBe(false);
		expect(
			readBooleanOption(context, undefined, 'Additional Fields › Realtime', undefined),
		).toBeUndefined();
	});

	it.each(['yes', 1, {}])('%p is an error naming the option', (value) => {
		expect(
			errorOf(() => readBooleanOption(context, value, 'Additional Fields › Realtime', false))
				.message,
		).toBe(`Additional Fields › Realtime: must be true or false (got ${JSON.stringify(value)})`);
	});

	it('readBooleanParameter reads a top-level parameter the same way', () => {
		expect(
			readBooleanParameter(contextWith({ simplify: 'false' }), 'simplify', 'Simplify', true),
		).toBe(false);
		expect(readBooleanParameter(contextWith({}), 'simplify', 'Simplify', true)).toBe(true);
		expect(
			errorOf(() =>
				readBooleanParameter(contextWith({ simplify: 'maybe' }), 'simplify', 'Simplify', true),
			).message,
		).toMatch(/^Simplify: must be true or false/);
	});
});

describe('readChoiceOption', () => {
	const choices = ['emailAndPhone', 'email'] as const;
	it('reads one of the values; unset gives the fallback', () => {
		expect(
			readChoiceOption(context, 'email', 'Options › Contact Types', choices, 'emailAndPhone'),
		).toBe('email');
		expect(
			readChoiceOption(context, null, 'Options › Contact Types', choices, 'emailAndPhone'),
		).toBe('emailAndPhone');
	});

	it('a display name or another value is an error listing the values', () => {
		expect(
			errorOf(() =>
				readChoiceOption(context, 'Email', 'Options › Contact Types', choices, 'emailAndPhone'),
			).message,
		).toBe('Options › Contact Types: must be one of emailAndPhone, email (got "Email")');
	});
});

describe('readListOption', () => {
	const known = ['email', 'phone'] as const;
	it('reads a list or comma-separated text, once each', () => {
		expect(readListOption(context, ['phone', 'email', 'phone'], 'Required Fields', known)).toEqual([
			'phone',
			'email',
		]);
		expect(readListOption(context, ' email ,, phone', 'Required Fields', known)).toEqual([
			'email',
			'phone',
		]);
		expect(readListOption(context, undefined, 'Required Fields', known)).toEqual([]);
	});

	it('an unknown name is an error naming the option', () => {
		expect(errorOf(() => readListOption(context, ['fax'], 'Required Fields', known)).message).toBe(
			'Required Fields: must be a list of email, phone (got ["fax"])',
		);
	});
});

describe('readCollection', () => {
	it('reads an object; unset is empty; anything else is an error', () => {
		expect(readCollection(contextWith({ options: { a: 1 } }), 'options', 'Options')).toEqual({
			a: 1,
		});
		expect(readCollection(contextWith({}), 'options', 'Options')).toEqual({});
		expect(
			errorOf(() => readCollection(contextWith({ options: 'fast' }), 'options', 'Options')).message,
		).toBe('Options: must be a collection of options (got "fast")');
	});
});

describe("Pronto's parameters, read the same way", () => {
	it('Enrichment Type: an unknown value is an error, no longer a silent purchase of emails', () => {
		expect(readEnrichmentType(contextWith({ enrichmentType: 'phone' }))).toBe('phone');
		expect(readEnrichmentType(contextWith({}))).toBe('email');
		expect(
			errorOf(() => readEnrichmentType(contextWith({ enrichmentType: 'Phone' }))).message,
		).toBe('Enrichment Type: must be one of email, phone, personal_email (got "Phone")');
	});

	it('Phone Country Codes: a malformed list is an error naming the option', () => {
		expect(
			readPhoneCountryCodes(
				OptionValues.read(contextWith({ options: { phoneCountryCodes: 'US, FR' } })),
			),
		).toEqual(['US', 'FR']);
		expect(
			errorOf(() =>
				readPhoneCountryCodes(
					OptionValues.read(contextWith({ options: { phoneCountryCodes: 'USA' } })),
				),
			).message,
		).toMatch(/^Phone Country Codes: /);
	});
});

describe('an option given as blank text (issue 28: one meaning of "not given")', () => {
	it('is unset like an empty one: the default, not an error', () => {
		const range = { min: 1, max: 30, whole: true };
		expect(readNumberOption(context, '  ', 'Options › Poll', 9, range)).toBe(9);
		expect(readBooleanOption(context, ' ', 'Options › Simplify', true)).toBe(true);
		expect(readChoiceOption(context, '\t', 'Options › Mode', ['a', 'b'], 'b')).toBe('b');
		expect(readListOption(context, '  ', 'Options › Fields', ['a'])).toEqual([]);
		expect(readCollection(contextWith({ options: ' ' }), 'options', 'Options')).toEqual({});
	});
});
