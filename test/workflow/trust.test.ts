/**
 * Issue 16 — output a user can trust — in real n8n-core executions against the simulator over HTTP:
 * ExactBuyer's evidenced answer shape (and the guessed ones), a status never beside a value it does
 * not describe, values left out of a request named in enrichment_warnings, defaults that meet our
 * own fields, and Only Enrich Items Missing treating a malformed value as missing.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import {
	contactsInformationFor,
	exactBuyerWorkEmailFor,
	prospectIdFor,
} from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runPackageNodes, toItems, type NodeUnderTest } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
let simulator: Simulator;

// Enrich and Wait polls once a second: a loaded machine needs more than jest's 5 s.
jest.setTimeout(30_000);

beforeAll(async () => {
	simulator = await startSimulator({ callbackDelayMs: 10 });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.reset());

const EXPLORIUM = 'n8n-nodes-bulk-enrichment.explorium';
const EXACTBUYER = 'n8n-nodes-bulk-enrichment.exactBuyer';
const PRONTO = 'n8n-nodes-bulk-enrichment.pronto';

const run = (node: NodeUnderTest, inputItems: INodeExecutionData[], then: NodeUnderTest[] = []) =>
	runPackageNodes(simulator, node, inputItems, then);

const exactBuyerBulk = (options: INodeParameters = {}, simplify = true): NodeUnderTest => ({
	name: 'ExactBuyer',
	type: EXACTBUYER,
	parameters: {
		resource: 'contact',
		operation: 'bulkEnrich',
		fieldType: 'social_profile',
		value: '={{ $json.linkedin_url }}',
		simplify,
		options,
	},
	onError: 'continueRegularOutput',
});
const prontoWait = (
	parameters: INodeParameters = {},
	options: INodeParameters = {},
): NodeUnderTest => ({
	name: 'Pronto',
	type: PRONTO,
	parameters: {
		resource: 'contact',
		operation: 'enrich',
		enrichmentType: 'email',
		...parameters,
		options: { pollIntervalSeconds: 1, maxWaitSeconds: 30, ...options },
	},
	onError: 'continueRegularOutput',
});

/** LinkedIn URLs whose ExactBuyer contact has a work email (the simulator's rules, predicted). */
function linkedinWithWorkEmail(count: number): string[] {
	const urls: string[] = [];
	for (let n = 0; urls.length < count && n < 500; n++) {
		const url = `https://www.linkedin.com/in/trust-${n}`;
		if (exactBuyerWorkEmailFor(`linkedin.com/in/trust-${n}`, 'social_profile')) urls.push(url);
	}
	return urls;
}

describe('1. ExactBuyer answers as seen in real use: current_work_email', () => {
	it.each([true, false])(
		"the standard email is filled from current_work_email (Simplify %s); ExactBuyer's own record is in the output",
		async (simplify) => {
			const urls = linkedinWithWorkEmail(5);
			const result = await run(
				exactBuyerBulk({}, simplify),
				toItems(urls.map((linkedin_url) => ({ linkedin_url }))),
			);
			const answered = simulator.requestsTo('exactbuyer', '/v1/bulk-enrich');
			expect(answered).toHaveLength(1);
			result.outputs[0].forEach((item, n) => {
				const expected = exactBuyerWorkEmailFor(
					urls[n].replace('https://www.', ''),
					'social_profile',
				);
				expect(item.json).toMatchObject({
					enrichment_status: 'found',
					email: expected,
					enrichment_source: { email: 'ExactBuyer' },
				});
				const record = (simplify ? item.json.exactbuyer_contact : item.json) as IDataObject;
				expect(record.current_work_email).toBe(expected);
				expect(record).not.toHaveProperty('emails');
			});
		},
	);

	it('the guessed shape (emails[{email,type}], {number,type} phones, "LinkedIn") fills the same standard email, and the personal one', async () => {
		simulator.setExactBuyerContactShape('guessed');
		const urls = linkedinWithWorkEmail(3);
		const result = await run(
			exactBuyerBulk(),
			toItems(urls.map((linkedin_url) => ({ linkedin_url }))),
		);
		result.outputs[0].forEach((item, n) => {
			expect(item.json.email).toBe(
				exactBuyerWorkEmailFor(urls[n].replace('https://www.', ''), 'social_profile'),
			);
			expect((item.json.exactbuyer_contact as IDataObject).emails).toEqual(expect.any(Array));
			expect(item.json.linkedin_url).toBe(urls[n]);
		});
	});
});

describe('2. a status travels with its value', () => {
	it("Explorium Enrich Contacts on CRM rows that have an email: the CRM email stays, Explorium's status is never beside it", async () => {
		const ids = [1, 2, 3, 4, 5, 6].map(
			(n) => prospectIdFor({ email: `crm${n}@example.com` }) as string,
		);
		const rows = ids.map((prospect_id, n) => ({
			prospect_id,
			email: n % 2 === 0 ? `crm${n}@crm.example` : '',
		}));
		const result = await run(
			{
				name: 'Explorium',
				type: EXPLORIUM,
				parameters: { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'prospectId' },
			},
			toItems(rows),
		);
		result.outputs[0].forEach((item, n) => {
			const data = contactsInformationFor(ids[n], null) as IDataObject;
			if (rows[n].email) {
				expect(item.json.email).toBe(rows[n].email);
				expect(item.json).not.toHaveProperty('email_status');
				expect(item.json.enrichment_conflicts).toMatchObject({
					email: data.professions_email,
					email_status: data.professional_email_status,
				});
			} else {
				expect(item.json).toMatchObject({
					email: data.professions_email,
					email_status: data.professional_email_status,
				});
			}
		});
	});

	it("Pronto Enrich and Wait on a row that has an email: Pronto's email_status goes under enrichment_conflicts with its email", async () => {
		const rows = [
			{
				first_name: 'Ada',
				last_name: 'Tester',
				company_domain: 'acme.example',
				email: 'ada@crm.example',
			},
		];
		const result = await run(prontoWait(), toItems(rows));
		const json = result.outputs[0][0].json;
		expect(json.enrichment_status).toBe('found');
		expect(json.email).toBe('ada@crm.example');
		expect(json).not.toHaveProperty('email_status');
		expect(json.enrichment_conflicts).toMatchObject({
			email: expect.stringContaining('@acme.example'),
			email_status: expect.any(String),
		});
	});
});

describe('3. values left out of a request are named; values needed are errors', () => {
	const personFields = {
		email: '={{ $json.email }}',
		fullName: '={{ $json.full_name }}',
		companyName: '={{ $json.company_name }}',
	};
	const personDetails = { identifyBy: 'personDetails', ...personFields };
	const row = { email: 'company page@acme.com', full_name: 'Ada Lovelace', company_name: 'Acme' };
	const warning = 'Email left out: must be an email address (got "company page@acme.com")';

	it('Explorium Match: a malformed email beside a valid name and company is matched on the rest, with a warning', async () => {
		const result = await run(
			{
				name: 'Explorium',
				type: EXPLORIUM,
				parameters: { resource: 'prospect', operation: 'match', ...personFields },
			},
			toItems([row]),
		);
		expect(simulator.requestsTo('explorium', '/prospects/match')[0].body).toEqual({
			prospects_to_match: [{ full_name: 'Ada Lovelace', company_name: 'Acme' }],
		});
		expect(result.outputs[0][0].json).toMatchObject({
			prospect_id: expect.any(String),
			enrichment_status: 'found',
			enrichment_warnings: [warning],
		});
	});

	it('Explorium Enrich Contacts by Person Details: the warning of the match stays on the enriched item', async () => {
		const result = await run(
			{
				name: 'Explorium',
				type: EXPLORIUM,
				parameters: { resource: 'prospect', operation: 'enrichContacts', ...personDetails },
			},
			toItems([row]),
		);
		expect(result.outputs[0][0].json).toMatchObject({
			enrichment_status: 'found',
			enrichment_warnings: [warning],
		});
	});

	it('Pronto, email enrichment: a malformed optional LinkedIn URL is left out of the request with a warning, the contact is sent', async () => {
		const rows = [
			{
				first_name: 'Ada',
				last_name: 'Tester',
				company_domain: 'acme.example',
				linkedin_url: 'linkedin.com/company/acme',
			},
		];
		const result = await run(prontoWait(), toItems(rows));
		const sent = simulator.requestsTo('pronto', '/contacts/single_enrich')[0].body as IDataObject;
		expect(sent).not.toHaveProperty('linkedin_url');
		expect(result.outputs[0][0].json).toMatchObject({
			enrichment_status: 'found',
			enrichment_warnings: [
				'LinkedIn URL left out: must be a LinkedIn profile URL (linkedin.com/in/…) (got "linkedin.com/company/acme")',
			],
		});
	});

	it('Pronto Bulk Enrich: the warning is on the submitted item', async () => {
		const rows = [
			{ first_name: 'Ada', last_name: 'One', company_domain: 'acme.example', linkedin_url: 'nope' },
			{ first_name: 'Bob', last_name: 'Two', company_domain: 'acme.example' },
		];
		const result = await run(
			{
				name: 'Pronto',
				type: PRONTO,
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					enrichmentType: 'email',
					webhookUrl: 'https://hooks.example.invalid/webhook/pronto',
				},
			},
			toItems(rows),
		);
		expect(result.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
			'submitted',
			'submitted',
		]);
		expect(result.outputs[0][0].json.enrichment_warnings).toEqual([
			expect.stringMatching(/^LinkedIn URL left out: /),
		]);
		expect(result.outputs[0][1].json).not.toHaveProperty('enrichment_warnings');
	});

	it('Pronto, phone enrichment needs the LinkedIn URL: a malformed one is an error naming it', async () => {
		const rows = [
			{ first_name: 'Ada', last_name: 'Tester', linkedin_url: 'linkedin.com/company/acme' },
		];
		const result = await run(prontoWait({ enrichmentType: 'phone' }), toItems(rows));
		expect(result.outputs[0][0].json).toMatchObject({
			enrichment_status: 'error',
			error: expect.stringMatching(/^LinkedIn URL: must be a LinkedIn profile URL/),
		});
		expect(simulator.requestsTo('pronto')).toHaveLength(0);
	});
});

describe('4. defaults meet our own fields', () => {
	it('Pronto after our nodes, with no mapping set: Domain reads company_domain (and CRM names still work)', async () => {
		const rows = [
			{ first_name: 'Ada', last_name: 'Ours', company_domain: 'ours.example' },
			{ firstname: 'Bob', lastname: 'Crm', domain: 'crm.example' },
		];
		const result = await run(prontoWait(), toItems(rows));
		const sent = simulator
			.requestsTo('pronto', '/contacts/single_enrich')
			.map((request) => request.body as IDataObject);
		expect(sent.map((body) => [body.firstname, body.lastname, body.domain]).sort()).toEqual([
			['Ada', 'Ours', 'ours.example'],
			['Bob', 'Crm', 'crm.example'],
		]);
		expect(result.outputs[0].map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'found',
		]);
	});
});

describe('5. Only Enrich Items Missing: a malformed value is missing', () => {
	it.each(['@@', 12345, 'company page@acme.com'])(
		'email %p: the row is sent, the found email takes its place, the original stays visible',
		async (held) => {
			const [url] = linkedinWithWorkEmail(1);
			const rows = [
				{ linkedin_url: url, email: held },
				{ linkedin_url: 'https://www.linkedin.com/in/has-one', email: 'ada@crm.example' },
			];
			const result = await run(exactBuyerBulk({ onlyEnrichMissing: ['email'] }), toItems(rows));
			const sent = JSON.parse(
				(simulator.requestsTo('exactbuyer', '/v1/bulk-enrich')[0].body as { query_list: string })
					.query_list,
			) as IDataObject[];
			expect(sent.map((query) => query.value)).toEqual([url.replace('https://www.', '')]);
			expect(result.outputs[0][0].json).toMatchObject({
				enrichment_status: 'found',
				email: exactBuyerWorkEmailFor(url.replace('https://www.', ''), 'social_profile'),
				enrichment_replaced: { email: held },
				enrichment_source: { email: 'ExactBuyer' },
			});
			expect(result.outputs[0][1].json).toMatchObject({
				enrichment_status: 'skipped',
				email: 'ada@crm.example',
			});
		},
	);
});
