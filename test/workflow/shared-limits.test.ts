/**
 * Two executions in one process on the same API key share its rate window (issue 8): against a
 * simulator that enforces a sliding window, two concurrent runs together cause no 429.
 */
import { EXPLORIUM } from '../../nodes/Explorium/adapter/provider';
import { Explorium } from '../../nodes/Explorium/Explorium.node';
import { prospectIdFor } from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { startWorkflow, toItems } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
let simulator: Simulator;

beforeAll(async () => {
	simulator = await startSimulator();
});
afterAll(async () => await simulator.close());

const knownProspectId = (n: number) => prospectIdFor({ email: `person${n}@example.com` }) as string;

it('two concurrent runs on one key stay inside its window together: no 429, every item found', async () => {
	// Explorium's 200 a minute, scaled to 200 in 3 s on both sides so the test waits out one window, not
	// a minute (this file's own module copy of the provider: no other test sees the change).
	EXPLORIUM.limits.rateLimit = { limit: 200, windowMs: 3000, unit: 'record' };
	simulator.setRateLimit('explorium', { limit: 200, windowMs: 3000 });
	const run = (offset: number) =>
		startWorkflow({
			nodeTypes: [new Explorium()],
			credentials: {
				bulkEnrichmentExploriumApi: {
					apiKey: simulator.apiKeys.explorium,
					baseUrl: simulator.baseUrls.explorium,
				},
			},
			inputItems: toItems(
				Array.from({ length: 160 }, (_, n) => ({ prospect_id: knownProspectId(offset + n) })),
			),
			node: {
				type: 'n8n-nodes-bulk-enrichment.explorium',
				parameters: {
					resource: 'prospect',
					operation: 'enrichContacts',
					identifyBy: 'prospectId',
					options: { batchSize: 1, concurrency: 20 },
				},
			},
		}).result;
	const [first, second] = await Promise.all([run(0), run(1000)]);

	expect(first.status).toBe('success');
	expect(second.status).toBe('success');
	const calls = simulator.requestsTo('explorium', '/enrich');
	expect(calls).toHaveLength(320);
	expect(calls.filter((call) => call.status === 429)).toHaveLength(0);
	// Together they filled the window and then waited for it: neither run had a window of its own.
	const started = calls.map((call) => call.receivedAt).sort((a, b) => a - b);
	expect(started[200] - started[0]).toBeGreaterThanOrEqual(2900);
	for (const result of [first, second])
		expect(result.outputs[0].every((item) => item.json.enrichment_status === 'found')).toBe(true);
}, 30_000);
