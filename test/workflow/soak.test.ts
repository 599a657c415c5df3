/**
 * Fault soak (issue 8): 10 000 items per bulk node through real n8n-core executions while the
 * simulator answers 10 % of requests with 429 (Retry-After), 5 % with a 5xx and resets 2 % of
 * connections (seeded: the same requests fail on every run), with 3 % invalid inputs and duplicates.
 * Nothing may be lost, misplaced, sent twice without cause, or leak the key.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ItemOutcome } from '../../nodes/bulk/types';
import { EXPLORIUM } from '../../nodes/Explorium/adapter/provider';
import { ExactBuyer } from '../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../nodes/Explorium/Explorium.node';
import { Pronto } from '../../nodes/Pronto/Pronto.node';
import { prospectIdFor } from '../simulator/fake-data.cjs';
import { startSimulator } from '../simulator/server.cjs';
import { runWorkflow, toItems } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type ProviderName = 'explorium' | 'pronto' | 'exactbuyer';

const ITEMS = 10_000;
const SOAK_TIMEOUT_MS = 120_000;

let simulator: Simulator;
beforeAll(async () => {
	// Pronto's callbacks are not under test here: far in the future, so none is delivered.
	simulator = await startSimulator({ callbackDelayMs: 3_600_000 });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.reset());

/** 10 % 429, 5 % 5xx, 2 % resets of all requests to the provider (each later fault sees what the earlier left). */
function injectFaults(provider: ProviderName) {
	simulator.inject({
		provider,
		kind: 'status',
		status: 429,
		headers: { 'Retry-After': '1' },
		probability: 0.1,
		times: -1,
	});
	simulator.inject({ provider, kind: 'status', status: 503, probability: 0.05 / 0.9, times: -1 });
	simulator.inject({ provider, kind: 'reset', probability: 0.02 / 0.85, times: -1 });
}

/** Row n: invalid every 33rd (3 %), a repeat of row n-7 every 20th (duplicates), else distinct. */
function rowKind(n: number): 'invalid' | 'repeat' | 'distinct' {
	if (n % 33 === 5) return 'invalid';
	if (n % 20 === 9 && rowKind(n - 7) === 'distinct') return 'repeat';
	return 'distinct';
}

function expectOneItemPerInput(output: INodeExecutionData[]) {
	expect(output).toHaveLength(ITEMS);
	output.forEach((item, index) => {
		if (
			item.pairedItem === undefined ||
			(item.pairedItem as { item: number }).item !== index ||
			item.json.row !== index
		) {
			throw new Error(
				`output item ${index} is not paired to input ${index}: ${JSON.stringify(item).slice(0, 300)}`,
			);
		}
	});
}

/** How often each identifier was sent in requests that succeeded, and in requests that failed. */
function sendsById(provider: ProviderName, idsOf: (body: IDataObject) => string[]) {
	const sends = new Map<string, { ok: number; failed: number }>();
	for (const request of simulator.requestsTo(provider)) {
		if (request.method !== 'POST') continue;
		for (const id of idsOf(request.body as IDataObject)) {
			const entry = sends.get(id) ?? { ok: 0, failed: 0 };
			if (request.status >= 200 && request.status < 300) entry.ok++;
			else entry.failed++;
			sends.set(id, entry);
		}
	}
	return sends;
}

function faultsSeen(provider: ProviderName) {
	const statuses = simulator.requestsTo(provider).map((request) => request.status);
	return {
		total: statuses.length,
		tooMany: statuses.filter((s) => s === 429).length,
		unavailable: statuses.filter((s) => s === 503).length,
		reset: statuses.filter((s) => s === 0).length,
	};
}

describe('fault soak: 10 000 items per node', () => {
	it(
		'Explorium Enrich Contacts: every valid item found, every invalid one an error naming its field, ids resent only after a failure',
		async () => {
			// The node's 200-a-minute window, scaled to 200 requests in 2 s: this test is about faults, not waiting.
			EXPLORIUM.limits.rateLimit = { limit: 200, windowMs: 2000, unit: 'request' };
			injectFaults('explorium');
			const ids: string[] = [];
			const rows = Array.from({ length: ITEMS }, (_, n): IDataObject => {
				const kind = rowKind(n);
				if (kind === 'invalid') return { row: n, prospect_id: n % 2 ? 'not-a-prospect-id' : 'XYZ' };
				const prospectId =
					kind === 'repeat'
						? ids[n - 7]
						: (prospectIdFor({ email: `soak${n}@example.com` }) as string);
				ids[n] = prospectId;
				return { row: n, prospect_id: prospectId };
			});

			const result = await runWorkflow({
				nodeTypes: [new Explorium()],
				credentials: {
					bulkEnrichmentExploriumApi: {
						apiKey: simulator.apiKeys.explorium,
						baseUrl: simulator.baseUrls.explorium,
					},
				},
				inputItems: toItems(rows),
				node: {
					type: 'n8n-nodes-bulk-enrichment.explorium',
					parameters: {
						resource: 'prospect',
						operation: 'enrichContacts',
						identifyBy: 'prospectId',
						options: { maxRetries: 10 },
					},
					onError: 'continueRegularOutput',
				},
			});

			const output = result.outputs[0];
			expectOneItemPerInput(output);
			output.forEach((item, n) => {
				if (rowKind(n) === 'invalid') {
					expect(item.json.enrichment_status).toBe('error');
					expect(item.json.error).toMatch(/^Prospect ID: /);
				} else if (
					item.json.enrichment_status !== 'found' ||
					item.json.prospect_id !== rows[n].prospect_id
				) {
					throw new Error(
						`valid row ${n} was not enriched: ${JSON.stringify(item.json).slice(0, 300)}`,
					);
				}
			});

			const calls = simulator.requestsTo('explorium', '/enrich');
			for (const call of calls)
				expect((call.body as { prospect_ids: string[] }).prospect_ids.length).toBeLessThanOrEqual(
					50,
				);
			const sends = sendsById('explorium', (body) => (body.prospect_ids as string[]) ?? []);
			const distinct = new Set(
				rows.filter((_, n) => rowKind(n) !== 'invalid').map((row) => row.prospect_id as string),
			);
			expect(sends.size).toBe(distinct.size);
			for (const [id, { ok }] of sends)
				if (ok !== 1) throw new Error(`${id} was answered ${ok} times`);
			const faults = faultsSeen('explorium');
			expect(faults.tooMany + faults.unavailable + faults.reset).toBeGreaterThan(
				0.1 * faults.total,
			);
			expect(calls.filter((call) => call.status === 200)).toHaveLength(
				Math.ceil(distinct.size / 50),
			);

			const saved = JSON.stringify(result.run);
			expect(saved).not.toContain(simulator.apiKeys.explorium);
		},
		SOAK_TIMEOUT_MS,
	);

	it(
		'Pronto Bulk Enrich: every valid contact submitted or an "outcome unknown" error, never sent twice after an unknown outcome, never more than 5 in flight',
		async () => {
			injectFaults('pronto');
			const rows = Array.from({ length: ITEMS }, (_, n): IDataObject => {
				const kind = rowKind(n);
				const source = kind === 'repeat' ? n - 7 : n;
				return {
					row: n,
					first_name: 'Soak',
					last_name: kind === 'invalid' ? '' : `Person${source}`,
					domain: 'example.com',
				};
			});

			const result = await runWorkflow({
				nodeTypes: [new Pronto()],
				credentials: {
					bulkEnrichmentProntoApi: {
						apiKey: simulator.apiKeys.pronto,
						baseUrl: simulator.baseUrls.pronto,
						webhookSecret: 'soak-webhook-secret',
					},
				},
				inputItems: toItems(rows),
				node: {
					type: 'n8n-nodes-bulk-enrichment.pronto',
					parameters: {
						resource: 'contact',
						operation: 'bulkEnrich',
						webhookUrl: 'http://127.0.0.1:9/callback',
						custom: '{}',
						options: { maxRetries: 10 },
					},
					onError: 'continueRegularOutput',
				},
			});

			const output = result.outputs[0];
			expectOneItemPerInput(output);
			const statusByLastName = new Map<string, ItemOutcome['kind'] | string>();
			output.forEach((item, n) => {
				if (rowKind(n) === 'invalid') {
					expect(item.json.error).toMatch(/^Last Name: is required/);
					return;
				}
				const status = item.json.enrichment_status as string;
				if (
					status !== 'submitted' &&
					!/outcome unknown, not sent again/.test(String(item.json.error))
				) {
					throw new Error(`valid row ${n}: ${JSON.stringify(item.json).slice(0, 300)}`);
				}
				const lastName = rows[n].last_name as string;
				const earlier = statusByLastName.get(lastName);
				if (earlier !== undefined && earlier !== status)
					throw new Error(`duplicates of ${lastName} got different outcomes`);
				statusByLastName.set(lastName, status);
			});

			const calls = simulator.requestsTo('pronto', '/contacts/bulk_enrich');
			for (const call of calls) {
				const size = (call.body as { contacts: unknown[] }).contacts.length;
				expect(size).toBeGreaterThanOrEqual(2);
				expect(size).toBeLessThanOrEqual(100);
			}
			// A contact is sent again only after a 429 (refused, so never enqueued); after a 5xx or a reset, never.
			const sends = new Map<string, number[]>();
			for (const call of calls) {
				for (const contact of (call.body as { contacts: Array<{ lastname: string }> }).contacts) {
					sends.set(contact.lastname, [...(sends.get(contact.lastname) ?? []), call.status]);
				}
			}
			for (const [lastName, statuses] of sends) {
				const accepted = statuses.filter((status) => status === 202).length;
				const unknown = statuses.filter((status) => status === 503 || status === 0).length;
				if (
					accepted + unknown !== 1 ||
					statuses.some((status) => ![202, 429, 503, 0].includes(status))
				) {
					throw new Error(`${lastName} was sent with answers ${statuses.join(', ')}`);
				}
				const expected = accepted === 1 ? 'submitted' : undefined;
				if (expected && statusByLastName.get(lastName) !== 'submitted')
					throw new Error(`${lastName} accepted but not submitted`);
			}
			expect(sends.size).toBe(statusByLastName.size);
			expect(simulator.prontoConcurrency().maxArrived).toBeLessThanOrEqual(5);
			const faults = faultsSeen('pronto');
			expect(faults.unavailable + faults.reset).toBeGreaterThan(0);

			const saved = JSON.stringify(result.run);
			expect(saved).not.toContain(simulator.apiKeys.pronto);
			expect(saved).not.toContain('soak-webhook-secret');
		},
		SOAK_TIMEOUT_MS,
	);

	it(
		'ExactBuyer Bulk Enrich: every valid value answered (found or not found) exactly once, requests of at most 1000',
		async () => {
			injectFaults('exactbuyer');
			const rows = Array.from({ length: ITEMS }, (_, n): IDataObject => {
				const kind = rowKind(n);
				if (kind === 'invalid') return { row: n, type: 'email', value: `broken-${n}` };
				const source = kind === 'repeat' ? n - 7 : n;
				return source % 2 === 0
					? { row: n, type: 'email', value: `soak${source}@example.com` }
					: { row: n, type: 'phone', value: `+1 415 5${String(source).padStart(6, '0')}` };
			});

			const result = await runWorkflow({
				nodeTypes: [new ExactBuyer()],
				credentials: {
					bulkEnrichmentExactBuyerApi: {
						apiKey: simulator.apiKeys.exactbuyer,
						baseUrl: simulator.baseUrls.exactbuyer,
					},
				},
				inputItems: toItems(rows),
				node: {
					type: 'n8n-nodes-bulk-enrichment.exactBuyer',
					parameters: {
						resource: 'contact',
						operation: 'bulkEnrich',
						fieldType: '={{ $json.type }}',
						value: '={{ $json.value }}',
						options: { maxRetries: 10 },
					},
					onError: 'continueRegularOutput',
				},
			});

			const output = result.outputs[0];
			expectOneItemPerInput(output);
			output.forEach((item, n) => {
				if (rowKind(n) === 'invalid') {
					expect(item.json.error).toMatch(/^Value: must be an email address/);
				} else if (
					item.json.enrichment_status !== 'found' &&
					item.json.enrichment_status !== 'not_found'
				) {
					throw new Error(`valid row ${n}: ${JSON.stringify(item.json).slice(0, 300)}`);
				}
			});
			const calls = simulator.requestsTo('exactbuyer', '/v1/bulk-enrich');
			for (const call of calls)
				expect(
					JSON.parse((call.body as { query_list: string }).query_list).length,
				).toBeLessThanOrEqual(1000);
			const sends = sendsById('exactbuyer', (body) =>
				(JSON.parse(String(body.query_list ?? '[]')) as Array<{ value: string }>).map(
					(query) => query.value,
				),
			);
			for (const [value, { ok }] of sends)
				if (ok !== 1) throw new Error(`${value} was answered ${ok} times`);
			expect(calls.filter((call) => call.status === 200)).toHaveLength(
				Math.ceil(sends.size / 1000),
			);
			expect(JSON.stringify(result.run)).not.toContain(simulator.apiKeys.exactbuyer);
		},
		SOAK_TIMEOUT_MS,
	);
});
