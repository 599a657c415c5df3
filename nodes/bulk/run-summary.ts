import type { IDataObject } from 'n8n-workflow';

import type { ItemOutcome } from './types';

/**
 * What one node run sent and spent, as written to every output item's `enrichment_run`: records
 * sent (distinct inputs in requests the provider accepted, on endpoints that cost credits), HTTP
 * requests, credits used where the provider's answers say so (null otherwise), and how many items
 * were skipped or held back.
 */
export function summarizeRun(
	providerName: string,
	totals: { recordsSent: number; requests: number; creditsUsed?: number },
	outcomes: ItemOutcome[],
): IDataObject {
	return {
		provider: providerName,
		records_sent: totals.recordsSent,
		requests: totals.requests,
		credits_used: totals.creditsUsed ?? null,
		items_skipped: outcomes.filter((outcome) => outcome.kind === 'skipped').length,
		items_not_sent: outcomes.filter((outcome) => outcome.kind === 'overLimit').length,
	};
}

/** The summary as one sentence for the editor's output pane. */
export function describeRun(summary: IDataObject): string {
	const credits = summary.credits_used === null ? '' : `; ${summary.provider} reported ${count(summary.credits_used, 'credit')} used`;
	const skipped = summary.items_skipped ? `; ${count(summary.items_skipped, 'item')} skipped` : '';
	const notSent = summary.items_not_sent ? `; ${count(summary.items_not_sent, 'item')} not sent (Max Records per Run)` : '';
	return `${summary.provider}: ${count(summary.records_sent, 'record')} sent in ${count(summary.requests, 'request')}${credits}${skipped}${notSent}.`;
}

/** "1 record", "2 records". */
function count(value: unknown, noun: string): string {
	return `${String(value)} ${noun}${value === 1 ? '' : 's'}`;
}
