/**
 * Issue 12, reproduced as it was found: real n8n-core executions of the Explorium node against the
 * simulator (and a second loopback server standing for "another host"). One test per finding.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Explorium } from '../../nodes/Explorium/Explorium.node';
import { startCallbackReceiver } from '../simulator/callback-receiver.cjs';
import { prospectIdFor } from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runWorkflow, toItems, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;

let simulator: Simulator;
let otherHost: Receiver;

beforeAll(async () => {
	simulator = await startSimulator();
	otherHost = await startCallbackReceiver();
});
afterAll(async () => {
	await simulator.close();
	await otherHost.close();
});
beforeEach(() => {
	simulator.reset();
	otherHost.received.length = 0;
});

const EXPLORIUM_TYPE = 'n8n-nodes-bulk-enrichment.explorium';

function knownProspectId(n: number): string {
	const id = prospectIdFor({ email: `person${n}@example.com` });
	if (!id) throw new Error('the simulator matches every personN@example.com');
	return id;
}

async function run(
	node: NodeUnderTest,
	inputItems: INodeExecutionData[],
	credentials: IDataObject = {},
) {
	return await runWorkflow({
		nodeTypes: [new Explorium()],
		credentials: {
			bulkEnrichmentExploriumApi: {
				apiKey: simulator.apiKeys.explorium,
				baseUrl: simulator.baseUrls.explorium,
				...credentials,
			},
		},
		inputItems,
		node: { type: EXPLORIUM_TYPE, ...node },
	});
}

const enrichContacts = (
	options: INodeParameters = {},
	extra: INodeParameters = {},
): NodeUnderTest => ({
	parameters: {
		resource: 'prospect',
		operation: 'enrichContacts',
		identifyBy: 'prospectId',
		options,
		...extra,
	},
});
const prospects = (count: number) =>
	toItems(Array.from({ length: count }, (_, n) => ({ row: n, prospect_id: knownProspectId(n) })));
const bulkCalls = () => simulator.requestsTo('explorium', '/enrich');

describe('1. the API key never follows a redirect', () => {
	it.each([302, 307])(
		'%i to another host: not followed, the other host sees nothing, the error names the Base URL',
		async (status) => {
			simulator.inject({
				provider: 'explorium',
				path: '/enrich',
				kind: 'status',
				status,
				headers: { Location: `${otherHost.url}/steal?x=1` },
				body: '',
			});
			const result = await run(
				{ ...enrichContacts({ concurrency: 1 }), onError: 'continueRegularOutput' },
				prospects(120),
			);

			expect(otherHost.received).toHaveLength(0);
			expect(bulkCalls()).toHaveLength(1); // account-wide: the other chunks were not sent either
			const output = result.outputs[0];
			expect(output).toHaveLength(120);
			expect(output[0].json.error).toMatch(
				new RegExp(
					`^Explorium request failed \\(HTTP ${status}\\): the provider answered with a redirect to ${otherHost.url}, which was not followed`,
				),
			);
			expect(output[119].json.error).toMatch(
				/^Not sent: an earlier request to Explorium failed for the whole account/,
			);
		},
	);
});

describe('2. paid results are not thrown away silently', () => {
	it('a 403 after 19 good chunks without continue on fail: sending stops, and the error counts what n8n discards', async () => {
		// Enough for 950 contacts at v2's 5 credits each (Email and Phone).
		simulator.setAccount('explorium', { credits: 950 * 5 });
		const result = await run(enrichContacts({ concurrency: 1 }), prospects(1000));

		expect(result.status).toBe('error');
		expect(bulkCalls()).toHaveLength(20);
		expect(result.error?.message).toBe(
			'Explorium request failed (HTTP 403): Insufficient credits [items 950-999]',
		);
		expect(result.error?.description).toMatch(
			/950 of 1000 items were already enriched or submitted .* set the node's Settings › On Error to "Continue"/,
		);
	});
});

describe("3. one item's expression error", () => {
	const failingForRowOne =
		"={{ $json.row === 1 ? $('NoSuchNode').item.json.id : $json.prospect_id }}";

	it('is an error for that item only; the others are enriched', async () => {
		const result = await run(
			{ ...enrichContacts({}, { prospectId: failingForRowOne }), onError: 'continueRegularOutput' },
			prospects(3),
		);
		const statuses = result.outputs[0].map((item) => item.json.enrichment_status);
		expect(statuses).toEqual(['found', 'error', 'found']);
		expect(result.outputs[0][1].json.error).toMatch(
			/^Prospect ID: the expression could not be evaluated: .*\[item 1\]$/,
		);
	});

	it('goes to the error output when that is chosen, the others to the main output with their status', async () => {
		const result = await run(
			{ ...enrichContacts({}, { prospectId: failingForRowOne }), onError: 'continueErrorOutput' },
			prospects(3),
		);
		expect(result.outputs[0].map((item) => [item.json.row, item.json.enrichment_status])).toEqual([
			[0, 'found'],
			[2, 'found'],
		]);
		expect(result.outputs[1].map((item) => item.json.row)).toEqual([1]);
	});
});

describe('4. match never trusts row position alone', () => {
	it('rows returned in another order, each with its input echo, go to the right people', async () => {
		const emails = ['person1@example.com', 'person2@example.com'];
		simulator.inject({
			provider: 'explorium',
			path: '/prospects/match',
			kind: 'status',
			status: 200,
			body: {
				matched_prospects: [
					{ input: { email: emails[1] }, prospect_id: knownProspectId(2) },
					{ input: { email: emails[0] }, prospect_id: knownProspectId(1) },
				],
			},
		});
		const result = await run(
			{ parameters: { resource: 'prospect', operation: 'match', email: '={{ $json.email }}' } },
			toItems(emails.map((email) => ({ email }))),
		);
		expect(result.outputs[0].map((item) => item.json.prospect_id)).toEqual([
			knownProspectId(1),
			knownProspectId(2),
		]);
	});
});

describe('5. binary data', () => {
	it('items keep their binary data with "Input Fields and Enrichment"', async () => {
		const items = prospects(2).map((item) => ({
			...item,
			binary: { card: { data: 'aGVsbG8=', mimeType: 'text/plain', fileName: 'card.txt' } },
		}));
		const result = await run(enrichContacts(), items);
		for (const item of result.outputs[0])
			expect(item.binary?.card).toMatchObject({ fileName: 'card.txt', mimeType: 'text/plain' });
	});
});

describe('6. validation neither too strict nor too loose', () => {
	const match = (rows: IDataObject[]) =>
		run(
			{
				parameters: {
					resource: 'prospect',
					operation: 'match',
					email: '={{ $json.email }}',
					phone: '={{ $json.phone }}',
					fullName: '={{ $json.name }}',
					companyName: '={{ $json.company }}',
				},
				onError: 'continueRegularOutput',
			},
			toItems(rows),
		);

	it('international and unusual addresses are sent; a bad email beside a good phone sends the phone, with a warning', async () => {
		const result = await match([
			{ email: 'josé@example.com' },
			{ email: 'user@bücher.de' },
			{ email: 'a&b@example.com' },
			{ email: 'nope', phone: '+1 415 555 0100' },
		]);
		const sent = simulator
			.requestsTo('explorium', '/prospects/match')
			.flatMap(
				(request) => (request.body as { prospects_to_match: IDataObject[] }).prospects_to_match,
			);
		// The IDN domain is sent in its punycode form (one spelling per address, issue 26 point 11).
		expect(sent).toEqual([
			{ email: 'josé@example.com' },
			{ email: 'user@xn--bcher-kva.de' },
			{ email: 'a&b@example.com' },
			{ phone_number: '+14155550100' },
		]);
		expect(result.outputs[0][3].json.enrichment_warnings).toEqual([
			'Email left out: must be an email address (got "nope")',
		]);
	});

	it('objects, lists, numbers-as-names and 10 000-character values are refused, never stringified', async () => {
		const result = await match([
			{ email: { address: 'a@example.com' } },
			{ name: ['Acme', 'Beta'], company: 'Acme' },
			{ email: `${'x'.repeat(10_000)}@example.com` },
		]);
		expect(result.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
			'error',
			'error',
			'error',
		]);
		expect(result.outputs[0][0].json.error).toMatch(/^Email: must be text/);
		expect(result.outputs[0][1].json.error).toMatch(/^Full Name: must be text/);
		expect(result.outputs[0][2].json.error).toMatch(/^Email: must be at most 254 characters/);
		expect(simulator.requests).toHaveLength(0);
	});
});

describe('7. provider fields never overwrite input fields', () => {
	it('a CRM name, the id sent and an "error" key inside the data stay where they belong', async () => {
		const id = knownProspectId(1);
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'status',
			status: 200,
			body: {
				data: [
					{
						prospect_id: id,
						data: {
							name: 'Provider Name',
							prospect_id: knownProspectId(9),
							error: 'stale record',
							job_title: 'CTO',
						},
					},
				],
			},
		});
		const result = await run(enrichContacts(), toItems([{ name: 'CRM Name', prospect_id: id }]));
		expect(result.outputs[0][0].json).toEqual({
			name: 'CRM Name',
			prospect_id: id,
			job_title: 'CTO',
			returned_prospect_id: knownProspectId(9),
			enrichment_conflicts: { name: 'Provider Name', error: 'stale record' },
			enrichment_status: 'found',
			enrichment_run: expect.objectContaining({
				provider: 'Explorium',
				items_found: 1,
				records_sent: 1,
				requests: 1,
				credits_used: null,
			}),
		});
	});
});

describe('8. Request Timeout limits the whole request', () => {
	it('a body trickled slowly is cut at the timeout', async () => {
		simulator.inject({ provider: 'explorium', path: '/enrich', kind: 'trickle', ms: 200 });
		const started = Date.now();
		const result = await run(
			{
				...enrichContacts({ requestTimeoutSeconds: 1, maxRetries: 0 }),
				onError: 'continueRegularOutput',
			},
			prospects(1),
		);
		expect(Date.now() - started).toBeLessThan(4000);
		expect(result.outputs[0][0].json.error).toMatch(/no answer within the request timeout/);
	});
});

describe('9. settings out of range are errors naming the option, before anything is sent', () => {
	it.each<[string, INodeParameters, string]>([
		[
			'Batch Size 0',
			{ batchSize: 0 },
			'Options › Batch Size: must be a whole number from 1 to 50 (got 0)',
		],
		[
			'Batch Size -1',
			{ batchSize: -1 },
			'Options › Batch Size: must be a whole number from 1 to 50 (got -1)',
		],
		[
			'Batch Size 1.5',
			{ batchSize: 1.5 },
			'Options › Batch Size: must be a whole number from 1 to 50 (got 1.5)',
		],
		[
			'a text Batch Size',
			{ batchSize: '={{ "ten" }}' },
			'Options › Batch Size: must be a whole number from 1 to 50 (got "ten")',
		],
		[
			'Max Retries 1000 from an expression',
			{ maxRetries: '={{ 1000 }}' },
			'Options › Max Retries per Request: must be a whole number from 0 to 10 (got 1000)',
		],
		[
			'Request Timeout 0',
			{ requestTimeoutSeconds: 0 },
			'Options › Request Timeout (Seconds): must be a number from 1 to 600 (got 0)',
		],
	])('%s', async (_, options, message) => {
		const result = await run(enrichContacts(options), prospects(3));
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(message);
		// Under "Continue" each item says so (issue 26 point 12), none passes through untouched.
		const continued = await run(
			{ ...enrichContacts(options), onError: 'continueRegularOutput' },
			prospects(3),
		);
		expect(
			continued.outputs[0].map((item) => [item.json.enrichment_status, item.json.error]),
		).toEqual([0, 1, 2].map((n) => ['error', `${message} [item ${n}]`]));
		expect(simulator.requests).toHaveLength(0);
	});
});

describe('10. account-wide failures end the sending under continue on fail', () => {
	it('after a 401 no other chunk is sent; the unsent items say why', async () => {
		const result = await run(
			{ ...enrichContacts({ concurrency: 1 }), onError: 'continueRegularOutput' },
			prospects(150),
			{ apiKey: 'wrong-key-for-test' },
		);
		expect(bulkCalls()).toHaveLength(1);
		expect(result.outputs[0]).toHaveLength(150);
		expect(result.outputs[0][149].json.error).toMatch(
			/^Not sent: an earlier request to Explorium failed for the whole account \(HTTP 401/,
		);
	});
});

describe('11. smaller findings', () => {
	it('a key the provider echoes in a 200 body is redacted in the output', async () => {
		const id = knownProspectId(1);
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'status',
			status: 200,
			body: {
				data: [{ prospect_id: id, data: { note: `your key is ${simulator.apiKeys.explorium}` } }],
			},
		});
		const result = await run(enrichContacts(), toItems([{ prospect_id: id }]));
		expect(result.outputs[0][0].json.note).toBe('your key is [redacted]');
		expect(JSON.stringify(result.runData)).not.toContain(simulator.apiKeys.explorium);
	});

	it.each(['', 'not a url', 'https://'])(
		'a Base URL of %j names the credential',
		async (baseUrl) => {
			const result = await run(enrichContacts(), prospects(1), { baseUrl });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(
				/^The Base URL of the bulkEnrichmentExploriumApi credential is not a valid http\(s\) URL/,
			);
		},
	);

	it('a match row with a non-hex prospect_id is not "found"', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/prospects/match',
			kind: 'status',
			status: 200,
			body: {
				matched_prospects: [{ input: { email: 'person1@example.com' }, prospect_id: 'zzzz' }],
			},
		});
		const result = await run(
			{
				parameters: { resource: 'prospect', operation: 'match', email: '={{ $json.email }}' },
				onError: 'continueRegularOutput',
			},
			toItems([{ email: 'person1@example.com' }]),
		);
		expect(result.outputs[0][0].json.enrichment_status).toBe('error');
		expect(result.outputs[0][0].json.error).toMatch(/malformed prospect_id/);
	});
});
