import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { InputSlot } from '../../../nodes/bulk/types';
import { skipItemsAlreadyHolding } from '../../../nodes/contact/contact-part';
import { validSlots } from '../bulk/helpers';

interface Input {
	id: string;
}

const itemsOf = (...jsons: IDataObject[]): INodeExecutionData[] => jsons.map((json) => ({ json }));
const missing = (label: string): InputSlot<Input> => ({
	kind: 'skipped',
	outcome: {
		kind: 'skipped',
		reason: `${label} is empty, so there is nothing to look up: not sent`,
		missingIdentifier: label,
	},
});
const alreadyHas = (fields: string): InputSlot<Input> => ({
	kind: 'skipped',
	outcome: {
		kind: 'skipped',
		reason: `already has ${fields} (Options › Only Enrich Items Missing): not sent`,
	},
});

describe('skipItemsAlreadyHolding', () => {
	const items = itemsOf(
		{ email: 'ada@example.com', phone: '+14155550100' },
		{ email: 'bob@example.com' },
		{ phone: '+14155550101' },
		{},
	);
	const slots = validSlots<Input>([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]);

	it('with no fields returns the very same slots', () => {
		expect(skipItemsAlreadyHolding(items, slots, [])).toBe(slots);
	});

	it('skips an item holding every listed field, naming the fields; an item holding only some is untouched', () => {
		const result = skipItemsAlreadyHolding(items, slots, ['email', 'phone']);
		expect(result).toEqual([alreadyHas('email, phone'), slots[1], slots[2], slots[3]]);
		expect(result[1]).toBe(slots[1]);
	});

	it('with one field, every item holding it is skipped', () => {
		expect(skipItemsAlreadyHolding(items, slots, ['email'])).toEqual([
			alreadyHas('email'),
			alreadyHas('email'),
			slots[2],
			slots[3],
		]);
	});

	it('skips whatever the slot was: an invalid input or a missing identifier costs nothing either', () => {
		const mixed: Array<InputSlot<Input>> = [
			{ kind: 'invalid', field: 'id', message: 'ID: must be text (got 3)' },
			missing('ID'),
			{ kind: 'valid', value: { id: 'c' } },
		];
		const full = { email: 'x@example.com' };
		expect(skipItemsAlreadyHolding(itemsOf(full, full, full), mixed, ['email'])).toEqual([
			alreadyHas('email'),
			alreadyHas('email'),
			alreadyHas('email'),
		]);
	});

	it('does not change the slots it was given', () => {
		const before = JSON.stringify(slots);
		skipItemsAlreadyHolding(items, slots, ['email']);
		expect(JSON.stringify(slots)).toBe(before);
	});

	it.each<[string, unknown]>([
		['null', null],
		['undefined', undefined],
		['empty text', ''],
		['whitespace', ' \t\n'],
		['an empty list', []],
		['an empty object', {}],
	])('a field holding %s counts as missing', (_, blank) => {
		const result = skipItemsAlreadyHolding(
			itemsOf({ email: 'x@example.com', phone: blank as IDataObject[string] }),
			validSlots([{ id: 'a' }]),
			['email', 'phone'],
		);
		expect(result).toEqual([{ kind: 'valid', value: { id: 'a' } }]);
	});

	it.each<[string, unknown]>([
		['0', 0],
		['false', false],
		['text that is no phone', 'x'],
		['a list of nothing usable', ['x', null]],
		['an object without a number', { label: 'work' }],
	])('a phone holding %s fails its own validation: missing, the item is sent', (_, value) => {
		const result = skipItemsAlreadyHolding(
			itemsOf({ phone: value as IDataObject[string] }),
			validSlots([{ id: 'a' }]),
			['phone'],
		);
		expect(result).toEqual([{ kind: 'valid', value: { id: 'a' } }]);
	});

	it.each<[string, unknown]>([
		['@@', '@@'],
		['12345 (a number)', 12345],
		['12345 (text)', '12345'],
		['company page@acme.com', 'company page@acme.com'],
		['an address without a domain', 'ada@'],
		['an object', { not: 'an email' }],
	])(
		'an email holding %s counts as missing (Only Enrich Items Missing → Email sends it)',
		(_, value) => {
			const result = skipItemsAlreadyHolding(
				itemsOf({ email: value as IDataObject[string] }),
				validSlots([{ id: 'a' }]),
				['email'],
			);
			expect(result).toEqual([{ kind: 'valid', value: { id: 'a' } }]);
		},
	);

	it.each<[string, string, unknown]>([
		['an email', 'email', 'Ada@Example.com'],
		['an international email', 'email', 'josé@example.com'],
		['a phone as digits', 'phone', 14155550100],
		['a phone as text', 'phone', '+1 (415) 555-0100'],
		["a CRM's list of phones", 'phone', [{ value: '+14155550100', primary: true }]],
		['a list of emails', 'email', ['ada@example.com']],
		['an object with a number', 'phone', { number: '+14155550100' }],
		['a LinkedIn URL', 'linkedin_url', 'linkedin.com/in/ada'],
		['a domain', 'company_domain', 'https://www.acme.com/about'],
		['a name', 'first_name', 'Ada'],
	])('a field holding %s counts as present', (_, field, value) => {
		const result = skipItemsAlreadyHolding(
			itemsOf({ [field]: value as IDataObject[string] }),
			validSlots([{ id: 'a' }]),
			[field],
		);
		expect(result).toEqual([alreadyHas(field)]);
	});
});
