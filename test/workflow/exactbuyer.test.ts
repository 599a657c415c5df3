/**
 * The ExactBuyer node in real n8n-core executions against the simulator over HTTP: form fields
 * holding JSON strings, 1000 per request, the HTML 429, out of credits mid-run, odd answers.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ExactBuyer } from '../../nodes/ExactBuyer/ExactBuyer.node';
import { startSimulator } from '../simulator/server.cjs';
import { runWorkflow, toItems, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
let simulator: Simulator;

beforeAll(async () => {
	simulator = await startSimulator();
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.reset());

async function run(
	node: NodeUnderTest,
	inputItems: INodeExecutionData[],
	apiKey = simulator.apiKeys.exactbuyer,
) {
	return await runWorkflow({
		nodeTypes: [new ExactBuyer()],
		credentials: {
			bulkEnrichmentExactBuyerApi: { apiKey, baseUrl: simulator.baseUrls.exactbuyer },
		},
		inputItems,
		node: { type: 'n8n-nodes-bulk-enrichment.exactBuyer', ...node },
	});
}

const bulkEnrich = (parameters: INodeParameters = {}): NodeUnderTest => ({
	parameters: {
		resource: 'contact',
		operation: 'bulkEnrich',
		fieldType: '={{ $json.type }}',
		value: '={{ $json.value }}',
		...parameters,
	},
	onError: 'continueRegularOutput',
});

interface SentQuery {
	field_type: string;
	value: string;
}
const bulkCalls = () => simulator.requestsTo('exactbuyer', '/v1/bulk-enrich');
const queriesOf = (call: { body: unknown }) =>
	JSON.parse((call.body as { query_list: string }).query_list) as SentQuery[];

/** Row n: an email, a phone or a LinkedIn URL in turn; every 50th invalid; every 25th a repeat of row n-3. */
function mixedRows(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, n) => {
		if (n % 50 === 7) return { row: n, type: 'email', value: `not-an-email-${n}` };
		const source = n % 25 === 24 ? n - 3 : n;
		const kind = source % 3;
		if (kind === 0) return { row: n, type: 'email', value: `Person${source}@Example.com` };
		if (kind === 1)
			return { row: n, type: 'phone', value: `+1 (415) 55${String(source).padStart(5, '0')}` };
		return {
			row: n,
			type: 'social_profile',
			value: `https://www.linkedin.com/in/person-${source}/`,
		};
	});
}

describe('ExactBuyer · Bulk Enrich', () => {
	it('2 500 contacts of mixed field types with duplicates and invalid values: 3 requests of at most 1000, every item answered in order', async () => {
		const rows = mixedRows(2500);
		const result = await run(bulkEnrich(), toItems(rows));

		expect(result.status).toBe('success');
		const calls = bulkCalls();
		expect(calls).toHaveLength(3);
		for (const call of calls) {
			expect(call.contentType).toMatch(/^application\/x-www-form-urlencoded/);
			expect(queriesOf(call).length).toBeLessThanOrEqual(1000);
			expect(JSON.parse((call.body as { required_fields: string }).required_fields)).toEqual([]);
		}
		const sent = calls.flatMap(queriesOf);
		const invalid = rows.filter((_, n) => n % 50 === 7).length;
		const repeats = rows.filter((_, n) => n % 25 === 24 && n % 50 !== 7).length;
		expect(sent).toHaveLength(2500 - invalid - repeats);
		expect(new Set(sent.map((q) => `${q.field_type}:${q.value}`)).size).toBe(sent.length);
		// Normalized as ExactBuyer's examples write them.
		expect(sent[0]).toEqual({ field_type: 'email', value: 'person0@example.com' });
		expect(sent[1]).toEqual({ field_type: 'phone', value: '+14155500001' });
		expect(sent[2]).toEqual({ field_type: 'social_profile', value: 'linkedin.com/in/person-2' });

		const output = result.outputs[0];
		expect(output).toHaveLength(2500);
		output.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			expect(item.json.row).toBe(n);
			if (n % 50 === 7) {
				expect(item.json.enrichment_status).toBe('error');
				expect(item.json.error).toMatch(/^Value: must be an email address for field type email/);
			} else {
				expect(['found', 'not_found']).toContain(item.json.enrichment_status);
			}
		});
		// A repeat gets its original's record.
		expect(output[24].json.full_name).toBe(output[21].json.full_name);
		// Simplify (on by default): flat CRM fields.
		const found = output.find((item) => item.json.enrichment_status === 'found')!;
		expect(Object.keys(found.json)).toEqual(
			expect.arrayContaining([
				'full_name',
				'job_title',
				'company_name',
				'work_email',
				'personal_email',
				'phone',
				'linkedin_url',
				'city',
				'country',
			]),
		);
	});

	it('Required Fields are sent as JSON; a contact lacking them is not found, not an error', async () => {
		const result = await run(
			bulkEnrich({ requiredFields: ['phone', 'work_email'] }),
			toItems([
				{ row: 0, type: 'email', value: 'ada@example.com' },
				{ row: 1, type: 'email', value: 'no-phone-bob@example.com' },
			]),
		);
		expect(
			JSON.parse((bulkCalls()[0].body as { required_fields: string }).required_fields),
		).toEqual([{ field_type: 'phone' }, { field_type: 'work_email' }]);
		expect(result.outputs[0][1].json.enrichment_status).toBe('not_found');
		expect(result.outputs[0][1].json.enrichment_note).toMatch(/no contact with the data asked for/);
	});

	it('validates each field type and names the field', async () => {
		const result = await run(
			bulkEnrich(),
			toItems([
				{ type: 'phone', value: '12' },
				{ type: 'social_profile', value: 'https://example.com/ada' },
				{ type: 'fax', value: '123' },
				{ type: 'email', value: { address: 'a@example.com' } },
				{ type: 'email', value: '' },
				{ type: 'phone', value: 14155550100 },
			]),
		);
		const errors = result.outputs[0].map((item) => item.json.error);
		expect(errors[0]).toMatch(
			/^Value: must be a phone number \(7 to 15 digits\) for field type phone/,
		);
		expect(errors[1]).toMatch(/^Value: must be a LinkedIn profile URL/);
		expect(errors[2]).toMatch(/^Field Type: must be one of email, phone, social_profile/);
		expect(errors[3]).toMatch(/^Value: must be text/);
		// An empty identifier is nothing to look up: skipped, not an error.
		expect(result.outputs[0][4].json).toMatchObject({
			enrichment_status: 'skipped',
			enrichment_note: 'Value is empty, so there is nothing to look up: not sent',
		});
		expect(result.outputs[0][5].json.enrichment_status).not.toBe('error');
		expect(bulkCalls().flatMap(queriesOf)).toEqual([
			{ field_type: 'phone', value: '+14155550100' },
		]);
	});

	it('the HTML 429 is waited out like any 429 (Retry-After), then the request succeeds', async () => {
		simulator.inject({
			provider: 'exactbuyer',
			path: '/v1/bulk-enrich',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '1' },
		});
		const result = await run(bulkEnrich(), toItems(mixedRows(10)));
		expect(bulkCalls().map((call) => call.status)).toEqual([429, 200]);
		expect(bulkCalls()[1].receivedAt - bulkCalls()[0].receivedAt).toBeGreaterThanOrEqual(950);
		expect(
			result.outputs[0].filter((item) => item.json.enrichment_status === 'error'),
		).toHaveLength(1); // row 7 is invalid
	});

	it('403 (out of credits) mid-run under continue on fail: answered chunks keep their results, no further chunk is sent', async () => {
		// 3 chunks of 100 (Batch Size 100): the first costs fewer credits than there are, the second more.
		simulator.setAccount('exactbuyer', { credits: 120 });
		const rows = Array.from({ length: 300 }, (_, n) => ({
			row: n,
			type: 'email',
			value: `credits${n}@example.com`,
		}));
		const result = await run(
			bulkEnrich({ options: { batchSize: 100, concurrency: 1 } }),
			toItems(rows),
		);

		expect(bulkCalls().map((call) => call.status)).toEqual([200, 403]);
		const output = result.outputs[0];
		expect(output.slice(0, 100).every((item) => item.json.enrichment_status !== 'error')).toBe(
			true,
		);
		for (const item of output.slice(100, 200)) {
			expect(item.json.error).toMatch(
				/^ExactBuyer request failed \(HTTP 403\): Insufficient credits/,
			);
		}
		for (const item of output.slice(200))
			expect(item.json.error).toMatch(
				/^Not sent: an earlier request to ExactBuyer failed for the whole account/,
			);
	});

	it('403 without continue on fail: the error says what to do and how many paid results n8n discards', async () => {
		simulator.setAccount('exactbuyer', { credits: 120 });
		const rows = Array.from({ length: 300 }, (_, n) => ({
			row: n,
			type: 'email',
			value: `credits${n}@example.com`,
		}));
		const result = await run(
			{ ...bulkEnrich({ options: { batchSize: 100, concurrency: 1 } }), onError: undefined },
			toItems(rows),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/HTTP 403.*\[items 100-199\]/);
		expect(result.error?.description).toMatch(/out of credits .*add credits/);
		expect(result.error?.description).toMatch(/100 of 300 items were already enriched/);
	});

	it('401: a clear message, no retry', async () => {
		const result = await run(bulkEnrich(), toItems(mixedRows(3)), 'wrong-key-for-test');
		expect(bulkCalls()).toHaveLength(1);
		expect(result.outputs[0][0].json.error).toMatch(/^ExactBuyer request failed \(HTTP 401\)/);
	});

	it('a reordered answer is mapped by the echoed value; a short one never gives a row to the wrong item', async () => {
		const rows = [0, 1, 2].map((n) => ({ row: n, type: 'email', value: `order${n}@example.com` }));
		const contact = (name: string) => ({
			full_name: name,
			emails: [{ email: `${name}@example.com`, type: 'work' }],
		});
		simulator.inject({
			provider: 'exactbuyer',
			path: '/v1/bulk-enrich',
			kind: 'status',
			status: 200,
			body: {
				contacts: [
					{ value: 'order2@example.com', enriched_contact: contact('two') },
					{ value: 'ORDER0@example.com', enriched_contact: contact('zero') },
				],
				records_enriched: 2,
			},
		});
		const result = await run(bulkEnrich(), toItems(rows));
		const output = result.outputs[0];
		expect(output[0].json).toMatchObject({ enrichment_status: 'found', full_name: 'zero' });
		expect(output[1].json.enrichment_status).toBe('error');
		expect(output[1].json.error).toMatch(/no row echoing this value/);
		expect(output[2].json).toMatchObject({ enrichment_status: 'found', full_name: 'two' });
	});

	it('Simplify off: the whole contact record', async () => {
		const result = await run(
			bulkEnrich({ simplify: false }),
			toItems([{ type: 'email', value: 'ada@example.com' }]),
		);
		expect(result.outputs[0][0].json).toMatchObject({
			employment: expect.any(Object),
			current_work_email: 'ada@example.com',
			phone_numbers: expect.any(Array),
		});
	});
});

describe('ExactBuyer · Enrich (one per request)', () => {
	const enrich = (additionalFields: INodeParameters = {}): NodeUnderTest => ({
		parameters: {
			resource: 'contact',
			operation: 'enrich',
			fieldType: 'email',
			value: '={{ $json.email }}',
			additionalFields,
		},
		onError: 'continueRegularOutput',
	});

	it('sends the identifier and the options as the query; a 404 is not found, not a failure', async () => {
		const result = await run(
			enrich({
				firstName: '={{ $json.first }}',
				companyDomain: 'https://www.acme.com/about',
				required: ['phone'],
				realtime: true,
			}),
			toItems([
				{ email: 'ada@example.com', first: 'Ada' },
				{ email: 'nomatch@example.com', first: 'Bob' },
			]),
		);
		// The two look-ups, and after the first 404 one free probe (no identifier) that /v1/enrich exists.
		const calls = simulator.requestsTo('exactbuyer', '/v1/enrich');
		expect(calls).toHaveLength(3);
		expect(calls[0].query).toEqual({
			email: 'ada@example.com',
			first_name: 'Ada',
			company_domain: 'www.acme.com',
			required: 'phone',
			realtime: 'true',
		});
		expect(result.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'not_found',
		]);
		expect(result.outputs[0][0].json.phone).toEqual(expect.stringMatching(/^\+/));
	});
});
