/**
 * The Explorium node in real n8n-core executions, talking over HTTP to the provider simulator.
 * Every test counts the requests the simulator saw: chunking and deduplication are about credits.
 * Nodes run at the newest version (3, Explorium's v2 API) unless a test names another.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Explorium } from '../../nodes/Explorium/Explorium.node';
import { V1_END_NOTICE } from '../../nodes/Explorium/adapter/provider';
import { businessIdFor, prospectIdFor, v2DataIsList } from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runWorkflow, startWorkflow, toItems, waitFor, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

let simulator: Simulator;

beforeAll(async () => {
	simulator = await startSimulator();
});
afterAll(async () => {
	await simulator.close();
});
beforeEach(() => simulator.reset());

const EXPLORIUM_TYPE = 'n8n-nodes-bulk-enrichment.explorium';

/** A prospect id the simulator knows (derived from an email, as its match endpoint derives them). */
function knownProspectId(n: number): string {
	const id = prospectIdFor({ email: `person${n}@example.com` });
	if (!id) throw new Error('the simulator should match every personN@example.com');
	return id;
}
/** Syntactically valid, but unknown to bulk enrich (the simulator's `0000` rule). */
const unknownProspectId = (n: number) => `${knownProspectId(n).slice(0, 36)}0000`;

function credentials(apiKey = simulator.apiKeys.explorium) {
	return { bulkEnrichmentExploriumApi: { apiKey, baseUrl: simulator.baseUrls.explorium } };
}

async function run(node: NodeUnderTest, inputItems: INodeExecutionData[], apiKey?: string) {
	return await runWorkflow({
		nodeTypes: [new Explorium()],
		credentials: credentials(apiKey),
		inputItems,
		node: { type: EXPLORIUM_TYPE, ...node },
	});
}

function bulkCalls(pathSuffix: string) {
	return simulator.requestsTo('explorium', pathSuffix);
}

function sentIds(pathSuffix: string): string[][] {
	return bulkCalls(pathSuffix).map(
		(request) => (request.body as { prospect_ids: string[] }).prospect_ids,
	);
}

const enrichContacts = (options: INodeParameters = {}): NodeUnderTest => ({
	parameters: {
		resource: 'prospect',
		operation: 'enrichContacts',
		identifyBy: 'prospectId',
		options,
	},
});

describe('Explorium · Enrich Contacts by prospect id', () => {
	it('sends ceil(distinct valid ids / 50) requests and returns one item per input, in order', async () => {
		// 130 items: 100 distinct known ids, 20 repeats, 5 unknown ids, 3 invalid ids, 2 empty ones (skipped).
		const ids: string[] = [];
		for (let n = 0; n < 100; n++) ids.push(knownProspectId(n));
		for (let n = 0; n < 20; n++) ids.push(knownProspectId(n * 3));
		for (let n = 0; n < 5; n++) ids.push(unknownProspectId(n));
		for (let n = 0; n < 5; n++) ids.push(n % 2 === 0 ? 'not-an-id' : '');
		const items = toItems(ids.map((prospect_id, row) => ({ row, prospect_id })));

		const result = await run({ ...enrichContacts(), onError: 'continueRegularOutput' }, items);

		expect(result.status).toBe('success');
		const output = result.outputs[0];
		expect(output).toHaveLength(130);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.row).toBe(index);
		});

		const batches = sentIds('/v2/prospects/contact_information/enrich');
		expect(batches).toHaveLength(Math.ceil(105 / 50));
		for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(50);
		const everySent = batches.flat();
		expect(new Set(everySent).size).toBe(everySent.length); // each distinct id once
		expect(everySent).toHaveLength(105);

		for (let index = 0; index < 120; index++) {
			expect(output[index].json.enrichment_status).toBe('found');
			expect(output[index].json.prospect_id).toBe(ids[index]);
			expect(output[index].json.professional_email).toMatch(/@/);
		}
		for (let index = 120; index < 125; index++) {
			expect(output[index].json).toMatchObject({
				enrichment_status: 'not_found',
				prospect_id: ids[index],
			});
			expect(output[index].json.enrichment_note).toMatch(/no data/);
		}
		for (let index = 125; index < 130; index++) {
			if (ids[index] === '') {
				// A row Match did not find: nothing to look up, not an error.
				expect(output[index].json).toMatchObject({
					enrichment_status: 'skipped',
					enrichment_note: 'Prospect ID is empty, so there is nothing to look up: not sent',
				});
				continue;
			}
			expect(output[index].json.enrichment_status).toBe('error');
			expect(output[index].json.error).toMatch(new RegExp(`^Prospect ID: .*\\[item ${index}\\]$`));
		}
		// A repeated id gets the same data as its first occurrence.
		expect(output[100].json.professional_email).toEqual(output[0].json.professional_email);
	});

	it('routes invalid items to the error output, keeping their input fields', async () => {
		const items = toItems([
			{ name: 'a', prospect_id: knownProspectId(1) },
			{ name: 'b', prospect_id: 'XYZ' },
			{ name: 'c', prospect_id: knownProspectId(2) },
		]);
		const result = await run({ ...enrichContacts(), onError: 'continueErrorOutput' }, items);

		expect(result.outputs[0].map((item) => item.json.name)).toEqual(['a', 'c']);
		expect(result.outputs[1]).toHaveLength(1);
		// n8n merges the input item's fields into an error-output item.
		expect(result.outputs[1][0].json).toMatchObject({ name: 'b', prospect_id: 'XYZ' });
		expect(result.outputs[1][0].json.error).toMatch(
			/^Prospect ID: must be 40 hexadecimal characters/,
		);
		expect(result.outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(bulkCalls('/enrich')).toHaveLength(1);
	});

	it('without continue-on-fail, an invalid id fails the node before any request is sent', async () => {
		const items = toItems([{ prospect_id: knownProspectId(1) }, { prospect_id: 'ZZZ' }]);
		const result = await run(enrichContacts(), items);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Prospect ID: .* \[item 1\]$/);
		expect(simulator.requests).toHaveLength(0);
	});

	it('asks for emails only when Contact Types is Email Only', async () => {
		const items = toItems([{ prospect_id: knownProspectId(7) }]);
		const result = await run(enrichContacts({ contactTypes: 'email' }), items);

		expect(bulkCalls('/enrich')[0].body).toEqual({
			prospect_ids: [knownProspectId(7)],
			parameters: { contact_types: ['email'] },
		});
		expect(result.outputs[0][0].json.phone_numbers).toBeUndefined();
		expect(result.outputs[0][0].json.professional_email).toMatch(/@/);
	});

	it('outputs only the enrichment when asked, still paired to the input', async () => {
		const items = toItems([{ crm_id: 'c-1', prospect_id: knownProspectId(3) }]);
		const result = await run(enrichContacts({ output: 'enrichmentOnly' }), items);

		expect(result.outputs[0][0].json.crm_id).toBeUndefined();
		expect(result.outputs[0][0].json).toMatchObject({
			prospect_id: knownProspectId(3),
			enrichment_status: 'found',
		});
		expect(result.outputs[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('honours a smaller batch size and sends duplicates separately when deduplication is off', async () => {
		const ids = Array.from({ length: 30 }, (_, n) => knownProspectId(n % 10));
		await run(
			enrichContacts({ batchSize: 8, deduplicate: false }),
			toItems(ids.map((prospect_id) => ({ prospect_id }))),
		);

		expect(sentIds('/enrich').map((batch) => batch.length)).toEqual([8, 8, 7, 7]);
	});
});

describe('Explorium · failures and retries', () => {
	const items = () =>
		toItems(Array.from({ length: 60 }, (_, n) => ({ prospect_id: knownProspectId(n) })));

	it('waits out a 429 (Retry-After) and succeeds', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		const result = await run(enrichContacts({ concurrency: 1 }), items());

		expect(result.status).toBe('success');
		expect(result.outputs[0].every((item) => item.json.enrichment_status === 'found')).toBe(true);
		expect(bulkCalls('/enrich').map((request) => request.status)).toEqual([429, 200, 200]);
	});

	it('retries a 503 and a connection reset', async () => {
		simulator.inject({ provider: 'explorium', path: '/enrich', kind: 'status', status: 503 });
		simulator.inject({ provider: 'explorium', path: '/enrich', kind: 'reset' });
		const result = await run(enrichContacts({ concurrency: 1 }), items());

		expect(result.status).toBe('success');
		expect(result.outputs[0]).toHaveLength(60);
		expect(result.outputs[0].every((item) => item.json.enrichment_status === 'found')).toBe(true);
		expect(bulkCalls('/enrich')).toHaveLength(4);
	});

	it('a wrong key is not retried: every item errors with the 401, and the key never shows', async () => {
		const wrongKey = 'wrong-explorium-key';
		const result = await run(
			{ ...enrichContacts(), onError: 'continueRegularOutput' },
			items(),
			wrongKey,
		);

		// The first request goes alone: its 401 stops the run before the second chunk is sent.
		expect(bulkCalls('/enrich')).toHaveLength(1);
		expect(result.outputs[0]).toHaveLength(60);
		for (const item of result.outputs[0]) {
			expect(item.json.enrichment_status).toBe('error');
			// The refused chunk's items, then those never sent, each naming the 401.
			expect(item.json.error).toMatch(
				/^Explorium request failed \(HTTP 401\)|^Not sent: an earlier request to Explorium failed for the whole account \(HTTP 401/,
			);
		}
		const everything = JSON.stringify(result.outputs) + JSON.stringify(result.runData);
		expect(everything).not.toContain(wrongKey);
		expect(everything).not.toContain(simulator.apiKeys.explorium);
	});

	it('without continue-on-fail, a 401 stops further requests and fails the node', async () => {
		const result = await run(enrichContacts({ concurrency: 1 }), items(), 'wrong-explorium-key');

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/HTTP 401.*\[items 0-29\]/);
		expect(bulkCalls('/enrich')).toHaveLength(1);
	});

	it('narrows a 422 that names one element: that item errors, the rest are sent again', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'status',
			status: 422,
			contentType: 'application/json',
			body: {
				detail: [
					{ loc: ['body', 'prospect_ids', 3], msg: 'prospect is archived', type: 'value_error' },
				],
			},
		});
		const result = await run(
			{ ...enrichContacts({ concurrency: 1 }), onError: 'continueRegularOutput' },
			items(),
		);

		const output = result.outputs[0];
		expect(output[3].json.enrichment_status).toBe('error');
		expect(output[3].json.error).toMatch(/Explorium rejected this input: prospect is archived/);
		expect(output.filter((item) => item.json.enrichment_status === 'found')).toHaveLength(59);
		const batches = sentIds('/enrich');
		// 60 ids go as two balanced chunks of 30; the first is rejected, then re-sent without element 3.
		expect(batches.map((batch) => batch.length)).toEqual([30, 29, 30]);
		expect(batches[0][3]).toBe(knownProspectId(3));
		expect(batches[1]).not.toContain(knownProspectId(3));
	});

	it('stops sending chunks when the execution is cancelled', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/enrich',
			kind: 'latency',
			ms: 300,
			times: 10,
		});
		const many = toItems(
			Array.from({ length: 500 }, (_, n) => ({ prospect_id: knownProspectId(n) })),
		);
		const handle = startWorkflow({
			nodeTypes: [new Explorium()],
			credentials: credentials(),
			inputItems: many,
			node: { type: EXPLORIUM_TYPE, ...enrichContacts({ concurrency: 1 }) },
		});
		await handle.nodeStarted;
		await waitFor(() => bulkCalls('/enrich').length > 0, 5000, 'the first bulk request');
		handle.cancel();
		const result = await handle.result;

		expect(result.status).toBe('canceled');
		expect(result.error?.message).toMatch(/the execution was canceled/);
		expect(bulkCalls('/enrich').length).toBeLessThan(10);
	});
});

describe('Explorium · Match', () => {
	it('matches people in chunks of 50, with misses and invalid details in place', async () => {
		const people: IDataObject[] = [];
		for (let n = 0; n < 70; n++) people.push({ email: `person${n}@example.com` });
		people.push({ email: 'nomatch@example.com' });
		people.push({ full_name: 'Ada Lovelace' }); // needs a company name
		people.push({ full_name: 'Ada Lovelace', company_name: 'Analytical Engines' });
		const result = await run(
			{
				parameters: {
					resource: 'prospect',
					operation: 'match',
					email: '={{ $json.email }}',
					fullName: '={{ $json.full_name }}',
					companyName: '={{ $json.company_name }}',
				},
				onError: 'continueRegularOutput',
			},
			toItems(people),
		);

		const output = result.outputs[0];
		expect(output).toHaveLength(73);
		const matchCalls = simulator.requestsTo('explorium', '/v2/prospects/match');
		expect(matchCalls).toHaveLength(Math.ceil(72 / 50));
		for (const call of matchCalls) {
			expect(
				(call.body as { prospects_to_match: unknown[] }).prospects_to_match.length,
			).toBeLessThanOrEqual(50);
		}
		expect(output[0].json).toMatchObject({
			email: 'person0@example.com',
			prospect_id: knownProspectId(0),
			enrichment_status: 'found',
		});
		expect(output[70].json).toMatchObject({ prospect_id: null, enrichment_status: 'not_found' });
		expect(output[71].json.enrichment_status).toBe('error');
		expect(output[71].json.error).toMatch(/^Company Name: is required together with Full Name/);
		expect(output[72].json.enrichment_status).toBe('found');
	});

	it('chains match and enrichment in one node when given person details', async () => {
		const people = Array.from({ length: 120 }, (_, n) => ({
			email: `person${n}@example.com`,
			crm_id: n,
		}));
		people[5] = { email: 'nomatch@example.com', crm_id: 5 };
		const result = await run(
			{
				parameters: {
					resource: 'prospect',
					operation: 'enrichContacts',
					identifyBy: 'personDetails',
					email: '={{ $json.email }}',
				},
			},
			toItems(people),
		);

		const output = result.outputs[0];
		expect(output).toHaveLength(120);
		expect(output.map((item) => item.json.crm_id)).toEqual(people.map((person) => person.crm_id));
		expect(simulator.requestsTo('explorium', '/v2/prospects/match')).toHaveLength(3);
		// Chunks sent at once may arrive in any order.
		expect(
			sentIds('/v2/prospects/contact_information/enrich')
				.map((batch) => batch.length)
				.sort(),
		).toEqual([39, 40, 40]);
		expect(output[5].json).toMatchObject({ enrichment_status: 'not_found', prospect_id: null });
		expect(output[6].json).toMatchObject({
			enrichment_status: 'found',
			prospect_id: knownProspectId(6),
		});
	});
});

describe('Explorium · Business', () => {
	it('matches companies, then enriches firmographics (simplified by default)', async () => {
		const companies = toItems([
			{ company: 'Acme', domain: 'acme.test' },
			{ company: 'nomatch corp', domain: '' },
		]);
		const matched = await run(
			{
				parameters: {
					resource: 'business',
					operation: 'match',
					companyName: '={{ $json.company }}',
					domain: '={{ $json.domain }}',
				},
			},
			companies,
		);
		expect(matched.outputs[0][0].json.enrichment_status).toBe('found');
		expect(matched.outputs[0][0].json.business_id).toMatch(/^[0-9a-f]{32}$/);
		expect(matched.outputs[0][1].json).toMatchObject({
			enrichment_status: 'not_found',
			business_id: null,
		});

		const enriched = await run(
			{
				parameters: { resource: 'business', operation: 'enrichFirmographics' },
				onError: 'continueRegularOutput',
			},
			matched.outputs[0].map((item) => ({ json: item.json })),
		);
		const found = enriched.outputs[0][0].json;
		expect(found.enrichment_status).toBe('found');
		expect(found.business_id).toBe(matched.outputs[0][0].json.business_id);
		expect(found.name).toBeDefined();
		expect(found.naics_description).toBeUndefined(); // dropped by Simplify
		// The row Match did not find (business_id null) passes through, skipped: no extra node needed.
		expect(enriched.outputs[0][1].json).toMatchObject({
			enrichment_status: 'skipped',
			business_id: null,
		});
		expect(simulator.requestsTo('explorium', '/v2/businesses/firmographics/enrich')).toHaveLength(
			1,
		);
	});
});

describe('Explorium · Enrich Firmographics and Only Enrich Items Missing, by node version', () => {
	const knownBusinessId = (n: number) => {
		const id = businessIdFor({ name: `Company ${n}`, domain: `company${n}.test` });
		if (!id) throw new Error('the simulator should match every company');
		return id;
	};
	const companies = () =>
		toItems([
			{ business_id: knownBusinessId(1), company_name: 'Already Known Inc' },
			{ business_id: knownBusinessId(2), company_name: '' },
		]);
	const firmographics = (typeVersion: number): NodeUnderTest => ({
		typeVersion,
		parameters: {
			resource: 'business',
			operation: 'enrichFirmographics',
			options: { onlyEnrichMissing: ['company_name'] },
		},
	});

	it('version 1 (saved workflows) keeps skipping companies that hold the chosen fields: nothing bought twice', async () => {
		const result = await run(firmographics(1), companies());
		expect(result.error).toBeUndefined();
		expect(result.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
			'skipped',
			'found',
		]);
		const sent = simulator.requestsTo('explorium', '/v1/businesses/firmographics/bulk_enrich');
		expect(
			sent.map((request) => (request.body as { business_ids: string[] }).business_ids),
		).toEqual([[knownBusinessId(2)]]);
	});

	it('version 2 does not offer the option for companies (a contact-field list), so it does not apply', async () => {
		const result = await run(firmographics(2), companies());
		expect(result.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'found',
		]);
	});
});

describe('Explorium · API version per node version, and the credits Explorium reports', () => {
	const people = (count: number) =>
		toItems(Array.from({ length: count }, (_, n) => ({ email: `person${n}@example.com` })));
	const byPersonDetails = (typeVersion?: number, options: INodeParameters = {}): NodeUnderTest => ({
		...(typeVersion === undefined ? {} : { typeVersion }),
		parameters: {
			resource: 'prospect',
			operation: 'enrichContacts',
			identifyBy: 'personDetails',
			email: '={{ $json.email }}',
			options,
		},
	});
	const hintsOf = (result: Awaited<ReturnType<typeof run>>) =>
		(result.taskData?.hints ?? []).map((hint) => hint.message);
	const runOf = (result: Awaited<ReturnType<typeof run>>) =>
		result.outputs[0][0].json.enrichment_run as IDataObject;

	it('version 3 (new nodes) calls v2: match, then contact_information/enrich, each asking for credit_usage', async () => {
		const items = people(60);
		items[7] = { json: { email: 'nomatch@example.com' } };
		const result = await run(byPersonDetails(), items);

		expect(result.status).toBe('success');
		const paths = simulator.requestsTo('explorium').map((request) => request.path);
		expect([...new Set(paths)]).toEqual([
			'/v2/prospects/match',
			'/v2/prospects/contact_information/enrich',
		]);
		expect(paths).toHaveLength(4); // 60 people: 2 matches, 59 found: 2 enrichments
		for (const request of simulator.requestsTo('explorium'))
			expect(request.headers['credit-usage']).toBe('true');
		for (const request of simulator.requestsTo('explorium', '/enrich')) {
			expect(Object.keys(request.body as IDataObject)).toEqual(['prospect_ids']);
			expect(Array.isArray((request.body as { prospect_ids: unknown }).prospect_ids)).toBe(true);
		}
		const output = result.outputs[0];
		expect(output[7].json).toMatchObject({ enrichment_status: 'not_found', prospect_id: null });
		// v2's contact answer: the work email and its status; no emails list, so no personal email.
		const found = output.filter((item) => item.json.enrichment_status === 'found');
		expect(found).toHaveLength(59);
		for (const item of found) {
			expect(item.json.professional_email).toMatch(/@/);
			expect(item.json).not.toHaveProperty('emails');
			expect(item.json).not.toHaveProperty('personal_email');
		}
		// Rows the simulator answers with data as a list of one object are read like the others.
		const listed = found.filter((item) => v2DataIsList(String(item.json.prospect_id)));
		expect(listed.length).toBeGreaterThan(0);
		for (const item of listed) expect(item.json).not.toHaveProperty('more_records');
		// Credits as Explorium reported them: 1 per match, 5 per contact (Email and Phone).
		expect(runOf(result)).toMatchObject({
			records_sent: 60 + 59,
			records_sent_free: 0,
			credits_used: 59 + 59 * 5,
		});
		expect(hintsOf(result)).toContainEqual(
			expect.stringMatching(
				/^Explorium: 59 found, 1 not found; 119 records sent in 4 requests; Explorium reported 354 credits used(; waited \d+ s for the rate limit)?\.$/,
			),
		);
		expect(hintsOf(result).join('\n')).not.toContain('v1 API');
	});

	it('version 3: Email Only costs 2 credits a contact; profiles, business match and firmographics go to v2 too', async () => {
		const contacts = await run(byPersonDetails(undefined, { contactTypes: 'email' }), people(3));
		expect(runOf(contacts).credits_used).toBe(3 + 3 * 2);
		simulator.reset();

		const profiles = await run(
			{
				parameters: {
					resource: 'prospect',
					operation: 'enrichProfiles',
					email: '={{ $json.email }}',
				},
			},
			people(2),
		);
		expect(profiles.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'found',
		]);
		expect(profiles.outputs[0][0].json.job_title).toEqual(expect.any(String));
		expect(simulator.requestsTo('explorium').map((request) => request.path)).toEqual([
			'/v2/prospects/match',
			'/v2/prospects/profiles/enrich',
		]);
		expect(runOf(profiles).credits_used).toBe(2 + 2);
		simulator.reset();

		const companies = toItems([{ company: 'Acme', domain: 'acme.test' }]);
		const matched = await run(
			{
				parameters: {
					resource: 'business',
					operation: 'match',
					companyName: '={{ $json.company }}',
					domain: '={{ $json.domain }}',
				},
			},
			companies,
		);
		const enriched = await run(
			{ parameters: { resource: 'business', operation: 'enrichFirmographics' } },
			matched.outputs[0].map((item) => ({ json: item.json })),
		);
		expect(enriched.outputs[0][0].json).toMatchObject({
			enrichment_status: 'found',
			business_id: matched.outputs[0][0].json.business_id,
			name: expect.any(String),
		});
		expect(simulator.requestsTo('explorium').map((request) => request.path)).toEqual([
			'/v2/businesses/match',
			'/v2/businesses/firmographics/enrich',
		]);
		expect([runOf(matched).credits_used, runOf(enriched).credits_used]).toEqual([1, 1]);
	});

	it.each([1, 2])(
		'version %i still calls v1, and its run says when v1 ends and how to move',
		async (typeVersion) => {
			const result = await run(byPersonDetails(typeVersion, {}), people(3));

			expect(result.status).toBe('success');
			expect(simulator.requestsTo('explorium').map((request) => request.path)).toEqual([
				'/v1/prospects/match',
				'/v1/prospects/contacts_information/bulk_enrich',
			]);
			// v1's answer still gives the personal email.
			expect(result.outputs[0][0].json).toMatchObject({
				enrichment_status: 'found',
				personal_email: expect.stringMatching(/@/),
				emails: expect.any(Array),
			});
			expect(hintsOf(result)).toContain(V1_END_NOTICE);
			expect(V1_END_NOTICE).toMatch(
				/around March 2027 .*September 2027.*replace this node with a new Explorium node/,
			);
			// The simulator reports v1 credits with the same prices when asked: 1 per match, 5 per contact.
			expect(runOf(result).credits_used).toBe(3 + 3 * 5);
		},
	);

	it('a match whose answer reports 0 credits was sent free, and the hint says so', async () => {
		simulator.inject({
			provider: 'explorium',
			path: '/v2/prospects/match',
			kind: 'status',
			status: 200,
			body: {
				response_context: { request_status: 'success', time_taken_in_seconds: 0.1 },
				total_results: 1,
				total_matches: 1,
				matched_prospects: [
					{ input: { email: 'person1@example.com' }, prospect_id: knownProspectId(1) },
				],
				credit_usage: { total_results: 1, total_credits: 0 },
			},
		});
		const result = await run(
			{ parameters: { resource: 'prospect', operation: 'match', email: '={{ $json.email }}' } },
			toItems([{ email: 'person1@example.com' }]),
		);

		expect(result.outputs[0][0].json).toMatchObject({
			enrichment_status: 'found',
			prospect_id: knownProspectId(1),
		});
		expect(runOf(result)).toMatchObject({ records_sent: 0, records_sent_free: 1, credits_used: 0 });
		expect(hintsOf(result)).toContainEqual(
			'Explorium: 1 found; 1 record sent in 1 request, free; Explorium reported 0 credits used.',
		);
	});

	it('a priced match counts for Max Records per Run: over it, nothing is sent', async () => {
		const result = await run(
			{
				parameters: {
					resource: 'prospect',
					operation: 'match',
					email: '={{ $json.email }}',
					options: { maxRecordsPerRun: 2 },
				},
			},
			people(3),
		);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/would send 3 distinct records to Explorium, more than Options › Max Records per Run \(2\)/,
		);
		expect(simulator.requestsTo('explorium')).toHaveLength(0);
	});
});
