/**
 * Safety, round two (issue 17), through real n8n-core executions against the simulator over HTTP:
 * n8n's own Retry On Fail must never buy a record twice, and a credential Test must never carry
 * the key across a redirect.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ExactBuyer } from '../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../nodes/Explorium/Explorium.node';
import { webhookTokenFor } from '../../nodes/Pronto/adapter/webhook-token';
import { Pronto } from '../../nodes/Pronto/Pronto.node';
import { startSimulator } from '../simulator/server.cjs';
import {
	runWorkflow,
	startWorkflow,
	testCredential,
	toItems,
	waitFor,
	type NodeUnderTest,
} from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

let simulator: Simulator;

beforeAll(async () => {
	simulator = await startSimulator({ callbackDelayMs: 20 });
});
afterAll(async () => {
	await simulator.close();
});
beforeEach(() => simulator.reset());

/** n8n's "Retry On Fail" node setting, as the editor saves it (3 tries; n8n waits at least 1 s between them). */
const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } as const;

function people(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, n) => ({
		first_name: 'Ada',
		last_name: `Person${n}`,
		domain: 'example.com',
		email: `person${n}@example.com`,
	}));
}

async function runPronto(node: NodeUnderTest, inputItems: INodeExecutionData[]) {
	return await runWorkflow({
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
}

async function runExactBuyer(node: NodeUnderTest, inputItems: INodeExecutionData[]) {
	return await runWorkflow({
		nodeTypes: [new ExactBuyer()],
		credentials: {
			bulkEnrichmentExactBuyerApi: {
				apiKey: simulator.apiKeys.exactbuyer,
				baseUrl: simulator.baseUrls.exactbuyer,
			},
		},
		inputItems,
		node: { type: 'n8n-nodes-bulk-enrichment.exactBuyer', ...node },
	});
}

async function runExplorium(node: NodeUnderTest, inputItems: INodeExecutionData[]) {
	return await runWorkflow({
		nodeTypes: [new Explorium()],
		credentials: {
			bulkEnrichmentExploriumApi: {
				apiKey: simulator.apiKeys.explorium,
				baseUrl: simulator.baseUrls.explorium,
			},
		},
		inputItems,
		node: { type: 'n8n-nodes-bulk-enrichment.explorium', ...node },
	});
}

describe("n8n's Retry On Fail never buys a record twice", () => {
	it('Pronto Bulk Enrich whose second chunk answers 500: nothing is sent, the error says why', async () => {
		// The first chunk goes through (a latency fault of 0 ms uses up the first match), the second answers 500.
		simulator.inject({ provider: 'pronto', path: '/contacts/bulk_enrich', kind: 'latency', ms: 0 });
		simulator.inject({
			provider: 'pronto',
			path: '/contacts/bulk_enrich',
			kind: 'status',
			status: 500,
		});
		const result = await runPronto(
			{
				...RETRY_ON_FAIL,
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					webhookUrl: 'https://n8n.example.invalid/webhook/pronto',
				},
			},
			toItems(people(150)),
		);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Retry On Fail/);
		expect(result.error?.description).toMatch(/Nothing was sent/);
		expect(result.error?.description).toMatch(/retries each request safely by itself/);
		// Every contact is paid for when enqueued: not one request may reach Pronto.
		expect(simulator.requestsTo('pronto')).toHaveLength(0);
	});

	it('Pronto Enrich and Wait of a lone contact after a connection reset: single_enrich is never sent twice', async () => {
		simulator.inject({ provider: 'pronto', path: '/contacts/single_enrich', kind: 'reset' });
		const result = await runPronto(
			{
				...RETRY_ON_FAIL,
				parameters: {
					resource: 'contact',
					operation: 'enrich',
					options: { maxWaitSeconds: 2, pollIntervalSeconds: 1 },
				},
			},
			toItems(people(1)),
		);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Retry On Fail/);
		expect(simulator.requestsTo('pronto', '/contacts/single_enrich')).toHaveLength(0);
	});

	it('ExactBuyer Bulk Enrich: refused before the first request, whatever happens later', async () => {
		simulator.inject({
			provider: 'exactbuyer',
			path: '/v1/bulk-enrich',
			kind: 'status',
			status: 503,
		});
		const result = await runExactBuyer(
			{
				...RETRY_ON_FAIL,
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					fieldType: 'email',
					value: '={{ $json.email }}',
					options: { batchSize: 10 },
				},
			},
			toItems(people(30)),
		);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Retry On Fail/);
		expect(simulator.requestsTo('exactbuyer')).toHaveLength(0);
	});

	it('Explorium Enrich Contacts (person details) is refused too, and so is Match (it spends credits)', async () => {
		const enrich = await runExplorium(
			{
				...RETRY_ON_FAIL,
				parameters: {
					resource: 'prospect',
					operation: 'enrichContacts',
					identifyBy: 'personDetails',
					email: '={{ $json.email }}',
				},
			},
			toItems(people(3)),
		);
		expect(enrich.status).toBe('error');
		expect(enrich.error?.message).toMatch(/Retry On Fail/);
		expect(simulator.requestsTo('explorium', '/enrich')).toHaveLength(0);

		simulator.reset();
		const match = await runExplorium(
			{
				...RETRY_ON_FAIL,
				parameters: { resource: 'prospect', operation: 'match', email: '={{ $json.email }}' },
			},
			toItems(people(3)),
		);
		expect(match.status).toBe('error');
		expect(match.error?.message).toMatch(/Retry On Fail/);
		expect(simulator.requestsTo('explorium')).toHaveLength(0);
	});
});

describe('a credential Test never follows a redirect with the key', () => {
	const cases = [
		{
			credentialType: 'bulkEnrichmentExploriumApi',
			provider: 'explorium',
			header: 'api_key',
			path: '/v2/credits',
		},
		{
			credentialType: 'bulkEnrichmentProntoApi',
			provider: 'pronto',
			header: 'x-api-key',
			path: '/credits',
		},
		{
			credentialType: 'bulkEnrichmentExactBuyerApi',
			provider: 'exactbuyer',
			header: 'x-api-key',
			path: '/v1/enrich',
		},
	] as const;

	let elsewhere: Simulator;
	beforeAll(async () => {
		elsewhere = await startSimulator();
	});
	afterAll(async () => await elsewhere.close());
	beforeEach(() => elsewhere.reset());

	it.each(cases)(
		'$credentialType: a 302 to another port is reported, and the key never reaches it',
		async (c) => {
			// The other "host" (another loopback port) would answer the test request with success.
			const target = `${elsewhere.baseUrls[c.provider]}${c.path}`;
			simulator.inject({
				provider: c.provider,
				path: c.path,
				kind: 'status',
				status: 302,
				headers: { Location: target },
				body: '',
			});

			const result = await testCredential(c.credentialType, {
				apiKey: simulator.apiKeys[c.provider],
				baseUrl: simulator.baseUrls[c.provider],
			});

			expect(elsewhere.requests).toHaveLength(0);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/redirect/i);
			expect(result.message).toMatch(/Base URL/);
			expect(simulator.requestsTo(c.provider)).toHaveLength(1);
			expect(simulator.requestsTo(c.provider)[0].headers[c.header]).toBe(
				simulator.apiKeys[c.provider],
			);
		},
	);
});

describe('secrets are redacted from values only, and too-short secrets are refused', () => {
	async function runProntoWith(
		extra: IDataObject,
		node: NodeUnderTest,
		inputItems: INodeExecutionData[],
	) {
		return await runWorkflow({
			nodeTypes: [new Pronto()],
			credentials: {
				bulkEnrichmentProntoApi: {
					apiKey: simulator.apiKeys.pronto,
					baseUrl: simulator.baseUrls.pronto,
					...extra,
				},
			},
			inputItems,
			node: { type: 'n8n-nodes-bulk-enrichment.pronto', ...node },
		});
	}

	it('a Webhook Secret of "email" no longer renames the email key: the paid result stays found', async () => {
		const result = await runProntoWith(
			{ webhookSecret: 'email' },
			{
				parameters: {
					resource: 'contact',
					operation: 'enrich',
					options: { maxWaitSeconds: 10, pollIntervalSeconds: 1 },
				},
			},
			toItems(
				people(1).map((person) => {
					const withoutEmail = { ...person };
					delete withoutEmail.email;
					return withoutEmail;
				}),
			),
		);

		expect(result.status).toBe('success');
		const json = result.outputs[0][0].json;
		expect(json.enrichment_status).toBe('found');
		expect(json.email).toBe('ada.person0@example.com');
		expect(JSON.stringify(json)).not.toContain('[redacted]');
	});

	it.each(['email', 'null', 'example'])(
		'Bulk Enrich refuses a Webhook Secret of %j before sending anything',
		async (secret) => {
			const result = await runProntoWith(
				{ webhookSecret: secret },
				{
					parameters: {
						resource: 'contact',
						operation: 'bulkEnrich',
						webhookUrl: 'https://n8n.example.invalid/webhook/pronto',
					},
				},
				toItems(people(3)),
			);

			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/Webhook Secret of the Pronto credential is too short/);
			expect(simulator.requestsTo('pronto')).toHaveLength(0);
		},
	);

	it('an API key holding " and \\ echoed in a 200 answer is redacted', async () => {
		const apiKey = 'sim-"quoted\\exactbuyer-key';
		const keyed = await startSimulator({ apiKeys: { exactbuyer: apiKey } });
		try {
			keyed.inject({
				provider: 'exactbuyer',
				path: '/v1/bulk-enrich',
				kind: 'status',
				status: 200,
				body: {
					contacts: [
						{
							value: 'person0@example.com',
							enriched_contact: { full_name: 'Ada Person', note: `seen with key ${apiKey}` },
						},
					],
					records_enriched: 1,
				},
			});
			const result = await runWorkflow({
				nodeTypes: [new ExactBuyer()],
				credentials: {
					bulkEnrichmentExactBuyerApi: { apiKey, baseUrl: keyed.baseUrls.exactbuyer },
				},
				inputItems: toItems(people(1)),
				node: {
					type: 'n8n-nodes-bulk-enrichment.exactBuyer',
					parameters: {
						resource: 'contact',
						operation: 'bulkEnrich',
						fieldType: 'email',
						value: '={{ $json.email }}',
						simplify: false,
					},
				},
			});

			expect(result.status).toBe('success');
			const json = result.outputs[0][0].json;
			expect(json.enrichment_status).toBe('found');
			expect(json.note).toBe('seen with key [redacted]');
			const serialized = JSON.stringify(result.run.data);
			expect(serialized).not.toContain(apiKey);
			expect(serialized).not.toContain(JSON.stringify(apiKey).slice(1, -1));
		} finally {
			await keyed.close();
		}
	});
});

describe('the callback token never lands in an error or a saved execution', () => {
	it("Pronto's error echoing the webhook_url: the n8n_token is redacted like the key", async () => {
		const secret = 'test-webhook-secret-value';
		const token = webhookTokenFor(secret);
		const webhookUrl = 'https://n8n.example.invalid/webhook/pronto';
		simulator.inject({
			provider: 'pronto',
			path: '/contacts/bulk_enrich',
			kind: 'status',
			status: 400,
			body: {
				error: 400,
				message: `webhook_url is not reachable: ${webhookUrl}?n8n_token=${token}`,
			},
		});
		const result = await runWorkflow({
			nodeTypes: [new Pronto()],
			credentials: {
				bulkEnrichmentProntoApi: {
					apiKey: simulator.apiKeys.pronto,
					baseUrl: simulator.baseUrls.pronto,
					webhookSecret: secret,
				},
			},
			inputItems: toItems(people(3)),
			node: {
				type: 'n8n-nodes-bulk-enrichment.pronto',
				parameters: { resource: 'contact', operation: 'bulkEnrich', webhookUrl },
				onError: 'continueRegularOutput',
			},
		});

		// The token did go to Pronto (that is how callbacks are authenticated)…
		expect(
			(simulator.requestsTo('pronto', '/contacts/bulk_enrich')[0].body as IDataObject).webhook_url,
		).toContain(token);
		// …but the error Pronto echoed it in does not carry it into the items or the execution.
		const error = String(result.outputs[0][0].json.error);
		expect(error).toContain('webhook_url is not reachable');
		expect(error).toContain('[redacted]');
		expect(JSON.stringify(result.run.data)).not.toContain(token);
	});
});

describe('answers that cannot be read, or say "failure" inside a 2xx', () => {
	const prontoBulk = (onError?: 'continueRegularOutput'): NodeUnderTest => ({
		parameters: {
			resource: 'contact',
			operation: 'bulkEnrich',
			webhookUrl: 'https://n8n.example.invalid/webhook/pronto',
		},
		...(onError ? { onError } : {}),
	});

	it.each([
		[
			'an HTML page from a proxy',
			'<html><title>Welcome</title><p>Accepted</p></html>',
			'expected an "enrichment_id"',
		],
		['truncated JSON', '{"enrichment_id": "abc', 'expected an "enrichment_id"'],
		['JSON without an id', { status: 'queued' }, 'expected an "enrichment_id"'],
	])(
		'Pronto Bulk Enrich accepted (202) with %s: outcome unknown, not sent again, not counted as sent',
		async (_what, body, detail) => {
			simulator.inject({
				provider: 'pronto',
				path: '/contacts/bulk_enrich',
				kind: 'status',
				status: 202,
				body,
				...(typeof body === 'string' ? { contentType: 'text/plain' } : {}),
			});
			const result = await runPronto(prontoBulk('continueRegularOutput'), toItems(people(4)));

			expect(simulator.requestsTo('pronto', '/contacts/bulk_enrich')).toHaveLength(1);
			for (const item of result.outputs[0]) {
				expect(item.json.enrichment_status).toBe('error');
				expect(item.json.error).toMatch(
					/^Pronto accepted the request \(HTTP 202\) but its answer could not be read \(/,
				);
				expect(item.json.error).toContain(detail);
				expect(item.json.error).toMatch(/outcome unknown, not sent again/);
			}
			expect(result.outputs[0][0].json.enrichment_run).toMatchObject({
				records_sent: 0,
				requests: 1,
			});
		},
	);

	it.each([
		[
			'Pronto Bulk Enrich',
			'pronto',
			'/contacts/bulk_enrich',
			() => runPronto(prontoBulk('continueRegularOutput'), toItems(people(4))),
		],
		[
			'ExactBuyer Bulk Enrich',
			'exactbuyer',
			'/v1/bulk-enrich',
			() =>
				runExactBuyer(
					{
						parameters: {
							resource: 'contact',
							operation: 'bulkEnrich',
							fieldType: 'email',
							value: '={{ $json.email }}',
						},
						onError: 'continueRegularOutput',
					},
					toItems(people(4)),
				),
		],
		[
			'ExactBuyer Enrich (GET /v1/enrich)',
			'exactbuyer',
			'/v1/enrich',
			() =>
				runExactBuyer(
					{
						parameters: {
							resource: 'contact',
							operation: 'enrich',
							fieldType: 'email',
							value: '={{ $json.email }}',
						},
						onError: 'continueRegularOutput',
					},
					toItems(people(1)),
				),
		],
	] as const)(
		'%s answered 200 {"error": "Insufficient credits"}: the provider\'s message, nothing counted as sent',
		async (name, provider, path, run) => {
			simulator.inject({
				provider,
				path,
				kind: 'status',
				status: 200,
				body: { error: 'Insufficient credits' },
				times: -1,
			});
			const result = await run();

			const providerName = name.split(' ')[0];
			for (const item of result.outputs[0]) {
				expect(item.json.enrichment_status).toBe('error');
				expect(item.json.error).toMatch(
					new RegExp(`^${providerName} answered HTTP 200 with an error: Insufficient credits`),
				);
			}
			expect(result.outputs[0][0].json.enrichment_run).toMatchObject({ records_sent: 0 });
		},
	);

	it('ExactBuyer Enrich answered 200 with an HTML page: an error, never not_found', async () => {
		simulator.inject({
			provider: 'exactbuyer',
			path: '/v1/enrich',
			kind: 'status',
			status: 200,
			body: '<html><p>Please log in</p></html>',
		});
		const result = await runExactBuyer(
			{
				parameters: {
					resource: 'contact',
					operation: 'enrich',
					fieldType: 'email',
					value: '={{ $json.email }}',
				},
				onError: 'continueRegularOutput',
			},
			toItems(people(1)),
		);
		expect(result.outputs[0][0].json.enrichment_status).toBe('error');
		expect(result.outputs[0][0].json.error).toMatch(
			/could not be read \(expected a "result" in the answer\)/,
		);
	});

	it('Explorium {"response_context": {"request_status": "failure"}, "data": []}: an error naming it, never not_found', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'status',
			status: 200,
			body: {
				response_context: { request_status: 'failure', correlation_id: 'c-1' },
				data: [],
				total_results: 0,
			},
		});
		const result = await runExplorium(
			{
				parameters: {
					resource: 'prospect',
					operation: 'enrichContacts',
					identifyBy: 'prospectId',
					prospectId: '={{ $json.prospect_id }}',
				},
				onError: 'continueRegularOutput',
			},
			toItems([{ prospect_id: 'a'.repeat(40) }, { prospect_id: 'b'.repeat(40) }]),
		);
		for (const item of result.outputs[0]) {
			expect(item.json.enrichment_status).toBe('error');
			expect(item.json.error).toMatch(
				/^Explorium answered HTTP 200 with an error: request_status "failure"/,
			);
		}
		expect(result.outputs[0][0].json.enrichment_run).toMatchObject({ records_sent: 0 });
	});

	it.each([
		[
			'{"error": …}',
			{ error: 'Enrichment not accessible' },
			/^Pronto answered HTTP 200 with an error: Enrichment not accessible/,
		],
		['{}', {}, /^Pronto sent an answer that could not be read \(HTTP 200\): expected a contact/],
	])('Pronto Get answered 200 %s: an error, never not_found', async (_what, body, message) => {
		simulator.inject({ provider: 'pronto', path: '/contacts/', kind: 'status', status: 200, body });
		const result = await runPronto(
			{
				parameters: { resource: 'contact', operation: 'get', enrichmentId: 'enr-0001' },
				onError: 'continueRegularOutput',
			},
			toItems([{}]),
		);
		expect(result.outputs[0][0].json.enrichment_status).toBe('error');
		expect(result.outputs[0][0].json.error).toMatch(message);
	});

	it('ExactBuyer Enrich with a typo in the Base URL path (a web server\'s 404 page): an error naming the Base URL, not "nobody found"', async () => {
		const result = await runWorkflow({
			nodeTypes: [new ExactBuyer()],
			credentials: {
				bulkEnrichmentExactBuyerApi: {
					apiKey: simulator.apiKeys.exactbuyer,
					baseUrl: `${simulator.url}/exactbuyr`,
				},
			},
			inputItems: toItems(people(3)),
			node: {
				type: 'n8n-nodes-bulk-enrichment.exactBuyer',
				parameters: {
					resource: 'contact',
					operation: 'enrich',
					fieldType: 'email',
					value: '={{ $json.email }}',
				},
			},
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^ExactBuyer request failed \(HTTP 404\)/);
		expect(result.error?.description).toContain(
			`check the Base URL of the ExactBuyer credential (${simulator.url}/exactbuyr)`,
		);
	});

	it("ExactBuyer Enrich: ExactBuyer's own 404 answer is still a miss", async () => {
		const result = await runExactBuyer(
			{
				parameters: {
					resource: 'contact',
					operation: 'enrich',
					fieldType: 'email',
					value: '={{ $json.email }}',
				},
			},
			toItems([{ email: 'nomatch@example.com' }]),
		);
		expect(result.status).toBe('success');
		expect(result.outputs[0][0].json.enrichment_status).toBe('not_found');
	});
});

describe('cancelling after a submission went out', () => {
	it('Pronto Bulk Enrich cancelled while Pronto is accepting the chunk: outcome unknown, never "not sent"', async () => {
		simulator.inject({
			provider: 'pronto',
			path: '/contacts/bulk_enrich',
			kind: 'latency',
			ms: 1000,
		});
		const handle = startWorkflow({
			nodeTypes: [new Pronto()],
			credentials: {
				bulkEnrichmentProntoApi: {
					apiKey: simulator.apiKeys.pronto,
					baseUrl: simulator.baseUrls.pronto,
				},
			},
			inputItems: toItems(people(4)),
			node: {
				type: 'n8n-nodes-bulk-enrichment.pronto',
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					webhookUrl: 'https://n8n.example.invalid/webhook/pronto',
				},
			},
		});
		await handle.nodeStarted;
		await waitFor(
			() => simulator.requestsTo('pronto', '/contacts/bulk_enrich').length > 0,
			5000,
			'the submission',
		);
		handle.cancel();
		const result = await handle.result;
		// Pronto goes on and accepts it (202), whatever happened to the connection.
		await waitFor(
			() => simulator.requestsTo('pronto', '/contacts/bulk_enrich')[0].status !== 0,
			5000,
			"Pronto's answer",
		);

		expect(result.status).toBe('canceled');
		expect(result.error?.message).toMatch(
			/outcome unknown, not sent again: the execution was canceled while waiting for the answer/,
		);
		expect(result.error?.message).not.toMatch(/Not sent/);
		expect(result.error?.description).toMatch(/Check the provider/);
	});
});

describe('a per-item Webhook URL', () => {
	it('items giving different URLs are refused before anything is sent, naming the item', async () => {
		const rows = people(4).map((person, n) => ({
			...person,
			hook: `https://tenant-${n < 2 ? 'a' : 'b'}.example.invalid/webhook/pronto`,
		}));
		const result = await runPronto(
			{
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					webhookUrl: '={{ $json.hook }}',
				},
				onError: 'continueRegularOutput',
			},
			toItems(rows),
		);

		// Under "Continue" every item carries the refusal (issue 26 point 12).
		expect(result.outputs[0]).toHaveLength(4);
		result.outputs[0].forEach((item, n) => {
			expect(item.json.enrichment_status).toBe('error');
			expect(item.json.error).toBe(
				`Webhook URL: item 2 gives another URL than item 0 ("https://tenant-b.example.invalid/webhook/pronto" instead of "https://tenant-a.example.invalid/webhook/pronto") [item ${n}]`,
			);
		});
		expect(simulator.requestsTo('pronto')).toHaveLength(0);
	});

	it('the same URL on every item (from an expression) is sent as before', async () => {
		const rows = people(3).map((person) => ({
			...person,
			hook: 'https://tenant-a.example.invalid/webhook/pronto',
		}));
		const result = await runPronto(
			{
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					webhookUrl: '={{ $json.hook }}',
				},
			},
			toItems(rows),
		);

		expect(result.status).toBe('success');
		const sent = simulator.requestsTo('pronto', '/contacts/bulk_enrich');
		expect(sent).toHaveLength(1);
		expect((sent[0].body as IDataObject).webhook_url).toBe(
			'https://tenant-a.example.invalid/webhook/pronto',
		);
	});
});

describe('options from expressions are validated', () => {
	const exactBuyerBulk = (requiredFields: unknown): NodeUnderTest => ({
		parameters: {
			resource: 'contact',
			operation: 'bulkEnrich',
			fieldType: 'email',
			value: '={{ $json.email }}',
			requiredFields: requiredFields as string,
		},
	});

	it('ExactBuyer Required Fields from an expression ({{ "phone" }}) is read as a list', async () => {
		const result = await runExactBuyer(exactBuyerBulk('={{ "phone" }}'), toItems(people(2)));

		expect(result.status).toBe('success');
		const call = simulator.requestsTo('exactbuyer', '/v1/bulk-enrich')[0];
		expect(JSON.parse((call.body as { required_fields: string }).required_fields)).toEqual([
			{ field_type: 'phone' },
		]);
	});

	it('ExactBuyer Required Fields with an unknown value is refused, naming the parameter, before sending', async () => {
		const result = await runExactBuyer(exactBuyerBulk('={{ "phone, fax" }}'), toItems(people(2)));

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Required Fields: must be a list of email, work_email, personal_email, phone, social_profile (got "phone, fax")',
		);
		expect(simulator.requestsTo('exactbuyer')).toHaveLength(0);
	});

	it('ExactBuyer Enrich: Additional Fields › Required Fields from an expression', async () => {
		const result = await runExactBuyer(
			{
				parameters: {
					resource: 'contact',
					operation: 'enrich',
					fieldType: 'email',
					value: '={{ $json.email }}',
					additionalFields: { required: '={{ "phone,work_email" }}' },
				},
			},
			toItems(people(1)),
		);
		expect(result.status).toBe('success');
		expect(simulator.requestsTo('exactbuyer', '/v1/enrich')[0].query).toMatchObject({
			required: 'phone,work_email',
		});
	});

	it('Explorium Contact Types "Email" (not an option) is refused instead of buying emails and phones', async () => {
		const result = await runExplorium(
			{
				parameters: {
					resource: 'prospect',
					operation: 'enrichContacts',
					identifyBy: 'prospectId',
					prospectId: '={{ $json.prospect_id }}',
					options: { contactTypes: '={{ "Email" }}' },
				},
			},
			toItems([{ prospect_id: 'a'.repeat(40) }]),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Options › Contact Types: must be one of emailAndPhone, email (got "Email")',
		);
		expect(simulator.requestsTo('explorium')).toHaveLength(0);
	});
});

describe("Enrich and Wait's schedule is validated like every other option", () => {
	it.each([
		[
			'pollIntervalSeconds',
			0,
			'Options › Poll Interval (Seconds): must be a number from 1 to 30 (got 0)',
		],
		[
			'pollIntervalSeconds',
			-5,
			'Options › Poll Interval (Seconds): must be a number from 1 to 30 (got -5)',
		],
		[
			'pollIntervalSeconds',
			'abc',
			'Options › Poll Interval (Seconds): must be a number from 1 to 30 (got "abc")',
		],
		[
			'maxWaitSeconds',
			'abc',
			'Options › Max Wait (Seconds): must be a number from 1 to 3600 (got "abc")',
		],
		['maxWaitSeconds', 0, 'Options › Max Wait (Seconds): must be a number from 1 to 3600 (got 0)'],
	])('%s = %j is refused before anything is sent', async (option, value, message) => {
		const result = await runPronto(
			{ parameters: { resource: 'contact', operation: 'enrich', options: { [option]: value } } },
			toItems(people(1)),
		);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(message);
		expect(simulator.requestsTo('pronto')).toHaveLength(0);
	});
});

describe("Pronto's five in flight, after timeouts", () => {
	it('a timed-out request keeps its place while Pronto may still work on it: never more than 5 open at Pronto', async () => {
		// Pronto takes 2.5 s per request; the node gives up waiting after 1 s.
		const slow = await startSimulator({ prontoProcessingMs: 2500 });
		try {
			const started = Date.now();
			const result = await runWorkflow({
				nodeTypes: [new Pronto()],
				credentials: {
					bulkEnrichmentProntoApi: { apiKey: slow.apiKeys.pronto, baseUrl: slow.baseUrls.pronto },
				},
				inputItems: toItems(people(6)),
				node: {
					type: 'n8n-nodes-bulk-enrichment.pronto',
					parameters: {
						resource: 'contact',
						operation: 'enrich',
						options: { requestTimeoutSeconds: 1, maxWaitSeconds: 1, pollIntervalSeconds: 1 },
					},
					onError: 'continueRegularOutput',
				},
			});
			const elapsedMs = Date.now() - started;

			expect(slow.requestsTo('pronto', '/contacts/single_enrich')).toHaveLength(6);
			expect(slow.prontoConcurrency().maxArrived).toBeLessThanOrEqual(5);
			// The sixth waited for a place: the first five were held for the documented 30 s.
			expect(elapsedMs).toBeGreaterThanOrEqual(30_000);
			for (const item of result.outputs[0])
				expect(item.json.error).toMatch(/outcome unknown, not sent again/);
		} finally {
			await slow.close();
		}
	}, 90_000);
});
