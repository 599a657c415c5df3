import type { IDataObject } from 'n8n-workflow';

import type { RateWindow } from './rate-limiter';
import { describeDuration } from './values';
import type { ItemOutcome } from './types';

/** What one node run sent, across every endpoint it ran (a match and an enrichment count together). */
export interface RunTotals {
	/** Distinct inputs in requests the provider accepted, on endpoints that cost credits. */
	recordsSent: number;
	/** Distinct inputs in accepted requests to free endpoints, or whose answer reported 0 credits used. */
	recordsSentFree?: number;
	requests: number;
	/** Items whose input equalled an earlier item's: sent once, they share its answer. */
	duplicateItems?: number;
	creditsUsed?: number;
}

/**
 * What one node run did, as written to the first output item's `enrichment_run`: how many items
 * were found, not found, submitted, pending, failed, skipped or held back; records sent (paid and
 * free), HTTP requests, duplicates sent once, and credits used where the provider's answers say so
 * (null otherwise).
 */
export function summarizeRun(
	providerName: string,
	totals: RunTotals,
	outcomes: ItemOutcome[],
): IDataObject {
	const itemsOf = (kind: ItemOutcome['kind']) =>
		outcomes.filter((outcome) => outcome.kind === kind).length;
	return {
		provider: providerName,
		items_found: itemsOf('found'),
		items_not_found: itemsOf('notFound'),
		items_submitted: itemsOf('submitted'),
		items_pending: itemsOf('pending'),
		items_error: itemsOf('error'),
		items_skipped: itemsOf('skipped'),
		items_not_sent: itemsOf('overLimit'),
		records_sent: totals.recordsSent,
		records_sent_free: totals.recordsSentFree ?? 0,
		duplicates_sent_once: totals.duplicateItems ?? 0,
		requests: totals.requests,
		credits_used: totals.creditsUsed ?? null,
	};
}

/** Item counts in the hint, in this order; a count of zero is left out. */
const ITEM_COUNTS: Array<[field: string, label: (count: number) => string]> = [
	['items_found', () => 'found'],
	['items_not_found', () => 'not found'],
	['items_submitted', () => 'submitted'],
	['items_pending', () => 'pending'],
	['items_error', (errors) => (errors === 1 ? 'error' : 'errors')],
	['items_skipped', () => 'skipped'],
	['items_not_sent', () => 'not sent (Max Records per Run)'],
];

/**
 * The summary as one sentence for the editor's output pane: what became of the items, what was
 * sent (and whether it was free), duplicates sent once, credits, and the wait for the rate limit.
 * e.g. "Explorium: 147 found, 3 not found; 150 records sent in 3 requests, free."
 */
export function describeRun(
	summary: IDataObject,
	rateWait: { waitedMs: number; refusals: number } = { waitedMs: 0, refusals: 0 },
	window?: RateWindow,
	refusedStatusCodes: number[] = [],
): string {
	const counts = ITEM_COUNTS.map(([field, label]) => [Number(summary[field] ?? 0), label] as const)
		.filter(([items]) => items > 0)
		.map(([items, label]) => `${items} ${label(items)}`);
	const items = counts.length > 0 ? counts.join(', ') : 'no items';
	const duplicates = Number(summary.duplicates_sent_once ?? 0);
	const shared =
		duplicates > 0
			? `; ${count(duplicates, 'duplicate item')} sent once (${duplicates === 1 ? 'it shares' : 'they share'} an answer)`
			: '';
	const credits =
		summary.credits_used === null || summary.credits_used === undefined
			? ''
			: `; ${summary.provider} reported ${count(summary.credits_used, 'credit')} used`;
	return `${summary.provider}: ${items}; ${describeSending(summary, refusedStatusCodes)}${shared}${credits}${describeRateWait(rateWait)}${describeLeastTime(summary, window)}.`;
}

/**
 * "; at Explorium's 200 records a minute per key, 600 records take at least 2 min": where the
 * provider counts records, a large run takes time whatever the settings, and the user should know
 * why (20 000 ids take over an hour and a half).
 */
function describeLeastTime(summary: IDataObject, window: RateWindow | undefined): string {
	if (window?.unit !== 'record') return '';
	const records = Number(summary.records_sent ?? 0) + Number(summary.records_sent_free ?? 0);
	if (records <= window.limit) return '';
	const leastMs = ((records - window.limit) / window.limit) * window.windowMs;
	const rate = window.windowMs === 60_000 ? 'a minute' : `per ${describeDuration(window.windowMs)}`;
	return `; at ${String(summary.provider)}'s ${window.limit} records ${rate} per key, ${records} records take at least ${describeDuration(leastMs)}`;
}

/**
 * "140 records sent in 3 requests", "… (and 150 free)", "150 records sent in 3 requests, free",
 * "nothing sent", and the requests the provider refused: "1 request refused (HTTP 401)".
 */
function describeSending(summary: IDataObject, refusedStatusCodes: number[]): string {
	const paid = Number(summary.records_sent ?? 0);
	const free = Number(summary.records_sent_free ?? 0);
	const requests = Number(summary.requests ?? 0) - refusedStatusCodes.length;
	const statuses = [...new Set(refusedStatusCodes.filter((status) => status >= 400))]
		.sort((a, b) => a - b)
		.map((status) => `HTTP ${status}`);
	const refused =
		refusedStatusCodes.length > 0
			? `${count(refusedStatusCodes.length, 'request')} refused${statuses.length > 0 ? ` (${statuses.join(', ')})` : ''}`
			: '';
	if (requests <= 0) return refused || 'nothing sent';
	const inRequests = `in ${count(requests, 'request')}`;
	const sent =
		paid === 0 && free > 0
			? `${count(free, 'record')} sent ${inRequests}, free`
			: `${count(paid, 'record')} sent${free > 0 ? ` (and ${free} free)` : ''} ${inRequests}`;
	return refused ? `${sent}; ${refused}` : sent;
}

/**
 * "; waited 3 min 5 s for the rate limit (12 × 429)": how long requests of the run were held back
 * by the provider's rate limit (whole seconds; nothing under one second).
 */
function describeRateWait({ waitedMs, refusals }: { waitedMs: number; refusals: number }): string {
	const refused = refusals > 0 ? ` (${refusals} × 429)` : '';
	if (waitedMs < 500)
		return refusals > 0 ? `; ${refusals} × 429 from the provider's rate limit` : '';
	return `; waited ${describeDuration(waitedMs)} for the rate limit${refused}`;
}

/** "1 record", "2 records". */
function count(value: unknown, noun: string): string {
	return `${String(value)} ${noun}${value === 1 ? '' : 's'}`;
}
