/**
 * Issue 26 point 12, through real n8n-core executions: under On Error "Continue", a run refused
 * before anything is sent (an option out of range, Retry On Fail on, no item with an identifier, a
 * Webhook URL the probe refuses, a bad credential Base URL) gives one error item per input item,
 * paired to it, never the input items passed through unchanged.
 */
import type { IDataObject, INodeParameters, NodeParameterValue } from 'n8n-workflow';

import { ExactBuyer } from '../../nodes/ExactBuyer/ExactBuyer.node';
import { Pronto } from '../../nodes/Pronto/Pronto.node';
import { startCallbackReceiver } from '../simulator/callback-receiver.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runWorkflow, toItems, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type OnError = 'continueRegularOutput' | 'continueErrorOutput';

let simulator: Simulator;
let notATrigger: Awaited<ReturnType<typeof startCallbackReceiver>>;

beforeAll(async () => {
	simulator = await startSimulator();
	// n8n's answer for a webhook no published workflow serves.
	notATrigger = await startCallbackReceiver({
		status: 404,
		body: { code: 404, message: 'The requested webhook "GET abc/callback" is not registered.' },
	});
});
afterAll(async () => {
	await simulator.close();
	await notATrigger.close();
});
beforeEach(() => simulator.reset());

const people: IDataObject[] = [0, 1, 2].map((n) => ({
	crm_id: `crm-${n}`,
	first_name: 'Ada',
	last_name: `Person${n}`,
	domain: 'example.com',
	email: `person${n}@example.com`,
}));

interface Refusal {
	provider: 'exactbuyer' | 'pronto';
	node: Omit<NodeUnderTest, 'onError'>;
	baseUrl?: string;
	reason: RegExp;
}

const exactBuyerBulk = (parameters: INodeParameters = {}): NodeUnderTest['parameters'] => ({
	resource: 'contact',
	operation: 'bulkEnrich',
	fieldType: 'email',
	value: '={{ $json.email }}',
	...parameters,
});

const refusals: Array<[string, Refusal]> = [
	[
		'Batch Size 0',
		{
			provider: 'exactbuyer',
			node: { parameters: exactBuyerBulk({ options: { batchSize: 0 } }) },
			reason: /^Options › Batch Size: must be a whole number/,
		},
	],
	[
		'Retry On Fail on',
		{
			provider: 'exactbuyer',
			node: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0, parameters: exactBuyerBulk() },
			reason: /^Turn off "Retry On Fail"/,
		},
	],
	[
		'no item with an identifier',
		{
			provider: 'exactbuyer',
			node: { parameters: exactBuyerBulk({ value: '={{ $json.mail }}' }) },
			reason: /^No item has a Value/,
		},
	],
	[
		'a credential Base URL that is no URL',
		{
			provider: 'exactbuyer',
			node: { parameters: exactBuyerBulk() },
			baseUrl: 'not a url',
			reason: /^The Base URL of the/,
		},
	],
	[
		'a Webhook URL the probe refuses',
		{
			provider: 'pronto',
			node: { parameters: { resource: 'contact', operation: 'bulkEnrich', webhookUrl: '' } },
			reason: /^Webhook URL: no published workflow listens at/,
		},
	],
];

async function runRefused(refusal: Refusal, onError: OnError) {
	const { provider, baseUrl } = refusal;
	const parameters = { ...refusal.node.parameters } as Record<
		string,
		NodeParameterValue | INodeParameters
	>;
	if (provider === 'pronto') parameters.webhookUrl = `${notATrigger.url}/webhook/abc/callback`;
	const credentialType =
		provider === 'pronto' ? 'bulkEnrichmentProntoApi' : 'bulkEnrichmentExactBuyerApi';
	return await runWorkflow({
		nodeTypes: [provider === 'pronto' ? new Pronto() : new ExactBuyer()],
		credentials: {
			[credentialType]: {
				apiKey: simulator.apiKeys[provider],
				baseUrl: baseUrl ?? simulator.baseUrls[provider],
			},
		},
		inputItems: toItems(people),
		node: {
			type: `n8n-nodes-bulk-enrichment.${provider === 'pronto' ? 'pronto' : 'exactBuyer'}`,
			...refusal.node,
			parameters,
			onError,
		},
	});
}

describe('a run refused before sending, under On Error "Continue": one error item per input item', () => {
	it.each(refusals)(
		'%s, Continue: each item says error and why, beside its own fields',
		async (_, refusal) => {
			const result = await runRefused(refusal, 'continueRegularOutput');

			expect(result.status).toBe('success');
			const output = result.outputs[0];
			expect(output).toHaveLength(people.length);
			output.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json).toMatchObject({ ...people[index], enrichment_status: 'error' });
				expect(item.json.error).toMatch(refusal.reason);
				expect(item.json.error).toContain(`[item ${index}]`);
			});
			expect(simulator.requests).toHaveLength(0);
		},
	);

	it.each(refusals)(
		'%s, Continue (using error output): every item on the error output, none passed through',
		async (_, refusal) => {
			const result = await runRefused(refusal, 'continueErrorOutput');

			expect(result.status).toBe('success');
			expect(result.outputs[0] ?? []).toHaveLength(0);
			const errors = result.outputs[1];
			expect(errors).toHaveLength(people.length);
			errors.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				// n8n merges the input item's fields back in on the error output.
				expect(item.json).toMatchObject(people[index]);
				expect(item.json.error).toMatch(refusal.reason);
			});
			expect(simulator.requests).toHaveLength(0);
		},
	);
});
