import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../../bulk/values';

/**
 * Fields the Pronto node adds to every contact's `custom` and Pronto echoes back in its callback, so
 * a callback can be joined to the run and input item that sent it. Prefixed so they cannot clash
 * with the user's own `custom` keys (a user key with this prefix is refused before sending).
 */
export const CORRELATION_PREFIX = 'n8n_bulk_';

export const CORRELATION_FIELDS = {
	/** Index of the (first) input item the contact came from, in the sending node's input. */
	itemIndex: `${CORRELATION_PREFIX}item_index`,
	/** Every input item the contact stands for (identical contacts are sent once). */
	itemIndexes: `${CORRELATION_PREFIX}item_indexes`,
	/** The n8n execution that sent the contact. */
	executionId: `${CORRELATION_PREFIX}execution_id`,
	/** One id per node run, so two runs of one execution (loops) are told apart. */
	runId: `${CORRELATION_PREFIX}run_id`,
} as const;

export interface Correlation {
	itemIndexes: number[];
	executionId: string;
	runId: string;
}

/** The correlation fields as sent in `custom` (and shown on the sending node's output items). */
export function correlationFields(correlation: Correlation): IDataObject {
	return {
		[CORRELATION_FIELDS.itemIndex]: correlation.itemIndexes[0],
		[CORRELATION_FIELDS.itemIndexes]: correlation.itemIndexes,
		[CORRELATION_FIELDS.executionId]: correlation.executionId,
		[CORRELATION_FIELDS.runId]: correlation.runId,
	};
}

/** The user's `custom` with the correlation fields added. */
export function withCorrelation(
	userCustom: IDataObject | undefined,
	correlation: Correlation,
): IDataObject {
	return { ...(userCustom ?? {}), ...correlationFields(correlation) };
}

/** Splits an echoed `custom` into the correlation fields and what the user sent. */
export function splitCorrelation(custom: unknown): {
	correlation: IDataObject;
	userCustom: IDataObject;
} {
	const correlation: IDataObject = {};
	const userCustom: IDataObject = {};
	if (!isPlainObject(custom)) return { correlation, userCustom };
	for (const [key, value] of Object.entries(custom)) {
		if (key.startsWith(CORRELATION_PREFIX)) correlation[key] = value;
		else userCustom[key] = value;
	}
	return { correlation, userCustom };
}
