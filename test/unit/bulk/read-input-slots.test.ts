import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { z } from 'zod';

import { readInputSlots } from '../../../nodes/bulk/operation';
import { NODE } from './helpers';

/** The part of IExecuteFunctions the readers use; `getNodeParameter` stands in for n8n's evaluation. */
function fakeContext(
	parameters: INodeParameters,
	evaluate: (path: string, itemIndex: number) => unknown = () => undefined,
) {
	const getNodeParameter = jest.fn((path: string, itemIndex: number, fallback?: unknown) => {
		const value = evaluate(path, itemIndex);
		if (value !== undefined) return value;
		const raw = parameters[path];
		return raw === undefined ? fallback : raw;
	});
	const context = {
		getNode: () => ({ ...NODE, parameters }),
		getNodeParameter,
	} as unknown as IExecuteFunctions;
	return { context, getNodeParameter };
}

const schema = z.object({
	record_id: z
		.string({ required_error: 'is required' })
		.regex(/^[a-z]{3}-\d{2}$/, 'must look like abc-12'),
	note: z.string().optional(),
});
const labels = { record_id: 'Record ID', note: 'Note' };
const itemsOf = (...jsons: IDataObject[]): INodeExecutionData[] => jsons.map((json) => ({ json }));
const skippedAsEmpty = {
	kind: 'skipped',
	outcome: {
		kind: 'skipped',
		reason: 'Record ID is empty, so there is nothing to look up: not sent',
		missingIdentifier: 'Record ID',
	},
};

describe('readInputSlots with an identifier field', () => {
	it('an empty identifier is skipped (missingIdentifier = the label); a malformed one is still invalid', () => {
		const items = itemsOf(
			{ record_id: 'abc-12' },
			{ record_id: '' },
			{ record_id: '   ' },
			{ record_id: null },
			{},
			{ record_id: [] },
			{ record_id: {} },
			{ record_id: 'ABC' },
			{ record_id: 42 },
		);
		const { context } = fakeContext({ recordId: '={{ $json.record_id }}' });
		const slots = readInputSlots(
			context,
			items,
			{ record_id: 'recordId' },
			schema,
			labels,
			'record_id',
		);
		expect(slots).toEqual([
			{ kind: 'valid', value: { record_id: 'abc-12' } },
			skippedAsEmpty,
			skippedAsEmpty,
			skippedAsEmpty,
			skippedAsEmpty,
			skippedAsEmpty,
			skippedAsEmpty,
			{
				kind: 'invalid',
				field: 'record_id',
				message: 'Record ID: must look like abc-12 (got "ABC")',
			},
			{
				kind: 'invalid',
				field: 'record_id',
				message: expect.stringMatching(/^Record ID: .*\(got 42\)$/),
			},
		]);
	});

	it('without an identifier field an empty identifier is invalid, as before', () => {
		const items = itemsOf({ record_id: '' }, {});
		const { context } = fakeContext({ recordId: '={{ $json.record_id }}' });
		const slots = readInputSlots(context, items, { record_id: 'recordId' }, schema, labels);
		expect(slots.map((slot) => slot.kind)).toEqual(['invalid', 'invalid']);
		expect(slots[1]).toEqual({
			kind: 'invalid',
			field: 'record_id',
			message: 'Record ID: is required (no value)',
			description:
				"Nothing reached Record ID for this item. If the input item has this value, Record ID is probably mapped to the wrong field: check its expression against the input item's field names.",
		});
	});

	it('only the identifier decides: an empty other field is validated as usual', () => {
		const items = itemsOf({ record_id: 'abc-12', note: '' }, { record_id: '', note: 'hello' });
		const { context } = fakeContext({
			recordId: '={{ $json.record_id }}',
			note: '={{ $json.note }}',
		});
		const slots = readInputSlots(
			context,
			items,
			{ record_id: 'recordId', note: 'note' },
			schema,
			labels,
			'record_id',
		);
		expect(slots).toEqual([
			{ kind: 'valid', value: { record_id: 'abc-12', note: '' } },
			skippedAsEmpty,
		]);
	});

	it('a label-less identifier is named by its field', () => {
		const { context } = fakeContext({ recordId: '={{ $json.record_id }}' });
		const slots = readInputSlots(
			context,
			itemsOf({}),
			{ record_id: 'recordId' },
			schema,
			{},
			'record_id',
		);
		expect(slots).toEqual([
			{
				kind: 'skipped',
				outcome: {
					kind: 'skipped',
					reason: 'record_id is empty, so there is nothing to look up: not sent',
					missingIdentifier: 'record_id',
				},
			},
		]);
	});

	it('a fixed empty parameter skips every item', () => {
		const { context } = fakeContext({ recordId: '' });
		expect(
			readInputSlots(
				context,
				itemsOf({}, {}),
				{ record_id: 'recordId' },
				schema,
				labels,
				'record_id',
			),
		).toEqual([skippedAsEmpty, skippedAsEmpty]);
	});

	it('an identifier read through n8n (a complex expression) that evaluates to empty is skipped too', () => {
		const { context, getNodeParameter } = fakeContext(
			{ recordId: '={{ $json.record_id ?? $json.other }}' },
			(_, itemIndex) => (itemIndex === 0 ? 'abc-01' : ''),
		);
		const slots = readInputSlots(
			context,
			itemsOf({}, {}),
			{ record_id: 'recordId' },
			schema,
			labels,
			'record_id',
		);
		expect(slots).toEqual([{ kind: 'valid', value: { record_id: 'abc-01' } }, skippedAsEmpty]);
		expect(getNodeParameter).toHaveBeenCalledTimes(2);
	});

	it('an expression that fails is invalid, not skipped', () => {
		const { context } = fakeContext({ recordId: "={{ $('Match').item.json.record_id }}" }, () => {
			throw new Error("Node 'Match' hasn't been executed");
		});
		const slots = readInputSlots(
			context,
			itemsOf({}),
			{ record_id: 'recordId' },
			schema,
			labels,
			'record_id',
		);
		expect(slots).toEqual([
			{
				kind: 'invalid',
				field: 'record_id',
				message:
					"Record ID: the expression could not be evaluated: Node 'Match' hasn't been executed",
			},
		]);
	});
});
