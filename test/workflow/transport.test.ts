/**
 * Reliability round three, transport (issue 26 points 2, 5, 8), through real n8n-core executions
 * over HTTP: the Webhook URL probe ends by its deadline, honours cancel, reads a few KB, follows no
 * redirect and quotes no token; an endless answer is cut and its connection closed; the key and a
 * Base URL's password are redacted in every form a server may echo them.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MAX_ANSWER_BYTES } from '../../nodes/bulk/transport';
import { ExactBuyer } from '../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../nodes/Explorium/Explorium.node';
import { PROBE_MAX_BYTES, PROBE_TIMEOUT_MS } from '../../nodes/Pronto/actions/contact/webhook-url';
import { webhookTokenFor } from '../../nodes/Pronto/adapter/webhook-token';
import { Pronto } from '../../nodes/Pronto/Pronto.node';
import { startCallbackReceiver } from '../simulator/callback-receiver.cjs';
import { prospectIdFor } from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runWorkflow, startWorkflow, toItems, waitFor, type NodeUnderTest } from './harness';

jest.setTimeout(60_000);

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;
type Probe = Receiver['probes'][number] & { bytesSent?: number; closedByClient?: boolean };

let simulator: Simulator;
let webhook: Receiver;

beforeAll(async () => {
	simulator = await startSimulator();
	webhook = await startCallbackReceiver();
});
afterAll(async () => {
	await simulator.close();
	await webhook.close();
});
beforeEach(() => {
	simulator.reset();
	webhook.setProbeFault(undefined);
	webhook.probes.length = 0;
});

const WEBHOOK_SECRET = 'test-webhook-secret-value';
const people = (count: number) =>
	toItems(
		Array.from({ length: count }, (_, n) => ({
			first_name: 'Ada',
			last_name: `Person${n}`,
			domain: 'example.com',
			email: `person${n}@example.com`,
		})),
	);

function prontoBulk(webhookUrl: string) {
	return {
		nodeTypes: [new Pronto()],
		credentials: {
			bulkEnrichmentProntoApi: {
				apiKey: simulator.apiKeys.pronto,
				baseUrl: simulator.baseUrls.pronto,
				webhookSecret: WEBHOOK_SECRET,
			},
		},
		inputItems: people(2),
		node: {
			type: 'n8n-nodes-bulk-enrichment.pronto',
			parameters: { resource: 'contact', operation: 'bulkEnrich', webhookUrl },
		},
	};
}
const submissions = () => simulator.requestsTo('pronto', '/contacts/bulk_enrich');
const lastProbe = () => webhook.probes[webhook.probes.length - 1] as Probe;

describe('2. the Webhook URL probe', () => {
	it('a URL that trickles a byte every 2 s ends the run by the probe deadline, says why, sends nothing and closes the connection', async () => {
		webhook.setProbeFault({ kind: 'trickle', ms: 2000 });
		const started = Date.now();
		const result = await runWorkflow(prontoBulk(`${webhook.url}/webhook/pronto`));

		expect(Date.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + 15_000);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/does not answer as a Pronto Trigger \(HTTP 200, but the answer did not end within the request timeout of 10 s\)/,
		);
		expect(submissions()).toHaveLength(0);
		await waitFor(() => lastProbe().closedByClient === true, 3000, 'the probe connection closed');
	});

	it('Stop while the probe waits: the execution is canceled at once and the connection closed', async () => {
		webhook.setProbeFault({ kind: 'trickle', ms: 2000 });
		const handle = startWorkflow(prontoBulk(`${webhook.url}/webhook/pronto`));
		await waitFor(() => webhook.probes.length > 0, 10_000, 'the probe');
		const cancelledAt = Date.now();
		handle.cancel();
		const result = await handle.result;

		expect(Date.now() - cancelledAt).toBeLessThan(PROBE_TIMEOUT_MS / 2);
		expect(result.status).toBe('canceled');
		expect(submissions()).toHaveLength(0);
		await waitFor(() => lastProbe().closedByClient === true, 3000, 'the probe connection closed');
	});

	it('reads a few KB at most: an endless 200 answer is no Pronto Trigger, and its connection is closed', async () => {
		webhook.setProbeFault({ kind: 'flood' });
		const result = await runWorkflow(prontoBulk(`${webhook.url}/webhook/pronto`));

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/does not answer as a Pronto Trigger \(HTTP 200, but the answer was too large: over 16 KB/,
		);
		await waitFor(() => lastProbe().closedByClient === true, 3000, 'the probe connection closed');
		// What the kernel had buffered by then, never a download of its own.
		expect(lastProbe().bytesSent).toBeLessThan(PROBE_MAX_BYTES + 8 * 1024 * 1024);
	});

	it('follows no redirect: the internal host is never asked, and nothing of it is quoted', async () => {
		const internal = await startCallbackReceiver({
			status: 404,
			body: { message: 'internal admin panel says hello' },
		});
		try {
			webhook.setProbeFault({ kind: 'redirect', location: `${internal.url}/admin` });
			const result = await runWorkflow(prontoBulk(`${webhook.url}/webhook/pronto`));

			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/does not answer as a Pronto Trigger \(HTTP 302\)/);
			expect(JSON.stringify(result.error)).not.toContain('internal admin panel');
			expect(internal.received).toHaveLength(0);
		} finally {
			await internal.close();
		}
	});

	it('a 404 that echoes the URL asked: the callback token is redacted from the error', async () => {
		webhook.setProbeFault({ kind: 'echo' });
		const result = await runWorkflow(prontoBulk(`${webhook.url}/webhook/pronto`));
		const token = webhookTokenFor(WEBHOOK_SECRET);

		expect(lastProbe().path).toContain(token); // the probe carries it, as callbacks do
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/no published workflow listens at \S+ \(it answered 404\)/,
		);
		expect(JSON.stringify(result.run.data)).not.toContain(token);
	});
});

describe('5. an endless or huge answer is cut and its connection closed', () => {
	const id = prospectIdFor({ email: 'person1@example.com' }) as string;
	const runExplorium = async (requestTimeoutSeconds: number) =>
		await runWorkflow({
			nodeTypes: [new Explorium()],
			credentials: {
				bulkEnrichmentExploriumApi: {
					apiKey: simulator.apiKeys.explorium,
					baseUrl: simulator.baseUrls.explorium,
				},
			},
			inputItems: toItems([{ prospect_id: id }]),
			node: {
				type: 'n8n-nodes-bulk-enrichment.explorium',
				parameters: {
					resource: 'prospect',
					operation: 'enrichContacts',
					identifyBy: 'prospectId',
					options: { requestTimeoutSeconds, maxRetries: 0 },
				},
				onError: 'continueRegularOutput',
			},
		});
	const enrichCall = () =>
		simulator.requestsTo('explorium', '/enrich')[0] as Simulator['requests'][number] & {
			bytesSent?: number;
			closedByClient?: boolean;
		};

	it('an answer that never ends: an error saying it was too large, and the download stops there', async () => {
		simulator.inject({ provider: 'explorium', path: '/enrich', kind: 'flood' });
		const result = await runExplorium(60);

		expect(result.outputs[0][0].json.error).toMatch(
			/the answer was too large: over 32 MB, so it was not read/,
		);
		await waitFor(() => enrichCall().closedByClient === true, 3000, 'the connection closed');
		expect(enrichCall().bytesSent).toBeLessThan(MAX_ANSWER_BYTES + 8 * 1024 * 1024);
	});

	it('a body still trickling at Request Timeout: the connection is closed when the node stops waiting', async () => {
		simulator.inject({ provider: 'explorium', path: '/enrich', kind: 'trickle', ms: 200 });
		const result = await runExplorium(1);

		expect(result.outputs[0][0].json.error).toMatch(/no answer within the request timeout/);
		await waitFor(() => enrichCall().closedByClient === true, 3000, 'the connection closed');
	});
});

describe('8. secrets are redacted in every form a server echoes them', () => {
	async function runExactBuyerEcho(apiKey: string, echo: IDataObject, baseUrl?: string) {
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
							enriched_contact: { full_name: 'Ada Person', ...echo },
						},
					],
					records_enriched: 1,
				},
			});
			return await runWorkflow({
				nodeTypes: [new ExactBuyer()],
				credentials: {
					bulkEnrichmentExactBuyerApi: { apiKey, baseUrl: baseUrl ?? keyed.baseUrls.exactbuyer },
				},
				inputItems: toItems([{ email: 'person0@example.com' }]) as INodeExecutionData[],
				node: {
					type: 'n8n-nodes-bulk-enrichment.exactBuyer',
					parameters: {
						resource: 'contact',
						operation: 'bulkEnrich',
						fieldType: 'email',
						value: '={{ $json.email }}',
						simplify: false,
					},
				} as NodeUnderTest,
			});
		} finally {
			await keyed.close();
		}
	}
	const base64 = (text: string) => Buffer.from(text).toString('base64');

	it('a 7-character key echoed as is, upper-cased, URL-encoded, base64 (alone and as Basic) and as a field name', async () => {
		const apiKey = 'sim/k7+';
		const result = await runExactBuyerEcho(apiKey, {
			plain: `key ${apiKey}`,
			upper: `KEY ${apiKey.toUpperCase()}`,
			url: `https://x.example/?k=${encodeURIComponent(apiKey)}`,
			alone: base64(apiKey),
			basic: `Basic ${base64(`${apiKey}:`)}`,
			basicAsPassword: `Basic ${base64(`:${apiKey}`)}`,
			[apiKey]: 'the key as a field name',
			'[redacted]': 'a field of that name already',
		});

		expect(result.status).toBe('success');
		const json = result.outputs[0][0].json;
		expect(json.enrichment_status).toBe('found');
		expect(json).toMatchObject({
			plain: 'key [redacted]',
			upper: 'KEY [redacted]',
			url: 'https://x.example/?k=[redacted]',
			alone: '[redacted]',
			basic: 'Basic [redacted]',
			basicAsPassword: 'Basic [redacted]',
			'[redacted]': 'a field of that name already',
			'[redacted] (2)': 'the key as a field name',
		});
		const saved = JSON.stringify(result.run.data);
		for (const form of [
			apiKey,
			apiKey.toUpperCase(),
			encodeURIComponent(apiKey),
			base64(apiKey),
			base64(`${apiKey}:`),
			base64(`:${apiKey}`),
		]) {
			expect(saved.toLowerCase()).not.toContain(form.toLowerCase());
		}
	});

	it('a numeric key echoed as a number', async () => {
		const result = await runExactBuyerEcho('7654321', { account: 7654321 });
		expect(result.outputs[0][0].json.account).toBe('[redacted]');
	});

	it("the password of a Base URL with user:password@ appears in no message (a proxy's login)", async () => {
		const password = 'proxy-pass-7';
		const typo = await startSimulator();
		try {
			const baseUrl = `${typo.url.replace('http://', `http://proxyuser:${password}@`)}/exactbuyr`;
			const result = await runWorkflow({
				nodeTypes: [new ExactBuyer()],
				credentials: { bulkEnrichmentExactBuyerApi: { apiKey: typo.apiKeys.exactbuyer, baseUrl } },
				inputItems: toItems([{ email: 'person0@example.com' }]),
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
			expect(result.error?.description).toContain(
				`check the Base URL of the ExactBuyer credential (${typo.url}/exactbuyr)`,
			);
			expect(JSON.stringify(result.error)).not.toContain(password);
			expect(JSON.stringify(result.run.data)).not.toContain(password);
		} finally {
			await typo.close();
		}
	});
});
