/**
 * Issue 27 point 9, through real n8n-core executions against the simulator: the first request on a
 * key in a run goes alone and the rest follow its answer, so a wrong key costs one refused request
 * (n8n itself sends a request answered 401 once more), not a burst of Concurrent Requests.
 */
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { ExactBuyer } from '../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../nodes/Explorium/Explorium.node';
import { Pronto } from '../../nodes/Pronto/Pronto.node';
import { startCallbackReceiver } from '../simulator/callback-receiver.cjs';
import { prospectIdFor } from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runWorkflow, toItems, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type ProviderName = 'explorium' | 'pronto' | 'exactbuyer';

let simulator: Simulator;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

beforeAll(async () => {
	simulator = await startSimulator();
	receiver = await startCallbackReceiver();
});
afterAll(async () => {
	await simulator.close();
	await receiver.close();
});
beforeEach(() => simulator.reset());

const ROWS = 500;

interface Case {
	provider: ProviderName;
	nodeType: INodeType;
	credentialType: string;
	node: () => NodeUnderTest;
	rows: (n: number) => IDataObject;
	bulkPath: string;
}

const cases: Array<[string, Case]> = [
	[
		'Explorium Enrich Contacts (20 at once)',
		{
			provider: 'explorium',
			nodeType: new Explorium(),
			credentialType: 'bulkEnrichmentExploriumApi',
			node: () => ({
				type: 'n8n-nodes-bulk-enrichment.explorium',
				parameters: {
					resource: 'prospect',
					operation: 'enrichContacts',
					identifyBy: 'prospectId',
					options: { concurrency: 20 },
				},
			}),
			rows: (n) => ({ prospect_id: prospectIdFor({ email: `person${n}@example.com` }) }),
			bulkPath: '/enrich',
		},
	],
	[
		'ExactBuyer Bulk Enrich (10 at once)',
		{
			provider: 'exactbuyer',
			nodeType: new ExactBuyer(),
			credentialType: 'bulkEnrichmentExactBuyerApi',
			node: () => ({
				type: 'n8n-nodes-bulk-enrichment.exactBuyer',
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					fieldType: 'email',
					value: '={{ $json.email }}',
					options: { batchSize: 50, concurrency: 10 },
				},
			}),
			rows: (n) => ({ email: `person${n}@example.com` }),
			bulkPath: '/v1/bulk-enrich',
		},
	],
	[
		'Pronto Bulk Enrich (5 at once)',
		{
			provider: 'pronto',
			nodeType: new Pronto(),
			credentialType: 'bulkEnrichmentProntoApi',
			node: () => ({
				type: 'n8n-nodes-bulk-enrichment.pronto',
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					webhookUrl: `${receiver.url}/pronto-callback`,
					options: { batchSize: 20, concurrency: 5 },
				},
			}),
			rows: (n) => ({
				first_name: 'Ada',
				last_name: `Person${n}`,
				domain: 'example.com',
				linkedin_url: `https://www.linkedin.com/in/ada-person-${n}`,
			}),
			bulkPath: '/contacts/bulk_enrich',
		},
	],
];

async function run(
	c: Case,
	apiKey: string,
	inputItems: INodeExecutionData[] = toItems(Array.from({ length: ROWS }, (_, n) => c.rows(n))),
) {
	return await runWorkflow({
		nodeTypes: [c.nodeType],
		credentials: { [c.credentialType]: { apiKey, baseUrl: simulator.baseUrls[c.provider] } },
		inputItems,
		node: { ...c.node(), onError: 'continueRegularOutput' },
	});
}

const hintsOf = (result: Awaited<ReturnType<typeof run>>) =>
	(result.taskData?.hints ?? []).map((hint) => hint.message);

describe('a wrong key on a 500-row run: the first request goes alone, the rest are never sent', () => {
	it.each(cases)(
		'%s: one request refused, every item errors, the hint says "1 request refused (HTTP 401)"',
		async (_, c) => {
			const result = await run(c, 'wrong-key-for-test');

			// Before, up to Concurrent Requests went out at once, every one refused.
			expect(simulator.requestsTo(c.provider, c.bulkPath).map((request) => request.status)).toEqual(
				[401],
			);
			const output = result.outputs[0];
			expect(output).toHaveLength(ROWS);
			for (const item of output) expect(item.json.enrichment_status).toBe('error');
			expect(hintsOf(result)).toContainEqual(
				expect.stringMatching(/; 1 request refused \(HTTP 401\)\.$/),
			);
		},
	);

	it.each(cases)('%s with the right key: every chunk is still sent', async (_, c) => {
		const result = await run(c, simulator.apiKeys[c.provider]);

		expect(result.outputs[0]).toHaveLength(ROWS);
		expect(
			result.outputs[0].filter((item) => item.json.enrichment_status === 'error'),
		).toHaveLength(0);
		expect(simulator.requestsTo(c.provider, c.bulkPath).length).toBeGreaterThan(1);
	});
});

describe('a wrong Base URL path on a 20-row ExactBuyer Enrich, 5 at once: the first look-up goes alone', () => {
	it('its 404 and the free probe of the same path stop the run before the others are sent', async () => {
		const result = await runWorkflow({
			nodeTypes: [new ExactBuyer()],
			credentials: {
				bulkEnrichmentExactBuyerApi: {
					apiKey: simulator.apiKeys.exactbuyer,
					baseUrl: `${simulator.baseUrls.exactbuyer}/nowhere`,
				},
			},
			inputItems: toItems(
				Array.from({ length: 20 }, (_, n) => ({ email: `person${n}@example.com` })),
			),
			node: {
				type: 'n8n-nodes-bulk-enrichment.exactBuyer',
				parameters: {
					resource: 'contact',
					operation: 'enrich',
					fieldType: 'email',
					value: '={{ $json.email }}',
					options: { concurrency: 5 },
				},
				onError: 'continueRegularOutput',
			},
		});

		expect(result.outputs[0].map((item) => item.json.enrichment_status)).toEqual(
			Array.from({ length: 20 }, () => 'error'),
		);
		// The first look-up and its probe; before, the first five look-ups went at once.
		expect(simulator.requestsTo('exactbuyer')).toHaveLength(2);
	});
});
