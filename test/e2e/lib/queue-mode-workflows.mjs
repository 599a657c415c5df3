// Workflows and helpers shared by the queue-mode e2e scenario and bench/queue-mode.mjs.
//   - an Explorium job: Webhook → Inputs (the simulator's sample prospect ids, rows `offset`…
//     `offset + count - 1`) → Window (Limit: the last `count`) → Explorium · Enrich Contacts;
//   - the Pronto pair: a sender (Webhook → Inputs (sample contacts) → Pronto · Bulk Enrich with a
//     Webhook URL) and a receiver (Pronto Trigger → HTTP Request "CRM Update" to a loopback receiver);
//   - REST helpers to list and read executions on the main, and the rate figures of a request log.
import http from 'node:http';
import { createRequire } from 'node:module';

import { credentialRef } from './fixtures.mjs';

const require = createRequire(import.meta.url);
const { exploriumRequestWeight } = require('../../simulator/explorium-weight.cjs');

export const EXPLORIUM = 'n8n-nodes-bulk-enrichment.explorium';
export const PRONTO = 'n8n-nodes-bulk-enrichment.pronto';
export const PRONTO_TRIGGER = 'n8n-nodes-bulk-enrichment.prontoTrigger';
/**
 * The path of Explorium's Enrich Contacts requests on the simulator, v1 or v2 (the node moves to v2):
 * `/v1/prospects/contacts_information/bulk_enrich` or `/v2/prospects/contact_information/enrich`.
 * Test a request with `EXPLORIUM_BULK_PATH.test(r.path)`.
 */
export const EXPLORIUM_BULK_PATH =
	/^\/(?:v1\/prospects\/contacts_information\/bulk_enrich|v2\/prospects\/contact_information\/enrich)$/;

/** The first prospect id of an Explorium enrich request body (v2 also takes one id as a string). */
export function firstProspectId(body) {
	const ids = body?.prospect_ids;
	return Array.isArray(ids) ? ids[0] : ids;
}

/** What a request counts for in Explorium's window: one query per entity in its payload (the simulator's own rule). */
export const exploriumEntities = (request) => exploriumRequestWeight(request.body);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function positioned(nodes, prefix) {
	return nodes.map((n, i) => ({
		id: `${prefix}-${i}`,
		typeVersion: 1,
		position: [i * 220, 0],
		...n,
	}));
}

function chain(names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++)
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return connections;
}

/** POST {count, offset} to its webhook; answers with the Explorium node's first item. */
export function exploriumJobWorkflow({
	id,
	webhookPath,
	simulatorUrl,
	credential = credentialRef('bulkEnrichmentExploriumApi'),
}) {
	const nodes = positioned(
		[
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: webhookPath,
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'lastNode',
					responseData: 'firstEntryJson',
					options: {},
				},
			},
			{
				name: 'Inputs',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					url: `=${simulatorUrl}/__admin/sample-inputs?kind=explorium-prospect-ids&count={{ $json.body.count + ($json.body.offset || 0) }}`,
					options: {},
				},
			},
			{
				name: 'Window',
				type: 'n8n-nodes-base.limit',
				typeVersion: 1,
				parameters: { maxItems: "={{ $('Webhook').first().json.body.count }}", keep: 'lastItems' },
			},
			// Version 3, as a node added today: Explorium's v2 API. Ids from the sample rows (its default is Person Details).
			{
				name: 'Explorium',
				type: EXPLORIUM,
				typeVersion: 3,
				parameters: { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'prospectId' },
				credentials: credential,
				onError: 'continueRegularOutput',
			},
		],
		id,
	);
	return {
		id,
		name: `queue mode: Explorium job (${webhookPath})`,
		active: false,
		nodes,
		connections: chain(nodes.map((n) => n.name)),
		settings: { executionOrder: 'v1' },
	};
}

/** POST {count} to its webhook: that many sample contacts through Pronto · Bulk Enrich, results to `callbackUrl`. */
export function prontoSenderWorkflow({ id, webhookPath, simulatorUrl, callbackUrl }) {
	const nodes = positioned(
		[
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: webhookPath,
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				name: 'Inputs',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					url: `=${simulatorUrl}/__admin/sample-inputs?kind=pronto-contacts&count={{ $json.body.count }}`,
					options: {},
				},
			},
			{
				name: 'Pronto',
				type: PRONTO,
				typeVersion: 1,
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					webhookUrl: callbackUrl,
					custom: '={{ { crm_row: $json.row } }}',
				},
				credentials: credentialRef('bulkEnrichmentProntoApi'),
				onError: 'continueRegularOutput',
			},
		],
		id,
	);
	return {
		id,
		name: `queue mode: contacts → Pronto Bulk Enrich (${webhookPath})`,
		active: false,
		nodes,
		connections: chain(nodes.map((n) => n.name)),
		settings: { executionOrder: 'v1' },
	};
}

/** Pronto Trigger (its production URL: `/webhook/<webhookId>/callback`) → POST of the item to `<crmUrl>/crm/update`. */
export function prontoReceiverWorkflow({ id, webhookId, crmUrl }) {
	const nodes = positioned(
		[
			{
				name: 'Pronto Trigger',
				type: PRONTO_TRIGGER,
				webhookId,
				parameters: {},
				credentials: credentialRef('bulkEnrichmentProntoApi'),
			},
			{
				name: 'CRM Update',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: `${crmUrl}/crm/update`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json) }}',
					options: {},
				},
			},
		],
		id,
	);
	return {
		id,
		name: `queue mode: Pronto Trigger → CRM update (${webhookId})`,
		active: false,
		nodes,
		connections: chain(nodes.map((n) => n.name)),
		settings: { executionOrder: 'v1' },
	};
}

/** POST JSON without a client timeout (fetch gives up on headers after 300 s; a rate-limited job may take longer). */
export function postJson(url, body) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: 'POST', headers: { 'content-type': 'application/json' } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (text += c));
				res.on('end', () => {
					let json = text;
					try {
						json = JSON.parse(text);
					} catch {
						/* not JSON */
					}
					resolve({ status: res.statusCode, json, text });
				});
			},
		);
		req.on('error', reject);
		req.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
	});
}

/**
 * Every execution of a workflow as the main's REST API lists them, newest first. The API returns
 * at most 100 at a time: pages by id range (firstId/lastId, exclusive; listed by id descending).
 */
export async function listExecutions(main, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const results = [];
	let lastId = '2147483647'; // execution ids are PostgreSQL integers
	let count = 0;
	for (;;) {
		const res = await main.rest(
			'GET',
			`/rest/executions?filter=${filter}&limit=100&firstId=0&lastId=${lastId}`,
		);
		if (res.status !== 200)
			throw new Error(
				`GET /rest/executions: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
			);
		const data = res.body.data ?? res.body;
		const page = data.results ?? [];
		count = data.count ?? count;
		results.push(...page);
		if (page.length < 100) break;
		lastId = String(Math.min(...page.map((e) => Number(e.id))));
	}
	return { count: Math.max(count, results.length), results };
}

const settled = (e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status);

/** Polls until `count` executions of the workflow are listed and settled (bounded). */
export async function waitForExecutions(main, workflowId, count, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	let list = { count: 0, results: [] };
	while (Date.now() < deadline) {
		list = await listExecutions(main, workflowId);
		if (list.count >= count && list.results.length >= count && list.results.every(settled))
			return list.results;
		await sleep(500);
	}
	const statuses = {};
	for (const e of list.results) statuses[e.status] = (statuses[e.status] ?? 0) + 1;
	throw new Error(
		`expected ${count} settled executions of ${workflowId} within ${timeoutMs} ms; listed ${list.count}: ${JSON.stringify(statuses)}`,
	);
}

/** One execution with its run data (stored "flatted"; `flatted` is n8n's copy of the package). */
export async function readExecution(main, executionId, flatted) {
	const res = await main.rest('GET', `/rest/executions/${executionId}`);
	if (res.status !== 200) throw new Error(`GET /rest/executions/${executionId}: ${res.status}`);
	const execution = res.body.data ?? res.body;
	const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
	return { ...execution, data };
}

/** Output items (whole items: json + pairedItem) of a node's first run. */
export function nodeOutput(execution, nodeName, output = 0) {
	return execution.data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[output] ?? [];
}

/**
 * Rate figures of a request log (`receivedAt` ms, `status`): the most requests and the most
 * accepted (non-429) requests that arrived within any `windowMs`, the 429s, the span.
 */
export function rateFigures(requests, windowMs = 60_000) {
	const times = requests.map((r) => r.receivedAt).sort((a, b) => a - b);
	const accepted = requests
		.filter((r) => r.status !== 429)
		.map((r) => r.receivedAt)
		.sort((a, b) => a - b);
	const maxInWindow = (list) => {
		let best = 0;
		for (let i = 0, j = 0; j < list.length; j++) {
			while (list[j] - list[i] >= windowMs) i++;
			best = Math.max(best, j - i + 1);
		}
		return best;
	};
	return {
		requests: requests.length,
		tooMany: requests.filter((r) => r.status === 429).length,
		maxPerWindow: maxInWindow(times),
		maxAcceptedPerWindow: maxInWindow(accepted),
		spanMs: times.length ? times.at(-1) - times[0] : 0,
	};
}
