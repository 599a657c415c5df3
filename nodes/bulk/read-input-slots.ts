import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from 'zod';

import { isBlank } from '../shared/is-blank';
import { createParameterReader } from './read-parameters';
import type { InputSlot } from './types';
import { validateInput, type FieldLabels } from './validate-input';

/** Where each input field comes from: a node parameter path, read per item. */
export type FieldSources = Record<string, string>;

/**
 * Reads every item's input fields from the node's parameters and validates them with the schema.
 * With `identifierField`, an item whose identifier is empty (e.g. a row Match did not find) is
 * skipped, not an error: there is nothing to look up. `otherWay` names another way the operation can
 * identify items, suggested when none has the identifier.
 */
export function readInputSlots<T>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	sources: FieldSources,
	schema: ZodType<T, ZodTypeDef, unknown>,
	labels: FieldLabels,
	identifierField?: string,
	otherWay?: string,
): Array<InputSlot<T>> {
	const readers = Object.entries(sources).map(
		([field, parameterPath]) =>
			[field, createParameterReader(context, items, parameterPath, '')] as const,
	);
	return items.map((_, itemIndex): InputSlot<T> => {
		const raw: Record<string, unknown> = {};
		for (const [field, read] of readers) {
			try {
				raw[field] = read(itemIndex);
			} catch (error) {
				// One item's expression error (e.g. a node it names did not run for it) fails that item only.
				const reason = error instanceof Error ? error.message : String(error);
				return {
					kind: 'invalid',
					field,
					message: `${labels[field] ?? field}: the expression could not be evaluated: ${reason}`,
				};
			}
		}
		if (identifierField !== undefined && isBlank(raw[identifierField])) {
			const label = labels[identifierField] ?? identifierField;
			const reason = `${label} is empty, so there is nothing to look up: not sent`;
			return {
				kind: 'skipped',
				outcome: {
					kind: 'skipped',
					reason,
					missingIdentifier: label,
					...(otherWay ? { otherWay } : {}),
				},
			};
		}
		return validateInput(schema, raw, labels);
	});
}
