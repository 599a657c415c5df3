import type { IExecuteFunctions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { readInputSlots } from '../../../nodes/bulk/operation';
import {
	createParameterReader,
	NEEDS_EXPRESSION_ENGINE,
	parseJsonPathAlternatives,
	parseSimpleJsonPath,
	readPath,
} from '../../../nodes/bulk/read-parameters';
import { prospectIdLabels, prospectIdSchema } from '../../../nodes/Explorium/adapter/schemas';
import { NODE, prospectId } from './helpers';

/** The part of IExecuteFunctions the readers use; `getNodeParameter` stands in for n8n's evaluation. */
function fakeContext(parameters: INodeParameters, items: INodeExecutionData[]) {
	const getNodeParameter = jest.fn((path: string, itemIndex: number, fallback?: unknown) => {
		let value: unknown = parameters;
		for (const segment of path.split('.'))
			value = (value as Record<string, unknown> | undefined)?.[segment];
		if (value === undefined) return fallback;
		// A stand-in for n8n's expression engine, enough for these tests.
		if (value === '={{ $json.id.toUpperCase() }}')
			return String(items[itemIndex].json.id).toUpperCase();
		return value;
	});
	const context = {
		getNode: () => ({ ...NODE, parameters }),
		getNodeParameter,
	} as unknown as IExecuteFunctions;
	return { context, getNodeParameter };
}

const manyItems = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, n) => ({
		json: { id: `id-${n}`, nested: { list: [`first-${n}`] }, 'first name': `Name ${n}` },
	}));

describe('parseSimpleJsonPath', () => {
	it.each<[string, string[]]>([
		['={{ $json.a }}', ['a']],
		['={{$json.a.b}}', ['a', 'b']],
		['={{ $json["first name"] }}', ['first name']],
		["={{ $json['first name'].x }}", ['first name', 'x']],
		['={{ $json.list[0] }}', ['list', '0']],
		['={{ $json.a[ 12 ].b_c.$d }}', ['a', '12', 'b_c', '$d']],
		['={{  $json.a  }}', ['a']],
	])('accepts %s', (expression, path) => {
		expect(parseSimpleJsonPath(expression)).toEqual(path);
	});

	it.each([
		'={{ $json.a.trim() }}',
		'=x {{ $json.a }}',
		"={{ $('Node').item.json.a }}",
		'={{ $json }}',
		'={{ $json.a }} {{ $json.b }}',
		'={{ $json.a + 1 }}',
		'={{ $json[0 + 1] }}',
		'={{ $json.a || "x" }}',
		'={{ $json.a || $json.b }}',
		'={{ $json.1a }}',
		'={{ $input.item.json.a }}',
		'{{ $json.a }}',
		'$json.a',
		// Text outside the braces, even a space, makes n8n return a string.
		'=  {{ $json.a }}',
		'={{ $json.a }} ',
		// Properties n8n's expression sandbox refuses: n8n must say so, not the fast path read them.
		'={{ $json.constructor }}',
		'={{ $json.constructorName }}',
		'={{ $json.prototype }}',
		'={{ $json["__proto__"] }}',
		'={{ $json.a.caller }}',
	])('rejects %s', (expression) => {
		expect(parseSimpleJsonPath(expression)).toBeUndefined();
	});
});

describe('readPath', () => {
	it('reads nested objects and arrays, undefined for anything missing', () => {
		const json = { a: { b: [{ c: 1 }] }, s: 'text', n: null };
		expect(readPath(json, ['a', 'b', '0', 'c'])).toBe(1);
		expect(readPath(json, ['a', 'x', 'y'])).toBeUndefined();
		expect(readPath(json, ['n', 'x'])).toBeUndefined();
		expect(readPath(json, ['s'])).toBe('text');
		expect(readPath(undefined, ['a'])).toBeUndefined();
	});

	it('leaves steps into strings and inherited members to the expression engine', () => {
		const json = { s: 'text', list: [1, 2], o: {} };
		expect(readPath(json, ['s', 'length'])).toBe(NEEDS_EXPRESSION_ENGINE);
		expect(readPath(json, ['s', '0'])).toBe(NEEDS_EXPRESSION_ENGINE);
		expect(readPath(json, ['o', 'toString'])).toBe(NEEDS_EXPRESSION_ENGINE);
		expect(readPath(json, ['list', 'length'])).toBe(2);
		expect(readPath(json, ['o', 'missing'])).toBeUndefined();
	});
});

describe('parseJsonPathAlternatives', () => {
	it.each<[string, string[][] | undefined]>([
		['={{ $json.a }}', [['a']]],
		['={{ $json.company_domain || $json.domain }}', [['company_domain'], ['domain']]],
		['={{ $json.a ||$json.b.c|| $json["x y"] }}', [['a'], ['b', 'c'], ['x y']]],
		['={{ $json.a || "x" }}', undefined],
		['={{ $json.a | $json.b }}', undefined],
		['={{ $json.a ?? $json.b }}', undefined],
		['={{ $json["a||b"] }}', undefined],
		['={{ $json.a || $json.constructorName }}', undefined],
		['={{ $json.a || $json.caller }}', undefined],
	])('%s', (expression, paths) => {
		expect(parseJsonPathAlternatives(expression)).toEqual(paths);
	});
});

describe('createParameterReader', () => {
	const items = manyItems(1000);

	it('reads a fixed value once for 1000 items', () => {
		const { context, getNodeParameter } = fakeContext({ prospectId: 'fixed-value' }, items);
		const read = createParameterReader(context, items, 'prospectId', '');
		const values = items.map((_, n) => read(n));
		expect(values.every((value) => value === 'fixed-value')).toBe(true);
		expect(getNodeParameter).toHaveBeenCalledTimes(1);
		expect(getNodeParameter).toHaveBeenCalledWith('prospectId', 0, '');
	});

	it('resolves a simple $json path from the item and never calls getNodeParameter', () => {
		const { context, getNodeParameter } = fakeContext(
			{
				prospectId: '={{ $json.id }}',
				name: '={{ $json["first name"] }}',
				first: '={{ $json.nested.list[0] }}',
			},
			items,
		);
		const readId = createParameterReader(context, items, 'prospectId', '');
		const readName = createParameterReader(context, items, 'name', '');
		const readFirst = createParameterReader(context, items, 'first', '');
		expect(items.map((_, n) => readId(n))).toEqual(items.map((_, n) => `id-${n}`));
		expect(readName(7)).toBe('Name 7');
		expect(readFirst(999)).toBe('first-999');
		expect(getNodeParameter).not.toHaveBeenCalled();
	});

	it('evaluates any other expression per item with n8n', () => {
		const { context, getNodeParameter } = fakeContext(
			{ prospectId: '={{ $json.id.toUpperCase() }}' },
			items,
		);
		const read = createParameterReader(context, items, 'prospectId', '');
		expect(items.map((_, n) => read(n))).toEqual(items.map((_, n) => `ID-${n}`));
		expect(getNodeParameter).toHaveBeenCalledTimes(1000);
		expect(getNodeParameter).toHaveBeenNthCalledWith(1000, 'prospectId', 999, '');
	});

	it('resolves alternatives `$json.a || $json.b` (the defaults) from the item: the first truthy, else the last, as JavaScript has it', () => {
		const rows: INodeExecutionData[] = [
			{ json: { company_domain: 'ours.com', domain: 'crm.com' } },
			{ json: { company_domain: '', domain: 'crm.com' } },
			{ json: { domain: 'crm.com' } },
			{ json: { company_domain: null } },
			{ json: { company_domain: '', domain: '' } },
		];
		const { context, getNodeParameter } = fakeContext(
			{ domain: '={{ $json.company_domain || $json.domain }}' },
			rows,
		);
		const read = createParameterReader(context, rows, 'domain', '');
		expect(rows.map((_, n) => read(n))).toEqual(['ours.com', 'crm.com', 'crm.com', undefined, '']);
		expect(getNodeParameter).not.toHaveBeenCalled();
	});

	it('alternatives that step into a string go to n8n for that item', () => {
		const rows: INodeExecutionData[] = [
			{ json: { a: '', b: 'x' } },
			{ json: { a: '', b: 'text' } },
		];
		const { context, getNodeParameter } = fakeContext(
			{ p: '={{ $json.a || $json.b.length }}' },
			rows,
		);
		const read = createParameterReader(context, rows, 'p', '');
		read(0);
		expect(getNodeParameter).toHaveBeenCalledTimes(1);
	});

	it('evaluates with n8n only the items whose path steps into a string', () => {
		const mixed: INodeExecutionData[] = [
			{ json: { name: { first: 'Ada' } } },
			{ json: { name: 'Ada Lovelace' } },
		];
		const { context, getNodeParameter } = fakeContext({ first: '={{ $json.name.first }}' }, mixed);
		const read = createParameterReader(context, mixed, 'first', '');
		expect(read(0)).toBe('Ada');
		read(1);
		expect(getNodeParameter).toHaveBeenCalledTimes(1);
		expect(getNodeParameter).toHaveBeenCalledWith('first', 1, '');
	});

	it('reads parameters inside collections by their dotted path', () => {
		const { context, getNodeParameter } = fakeContext(
			{ person: { email: '={{ $json.id }}', phone: '+1 415' } },
			items,
		);
		expect(createParameterReader(context, items, 'person.email')(3)).toBe('id-3');
		const readPhone = createParameterReader(context, items, 'person.phone');
		expect([readPhone(0), readPhone(1)]).toEqual(['+1 415', '+1 415']);
		expect(getNodeParameter).toHaveBeenCalledTimes(1);
	});

	it('falls back to getNodeParameter per item when the parameter is not stored, or holds an expression deeper down', () => {
		const { context, getNodeParameter } = fakeContext({ list: ['a', '={{ $json.id }}'] }, items);
		const readMissing = createParameterReader(context, items, 'absent', 'fallback');
		expect([readMissing(0), readMissing(1)]).toEqual(['fallback', 'fallback']);
		const readList = createParameterReader(context, items, 'list');
		readList(0);
		readList(1);
		expect(getNodeParameter).toHaveBeenCalledTimes(4);
	});
});

describe('readInputSlots', () => {
	it('reads and validates each item, naming the field of invalid ones', () => {
		const items: INodeExecutionData[] = [
			{ json: { prospect_id: prospectId(1).toUpperCase() } },
			{ json: { prospect_id: 'nope' } },
			{ json: {} },
		];
		const { context, getNodeParameter } = fakeContext(
			{ prospectId: '={{ $json.prospect_id }}' },
			items,
		);
		const slots = readInputSlots(
			context,
			items,
			{ prospect_id: 'prospectId' },
			prospectIdSchema,
			prospectIdLabels,
		);
		expect(slots).toEqual([
			{ kind: 'valid', value: { prospect_id: prospectId(1) } },
			{
				kind: 'invalid',
				field: 'prospect_id',
				message:
					'Prospect ID: must be 40 hexadecimal characters (an Explorium prospect id) (got "nope")',
			},
			{
				kind: 'invalid',
				field: 'prospect_id',
				message: 'Prospect ID: is required (the prospect id from a match) (no value)',
				// Nothing came from the item: the parameter may read a name the item does not have.
				description: expect.stringMatching(
					/^Nothing reached Prospect ID for this item\. .* probably mapped to the wrong field/,
				),
			},
		]);
		expect(getNodeParameter).not.toHaveBeenCalled();
	});
});
