import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { InputSlot } from '../bulk/types';
import { holdsUsableValue } from './standard-field-validity';

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
	return slots.map((slot, index) =>
		holdsAll(items[index].json, fields)
			? { kind: 'skipped', outcome: { kind: 'skipped', reason } }
			: slot,
	);
}

function holdsAll(json: IDataObject, fields: string[]): boolean {
	return fields.every((field) => holdsUsableValue(field, json[field]));
}
