import { NodeOperationError, type INode } from 'n8n-workflow';

import type { InputSlot } from './types';

/**
 * An empty identifier is a row with nothing to look up (e.g. one Match did not find), but when no
 * item at all has one, the field is almost certainly mapped wrong: fail before sending anything.
 * Items skipped as already complete (`finalSlots`, after a session part's skip) need no identifier.
 */
export function assertSomeItemHasIdentifier<T>(
	node: INode,
	readSlots: Array<InputSlot<T>>,
	finalSlots: Array<InputSlot<T>>,
): void {
	const missingOutcomeOf = (slot: InputSlot<T>) =>
		slot.kind === 'skipped' &&
		slot.outcome.kind === 'skipped' &&
		slot.outcome.missingIdentifier !== undefined
			? slot.outcome
			: undefined;
	if (readSlots.length === 0 || !readSlots.every((slot) => missingOutcomeOf(slot) !== undefined))
		return;
	const stillMissing = finalSlots.map(missingOutcomeOf).find((outcome) => outcome !== undefined);
	if (!stillMissing) return;
	const label = stillMissing.missingIdentifier as string;
	const otherWay = stillMissing.otherWay
		? ` If the items have no ${label} but other details, use ${stillMissing.otherWay}.`
		: '';
	throw new NodeOperationError(
		node,
		`No item has a ${label}: all ${readSlots.length} were empty, so nothing was sent. The ${label} parameter is probably mapped to the wrong field.`,
		{
			description: `Check the ${label} expression against the input items' field names.${otherWay} If the previous node (e.g. Match) really found none of these records, there is nothing to enrich.`,
		},
	);
}
