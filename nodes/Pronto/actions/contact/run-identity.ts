import { randomUUID } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { InputSlot } from '../../../bulk/types';
import { CORRELATION_FIELDS } from '../../adapter/correlation';
import type { ProntoContact } from '../../adapter/schemas';

/** The execution and a fresh id for this node run, sent with every contact for correlation. */
export function runIdentity(context: IExecuteFunctions): { executionId: string; runId: string } {
	return { executionId: String(context.getExecutionId() ?? ''), runId: randomUUID() };
}

/**
 * Callbacks arrive in another execution: without a Custom value they carry only this run's
 * execution and item index, which a CRM cannot join on. Said once per run, before results arrive.
 */
export function hintWhenCustomIsEmpty(
	context: IExecuteFunctions,
	slots: Array<InputSlot<ProntoContact>>,
): void {
	const anyCustom = slots.some(
		(slot) =>
			slot.kind === 'valid' &&
			slot.value.custom !== undefined &&
			Object.keys(slot.value.custom).length > 0,
	);
	if (anyCustom || !slots.some((slot) => slot.kind === 'valid')) return;
	context.addExecutionHints?.({
		message: `Custom is empty, so Pronto's callbacks will carry only ${CORRELATION_FIELDS.executionId} and ${CORRELATION_FIELDS.itemIndex} to join results by. To match them to your records, put your CRM record ID in Custom, e.g. {{ { crm_id: $json.id } }}: each callback brings it back under custom.`,
		type: 'info',
		location: 'outputPane',
	});
}
