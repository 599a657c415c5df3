/**
 * Issue 26, points 1, 6 and 7, in real n8n-core executions against the simulator: no wait outlasts
 * the run's own budget (a 429's Retry-After, even one set by another run on the key, even absurd),
 * Enrich and Wait ends by its Max Wait, a cancelled run stops waiting behind another run's request,
 * and a provider with a window shorter than a minute is used near its real pace.
 */
import { sleep, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { ExactBuyer } from '../../nodes/ExactBuyer/ExactBuyer.node';
import { Pronto } from '../../nodes/Pronto/Pronto.node';
import { startSimulator } from '../simulator/server.cjs';
import { startWorkflow, toItems, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

// A simulator per test: the key's pace (a pause above all) is shared by every run on a key in this
// process, and the key is told by its Base URL too.
let simulator: Simulator;
beforeEach(async () => {
	simulator = await startSimulator();
});
afterEach(async () => await simulator.close());

const exactBuyer = (options: INodeParameters, inputItems: INodeExecutionData[]) =>
	startWorkflow({
		nodeTypes: [new ExactBuyer()],
		credentials: {
			bulkEnrichmentExactBuyerApi: {
				apiKey: simulator.apiKeys.exactbuyer,
				baseUrl: simulator.baseUrls.exactbuyer,
			},
		},
		inputItems,
		node: {
			type: 'n8n-nodes-bulk-enrichment.exactBuyer',
			parameters: {
				resource: 'contact',
				operation: 'bulkEnrich',
				fieldType: 'email',
				value: '={{ $json.email }}',
				options,
			},
			onError: 'continueRegularOutput',
		},
	});
const emails = (count: number, from = 0) =>
	toItems(Array.from({ length: count }, (_, n) => ({ email: `person${from + n}@example.com` })));

const pronto = (node: NodeUnderTest, inputItems: INodeExecutionData[]) =>
	startWorkflow({
		nodeTypes: [new Pronto()],
		credentials: {
			bulkEnrichmentProntoApi: {
				apiKey: simulator.apiKeys.pronto,
				baseUrl: simulator.baseUrls.pronto,
			},
		},
		inputItems,
		node: { type: 'n8n-nodes-bulk-enrichment.pronto', ...node },
	});
const people = (count: number, from = 0) =>
	toItems(
		Array.from({ length: count }, (_, n) => ({
			crm_id: `crm-${from + n}`,
			first_name: 'Ada',
			last_name: `Person${from + n}`,
			domain: 'example.com',
		})),
	);

async function timed<T>(run: Promise<T>): Promise<{ result: T; seconds: number }> {
	const started = Date.now();
	const result = await run;
	return { result, seconds: (Date.now() - started) / 1000 };
}

describe("1. no wait outlasts the run's Max Rate-Limit Wait", () => {
	it('Retry-After 90 s against a 1-minute budget: the run stops at once and says what it asked and what it waited', async () => {
		simulator.inject({
			provider: 'exactbuyer',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '90' },
		});
		const { result, seconds } = await timed(
			exactBuyer({ maxRateLimitWaitMinutes: 1 }, emails(3)).result,
		);
		expect(seconds).toBeLessThan(15);
		expect(result.outputs[0][0].json.error).toBe(
			'Not sent: the provider asks to wait 1 min 30 s more (Retry-After), longer than what is left of Options › Max Rate-Limit Wait (1 min); the run waited 0 s for the rate limit (this request was refused once); nothing was accepted, run these items again later [item 0]',
		);
	});

	it.each([
		['an hour', '3600'],
		['400 digits', '9'.repeat(400)],
		['an HTTP date a year ahead', new Date(Date.now() + 365 * 86_400_000).toUTCString()],
	])(
		'Retry-After of %s: paused at most 10 min, and another workflow on the key stops at once within its own budget',
		async (_name, retryAfter) => {
			simulator.inject({
				provider: 'exactbuyer',
				kind: 'status',
				status: 429,
				headers: { 'Retry-After': retryAfter },
			});
			const first = await timed(exactBuyer({ maxRateLimitWaitMinutes: 1 }, emails(1)).result);
			expect(first.result.outputs[0][0].json.error).toMatch(
				/^Not sent: the provider asks to wait 10 min more \(Retry-After\)/,
			);
			const second = await timed(exactBuyer({ maxRateLimitWaitMinutes: 1 }, emails(1, 10)).result);
			expect(first.seconds + second.seconds).toBeLessThan(15);
			expect(second.result.outputs[0][0].json.error).toMatch(
				/^Not sent: the provider asks to wait (9 min 5\d s|10 min) more \(Retry-After\), longer than what is left of Options › Max Rate-Limit Wait \(1 min\); the run waited 0 s for the rate limit;/,
			);
			expect(simulator.requestsTo('exactbuyer')).toHaveLength(1); // the second run sent nothing
		},
	);

	it('Enrich and Wait with Max Wait 3 s: a poll refused with Retry-After 30 leaves the input pending by Max Wait', async () => {
		simulator.inject({
			provider: 'pronto',
			method: 'GET',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '30' },
		});
		const node = {
			parameters: {
				resource: 'contact',
				operation: 'enrich',
				options: { pollIntervalSeconds: 1, maxWaitSeconds: 3 },
			},
		};
		const { result, seconds } = await timed(pronto(node, people(1)).result);
		expect(seconds).toBeLessThan(10);
		expect(result.status).toBe('success');
		expect(result.outputs[0][0].json.enrichment_status).toBe('pending');
	});
});

describe("6. a cancelled run does not wait behind another run's request on the key", () => {
	it("Pronto: run B, waiting for an answer to run A's slow request, ends within seconds of its cancel, sending nothing", async () => {
		simulator.inject({ provider: 'pronto', kind: 'latency', ms: 20_000 });
		const node = {
			parameters: {
				resource: 'contact',
				operation: 'enrich',
				options: { pollIntervalSeconds: 1, maxWaitSeconds: 30 },
			},
		};
		const first = pronto(node, people(1));
		await first.nodeStarted;
		await sleep(500);
		const second = pronto(node, people(1, 10));
		await second.nodeStarted;
		await sleep(1000);
		const cancelledAt = Date.now();
		second.cancel();
		const result = await second.result;
		expect((Date.now() - cancelledAt) / 1000).toBeLessThan(5);
		expect(result.status).toBe('canceled');
		expect(simulator.requestsTo('pronto')).toHaveLength(1); // A's only
		first.cancel();
		await first.result;
	});
});

describe('7. a provider window shorter than a minute', () => {
	it('ExactBuyer allowing 30 requests per 3 s: 120 requests end near the 12 s that allows, not at a pace learned per minute', async () => {
		simulator.setRateLimit('exactbuyer', { limit: 30, windowMs: 3000 });
		simulator.inject({ provider: 'exactbuyer', kind: 'latency', ms: 300, times: Infinity });
		const { result, seconds } = await timed(
			exactBuyer({ batchSize: 1, concurrency: 10 }, emails(120)).result,
		);
		expect(result.outputs[0].filter((item) => item.json.error !== undefined)).toEqual([]);
		expect(simulator.requestsTo('exactbuyer').filter((call) => call.status !== 429)).toHaveLength(
			120,
		);
		// About 12 s at the provider's real bound (the first 30 at once); today's pace took 180 s.
		expect(seconds).toBeLessThan(30);
	}, 60_000);
});
