/**
 * Issue 26, reading answers (points 3, 4, 10, 11), through real n8n-core executions against the
 * simulator over HTTP: a miss is only an answer that says nothing went wrong, a wrong Base URL path
 * is no miss, rows go only to the input they prove to answer, and one address is paid for once.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ExactBuyer } from '../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../nodes/Explorium/Explorium.node';
import { Pronto } from '../../nodes/Pronto/Pronto.node';
import { prospectIdFor } from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runWorkflow, toItems, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

let simulator: Simulator;

beforeAll(async () => {
	simulator = await startSimulator();
});
afterAll(async () => {
	await simulator.close();
});
beforeEach(() => simulator.reset());

async function runExactBuyer(
	node: NodeUnderTest,
	inputItems: INodeExecutionData[],
	baseUrl = simulator.baseUrls.exactbuyer,
) {
	return await runWorkflow({
		nodeTypes: [new ExactBuyer()],
		credentials: { bulkEnrichmentExactBuyerApi: { apiKey: simulator.apiKeys.exactbuyer, baseUrl } },
		inputItems,
		node: {
			type: 'n8n-nodes-bulk-enrichment.exactBuyer',
			onError: 'continueRegularOutput',
			...node,
		},
	});
}

async function runExplorium(parameters: INodeParameters, inputItems: INodeExecutionData[]) {
	return await runWorkflow({
		nodeTypes: [new Explorium()],
		credentials: {
			bulkEnrichmentExploriumApi: {
				apiKey: simulator.apiKeys.explorium,
				baseUrl: simulator.baseUrls.explorium,
			},
		},
		inputItems,
		node: {
			type: 'n8n-nodes-bulk-enrichment.explorium',
			parameters,
			onError: 'continueRegularOutput',
		},
	});
}

async function runProntoGet(inputItems: INodeExecutionData[]) {
	return await runWorkflow({
		nodeTypes: [new Pronto()],
		credentials: {
			bulkEnrichmentProntoApi: {
				apiKey: simulator.apiKeys.pronto,
				baseUrl: simulator.baseUrls.pronto,
			},
		},
		inputItems,
		node: {
			type: 'n8n-nodes-bulk-enrichment.pronto',
			parameters: {
				resource: 'contact',
				operation: 'get',
				enrichmentId: '={{ $json.enrichment_id }}',
			},
			onError: 'continueRegularOutput',
		},
	});
}

const exactBuyerEnrich = (options: INodeParameters = {}): NodeUnderTest => ({
	parameters: {
		resource: 'contact',
		operation: 'enrich',
		fieldType: 'email',
		value: '={{ $json.email }}',
		options,
	},
});
const exactBuyerBulk: NodeUnderTest = {
	parameters: {
		resource: 'contact',
		operation: 'bulkEnrich',
		fieldType: 'email',
		value: '={{ $json.email }}',
	},
};
const enrichContacts = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'prospect',
	operation: 'enrichContacts',
	identifyBy: 'prospectId',
	prospectId: '={{ $json.prospect_id }}',
	options,
});
const emails = (count: number) =>
	toItems(Array.from({ length: count }, (_, n) => ({ email: `person${n}@example.com` })));
const prospects = (count: number) =>
	toItems(
		Array.from({ length: count }, (_, n) => ({
			prospect_id: prospectIdFor({ email: `person${n}@example.com` }),
		})),
	);
const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
const statuses = (items: INodeExecutionData[]) => items.map((item) => item.json.enrichment_status);

describe("3. a failure inside a 2xx is an error in the provider's words, never not_found", () => {
	it.each([
		[
			'{"result": null, "error": …}',
			{ result: null, error: 'upstream enrichment failed' },
			'upstream enrichment failed',
		],
		[
			'{"result": null, "message": …} (no data)',
			{ result: null, message: 'Account suspended' },
			'Account suspended',
		],
	])('ExactBuyer Enrich answered 200 %s', async (_what, body, words) => {
		simulator.inject({
			provider: 'exactbuyer',
			path: '/v1/enrich',
			kind: 'status',
			status: 200,
			body,
			times: -1,
		});
		const result = await runExactBuyer(exactBuyerEnrich(), emails(1));

		const item = result.outputs[0][0].json;
		expect(item.enrichment_status).toBe('error');
		expect(item.error).toMatch(startsWith(`ExactBuyer answered HTTP 200 with an error: ${words}`));
	});

	it('ExactBuyer Enrich answered 200 {"result": null, "message": "rate limited"}: waited out like a 429, then found', async () => {
		simulator.inject({
			provider: 'exactbuyer',
			path: '/v1/enrich',
			kind: 'status',
			status: 200,
			body: { result: null, message: 'rate limited' },
		});
		const result = await runExactBuyer(exactBuyerEnrich(), emails(1));

		expect(statuses(result.outputs[0])).toEqual(['found']);
		expect(simulator.requestsTo('exactbuyer', '/v1/enrich')).toHaveLength(2);
	});

	it('ExactBuyer Bulk Enrich answered 200 {"error": "Insufficient credits", "contacts": [… null …]}: errors, nothing counted as sent, the run stops', async () => {
		const contacts = Array.from({ length: 3 }, (_, n) => ({
			value: `person${n}@example.com`,
			enriched_contact: null,
		}));
		simulator.inject({
			provider: 'exactbuyer',
			path: '/v1/bulk-enrich',
			kind: 'status',
			status: 200,
			body: { error: 'Insufficient credits', contacts },
			times: -1,
		});
		const result = await runExactBuyer(
			{
				...exactBuyerBulk,
				parameters: { ...exactBuyerBulk.parameters, options: { batchSize: 3, concurrency: 1 } },
			},
			emails(6),
		);

		const output = result.outputs[0];
		for (const item of output.slice(0, 3))
			expect(item.json.error).toMatch(
				startsWith('ExactBuyer answered HTTP 200 with an error: Insufficient credits'),
			);
		expect(output[3].json.error).toMatch(
			/^Not sent: an earlier request to ExactBuyer failed for the whole account/,
		);
		expect(simulator.requestsTo('exactbuyer', '/v1/bulk-enrich')).toHaveLength(1);
		expect(output[0].json.enrichment_run).toMatchObject({ records_sent: 0 });
	});

	it.each([
		[
			'{"data": [], "error": "internal error"}',
			{ data: [], error: 'internal error' },
			'internal error (gave up after 1 attempts)',
		],
		[
			'{"data": [], "errors": [{"message": …}]}',
			{ data: [], errors: [{ message: 'field prospect_ids is invalid' }] },
			'field prospect_ids is invalid',
		],
		[
			'{"data": [], "message": "Insufficient credits", request_status "success"}',
			{
				data: [],
				message: 'Insufficient credits',
				response_context: { request_status: 'success' },
			},
			'Insufficient credits',
		],
	])('Explorium Enrich Contacts answered 200 %s', async (_what, body, words) => {
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'status',
			status: 200,
			body,
			times: -1,
		});
		const result = await runExplorium(enrichContacts({ maxRetries: 0 }), prospects(2));

		for (const item of result.outputs[0]) {
			expect(item.json.enrichment_status).toBe('error');
			expect(item.json.error).toMatch(
				startsWith(`Explorium answered HTTP 200 with an error: ${words}`),
			);
		}
	});

	it('Explorium answered 200 {"data": [], "error": "internal error"} once: retried like a 5xx (a look-up may be sent again), then found', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'status',
			status: 200,
			body: { data: [], error: 'internal error' },
		});
		const result = await runExplorium(enrichContacts(), prospects(2));

		expect(statuses(result.outputs[0])).toEqual(['found', 'found']);
		expect(simulator.requestsTo('explorium', '/enrich')).toHaveLength(2);
	});

	it('Explorium answered 200 with a found row beside {"error": …}: the paid row is kept, the miss is an error', async () => {
		const [first, second] = prospects(2).map((item) => String(item.json.prospect_id));
		const body = {
			data: [{ prospect_id: first, data: { professional_email: 'ada@example.com' } }],
			error: 'partial failure',
		};
		simulator.inject({ provider: 'explorium', path: '/enrich', kind: 'status', status: 200, body });
		const result = await runExplorium(
			enrichContacts(),
			toItems([{ prospect_id: first }, { prospect_id: second }]),
		);

		expect(statuses(result.outputs[0])).toEqual(['found', 'error']);
		expect(result.outputs[0][1].json.error).toMatch(
			startsWith('Explorium answered HTTP 200 with an error: partial failure'),
		);
	});

	it.each([
		['failed', 'Enrichment failed'],
		['error', 'Contact could not be processed'],
	])(
		'Pronto Get answered 200 {"status": "%s", "message": …}: an error naming it',
		async (status, message) => {
			simulator.inject({
				provider: 'pronto',
				path: '/contacts/',
				kind: 'status',
				status: 200,
				body: { status, message },
			});
			const result = await runProntoGet(toItems([{ enrichment_id: 'enr-0001' }]));

			expect(result.outputs[0][0].json.enrichment_status).toBe('error');
			expect(result.outputs[0][0].json.error).toMatch(
				startsWith(`Pronto answered HTTP 200 with an error: status "${status}": ${message}`),
			);
		},
	);

	describe('the documented misses stay misses', () => {
		it('ExactBuyer Bulk Enrich: enriched_contact null', async () => {
			const result = await runExactBuyer(
				exactBuyerBulk,
				toItems([{ email: 'nomatch1@example.com' }, { email: 'person1@example.com' }]),
			);
			expect(statuses(result.outputs[0])).toEqual(['not_found', 'found']);
		});

		it('ExactBuyer Enrich: its 404 {"error": "Not found"}, and a 200 whose message says only that nothing was found', async () => {
			const result = await runExactBuyer(
				exactBuyerEnrich(),
				toItems([{ email: 'nomatch@example.com' }]),
			);
			expect(statuses(result.outputs[0])).toEqual(['not_found']);
			simulator.inject({
				provider: 'exactbuyer',
				path: '/v1/enrich',
				kind: 'status',
				status: 200,
				body: { result: null, message: 'No contact found' },
			});
			const worded = await runExactBuyer(exactBuyerEnrich(), emails(1));
			expect(statuses(worded.outputs[0])).toEqual(['not_found']);
		});

		it('Explorium: request_status "miss" with empty data, and an id without a row', async () => {
			simulator.inject({
				provider: 'explorium',
				path: '/enrich',
				kind: 'status',
				status: 200,
				body: { response_context: { request_status: 'miss' }, data: [], total_results: 0 },
			});
			const result = await runExplorium(enrichContacts(), prospects(2));
			expect(statuses(result.outputs[0])).toEqual(['not_found', 'not_found']);
		});

		it('Pronto Get: finished without data (email_status "N/A")', async () => {
			const body = {
				enrichment_id: 'enr-0001',
				status: 'finished',
				email: null,
				email_status: 'N/A',
				phone: [],
			};
			simulator.inject({
				provider: 'pronto',
				path: '/contacts/',
				kind: 'status',
				status: 200,
				body,
			});
			const result = await runProntoGet(toItems([{ enrichment_id: 'enr-0001' }]));
			expect(statuses(result.outputs[0])).toEqual(['not_found']);
		});
	});
});

describe('4. ExactBuyer Enrich with a wrong Base URL path is no "nobody found"', () => {
	it.each(['/v2', '/nowhere', '/v1/enrich/'])(
		'Base URL …%s (the API answers its JSON 404 {"error": "Not found"} there): errors naming the Base URL, the run stops',
		async (suffix) => {
			const baseUrl = `${simulator.baseUrls.exactbuyer}${suffix}`;
			const result = await runExactBuyer(exactBuyerEnrich({ concurrency: 1 }), emails(4), baseUrl);

			const output = result.outputs[0];
			expect(statuses(output)).toEqual(['error', 'error', 'error', 'error']);
			expect(output[0].json.error).toMatch(
				startsWith('ExactBuyer request failed (HTTP 404): Not found'),
			);
			expect(output[0].json.enrichment_note).toContain(
				`check the Base URL of the ExactBuyer credential (${baseUrl.replace(/\/$/, '')})`,
			);
			expect(output[1].json.error).toMatch(
				/^Not sent: ExactBuyer answered that the address itself does not exist \(HTTP 404\)/,
			);
			// The first look-up and one free probe (no identifier) of the same path; nothing more.
			expect(simulator.requestsTo('exactbuyer')).toHaveLength(2);
		},
	);

	it('at the right Base URL a 404 stays a miss; the probe is sent once per run, with no identifier (nothing to enrich)', async () => {
		const result = await runExactBuyer(
			exactBuyerEnrich({ concurrency: 1 }),
			toItems([
				{ email: 'nomatch1@example.com' },
				{ email: 'person1@example.com' },
				{ email: 'nomatch2@example.com' },
			]),
		);

		expect(statuses(result.outputs[0])).toEqual(['not_found', 'found', 'not_found']);
		const calls = simulator.requestsTo('exactbuyer', '/v1/enrich');
		expect(calls).toHaveLength(4);
		expect(calls.filter((call) => call.query.email === undefined)).toHaveLength(1);
	});
});

describe('10. Explorium rows go only to the input they prove to answer', () => {
	it('Enrich: a second row for the same id (upper-cased, empty data) never replaces the paid first one', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'rows',
			rows: 'duplicateEmpty',
		});
		const result = await runExplorium(enrichContacts(), prospects(3));

		expect(statuses(result.outputs[0])).toEqual(['found', 'found', 'found']);
		expect(result.outputs[0][0].json.more_records).toBeUndefined();
	});

	it.each(['blankEcho', 'companyEcho'] as const)(
		'Match: reordered rows whose echo cannot tell two people apart (%s) go to nobody, never swapped',
		async (rows) => {
			simulator.inject({ provider: 'explorium', path: '/prospects/match', kind: 'rows', rows });
			const people = [0, 1].map((n) => ({ email: `person${n}@example.com`, company_name: 'Acme' }));
			const result = await runExplorium(
				{
					resource: 'prospect',
					operation: 'match',
					email: '={{ $json.email }}',
					companyName: '={{ $json.company_name }}',
				},
				toItems(people),
			);

			const output = result.outputs[0];
			expect(statuses(output)).toEqual(['error', 'error']);
			expect(output[0].json.error).toMatch(/row\(s\) without an "input" echo naming one input/);
			expect(output.map((item) => item.json.prospect_id ?? null)).toEqual([null, null]);
		},
	);

	it('Match: reordered rows with a full echo still go to their own inputs', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/prospects/match',
			kind: 'rows',
			rows: 'reverse',
		});
		const people = [0, 1].map((n) => ({ email: `person${n}@example.com`, company_name: 'Acme' }));
		const result = await runExplorium(
			{
				resource: 'prospect',
				operation: 'match',
				email: '={{ $json.email }}',
				companyName: '={{ $json.company_name }}',
			},
			toItems(people),
		);

		expect(result.outputs[0].map((item) => item.json.prospect_id)).toEqual(
			people.map((person) => prospectIdFor(person)),
		);
	});
});

describe('11. one address in different Unicode forms is sent, and paid for, once', () => {
	const spellings: IDataObject[] = [
		{ email: 'José@Example.com' }, // NFC
		{ email: 'Jose\u0301@example.com' }, // NFD: "e" + combining acute
		{ email: 'user@bücher.de' }, // IDN
		{ email: 'USER@xn--bcher-kva.de' }, // its punycode
	];

	it('ExactBuyer Bulk Enrich sends the normalised form once per address; the items share its record', async () => {
		const result = await runExactBuyer(exactBuyerBulk, toItems(spellings));

		const calls = simulator.requestsTo('exactbuyer', '/v1/bulk-enrich');
		expect(calls).toHaveLength(1);
		const sent = JSON.parse(String((calls[0].body as { query_list: string }).query_list)) as Array<{
			value: string;
		}>;
		expect(sent.map((query) => query.value)).toEqual(['josé@example.com', 'user@xn--bcher-kva.de']);
		const output = result.outputs[0];
		expect(statuses(output)).toEqual(['found', 'found', 'found', 'found']);
		expect(output[1].json.full_name).toBe(output[0].json.full_name);
		expect(output[3].json.full_name).toBe(output[2].json.full_name);
	});

	it('Explorium Match sends each address once', async () => {
		await runExplorium(
			{ resource: 'prospect', operation: 'match', email: '={{ $json.email }}' },
			toItems(spellings),
		);

		const sent = simulator
			.requestsTo('explorium', '/prospects/match')
			.flatMap((call) => (call.body as { prospects_to_match: IDataObject[] }).prospects_to_match);
		expect(sent.map((input) => input.email)).toEqual(['josé@example.com', 'user@xn--bcher-kva.de']);
	});
});
