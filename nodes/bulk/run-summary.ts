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

/** The summary as one sentence for the editor's output pane, with the wait for the rate limit when there was one. */
export function describeRun(summary: IDataObject, rateWait: { waitedMs: number; refusals: number } = { waitedMs: 0, refusals: 0 }): string {
	const credits = summary.credits_used === null ? '' : `; ${summary.provider} reported ${count(summary.credits_used, 'credit')} used`;
	const skipped = summary.items_skipped ? `; ${count(summary.items_skipped, 'item')} skipped` : '';
	const notSent = summary.items_not_sent ? `; ${count(summary.items_not_sent, 'item')} not sent (Max Records per Run)` : '';
	return `${summary.provider}: ${count(summary.records_sent, 'record')} sent in ${count(summary.requests, 'request')}${credits}${skipped}${notSent}${describeRateWait(rateWait)}.`;
}

/**
 * "; waited 3 min 5 s for the rate limit (12 × 429)": how long requests of the run were held back
 * by the provider's rate limit (whole seconds; nothing under one second).
 */
function describeRateWait({ waitedMs, refusals }: { waitedMs: number; refusals: number }): string {
	const seconds = Math.round(waitedMs / 1000);
	const refused = refusals > 0 ? ` (${refusals} × 429)` : '';
	if (seconds < 1) return refusals > 0 ? `; ${refusals} × 429 from the provider's rate limit` : '';
	const minutes = Math.floor(seconds / 60);
	const time = minutes > 0 ? `${minutes} min${seconds % 60 ? ` ${seconds % 60} s` : ''}` : `${seconds} s`;
	return `; waited ${time} for the rate limit${refused}`;
}

/** "1 record", "2 records". */
function count(value: unknown, noun: string): string {
	return `${String(value)} ${noun}${value === 1 ? '' : 's'}`;
}
