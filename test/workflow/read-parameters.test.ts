/**
 * createParameterReader's fast path (reading `={{ $json.… }}` straight from the item) against
 * n8n-core's own evaluation of the same parameter: a probe node reads each expression both ways,
 * for every item, inside a real execution, and the two must agree — values and errors alike.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { createParameterReader } from '../../nodes/bulk/read-parameters';
import { runWorkflow, toItems } from './harness';

const PROBE_TYPE = 'parameterReaderProbe';

/** What one item's parameter read gave: its value, or the error it threw. */
type Read = { value: unknown } | { threw: string };

function readSafely(read: () => unknown): Read {
	try {
		return { value: read() };
	} catch (error) {
		return { threw: error instanceof Error ? error.message : String(error) };
	}
}

/** Reads `value` for every item through createParameterReader and through getNodeParameter. */
class ParameterReaderProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Parameter Reader Probe',
		name: PROBE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Reads one parameter per item two ways',
		defaults: { name: 'Parameter Reader Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		let engineCalls = 0;
		// The reader's own calls into n8n (its fallback) are counted: the fast path must really be taken.
		const counting = {
			getNode: () => this.getNode(),
			getNodeParameter: (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
				engineCalls++;
				return this.getNodeParameter(...args);
			},
		} as unknown as IExecuteFunctions;
		const reader = createParameterReader(counting, items, 'value', '');
		const reads = items.map((_, itemIndex) => ({
			fast: readSafely(() => reader(itemIndex)),
			engine: readSafely(() => this.getNodeParameter('value', itemIndex, '')),
		}));
		return [
			reads.map((read, itemIndex) => ({
				json: { ...read, engineCalls } as IDataObject,
				pairedItem: { item: itemIndex },
			})),
		];
	}
}

/** Items with every kind of value the fast path has to answer like JavaScript (falsy ones above all). */
const ITEMS: IDataObject[] = [
	{ email: 'ada@example.com', alt: 'lovelace@example.com' },
	{ email: '', alt: 'alt@example.com' },
	{ email: 0, alt: 'zero@example.com' },
	{ email: null, alt: null },
	{ email: false, alt: '' },
	{ email: '', alt: 0 },
	{},
	{
		email: 'x',
		nested: { list: ['first', 'second'], deep: { a: 1, b: null } },
		'first name': 'Ada',
		arr: [1, 2, 3],
	},
	{ nested: null },
	{ nested: 'a string, not an object' },
	{ nested: { list: 'text' } },
	{ email: ['a@example.com', 'b@example.com'] },
	{ email: { address: 'a@example.com' } },
	{ email: 12.5, str: 'hello' },
	{ email: true, arr: [] },
	{ email: '  padded  ' },
	{ email: 'own', constructor: 'own field' },
	{ 'first name': '', nested: { list: [] } },
	{
		binding: 'a field named like a Node.js internal',
		prototype: 'p',
		caller: 'c',
		constructorName: 'Acme',
	},
];

/** Fast-path candidates (simple `$json` paths and their `||` alternatives) and what must fall back. */
const EXPRESSIONS = [
	'={{ $json.email }}',
	'={{$json.email}}',
	'={{ $json.email }} ',
	'={{ $json.email || $json.alt }}',
	'={{ $json.alt || $json.email }}',
	'={{ $json.email || $json.alt || $json.missing }}',
	'={{ $json.missing || $json.email }}',
	'={{ $json.missing }}',
	'={{ $json.missing.deeper }}',
	'={{ $json.nested }}',
	'={{ $json.nested.list }}',
	'={{ $json.nested.list[0] }}',
	'={{ $json.nested.list[5] }}',
	'={{ $json.nested.deep.a }}',
	'={{ $json.nested.deep.b }}',
	'={{ $json["first name"] }}',
	"={{ $json['first name'] }}",
	'={{ $json.arr[1] }}',
	'={{ $json.email.length }}',
	'={{ $json.str.length }}',
	'={{ $json.constructor }}',
	'={{ $json.constructorName }}',
	'={{ $json.binding }}',
	'={{ $json["prototype"] }}',
	'={{ $json.caller || $json.email }}',
	'= {{ $json.email }}',
	'={{ $json.email }}\n',
	'={{ $json.email.trim() }}',
	'={{ $json.email || "fallback" }}',
	'=fixed {{ $json.email }}',
	'plain text',
	'',
];

/** Expressions the reader answers without n8n's engine, at least for items whose path is plain data. */
const FAST_PATH = new Set([...EXPRESSIONS.slice(0, 2), ...EXPRESSIONS.slice(3, 20)]);

describe("createParameterReader agrees with n8n-core's own evaluation", () => {
	const items = toItems(ITEMS);

	it.each(EXPRESSIONS.map((expression) => [expression]))(
		'%j: the same value (or error) for every item',
		async (expression) => {
			const result = await runWorkflow({
				nodeTypes: [new ParameterReaderProbe()],
				inputItems: items,
				node: { type: PROBE_TYPE, parameters: { value: expression } },
			});
			expect(result.error).toBeUndefined();
			const output = result.outputs[0];
			expect(output).toHaveLength(ITEMS.length);
			output.forEach((item, itemIndex) => {
				expect({ itemIndex, read: item.json.fast }).toStrictEqual({
					itemIndex,
					read: item.json.engine,
				});
			});
			const engineCalls = output[0].json.engineCalls as number;
			if (FAST_PATH.has(expression)) {
				// Plain data answers without the engine; only items where JavaScript would do more (a
				// string's `.length`) fall back.
				expect(engineCalls).toBeLessThan(ITEMS.length);
			} else if (!expression.startsWith('=')) {
				expect(engineCalls).toBe(1); // a fixed value is read once
			} else {
				expect(engineCalls).toBe(ITEMS.length);
			}
		},
	);
});
