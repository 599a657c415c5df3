import type { INodeExecutionData } from 'n8n-workflow';

import { buildOutputItems, CONFLICTS_FIELD } from '../../../nodes/bulk/operation';
import { isBlank, nothingReached, sameJson } from '../../../nodes/bulk/values';
import { NODE } from './helpers';

describe('the value primitives: one meaning each', () => {
	it('isBlank: absent, null, blank text (spaces too), an empty list or object is missing', () => {
		for (const value of [undefined, null, '', '   ', [], {}]) expect(isBlank(value)).toBe(true);
		for (const value of ['a', 0, false, [''], { a: null }]) expect(isBlank(value)).toBe(false);
	});

	it('nothingReached: no value came into a field (absent or blank text); null is a value the input gave', () => {
		for (const value of [undefined, '', '  ']) expect(nothingReached(value)).toBe(true);
		for (const value of [null, [], {}, 0, 'a']) expect(nothingReached(value)).toBe(false);
	});

	it('sameJson: the same JSON value, not the same contact value written two ways', () => {
		expect(sameJson({ a: [1] }, { a: [1] })).toBe(true);
		expect(sameJson('a@acme.com', 'A@acme.com')).toBe(false);
		expect(sameJson(1, '1')).toBe(false);
	});

	it('an input field of spaces only is blank at the output too: the provider value fills it, no conflict', () => {
		const [item] = buildOutputItems(
			NODE,
			[{ json: { company: '   ', city: 'Paris' } } as INodeExecutionData],
			[{ kind: 'found', data: { company: 'Acme', city: 'Lyon' } }],
			{ includeInputFields: true, secrets: [], useErrorOutput: false },
		);
		expect(item.json.company).toBe('Acme');
		expect(item.json.city).toBe('Paris');
		expect(item.json[CONFLICTS_FIELD]).toEqual({ city: 'Lyon' });
	});
});
