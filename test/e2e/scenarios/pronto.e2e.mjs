// Pronto's two-workflow pattern in a real n8n, as a user sets it up:
//   workflow A (published): Pronto Trigger → HTTP Request "CRM update" (a loopback receiver stands for the CRM);
//   workflow B (published, started by its webhook): 160 CRM contacts → Pronto · Bulk Enrich with
//   Webhook URL = workflow A's production URL.
// The simulator plays Pronto and POSTs one callback per contact to that URL. Every valid contact's
// callback must become its own execution of A carrying the correlation fields; forged callbacks (no
// token, a wrong token) get 401 and a malformed body 400, and none of them starts an execution.
import { createRequire } from 'node:module';

import { CREDENTIAL_TYPES } from '../lib/fixtures.mjs';

const require = createRequire(import.meta.url);
const { startCallbackReceiver } = require('../../simulator/callback-receiver.cjs');

export const title = 'pronto';

const PRONTO = 'n8n-nodes-bulk-enrichment.pronto';
const TRIGGER = 'n8n-nodes-bulk-enrichment.prontoTrigger';
const TRIGGER_WEBHOOK_ID = 'e2e-pronto-callbacks';
const SENDER_PATH = 'e2e-pronto-send';
/** A sender whose Webhook URL has a typo: n8n serves nothing there. */
const TYPO_SENDER_PATH = 'e2e-pronto-send-typo';
const WEBHOOK_SECRET = 'e2e-webhook-secret-value';
/** A sender whose Webhook URL answers the probe 200 and then a byte every 2 s, for ever. */
const TRICKLE_SENDER_PATH = 'e2e-pronto-send-trickle';

/**
 * 160 contacts: 154 valid, 6 without a last name. Rows 150-153 repeat the people of rows 0-3 with
 * their own crm_id: their `custom` differs, so each is sent (and called back) on its own.
 */
function contacts() {
	const rows = [];
	for (let n = 0; n < 160; n++) {
		const person = n >= 150 && n < 154 ? n - 150 : n;
		rows.push({
			crm_id: `crm-${n}`,
			first_name: 'Ada',
			last_name: n >= 154 ? '' : `Person${person}`,
			domain: 'example.com',
		});
	}
	return rows;
}
const VALID = 154;

function credentials(sim) {
	return CREDENTIAL_TYPES.filter((c) => c.type === 'bulkEnrichmentProntoApi').map((c) => ({
		id: c.id,
		name: c.name,
		type: c.type,
		data: {
			apiKey: sim.apiKeys.pronto,
			baseUrl: sim.baseUrls.pronto,
			webhookSecret: WEBHOOK_SECRET,
		},
	}));
}

const prontoCredential = {
	bulkEnrichmentProntoApi: {
		id: CREDENTIAL_TYPES.find((c) => c.type === 'bulkEnrichmentProntoApi').id,
		name: 'Pronto (simulator)',
	},
};

function triggerWorkflow(crmUrl) {
	return {
		id: 'e2eWfProntoRecv01',
		name: 'e2e: Pronto Trigger → CRM update',
		active: false,
		nodes: [
			{
				id: 'recv-0',
				name: 'Pronto Trigger',
				type: TRIGGER,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: {},
				credentials: prontoCredential,
			},
			{
				id: 'recv-1',
				name: 'CRM Update',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
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
		connections: { 'Pronto Trigger': { main: [[{ node: 'CRM Update', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function senderWorkflow(callbackUrl, { id = 'e2eWfProntoSend01', path = SENDER_PATH } = {}) {
	return {
		id,
		name: `e2e: CRM contacts → Pronto Bulk Enrich (${path})`,
		active: false,
		nodes: [
			{
				id: 'send-0',
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: path,
				parameters: {
					httpMethod: 'POST',
					path,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: 'send-1',
				name: 'CRM Contacts',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ people: contacts() }) },
			},
			{
				id: 'send-2',
				name: 'One Item per Contact',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'people', options: {} },
			},
			{
				id: 'send-3',
				name: 'Pronto',
				type: PRONTO,
				typeVersion: 1,
				position: [660, 0],
				onError: 'continueRegularOutput',
				credentials: prontoCredential,
				parameters: {
					resource: 'contact',
					operation: 'bulkEnrich',
					webhookUrl: callbackUrl,
					custom: '={{ { crm_id: $json.crm_id } }}',
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'CRM Contacts', type: 'main', index: 0 }]] },
			'CRM Contacts': { main: [[{ node: 'One Item per Contact', type: 'main', index: 0 }]] },
			'One Item per Contact': { main: [[{ node: 'Pronto', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

async function post(url, body, { raw = false, signal } = {}) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: raw ? body : JSON.stringify(body),
		signal,
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: res.status, json };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Executions of a workflow as n8n's REST API lists them (the editor's Executions tab). */
async function executionCount(n8n, workflowId) {
	const res = await n8n.rest(
		'GET',
		`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=500`,
	);
	if (res.status !== 200)
		throw new Error(
			`GET /rest/executions: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
		);
	const data = res.body.data ?? res.body;
	return data.count ?? data.results?.length ?? 0;
}

export default async function pronto(t) {
	const { n8n, sim } = t;
	const { equal, ok } = t.assert;
	const crm = await startCallbackReceiver();
	const trickler = await startCallbackReceiver();
	trickler.setProbeFault({ kind: 'trickle', ms: 2000 });
	const callbackUrl = `${n8n.baseUrl}/webhook/${TRIGGER_WEBHOOK_ID}/callback`;
	const typoUrl = `${n8n.baseUrl}/webhook/${TRIGGER_WEBHOOK_ID}/calback`;
	const rows = contacts();
	try {
		await t.must(
			'import the credential (with a Webhook Secret) and both workflows, publish them, start n8n',
			async () => {
				await n8n.importCredentials(credentials(sim));
				for (const wf of [
					triggerWorkflow(crm.url),
					senderWorkflow(callbackUrl),
					senderWorkflow(typoUrl, { id: 'e2eWfProntoTypo01', path: TYPO_SENDER_PATH }),
					senderWorkflow(`${trickler.url}/webhook/pronto`, {
						id: 'e2eWfProntoTrkl01',
						path: TRICKLE_SENDER_PATH,
					}),
				]) {
					await n8n.importWorkflow(wf);
					await n8n.publishWorkflow(wf.id);
				}
				await n8n.start();
				await n8n.setupOwner();
				// Published webhooks are registered a few seconds after start, one workflow after the
				// other. A CORS preflight asks whether a path is registered without running anything:
				// 204 once it is (n8n looks its methods up), 404 before.
				for (const url of [
					callbackUrl,
					...[SENDER_PATH, TYPO_SENDER_PATH, TRICKLE_SENDER_PATH].map(
						(path) => `${n8n.baseUrl}/webhook/${path}`,
					),
				]) {
					let status = 0;
					for (let i = 0; i < 120 && status !== 204; i++) {
						status = (
							await fetch(url, {
								method: 'OPTIONS',
								headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
							})
						).status;
						if (status !== 204) await sleep(250);
					}
					equal(status, 204, `${url} registered within 30 s`);
				}
			},
		);

		const sent = await t.must(
			'workflow B: 160 contacts through Pronto Bulk Enrich (webhook-started)',
			async () => {
				// Real enrichment takes seconds per contact: spread the callbacks over 8-12 s instead of one
				// 45 ms burst, which a loaded CI machine could not answer within the simulator's 10 s timeout.
				const delay = await fetch(`${sim.url}/__admin/pronto-callback-delay`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ ms: 8000 }),
				});
				equal(delay.status, 200, 'simulator callback delay set');
				await sim.reset();
				const res = await post(`${n8n.baseUrl}/webhook/${SENDER_PATH}`, {});
				equal(res.status, 200, 'sender webhook status');
				ok(
					Array.isArray(res.json) && res.json.length === 160,
					'one output item per contact',
					res.json,
				);
				return res.json;
			},
		);

		await t.check(
			'Bulk Enrich output: 154 submitted with correlation fields, 6 errors naming Last Name, in order',
			async () => {
				sent.forEach((item, index) => {
					equal(item.crm_id, rows[index].crm_id, `crm_id of output item ${index}`);
					if (index >= 154) {
						equal(item.enrichment_status, 'error', `status of item ${index}`);
						ok(
							/^Last Name: is required/.test(item.error),
							`error of item ${index} names the field`,
							item,
						);
					} else {
						equal(item.enrichment_status, 'submitted', `status of item ${index}`);
						ok(
							typeof item.enrichment_id === 'string' && item.n8n_bulk_run_id,
							`enrichment id and run id of item ${index}`,
							item,
						);
					}
				});
				const requests = (await sim.requests()).filter(
					(r) => r.provider === 'pronto' && r.path === '/contacts/bulk_enrich',
				);
				equal(requests.length, 2, `bulk requests for ${VALID} valid contacts`);
				ok(
					requests.every((r) => r.body.contacts.length >= 2 && r.body.contacts.length <= 100),
					'every request 2..100 contacts',
				);
				equal(
					requests.reduce((sum, r) => sum + r.body.contacts.length, 0),
					VALID,
					'contacts sent',
				);
				ok(
					requests.every((r) => new URL(r.body.webhook_url).searchParams.get('n8n_token')),
					'the webhook URL sent carries the token',
				);
			},
		);

		const updates = await t.must(
			`workflow A: each of the ${VALID} callbacks became its own execution and reached the CRM`,
			async () => {
				const received = await crm.waitFor(VALID, 90_000).catch(async (error) => {
					// Say where the missing ones were lost: not delivered to n8n, or delivered but no CRM update.
					const delivered = await sim.callbacks();
					const failed = delivered.filter((c) => c.status < 200 || c.status > 299);
					const seen = failed.map((c) => `${c.status}${c.error ? ` ${c.error}` : ''}`);
					throw new Error(
						`${error.message}; simulator delivered ${delivered.length} callbacks, ${failed.length} not answered 2xx by n8n (${seen.slice(0, 5).join(', ')})`,
					);
				});
				await sleep(1000);
				equal(crm.received.length, VALID, 'CRM updates (one per callback)');
				return received.map((r) => r.body);
			},
		);

		await t.check(
			'each callback carries its correlation fields, joining it to the row that sent it',
			async () => {
				const runId = sent[0].n8n_bulk_run_id;
				const byIndex = new Map(updates.map((u) => [u.n8n_bulk_item_index, u]));
				for (let index = 0; index < VALID; index++) {
					const update = byIndex.get(index);
					ok(update, `no callback for item ${index}`);
					equal(update.custom.crm_id, rows[index].crm_id, `crm_id echoed for item ${index}`);
					equal(update.n8n_bulk_run_id, runId, `run id of item ${index}`);
					equal(
						update.n8n_bulk_execution_id,
						sent[index].n8n_bulk_execution_id,
						`execution id of item ${index}`,
					);
					equal(update.enrichment_status, 'found', `status of item ${index}`);
					equal(
						update.email,
						`ada.person${index >= 150 ? index - 150 : index}@example.com`,
						`email of item ${index}`,
					);
				}
			},
		);

		await t.check(
			'forged callbacks: no token or a wrong token → 401, a malformed body → 400; none starts an execution',
			async () => {
				const before = await executionCount(n8n, 'e2eWfProntoRecv01');
				const genuine = updates[0].raw;
				const token = new URL(
					(await sim.requests()).find((r) => r.path === '/contacts/bulk_enrich').body.webhook_url,
				).searchParams.get('n8n_token');
				equal((await post(callbackUrl, genuine)).status, 401, 'no token');
				equal(
					(await post(`${callbackUrl}?n8n_token=${'0'.repeat(64)}`, genuine)).status,
					401,
					'a wrong token',
				);
				equal(
					(await post(`${callbackUrl}?n8n_token=${token}`, [genuine])).status,
					400,
					'a list instead of one result',
				);
				equal(
					(await post(`${callbackUrl}?n8n_token=${token}`, { hello: 'world' })).status,
					400,
					'an object that is no Pronto result',
				);
				const unparsable = await post(
					`${callbackUrl}?n8n_token=${token}`,
					'{"enrichment_id": "x", broken',
					{ raw: true },
				);
				ok(
					unparsable.status >= 400 && unparsable.status < 500,
					`unparsable JSON: got ${unparsable.status}`,
					unparsable.json,
				);
				t.log(`unparsable JSON body: HTTP ${unparsable.status}`);
				await sleep(2000);
				equal(
					await executionCount(n8n, 'e2eWfProntoRecv01'),
					before,
					'executions of the trigger workflow',
				);
				equal(crm.received.length, VALID, 'CRM updates');
				equal(before, VALID, 'executions of the trigger workflow listed by the REST API');
			},
		);

		await t.check(
			"the probe of the published trigger (GET, the callback's path) is answered and starts no execution",
			async () => {
				const before = await executionCount(n8n, 'e2eWfProntoRecv01');
				const token = new URL(
					(await sim.requests()).find((r) => r.path === '/contacts/bulk_enrich').body.webhook_url,
				).searchParams.get('n8n_token');
				const answered = await fetch(`${callbackUrl}?n8n_token=${token}`);
				equal(answered.status, 200, 'probe with the token');
				const body = await answered.json();
				equal(
					body.receiver,
					'n8n-nodes-bulk-enrichment.prontoTrigger',
					'the answer names the Pronto Trigger',
				);
				equal((await fetch(callbackUrl)).status, 401, 'probe without the token');
				await sleep(2000);
				equal(
					await executionCount(n8n, 'e2eWfProntoRecv01'),
					before,
					'executions of the trigger workflow',
				);
				equal(crm.received.length, VALID, 'CRM updates');
			},
		);

		await t.check(
			'Bulk Enrich to a Webhook URL with a typo fails before sending, naming what to fix',
			async () => {
				await sim.reset();
				const res = await post(`${n8n.baseUrl}/webhook/${TYPO_SENDER_PATH}`, {});
				t.log(`typo sender answered HTTP ${res.status}`);
				const stored = await storedExecution(n8n, 'e2eWfProntoTypo01');
				ok(
					/no published workflow listens at [^ ]*\/calback/.test(stored),
					'the error names the URL n8n does not serve',
					stored.slice(0, 600),
				);
				ok(
					/publish it, and copy the trigger's Production URL/.test(stored),
					'the error says what to fix',
					stored.slice(0, 600),
				);
				const prontoRequests = (await sim.requests()).filter((r) => r.provider === 'pronto');
				equal(prontoRequests.length, 0, 'requests to Pronto');
			},
		);

		await t.check(
			'Bulk Enrich to a Webhook URL that trickles a byte every 2 s ends by the probe deadline (10 s), saying why, sending nothing',
			async () => {
				await sim.reset();
				const started = Date.now();
				// Before the fix the execution ran until Stop: give up waiting after 40 s.
				const res = await post(
					`${n8n.baseUrl}/webhook/${TRICKLE_SENDER_PATH}`,
					{},
					{ signal: AbortSignal.timeout(40_000) },
				);
				const seconds = (Date.now() - started) / 1000;
				t.log(`trickle sender answered HTTP ${res.status} after ${seconds.toFixed(1)} s`);
				ok(seconds < 25, `the execution ended within 25 s (took ${seconds.toFixed(1)} s)`);
				const stored = await storedExecution(n8n, 'e2eWfProntoTrkl01');
				ok(
					/does not answer as a Pronto Trigger \(HTTP 200, but the answer did not end within the request timeout of 10 s\)/.test(
						stored,
					),
					'the error says the Webhook URL did not answer in time',
					stored.slice(0, 600),
				);
				const probe = trickler.probes[trickler.probes.length - 1];
				ok(probe?.closedByClient === true, 'n8n closed the probe connection');
				equal(
					(await sim.requests()).filter((r) => r.provider === 'pronto').length,
					0,
					'requests to Pronto',
				);
			},
		);
	} finally {
		await crm.close();
		await trickler.close();
	}
}

/** The latest stored execution of a workflow as text (its run data is "flatted"), once it names Pronto. */
async function storedExecution(n8n, workflowId) {
	let stored = '';
	for (let i = 0; i < 40 && !/Pronto/.test(stored); i++) {
		const list = await n8n.rest(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=5`,
		);
		const executions = (list.body.data ?? list.body).results ?? [];
		if (executions.length > 0) {
			const one = await n8n.rest('GET', `/rest/executions/${executions[0].id}`);
			stored = JSON.stringify(one.body);
		}
		if (!/Pronto/.test(stored)) await sleep(250);
	}
	return stored;
}
