import { NodeOperationError, type IDataObject, type INode, type INodeExecutionData } from 'n8n-workflow';

import { holdsUsableValue } from '../shared/standard-field-validity';
import type { InputSlot } from './types';

/**
 * Only Enrich Items Missing: an item that already holds every one of `fields` is not sent (it
 * costs nothing) and passes through as skipped, whatever its other inputs are. A value that fails
 * its field's own validation (an email `@@`) is not held: that item is sent, and its original value
 * stays visible (a provider's value that takes its place keeps it under `enrichment_replaced`).
 */
export function skipItemsAlreadyHolding<T>(
	items: INodeExecutionData[],
	slots: Array<InputSlot<T>>,
	fields: string[],
): Array<InputSlot<T>> {
	if (fields.length === 0) return slots;
	const reason = `already has ${fields.join(', ')} (Options › Only Enrich Items Missing): not sent`;
	return slots.map((slot, index) => (holdsAll(items[index].json, fields) ? { kind: 'skipped', outcome: { kind: 'skipped', reason } } : slot));
}

function holdsAll(json: IDataObject, fields: string[]): boolean {
	return fields.every((field) => holdsUsableValue(field, json[field]));
}

/**
 * An empty identifier is a row with nothing to look up (e.g. one Match did not find), but when no
 * item at all has one, the field is almost certainly mapped wrong: fail before sending anything.
 * Items skipped as already complete need no identifier.
 */
export function assertSomeItemHasIdentifier<T>(node: INode, readSlots: Array<InputSlot<T>>, finalSlots: Array<InputSlot<T>>): void {
	const missingIdentifierOf = (slot: InputSlot<T>) =>
		slot.kind === 'skipped' && slot.outcome.kind === 'skipped' ? slot.outcome.missingIdentifier : undefined;
	if (readSlots.length === 0 || !readSlots.every((slot) => missingIdentifierOf(slot) !== undefined)) return;
	const stillMissing = finalSlots.find((slot) => missingIdentifierOf(slot) !== undefined);
	if (!stillMissing) return;
	const label = missingIdentifierOf(stillMissing) as string;
	throw new NodeOperationError(
		node,
		`No item has a ${label}: all ${readSlots.length} were empty, so nothing was sent. The ${label} parameter is probably mapped to the wrong field.`,
		{
			description: `Check the ${label} expression against the input items' field names. If the previous node (e.g. Match) really found none of these records, there is nothing to enrich.`,
		},
	);
}
