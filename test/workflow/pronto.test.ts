/**
 * The Pronto node in real n8n-core executions against the simulator over HTTP. Callbacks go to a
 * loopback receiver. Every test counts what the simulator received: Pronto charges per contact.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { CORRELATION_FIELDS } from '../../nodes/Pronto/adapter/provider';
import { webhookTokenFor } from '../../nodes/Pronto/adapter/webhook-token';
import { Pronto } from '../../nodes/Pronto/Pronto.node';
import { startCallbackReceiver } from '../simulator/callback-receiver.cjs';
import { startSimulator } from '../simulator/server.cjs';
import {
	runWorkflow,
	TestCredentialsHelper,
	toItems,
	waitFor,
	type NodeUnderTest,
} from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;

const PRONTO_TYPE = 'n8n-nodes-bulk-enrichment.pronto';
const WEBHOOK_SECRET = 'test-webhook-secret-value';

let simulator: Simulator;
let receiver: Receiver;

beforeAll(async () => {
	simulator = await startSimulator({ callbackDelayMs: 20 });
	receiver = await startCallbackReceiver();
});
afterAll(async () => {
	await simulator.close();
	await receiver.close();
});
beforeEach(() => {
	simulator.reset();
	receiver.received.length = 0;
});

function credentials(sim: Simulator, extra: IDataObject = {}) {
	return {
		bulkEnrichmentProntoApi: { apiKey: sim.apiKeys.pronto, baseUrl: sim.baseUrls.pronto, ...extra },
	};
}

async function run(
	node: NodeUnderTest,
	inputItems: INodeExecutionData[],
	options: { sim?: Simulator; secret?: boolean } = {},
) {
	const sim = options.sim ?? simulator;
	return await runWorkflow({
		nodeTypes: [new Pronto()],
		credentials: credentials(
			sim,
			options.secret === false ? {} : { webhookSecret: WEBHOOK_SECRET },
		),
		inputItems,
		node: { type: PRONTO_TYPE, ...node },
	});
}

const bulkEnrich = (parameters: INodeParameters = {}): NodeUnderTest => ({
	parameters: {
		resource: 'contact',
		operation: 'bulkEnrich',
		webhookUrl: `${receiver.url}/pronto-callback`,
		custom: '={{ { crm_id: $json.crm_id } }}',
		...parameters,
	},
});

/** CRM rows with the field names the node maps by default. */
function people(count: number, from = 0): IDataObject[] {
	return Array.from({ length: count }, (_, n) => ({
		crm_id: `crm-${from + n}`,
		first_name: 'Ada',
		last_name: `Person${from + n}`,
		domain: 'example.com',
		linkedin_url: `https://www.linkedin.com/in/ada-person-${from + n}`,
	}));
}

interface SentContact {
	firstname: string;
	lastname: string;
	custom: IDataObject;
}

const bulkRequests = () =>
	simulator
		.requestsTo('pronto', '/contacts/bulk_enrich')
		.map((request) => request.body as { contacts: SentContact[]; webhook_url: string });
const singleRequests = () =>
	simulator
		.requestsTo('pronto', '/contacts/single_enrich')
		.map((request) => request.body as IDataObject);

describe('Pronto · Bulk Enrich: items and credential enter once', () => {
	it("the credential is read once for the run, plus once per request by n8n's authenticated helper", async () => {
		const reads = jest.spyOn(TestCredentialsHelper.prototype, 'getDecrypted');
		try {
			const result = await run(bulkEnrich(), toItems(people(3)));
			expect(result.status).toBe('success');
			expect(bulkRequests()).toHaveLength(1);
			// One read by the session (key, Base URL and Webhook Secret), one by the one bulk request.
			expect(reads).toHaveBeenCalledTimes(2);
		} finally {
			reads.mockRestore();
		}
	});
});

describe('Pronto · Bulk Enrich: chunks of 2..100, one submitted item per input', () => {
	it.each([
		[1, [], 1],
		[2, [2], 0],
		[3, [3], 0],
		[100, [100], 0],
		[101, [51, 50], 0],
		[201, [67, 67, 67], 0],
	])(
		'%i contacts → bulk requests of %j and %i single request(s)',
		async (count, sizes, singles) => {
			const rows = people(count);
			const result = await run(bulkEnrich(), toItems(rows));

			expect(result.status).toBe('success');
			expect(bulkRequests().map((body) => body.contacts.length)).toEqual(sizes);
			expect(singleRequests()).toHaveLength(singles);
			const output = result.outputs[0];
			expect(output).toHaveLength(count);
			const runIds = new Set<unknown>();
			output.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json).toMatchObject({
					crm_id: rows[index].crm_id,
					enrichment_status: 'submitted',
					enrichment_id: expect.any(String),
					[CORRELATION_FIELDS.itemIndex]: index,
					[CORRELATION_FIELDS.itemIndexes]: [index],
					[CORRELATION_FIELDS.executionId]: expect.stringMatching(/^harness-/),
				});
				runIds.add(item.json[CORRELATION_FIELDS.runId]);
			});
			expect(runIds.size).toBe(1);

			// Every contact carries its correlation inside `custom`, beside the user's own fields.
			const sent = [
				...bulkRequests().flatMap((body) => body.contacts),
				...singleRequests().map((body) => body as unknown as SentContact),
			];
			expect(sent.map((contact) => contact.custom.crm_id)).toEqual(rows.map((row) => row.crm_id));
			sent.forEach((contact, index) =>
				expect(contact.custom[CORRELATION_FIELDS.itemIndex]).toBe(index),
			);
		},
	);

	it('the callbacks arrive with the token in the URL and the correlation fields in custom', async () => {
		const rows = people(5);
		const result = await run(bulkEnrich(), toItems(rows));
		// Only this run's callbacks: an earlier test's may still be on their way to the receiver.
		const runId = result.outputs[0][0].json[CORRELATION_FIELDS.runId];
		const ofThisRun = () =>
			receiver.received.filter(
				(callback) =>
					(callback.body?.custom as IDataObject | undefined)?.[CORRELATION_FIELDS.runId] === runId,
			);
		await waitFor(() => ofThisRun().length >= 5, 5000, "this run's 5 callbacks");
		const callbacks = ofThisRun();
		expect(callbacks).toHaveLength(5);

		for (const callback of callbacks) {
			expect(new URL(callback.path, receiver.url).searchParams.get('n8n_token')).toBe(
				webhookTokenFor(WEBHOOK_SECRET),
			);
		}
		const byCrmId = new Map(
			callbacks.map((callback) => [callback.body.custom.crm_id, callback.body]),
		);
		rows.forEach((row, index) => {
			const body = byCrmId.get(row.crm_id)!;
			expect(body.custom).toMatchObject({
				[CORRELATION_FIELDS.itemIndex]: index,
				[CORRELATION_FIELDS.runId]: result.outputs[0][index].json[CORRELATION_FIELDS.runId],
			});
		});
		const runData = JSON.stringify(result.runData);
		expect(runData).not.toContain(simulator.apiKeys.pronto);
		expect(runData).not.toContain(WEBHOOK_SECRET);
	});

	it('without a webhook secret the URL is sent as given', async () => {
		await run(bulkEnrich(), toItems(people(2)), { secret: false });
		expect(bulkRequests()[0].webhook_url).toBe(`${receiver.url}/pronto-callback`);
	});

	it('identical contacts are sent once and say every item they stand for', async () => {
		const rows = [...people(3), people(1)[0]];
		const result = await run(bulkEnrich(), toItems(rows));
		expect(bulkRequests()[0].contacts).toHaveLength(3);
		expect(bulkRequests()[0].contacts[0].custom[CORRELATION_FIELDS.itemIndexes]).toEqual([0, 3]);
		expect(result.outputs[0][3].json).toMatchObject({
			[CORRELATION_FIELDS.itemIndex]: 0,
			[CORRELATION_FIELDS.itemIndexes]: [0, 3],
		});
	});
});

describe('Pronto · Bulk Enrich: validation per enrichment type', () => {
	it('email needs first and last name and a domain or company; errors name the field, the rest is sent', async () => {
		const rows: IDataObject[] = [
			...people(2),
			{ crm_id: 'no-company', first_name: 'Ada', last_name: 'NoCompany' },
			{ crm_id: 'no-last', first_name: 'Ada', domain: 'example.com' },
			{
				crm_id: 'object-name',
				first_name: { nested: true },
				last_name: 'X',
				domain: 'example.com',
			},
			{
				crm_id: 'url-domain',
				first_name: 'Ada',
				last_name: 'Url',
				domain: 'https://www.example.org/about',
			},
		];
		const result = await run({ ...bulkEnrich(), onError: 'continueRegularOutput' }, toItems(rows));
		const output = result.outputs[0];
		expect(output.map((item) => item.json.enrichment_status)).toEqual([
			'submitted',
			'submitted',
			'error',
			'error',
			'error',
			'submitted',
		]);
		expect(output[2].json.error).toMatch(
			/^Domain: give a Domain or a Company Name for email enrichment .*\[item 2\]$/,
		);
		expect(output[3].json.error).toMatch(/^Last Name: is required/);
		expect(output[4].json.error).toMatch(/^First Name: must be text/);
		const sent = bulkRequests()[0].contacts;
		expect(sent).toHaveLength(3);
		expect(sent[2]).toMatchObject({ lastname: 'Url', domain: 'www.example.org' });
	});

	it.each(['phone', 'personal_email'])('%s needs a LinkedIn URL', async (enrichmentType) => {
		const rows: IDataObject[] = [
			...people(2),
			{ crm_id: 'x', first_name: 'Ada', last_name: 'NoProfile', domain: 'example.com' },
		];
		const result = await run(
			{ ...bulkEnrich({ enrichmentType }), onError: 'continueRegularOutput' },
			toItems(rows),
		);
		expect(result.outputs[0][2].json.error).toMatch(
			/^LinkedIn URL: is required for (phone|personal email) enrichment/,
		);
		expect(bulkRequests()[0].contacts).toHaveLength(2);
	});

	it("a custom object may not use the node's own correlation keys", async () => {
		const result = await run(
			{
				...bulkEnrich({ custom: `={{ { ${CORRELATION_FIELDS.itemIndex}: 7 } }}` }),
				onError: 'continueRegularOutput',
			},
			toItems(people(1)),
		);
		expect(result.outputs[0][0].json.error).toMatch(
			/^Custom: must not use the key "n8n_bulk_item_index"/,
		);
		expect(simulator.requests).toHaveLength(0);
	});

	it('without continue on fail, one invalid contact stops the run before anything is sent', async () => {
		const rows: IDataObject[] = [...people(3), { crm_id: 'x', first_name: 'Ada' }];
		const result = await run(bulkEnrich(), toItems(rows));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Last Name: is required .*\[item 3\]$/);
		expect(simulator.requests).toHaveLength(0);
	});

	it("a webhook URL that is not http(s), or n8n's test URL, fails the node before sending", async () => {
		for (const webhookUrl of [
			'not a url',
			'ftp://example.com/x',
			'http://localhost:5678/webhook-test/abc/callback',
		]) {
			const result = await run(bulkEnrich({ webhookUrl }), toItems(people(3)));
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^Webhook URL: /);
			// Under "Continue" each item says so instead (issue 26 point 12).
			const continued = await run(
				{ ...bulkEnrich({ webhookUrl }), onError: 'continueRegularOutput' },
				toItems(people(3)),
			);
			expect(continued.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
				'error',
				'error',
				'error',
			]);
			expect(continued.outputs[0][0].json.error).toMatch(/^Webhook URL: /);
		}
		expect(simulator.requests).toHaveLength(0);
	});
});

describe('Pronto · Bulk Enrich: refusals and failures', () => {
	it('out of credits (422): every item of the chunk says what to do, and it is not retried', async () => {
		simulator.setAccount('pronto', { credits: 1 });
		const result = await run(
			{ ...bulkEnrich(), onError: 'continueRegularOutput' },
			toItems(people(3)),
		);
		expect(bulkRequests()).toHaveLength(1);
		for (const item of result.outputs[0]) {
			expect(item.json.enrichment_status).toBe('error');
			expect(item.json.error).toMatch(
				/^Pronto request failed \(HTTP 422\): Not enough enrichment credits/,
			);
		}
	});

	it('personal email without consent (422): a message that says where to consent', async () => {
		simulator.setAccount('pronto', { personalEmailConsent: false });
		const result = await run(
			{ ...bulkEnrich({ enrichmentType: 'personal_email' }), onError: 'continueErrorOutput' },
			toItems(people(2)),
		);
		expect(result.outputs[1]).toHaveLength(2);
		expect(result.outputs[1][0].json.details).toMatch(
			/consent to Pronto's terms of use: give it in Pronto's app/,
		);
		expect(bulkRequests()).toHaveLength(1);
	});

	it('401: check the key, no retry', async () => {
		const result = await runWorkflow({
			nodeTypes: [new Pronto()],
			credentials: {
				bulkEnrichmentProntoApi: {
					apiKey: 'wrong-key-for-test',
					baseUrl: simulator.baseUrls.pronto,
				},
			},
			inputItems: toItems(people(2)),
			node: { type: PRONTO_TYPE, ...bulkEnrich() },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Pronto request failed \(HTTP 401\)/);
		expect(result.error?.description).toMatch(
			/^Pronto refused the API key\. .*Open (the credential "[^"]+"|this node's credential), check its API Key and save it/,
		);
	});

	it.each([
		['a 503', { kind: 'status', status: 503 }],
		['a connection reset', { kind: 'reset' }],
	] as const)(
		'after %s the chunk is never sent again: its items say the outcome is unknown',
		async (_, fault) => {
			simulator.inject({ provider: 'pronto', path: '/contacts/bulk_enrich', ...fault });
			const result = await run(
				{ ...bulkEnrich(), onError: 'continueRegularOutput' },
				toItems(people(150)),
			);
			const output = result.outputs[0];
			// 150 → two chunks of 75; the first request failed, the second was accepted.
			expect(bulkRequests()).toHaveLength(2);
			const failed = output.filter((item) => item.json.enrichment_status === 'error');
			expect(failed).toHaveLength(75);
			for (const item of failed) expect(item.json.error).toMatch(/outcome unknown, not sent again/);
			expect(output.filter((item) => item.json.enrichment_status === 'submitted')).toHaveLength(75);
		},
	);

	it('a 429 (refused, so certainly not enqueued) is sent again after Retry-After', async () => {
		simulator.inject({
			provider: 'pronto',
			path: '/contacts/bulk_enrich',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '1' },
		});
		const result = await run(bulkEnrich(), toItems(people(4)));
		expect(bulkRequests()).toHaveLength(2);
		expect(result.outputs[0].every((item) => item.json.enrichment_status === 'submitted')).toBe(
			true,
		);
	});
});

describe('Pronto · never more than 5 requests in flight', () => {
	let slowSimulator: Simulator;
	beforeAll(async () => {
		slowSimulator = await startSimulator({ prontoProcessingMs: 60, callbackDelayMs: 20 });
	});
	afterAll(async () => await slowSimulator.close());

	it('Concurrent Requests above 5 (e.g. from an expression) is refused before anything is sent', async () => {
		const result = await run(
			bulkEnrich({ options: { concurrency: '={{ 20 }}' } }),
			toItems(people(10)),
			{ sim: slowSimulator },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Options › Concurrent Requests: must be a whole number from 1 to 5 (got 20)',
		);
		expect(slowSimulator.requests).toHaveLength(0);
	});

	it('1 000 contacts at the default concurrency: 10 requests, at most 5 at once', async () => {
		const result = await run(
			bulkEnrich({ webhookUrl: `${receiver.url}/x` }),
			toItems(people(1000)),
			{ sim: slowSimulator },
		);
		expect(result.status).toBe('success');
		expect(slowSimulator.requestsTo('pronto', '/contacts/bulk_enrich')).toHaveLength(10);
		const concurrency = slowSimulator.prontoConcurrency();
		expect(concurrency.maxArrived).toBeLessThanOrEqual(5);
		expect(concurrency.maxActive).toBeGreaterThan(1); // requests did overlap
	});
});

describe('Pronto · Enrich and Wait', () => {
	const enrichAndWait = (options: IDataObject = {}): NodeUnderTest => ({
		parameters: {
			resource: 'contact',
			operation: 'enrich',
			options: { pollIntervalSeconds: 1, maxWaitSeconds: 20, ...options },
		},
	});

	it('pending → finished: emails in the same execution; a miss is not_found', async () => {
		const rows: IDataObject[] = [
			...people(2),
			{ crm_id: 'miss', first_name: 'Ada', last_name: 'Nomatch', domain: 'example.com' },
		];
		const result = await run(enrichAndWait(), toItems(rows));
		expect(result.status).toBe('success');
		expect(singleRequests()).toHaveLength(3);
		expect(
			simulator.requestsTo('pronto').filter((request) => request.method === 'GET').length,
		).toBeGreaterThanOrEqual(3);
		const output = result.outputs[0];
		expect(output.map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'found',
			'not_found',
		]);
		expect(output[0].json).toMatchObject({
			crm_id: 'crm-0',
			email: 'ada.person0@example.com',
			pronto_status: 'finished',
			enrichment_id: expect.any(String),
			[CORRELATION_FIELDS.itemIndex]: 0,
		});
		output.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
	});

	describe('with a slow provider', () => {
		let slowSimulator: Simulator;
		beforeAll(async () => {
			slowSimulator = await startSimulator({ callbackDelayMs: 60_000 });
		});
		afterAll(async () => await slowSimulator.close());

		it('still running at Max Wait: "pending" with the enrichment_id, which Get then reads', async () => {
			const result = await run(enrichAndWait({ maxWaitSeconds: 2 }), toItems(people(2)), {
				sim: slowSimulator,
			});
			expect(result.status).toBe('success');
			const output = result.outputs[0];
			expect(output.map((item) => item.json.enrichment_status)).toEqual(['pending', 'pending']);
			expect(output[0].json.enrichment_note).toMatch(/still processing after 2 s/);

			const got = await run({ parameters: { resource: 'contact', operation: 'get' } }, output, {
				sim: slowSimulator,
			});
			expect(got.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
				'pending',
				'pending',
			]);
			expect(got.outputs[0][0].json.enrichment_id).toBe(output[0].json.enrichment_id);
		});
	});
});

describe('Pronto · Get', () => {
	it('reads a finished contact; an unknown id is an error for that item only', async () => {
		const submitted = await run(
			{
				parameters: {
					resource: 'contact',
					operation: 'enrich',
					options: { pollIntervalSeconds: 1 },
				},
			},
			toItems(people(1)),
		);
		const id = submitted.outputs[0][0].json.enrichment_id as string;
		const result = await run(
			{ parameters: { resource: 'contact', operation: 'get' }, onError: 'continueRegularOutput' },
			toItems([
				{ enrichment_id: id },
				{ enrichment_id: '00000000-0000-4000-8000-000000000000' },
				{ enrichment_id: '../credits' },
			]),
		);
		const output = result.outputs[0];
		expect(output[0].json).toMatchObject({
			enrichment_status: 'found',
			enrichment_id: id,
			email: 'ada.person0@example.com',
		});
		expect(output[1].json).toMatchObject({ enrichment_status: 'error' });
		expect(output[1].json.error).toMatch(/HTTP 404/);
		expect(output[2].json.error).toMatch(/^Enrichment ID: must be a Pronto enrichment id/);
	});
});

describe('Pronto · Bulk Enrich: the Webhook URL is probed once before sending', () => {
	/** A loopback server answering every request with one status and JSON body, as n8n or another server would. */
	async function answeringServer(status: number, body: unknown) {
		const server = await startCallbackReceiver({ status, body });
		return {
			url: server.url,
			calls: () => server.received.map((call) => `${call.method} ${call.path}`),
			close: server.close,
		};
	}
	const hintsOf = (result: Awaited<ReturnType<typeof run>>) =>
		(result.taskData?.hints ?? []).map((hint) => hint.message);

	it('a published trigger (the receiver answers as one): probed once for a run of 3 chunks, then sent', async () => {
		receiver.probes.length = 0;
		const result = await run(bulkEnrich(), toItems(people(250)));
		expect(result.error).toBeUndefined();
		expect(bulkRequests()).toHaveLength(3);
		expect(receiver.probes).toHaveLength(1);
		expect(receiver.probes[0].path).toBe(
			`/pronto-callback?n8n_token=${webhookTokenFor(WEBHOOK_SECRET)}`,
		);
		expect(hintsOf(result).join('\n')).not.toMatch(/could not check the Webhook URL/);
	});

	it("n8n's 404 (a typo, an unpublished workflow): fails before any Pronto request, naming what to fix", async () => {
		const n8n = await answeringServer(404, {
			code: 404,
			message: 'The requested webhook "GET abc/callback" is not registered.',
			hint: 'The workflow must be active',
		});
		try {
			const result = await run(
				bulkEnrich({ webhookUrl: `${n8n.url}/webhook/abc/callback` }),
				toItems(people(3)),
			);
			expect(result.error?.message).toMatch(
				/no published workflow listens at http:\/\/127\.0\.0\.1:\d+\/webhook\/abc\/callback/,
			);
			expect(result.error?.description).toMatch(
				/publish it, and copy the trigger's Production URL/,
			);
			expect(result.error?.description).toMatch(/Nothing was sent/);
			// Plain words, as n8n 2.x labels its buttons; n8n's raw 404 text is not quoted.
			expect(result.error?.description).toMatch(/"Execute step"/);
			expect(`${result.error?.message} ${result.error?.description}`).not.toMatch(
				/not registered|Listen for test event/,
			);
			expect(simulator.requestsTo('pronto')).toHaveLength(0);
			expect(n8n.calls()).toEqual([
				expect.stringMatching(/^GET \/webhook\/abc\/callback\?n8n_token=/),
			]);
		} finally {
			await n8n.close();
		}
	});

	it.each<[string, number, unknown, RegExp]>([
		[
			'another server answering 200',
			200,
			{ received: true },
			/does not answer as a Pronto Trigger \(HTTP 200\)/,
		],
		[
			'a Pronto Trigger on another Webhook Secret',
			401,
			{ message: 'Unauthorized: the callback URL lacks the right token' },
			/refuses this node's token/,
		],
	])('%s: fails before any Pronto request', async (_, statusCode, body, message) => {
		const other = await answeringServer(statusCode, body);
		try {
			const result = await run(bulkEnrich({ webhookUrl: `${other.url}/hook` }), toItems(people(3)));
			expect(result.error?.message).toMatch(message);
			expect(result.error?.message).not.toContain('n8n_token');
			expect(simulator.requestsTo('pronto')).toHaveLength(0);
		} finally {
			await other.close();
		}
	});

	it('a host n8n cannot reach (e.g. a public tunnel address): sent, and the hint says it was not checked', async () => {
		const closed = await answeringServer(200, {});
		await closed.close();
		const result = await run(
			bulkEnrich({ webhookUrl: `${closed.url}/webhook/abc/callback` }),
			toItems(people(3)),
		);
		expect(result.error).toBeUndefined();
		expect(bulkRequests()).toHaveLength(1);
		expect(hintsOf(result)).toContainEqual(
			expect.stringMatching(
				/could not check the Webhook URL http:\/\/127\.0\.0\.1:\d+\/webhook\/abc\/callback: n8n could not reach it \(ECONNREFUSED\)/,
			),
		);
	});

	it('Custom empty for the whole run: a hint says what callbacks carry and how to add a CRM id', async () => {
		const result = await run(bulkEnrich({ custom: '' }), toItems(people(3)));
		expect(result.error).toBeUndefined();
		expect(hintsOf(result)).toContainEqual(
			expect.stringMatching(
				/carry only n8n_bulk_execution_id and n8n_bulk_item_index.*CRM record ID in Custom/,
			),
		);
		const withCustom = await run(bulkEnrich(), toItems(people(3)));
		expect(hintsOf(withCustom).join('\n')).not.toMatch(/Custom is empty/);
	});
});
