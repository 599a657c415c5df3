import { describeRun, summarizeRun } from '../../../nodes/bulk/bulk-session';
import type { ItemOutcome } from '../../../nodes/bulk/types';

const found: ItemOutcome = { kind: 'found', data: { id: 'a' } };
const skipped: ItemOutcome = {
	kind: 'skipped',
	reason: 'already has email (Options › Only Enrich Items Missing): not sent',
};
const missing: ItemOutcome = {
	kind: 'skipped',
	reason: 'ID is empty, so there is nothing to look up: not sent',
	missingIdentifier: 'ID',
};
const overLimit: ItemOutcome = { kind: 'overLimit', reason: 'Not sent: over the limit' };
const notSent: ItemOutcome = {
	kind: 'error',
	cause: 'notSent',
	message: 'Not sent: an earlier request to Explorium failed',
};

const notFound: ItemOutcome = { kind: 'notFound', reason: 'none' };
const submitted: ItemOutcome = { kind: 'submitted', data: { enrichment_id: 'e1' } };
const pending: ItemOutcome = { kind: 'pending', reason: 'still running', data: {} };
const requestError: ItemOutcome = {
	kind: 'error',
	cause: 'request',
	message: 'Explorium request failed (HTTP 400): bad request',
	httpCode: '400',
};
const times = (count: number, outcome: ItemOutcome): ItemOutcome[] =>
	Array.from({ length: count }, () => outcome);

describe('summarizeRun', () => {
	it('reports item counts, records sent, requests, and no credits (null) when the provider did not say', () => {
		expect(summarizeRun('Explorium', { recordsSent: 120, requests: 3 }, [found, found])).toEqual({
			provider: 'Explorium',
			items_found: 2,
			items_not_found: 0,
			items_submitted: 0,
			items_pending: 0,
			items_error: 0,
			items_skipped: 0,
			items_not_sent: 0,
			records_sent: 120,
			records_sent_free: 0,
			duplicates_sent_once: 0,
			requests: 3,
			credits_used: null,
		});
	});

	it('counts each kind of outcome; an item not sent because a request failed is an error, not "not sent" by the limit', () => {
		const outcomes = [
			found,
			skipped,
			missing,
			overLimit,
			overLimit,
			overLimit,
			notSent,
			notFound,
			submitted,
			pending,
			pending,
		];
		expect(
			summarizeRun('ExactBuyer', { recordsSent: 2, requests: 1, creditsUsed: 1 }, outcomes),
		).toMatchObject({
			items_found: 1,
			items_not_found: 1,
			items_submitted: 1,
			items_pending: 2,
			items_error: 1,
			items_skipped: 2,
			items_not_sent: 3,
			credits_used: 1,
		});
	});

	it('free records and duplicates sent once are counted apart from paid records', () => {
		const summary = summarizeRun(
			'Explorium',
			{ recordsSent: 5, recordsSentFree: 9, requests: 4, duplicateItems: 3 },
			[found],
		);
		expect(summary).toMatchObject({
			records_sent: 5,
			records_sent_free: 9,
			duplicates_sent_once: 3,
		});
	});

	it('0 credits used is 0, not null', () => {
		expect(
			summarizeRun('ExactBuyer', { recordsSent: 0, requests: 1, creditsUsed: 0 }, []).credits_used,
		).toBe(0);
	});
});

describe('describeRun', () => {
	it('one sentence: what became of the items, then records sent and requests', () => {
		const outcomes = [...times(117, found), ...times(3, notFound)];
		expect(
			describeRun(summarizeRun('Explorium', { recordsSent: 120, requests: 3 }, outcomes)),
		).toBe('Explorium: 117 found, 3 not found; 120 records sent in 3 requests.');
	});

	it('counts errors, skipped items and items not sent, only when there are some', () => {
		const summary = summarizeRun('ExactBuyer', { recordsSent: 40, requests: 2, creditsUsed: 37 }, [
			found,
			requestError,
			skipped,
			missing,
			overLimit,
		]);
		expect(describeRun(summary)).toBe(
			'ExactBuyer: 1 found, 1 error, 2 skipped, 1 not sent (Max Records per Run); 40 records sent in 2 requests; ExactBuyer reported 37 credits used.',
		);
		const twoErrors = summarizeRun('ExactBuyer', { recordsSent: 0, requests: 1 }, [
			requestError,
			notSent,
		]);
		expect(describeRun(twoErrors)).toBe('ExactBuyer: 2 errors; 0 records sent in 1 request.');
	});

	it('a refused request is named as such, not as "0 records sent" (issue 27 point 9)', () => {
		const refusedKey = summarizeRun(
			'Explorium',
			{ recordsSent: 0, requests: 1 },
			times(500, requestError),
		);
		expect(describeRun(refusedKey, undefined, undefined, [401])).toBe(
			'Explorium: 500 errors; 1 request refused (HTTP 401).',
		);
		const mixed = summarizeRun('Pronto', { recordsSent: 98, requests: 4 }, [
			...times(98, submitted),
			requestError,
		]);
		expect(describeRun(mixed, undefined, undefined, [422, 403])).toBe(
			'Pronto: 98 submitted, 1 error; 98 records sent in 2 requests; 2 requests refused (HTTP 403, HTTP 422).',
		);
		// A refusal inside a 2xx answer has no status to name.
		expect(describeRun(refusedKey, undefined, undefined, [0])).toBe(
			'Explorium: 500 errors; 1 request refused.',
		);
	});

	it('records sent free (a match Explorium reported at 0 credits) say what was matched and that it cost nothing, not "0 records sent"', () => {
		const outcomes = [...times(147, found), ...times(3, notFound)];
		expect(
			describeRun(
				summarizeRun('Explorium', { recordsSent: 0, recordsSentFree: 150, requests: 3 }, outcomes),
			),
		).toBe('Explorium: 147 found, 3 not found; 150 records sent in 3 requests, free.');
	});

	it('a match sent free (0 credits reported) followed by an enrichment names both the paid and the free records', () => {
		const summary = summarizeRun(
			'Explorium',
			{ recordsSent: 147, recordsSentFree: 150, requests: 6 },
			[...times(147, found), ...times(3, notFound)],
		);
		expect(describeRun(summary)).toBe(
			'Explorium: 147 found, 3 not found; 147 records sent (and 150 free) in 6 requests.',
		);
	});

	it('says when duplicates were sent once, so fewer answers than items is not a loss', () => {
		const summary = summarizeRun(
			'Pronto',
			{ recordsSent: 136, requests: 2, duplicateItems: 10 },
			times(146, submitted),
		);
		expect(describeRun(summary)).toBe(
			'Pronto: 146 submitted; 136 records sent in 2 requests; 10 duplicate items sent once (they share an answer).',
		);
		const one = summarizeRun(
			'Pronto',
			{ recordsSent: 2, requests: 1, duplicateItems: 1 },
			times(3, submitted),
		);
		expect(describeRun(one)).toBe(
			'Pronto: 3 submitted; 2 records sent in 1 request; 1 duplicate item sent once (it shares an answer).',
		);
	});

	it('reports 0 credits when the provider said 0', () => {
		expect(
			describeRun(
				summarizeRun('ExactBuyer', { recordsSent: 1, requests: 1, creditsUsed: 0 }, [notFound]),
			),
		).toBe(
			'ExactBuyer: 1 not found; 1 record sent in 1 request; ExactBuyer reported 0 credits used.',
		);
	});

	it('says how long the run waited for the rate limit and how many 429s it got, only when it waited', () => {
		const summary = summarizeRun('Explorium', { recordsSent: 3000, requests: 60 }, [found]);
		expect(describeRun(summary, { waitedMs: 182_400, refusals: 12 })).toBe(
			'Explorium: 1 found; 3000 records sent in 60 requests; waited 3 min 2 s for the rate limit (12 × 429).',
		);
		expect(describeRun(summary, { waitedMs: 45_000, refusals: 0 })).toBe(
			'Explorium: 1 found; 3000 records sent in 60 requests; waited 45 s for the rate limit.',
		);
		expect(describeRun(summary, { waitedMs: 120_000, refusals: 1 })).toBe(
			'Explorium: 1 found; 3000 records sent in 60 requests; waited 2 min for the rate limit (1 × 429).',
		);
		expect(describeRun(summary, { waitedMs: 300, refusals: 0 })).toBe(
			'Explorium: 1 found; 3000 records sent in 60 requests.',
		);
	});

	it('where the provider counts records, a run past one window says how long that rate takes at the least', () => {
		const window = { limit: 200, windowMs: 60_000, unit: 'record' as const };
		const outcomes = times(600, found);
		expect(
			describeRun(
				summarizeRun('Explorium', { recordsSent: 600, requests: 12 }, outcomes),
				{ waitedMs: 119_000, refusals: 0 },
				window,
			),
		).toBe(
			"Explorium: 600 found; 600 records sent in 12 requests; waited 1 min 59 s for the rate limit; at Explorium's 200 records a minute per key, 600 records take at least 2 min.",
		);
		expect(
			describeRun(
				summarizeRun('Explorium', { recordsSent: 200, requests: 4 }, times(200, found)),
				undefined,
				window,
			),
		).toBe('Explorium: 200 found; 200 records sent in 4 requests.');
		expect(
			describeRun(summarizeRun('ExactBuyer', { recordsSent: 5000, requests: 5 }, []), undefined, {
				...window,
				unit: 'request',
			}),
		).toBe('ExactBuyer: no items; 5000 records sent in 5 requests.');
	});

	it('a run that sent nothing', () => {
		expect(
			describeRun(summarizeRun('Pronto', { recordsSent: 0, requests: 0 }, [skipped, skipped])),
		).toBe('Pronto: 2 skipped; nothing sent.');
		expect(describeRun(summarizeRun('Pronto', { recordsSent: 0, requests: 0 }, []))).toBe(
			'Pronto: no items; nothing sent.',
		);
	});
});
