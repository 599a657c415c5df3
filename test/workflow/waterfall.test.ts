/**
 * Waterfall enrichment by plain chaining, in real n8n-core executions against the simulator over
 * HTTP: Explorium → ExactBuyer → Pronto Enrich and Wait, each with Only Enrich Items Missing =
 * email, and no other node between them. The simulator's hit sets are known in advance (its
 * deterministic rules, exported by fake-data.cjs), so every expectation below is predicted, not
 * read back: which identifiers each provider receives, whose email each item ends with.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	crmContacts,
	exactBuyerValue,
	predictEmail,
	type EmailSource,
} from '../fixtures/waterfall-contacts.cjs';
import { prospectIdFor } from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runPackageNodes, toItems, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
let simulator: Simulator;

beforeAll(async () => {
	simulator = await startSimulator({ callbackDelayMs: 20 });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.reset());

const EXPLORIUM = 'n8n-nodes-bulk-enrichment.explorium';
const EXACTBUYER = 'n8n-nodes-bulk-enrichment.exactBuyer';
const PRONTO = 'n8n-nodes-bulk-enrichment.pronto';

const run = (node: NodeUnderTest, inputItems: INodeExecutionData[], then: NodeUnderTest[] = []) =>
	runPackageNodes(simulator, node, inputItems, then);

const missingEmail = { onlyEnrichMissing: ['email'] };

/** The three nodes as a user sets them up for "find the email": nothing else between them. */
const waterfall: [NodeUnderTest, ...NodeUnderTest[]] = [
	{
		name: 'Explorium',
		type: EXPLORIUM,
		parameters: {
			resource: 'prospect',
			operation: 'enrichContacts',
			identifyBy: 'personDetails',
			linkedinUrl: '={{ $json.linkedin_url }}',
			options: missingEmail,
		},
	},
	{
		name: 'ExactBuyer',
		type: EXACTBUYER,
		parameters: {
			resource: 'contact',
			operation: 'bulkEnrich',
			fieldType: 'social_profile',
			value: '={{ $json.linkedin_url }}',
			options: missingEmail,
		},
	},
	{
		name: 'Pronto',
		type: PRONTO,
		parameters: {
			resource: 'contact',
			operation: 'enrich',
			enrichmentType: 'email',
			domain: '={{ $json.company_domain }}',
			options: { ...missingEmail, pollIntervalSeconds: 1, maxWaitSeconds: 60 },
		},
	},
];

describe('waterfall: Explorium → ExactBuyer → Pronto Enrich and Wait, each "missing email"', () => {
	it('500 CRM contacts: each provider is sent exactly the items still missing an email, and every item ends with the first email found', async () => {
		const rows = crmContacts();
		const predicted = rows.map(predictEmail);
		const count = (source: EmailSource) => predicted.filter((p) => p.source === source).length;
		// The hit sets must exercise every branch, or the test proves little.
		for (const source of ['input', 'Explorium', 'ExactBuyer', 'Pronto', 'none'] as const)
			expect(count(source)).toBeGreaterThan(10);

		const [first, ...rest] = waterfall;
		const result = await run(first, toItems(rows), rest);
		expect(result.status).toBe('success');

		// Each provider received exactly the rows still missing an email when it ran.
		const rowsFrom = (sources: EmailSource[]) =>
			rows.filter((_, n) => sources.includes(predicted[n].source));
		const sentToExploriumMatch = simulator
			.requestsTo('explorium', '/prospects/match')
			.flatMap((request) =>
				(request.body as { prospects_to_match: IDataObject[] }).prospects_to_match.map(
					(input) => input.linkedin,
				),
			);
		expect(sentToExploriumMatch.sort()).toEqual(
			rowsFrom(['Explorium', 'ExactBuyer', 'Pronto', 'none'])
				.map((row) => row.linkedin_url)
				.sort(),
		);
		const sentToExactBuyer = simulator
			.requestsTo('exactbuyer', '/v1/bulk-enrich')
			.flatMap(
				(request) =>
					JSON.parse((request.body as { query_list: string }).query_list) as Array<{
						value: string;
					}>,
			)
			.map((query) => query.value);
		expect(sentToExactBuyer.sort()).toEqual(
			rowsFrom(['ExactBuyer', 'Pronto', 'none']).map(exactBuyerValue).sort(),
		);
		const sentToPronto = simulator
			.requestsTo('pronto', '/contacts/single_enrich')
			.map((request) => (request.body as IDataObject).lastname);
		expect(sentToPronto.sort()).toEqual(
			rowsFrom(['Pronto', 'none'])
				.map((row) => row.last_name)
				.sort(),
		);

		// One item per contact, in order, each ending with the email of the first provider that found one.
		const output = result.outputs[0];
		expect(output).toHaveLength(500);
		output.forEach((item, n) => {
			const { source, email } = predicted[n];
			const json = item.json;
			expect(item.pairedItem).toEqual({ item: n });
			// No input value was overwritten.
			for (const field of [
				'crm_id',
				'first_name',
				'last_name',
				'company_domain',
				'linkedin_url',
			] as const)
				expect(json[field]).toBe(rows[n][field]);
			if (source === 'input') {
				expect(json).toMatchObject({ email, enrichment_status: 'skipped' });
				expect(json.enrichment_source).toBeUndefined();
			} else if (source === 'none') {
				expect(json).toMatchObject({ enrichment_status: 'not_found' });
				expect(json.email ?? null).toBeNull();
			} else {
				expect(json.email).toBe(email);
				expect((json.enrichment_source as IDataObject).email).toBe(source);
				// Found earlier: the later nodes let the item through untouched, saying why.
				expect(json.enrichment_status).toBe(source === 'Pronto' ? 'found' : 'skipped');
			}
		});

		// Each node's run says what it sent.
		const runOf = (node: string) =>
			result.runData[node][0].data?.main[0]?.[0]?.json.enrichment_run as IDataObject;
		expect(runOf('ExactBuyer')).toMatchObject({
			provider: 'ExactBuyer',
			records_sent: sentToExactBuyer.length,
			requests: 1,
			items_skipped: 500 - sentToExactBuyer.length,
		});
		// ExactBuyer charges (and reports) one credit per contact it returned, email or not.
		const returnedByExactBuyer = predicted.filter(
			(p) => ['ExactBuyer', 'Pronto', 'none'].includes(p.source) && p.exactBuyerReturnsContact,
		);
		expect(runOf('ExactBuyer').credits_used).toBe(returnedByExactBuyer.length);
		expect(runOf('Pronto')).toMatchObject({
			provider: 'Pronto',
			records_sent: sentToPronto.length,
			credits_used: null,
		});
	}, 30_000); // three real runs of 500 items: about 2 s alone, up to 10 s on a loaded 2-CPU machine

	it('an email from the input is never replaced, even where a provider finds another', async () => {
		const rows = [
			{
				crm_id: 'crm-a',
				first_name: 'Ada',
				last_name: 'Tester',
				company_domain: 'acme.example',
				email: 'ada@crm.example',
				linkedin_url: 'https://www.linkedin.com/in/ada-a',
			},
		];
		// Without Only Enrich Items Missing the contact is sent, but its email stays.
		const result = await run(
			{ ...waterfall[0], parameters: { ...waterfall[0].parameters, options: {} } },
			toItems(rows),
		);
		const json = result.outputs[0][0].json;
		expect(json.email).toBe('ada@crm.example');
		expect(json.enrichment_status).toBe('found');
		expect((json.enrichment_source as IDataObject | undefined)?.email).toBeUndefined();
		// The provider's own value stays in its own fields.
		expect(json.professional_email).toMatch(/@/);
		expect(json.professional_email).not.toBe('ada@crm.example');
	});
});

describe('credit guard: Max Records per Run', () => {
	const exactBuyer = (
		maxRecordsPerRun: number,
		onError?: NodeUnderTest['onError'],
	): NodeUnderTest => ({
		type: EXACTBUYER,
		parameters: {
			resource: 'contact',
			operation: 'bulkEnrich',
			fieldType: 'email',
			value: '={{ $json.email }}',
			options: { maxRecordsPerRun },
		},
		...(onError ? { onError } : {}),
	});
	// 30 items over 25 distinct emails (every 6th repeats the one before).
	const rows = Array.from({ length: 30 }, (_, n) => ({
		row: n,
		email: `person${n % 6 === 5 ? n - 1 : n}@example.com`,
	}));
	const distinct = new Set(rows.map((row) => row.email)).size;

	it('over the limit, the node fails before sending anything and says how many it would have sent', async () => {
		const result = await run(exactBuyer(10), toItems(rows));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			new RegExp(
				`would send ${distinct} distinct records to ExactBuyer, more than Options › Max Records per Run \\(10\\)`,
			),
		);
		expect(simulator.requests).toHaveLength(0);
	});

	it('with Continue On Fail the first N distinct records are sent and the rest pass through as not_sent', async () => {
		const result = await run(exactBuyer(10, 'continueRegularOutput'), toItems(rows));
		expect(result.status).toBe('success');
		const sent = simulator
			.requestsTo('exactbuyer', '/v1/bulk-enrich')
			.flatMap(
				(request) =>
					JSON.parse((request.body as { query_list: string }).query_list) as Array<{
						value: string;
					}>,
			)
			.map((query) => query.value);
		const firstTen = [...new Set(rows.map((row) => row.email))].slice(0, 10);
		expect(sent).toEqual(firstTen);
		const output = result.outputs[0];
		expect(output).toHaveLength(30);
		output.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			if (firstTen.includes(rows[n].email)) {
				expect(item.json.enrichment_status).toBe('found');
			} else {
				expect(item.json).toMatchObject({
					row: n,
					email: rows[n].email,
					enrichment_status: 'not_sent',
				});
				expect(item.json.enrichment_note).toMatch(/Max Records per Run \(10\)/);
			}
		});
		// ExactBuyer says what it charged; the item says it.
		expect(output[0].json.enrichment_run).toMatchObject({
			provider: 'ExactBuyer',
			records_sent: 10,
			requests: 1,
			credits_used: 10,
			items_not_sent: 30 - output.filter((item) => item.json.enrichment_status === 'found').length,
		});
	});

	it('at the limit everything is sent; 0 means no limit', async () => {
		for (const limit of [distinct, 0]) {
			simulator.reset();
			const result = await run(exactBuyer(limit), toItems(rows));
			expect(result.status).toBe('success');
			expect(result.outputs[0].every((item) => item.json.enrichment_status === 'found')).toBe(true);
		}
	});

	it('counts Explorium matching too (a credit-consuming endpoint): over the limit, not even the match is sent', async () => {
		const people = Array.from({ length: 60 }, (_, n) => ({
			linkedin_url: `https://www.linkedin.com/in/ada-${n}`,
		}));
		const result = await run(
			{
				type: EXPLORIUM,
				parameters: {
					resource: 'prospect',
					operation: 'enrichContacts',
					identifyBy: 'personDetails',
					linkedinUrl: '={{ $json.linkedin_url }}',
					options: { maxRecordsPerRun: 40 },
				},
			},
			toItems(people),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/would send 60 distinct records to Explorium, more than Options › Max Records per Run \(40\)/,
		);
		// The match would spend credits on 60 records: stopped before anything was sent.
		expect(simulator.requestsTo('explorium')).toHaveLength(0);
	});
});

describe('Match → Enrich with no node between them', () => {
	const match: NodeUnderTest = {
		name: 'Match',
		type: EXPLORIUM,
		parameters: { resource: 'prospect', operation: 'match', email: '={{ $json.email }}' },
	};
	const enrich: NodeUnderTest = {
		name: 'Enrich',
		type: EXPLORIUM,
		parameters: { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'prospectId' },
	};

	it('rows Match did not find pass through Enrich as skipped; the rest are enriched', async () => {
		const rows = Array.from({ length: 12 }, (_, n) => ({
			row: n,
			email: n % 4 === 1 ? `nomatch${n}@example.com` : `person${n}@example.com`,
		}));
		const result = await run(match, toItems(rows), [enrich]);
		expect(result.status).toBe('success');
		const output = result.outputs[0];
		expect(output).toHaveLength(12);
		output.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			if (n % 4 === 1) {
				expect(item.json).toMatchObject({
					row: n,
					prospect_id: null,
					enrichment_status: 'skipped',
				});
				expect(item.json.enrichment_note).toMatch(/Prospect ID is empty/);
			} else {
				expect(item.json).toMatchObject({ row: n, enrichment_status: 'found' });
				expect(item.json.email).toBe(rows[n].email); // the input's email stays
			}
		});
		const sent = simulator
			.requestsTo('explorium', '/enrich')
			.flatMap((request) => (request.body as { prospect_ids: string[] }).prospect_ids);
		expect(sent).toHaveLength(9);
	});

	it('a malformed id is still an error naming the field', async () => {
		const result = await run(
			{ ...enrich, onError: 'continueRegularOutput' },
			toItems([
				{ prospect_id: 'not-an-id' },
				{ prospect_id: prospectIdFor({ email: 'person1@example.com' }) },
			]),
		);
		expect(result.outputs[0][0].json.error).toMatch(
			/^Prospect ID: must be 40 hexadecimal characters/,
		);
		expect(result.outputs[0][1].json.enrichment_status).toBe('found');
	});

	it('when no item has an id, the node fails before sending, saying the mapping is probably wrong', async () => {
		const result = await run(enrich, toItems([{ id: 'a' }, { id: 'b' }, { id: 'c' }]));
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'No item has a Prospect ID: all 3 were empty, so nothing was sent. The Prospect ID parameter is probably mapped to the wrong field.',
		);
		expect(simulator.requests).toHaveLength(0);
	});
});
