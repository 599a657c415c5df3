import { z } from 'zod';

import { validateInput } from '../../../nodes/bulk/operation';

const schema = z.object({
	name: z.string().min(1, 'is required'),
	city: z.string().min(1, 'is required'),
});
const labels = { name: 'Full Name', city: 'City' };

describe('validateInput: an empty value points at the mapping, not at the input', () => {
	it('one field without a value: names it and says it is probably mapped to the wrong field', () => {
		expect(validateInput(schema, { name: 'Ada', city: '' }, labels)).toEqual({
			kind: 'invalid',
			field: 'city',
			message: 'City: is required (got "")',
			description:
				"Nothing reached City for this item. If the input item has this value, City is probably mapped to the wrong field: check its expression against the input item's field names.",
		});
	});

	it('no field got a value: says so for all of them', () => {
		const slot = validateInput(schema, { name: undefined, city: '  ' }, labels);
		expect(slot).toMatchObject({ kind: 'invalid', field: 'name' });
		expect(slot.kind === 'invalid' && slot.description).toMatch(
			/^Nothing reached any of this node's fields for this item\. .* probably mapped to the wrong input fields/,
		);
	});

	it('a value that came but is wrong (or null from the input) gets no mapping hint', () => {
		const wrongSchema = z.object({ name: z.string().min(3, 'is too short') });
		expect(validateInput(wrongSchema, { name: 'Al' }, { name: 'Full Name' })).toEqual({
			kind: 'invalid',
			field: 'name',
			message: 'Full Name: is too short (got "Al")',
		});
		expect(validateInput(schema, { name: null, city: 'Paris' }, labels)).not.toHaveProperty(
			'description',
		);
	});
});
