import { describeRun, summarizeRun } from '../../../nodes/bulk/run-summary';
import type { ItemOutcome } from '../../../nodes/bulk/types';

const found: ItemOutcome = { kind: 'found', data: { id: 'a' } };
const skipped: ItemOutcome = { kind: 'skipped', reason: 'already has email (Options › Only Enrich Items Missing): not sent' };
const missing: ItemOutcome = { kind: 'skipped', reason: 'ID is empty, so there is nothing to look up: not sent', missingIdentifier: 'ID' };
const overLimit: ItemOutcome = { kind: 'overLimit', reason: 'Not sent: over the limit' };
const notSent: ItemOutcome = { kind: 'error', cause: 'notSent', message: 'Not sent: an earlier request to Explorium failed' };

describe('summarizeRun', () => {
	it('reports records sent, requests, and no credits (null) when the provider did not say', () => {
		expect(summarizeRun('Explorium', { recordsSent: 120, requests: 3 }, [found, found])).toEqual({
			provider: 'Explorium',
			records_sent: 120,
			requests: 3,
			credits_used: null,
			items_skipped: 0,
			items_not_sent: 0,
		});
	});

	it('counts skipped items (already complete or without identifier) and items held back by the limit', () => {
		const outcomes = [found, skipped, missing, overLimit, overLimit, overLimit, notSent, { kind: 'notFound', reason: 'none' } as ItemOutcome];
		expect(summarizeRun('ExactBuyer', { recordsSent: 2, requests: 1, creditsUsed: 1 }, outcomes)).toEqual({
			provider: 'ExactBuyer',
			records_sent: 2,
			requests: 1,
			credits_used: 1,
			items_skipped: 2,
			// An item not sent because a request failed is an error, not "not sent" by the limit.
			items_not_sent: 3,
		});
	});

	it('0 credits used is 0, not null', () => {
		expect(summarizeRun('ExactBuyer', { recordsSent: 0, requests: 1, creditsUsed: 0 }, []).credits_used).toBe(0);
	});
});

describe('describeRun', () => {
	it('one sentence: records sent and requests', () => {
		expect(describeRun(summarizeRun('Explorium', { recordsSent: 120, requests: 3 }, [found]))).toBe('Explorium: 120 records sent in 3 requests.');
	});

	it('adds the credits the provider reported, skipped items and items not sent, only when there are some', () => {
		const summary = summarizeRun('ExactBuyer', { recordsSent: 40, requests: 2, creditsUsed: 37 }, [found, skipped, missing, overLimit]);
		expect(describeRun(summary)).toBe(
			'ExactBuyer: 40 records sent in 2 requests; ExactBuyer reported 37 credits used; 2 items skipped; 1 item not sent (Max Records per Run).',
		);
	});

	it('reports 0 credits when the provider said 0', () => {
		expect(describeRun(summarizeRun('ExactBuyer', { recordsSent: 1, requests: 1, creditsUsed: 0 }, []))).toBe(
			'ExactBuyer: 1 record sent in 1 request; ExactBuyer reported 0 credits used.',
		);
	});

	it('says how long the run waited for the rate limit and how many 429s it got, only when it waited', () => {
		const summary = summarizeRun('Explorium', { recordsSent: 3000, requests: 60 }, [found]);
		expect(describeRun(summary, { waitedMs: 182_400, refusals: 12 })).toBe(
			'Explorium: 3000 records sent in 60 requests; waited 3 min 2 s for the rate limit (12 × 429).',
		);
		expect(describeRun(summary, { waitedMs: 45_000, refusals: 0 })).toBe('Explorium: 3000 records sent in 60 requests; waited 45 s for the rate limit.');
		expect(describeRun(summary, { waitedMs: 120_000, refusals: 1 })).toBe(
			'Explorium: 3000 records sent in 60 requests; waited 2 min for the rate limit (1 × 429).',
		);
		expect(describeRun(summary, { waitedMs: 300, refusals: 0 })).toBe('Explorium: 3000 records sent in 60 requests.');
	});

	it('a run that sent nothing', () => {
		expect(describeRun(summarizeRun('Pronto', { recordsSent: 0, requests: 0 }, [skipped, skipped]))).toBe(
			'Pronto: 0 records sent in 0 requests; 2 items skipped.',
		);
	});
});
