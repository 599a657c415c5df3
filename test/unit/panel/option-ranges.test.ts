/**
 * Issue 28: each number option is declared once, so the range the panel offers is the range the
 * reader accepts (Max Retry Wait and Request Timeout once had a reader maximum the panel lacked).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	bulkNumberOptions,
	readBulkSettings,
	OptionValues,
	type NumberOption,
} from '../../../nodes/bulk/bulk-options';
import { ExactBuyer } from '../../../nodes/ExactBuyer/ExactBuyer.node';
import { EXACTBUYER } from '../../../nodes/ExactBuyer/adapter/provider';
import { Explorium } from '../../../nodes/Explorium/Explorium.node';
import { EXPLORIUM } from '../../../nodes/Explorium/adapter/provider';
import {
	maxWaitOption,
	pollIntervalOption,
} from '../../../nodes/Pronto/actions/contact/enrich.operation';
import { PRONTO } from '../../../nodes/Pronto/adapter/provider';
import { Pronto } from '../../../nodes/Pronto/Pronto.node';
import { NODE } from '../bulk/helpers';

const contextWith = (options: Record<string, unknown>) =>
	({
		getNode: () => NODE,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name === 'options' ? options : fallback,
		continueOnFail: () => false,
	}) as unknown as IExecuteFunctions;

/** Every number option of every Options collection of the three nodes, with the node's name. */
const panelNumberOptions = [new Explorium(), new ExactBuyer(), new Pronto()].flatMap((node) =>
	node.description.properties
		.filter((property) => property.name === 'options')
		.flatMap((collection) => collection.options as INodeProperties[])
		.filter((option) => option.type === 'number')
		.map((option): [string, INodeProperties] => [
			`${node.description.displayName} ${option.displayName}`,
			option,
		]),
);

const LIMITS = [EXPLORIUM, EXACTBUYER, PRONTO].flatMap((provider) => [
	provider.limits,
	{ ...provider.limits, maxBatchSize: 1, minBatchSize: 1 },
]);
const declarations: NumberOption[] = [
	...LIMITS.flatMap((limits) => Object.values(bulkNumberOptions(limits))),
	maxWaitOption,
	pollIntervalOption,
];

describe('number options: the panel range is the reader range', () => {
	it('finds the options (each node has several)', () => {
		expect(panelNumberOptions.length).toBeGreaterThan(20);
	});

	it.each(panelNumberOptions)(
		'%s has a panel minimum and maximum that a declaration reads with',
		(_, option) => {
			const { minValue, maxValue } = option.typeOptions ?? {};
			expect(typeof minValue).toBe('number');
			expect(typeof maxValue).toBe('number');
			const declared = declarations.filter(
				(declaration) =>
					declaration.name === option.name &&
					declaration.min === minValue &&
					declaration.max === maxValue,
			);
			expect(declared.length).toBeGreaterThan(0);
		},
	);

	it.each(LIMITS.map((limits) => [limits.maxBatchSize, limits.maxConcurrency, limits] as const))(
		'the shared options (batch size %p, concurrency %p): the reader takes both ends and refuses beyond',
		(_batch, _concurrency, limits) => {
			for (const option of Object.values(bulkNumberOptions(limits))) {
				const read = (value: number) => () =>
					readBulkSettings(contextWith({ [option.name]: value }), limits);
				expect(read(option.min)).not.toThrow();
				expect(read(option.max)).not.toThrow();
				const label = `Options › ${option.displayName}:`;
				expect(read(option.min - 1)).toThrow(label);
				expect(read(option.max + 1)).toThrow(label);
			}
		},
	);

	it.each([maxWaitOption, pollIntervalOption])(
		"Pronto Enrich and Wait's $displayName",
		(option) => {
			const read = (value: number) => () =>
				OptionValues.read(contextWith({ [option.name]: value })).number(option);
			expect(read(option.max)()).toBe(option.max);
			expect(read(option.max + 1)).toThrow(`Options › ${option.displayName}:`);
			expect(read(option.min - 1)).toThrow(`Options › ${option.displayName}:`);
		},
	);
});
