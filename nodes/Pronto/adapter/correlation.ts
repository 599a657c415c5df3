import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../../bulk/values';

/** Added to every contact's `custom`, echoed in its callback; user keys with it are refused. */
export const CORRELATION_PREFIX = 'n8n_bulk_';

export const CORRELATION_FIELDS = {
	/** The (first) input item the contact came from. */
	itemIndex: `${CORRELATION_PREFIX}item_index`,
	/** Every input item the contact stands for (identical contacts are sent once). */
	itemIndexes: `${CORRELATION_PREFIX}item_indexes`,
	executionId: `${CORRELATION_PREFIX}execution_id`,
	/** One id per node run, so two runs of one execution (loops) are told apart. */
	runId: `${CORRELATION_PREFIX}run_id`,
} as const;

/** Splits an echoed `custom` into the correlation fields and what the user sent. */
export function splitCorrelation(custom: unknown) {
	const correlation: IDataObject = {};
	const userCustom: IDataObject = {};
	if (!isPlainObject(custom)) return { correlation, userCustom };
	for (const [key, value] of Object.entries(custom)) {
		if (key.startsWith(CORRELATION_PREFIX)) correlation[key] = value;
		else userCustom[key] = value;
	}
	return { correlation, userCustom };
}
