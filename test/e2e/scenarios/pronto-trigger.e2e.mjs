// The Pronto Trigger alone in a real n8n, published, reached at its production URL:
//   - genuine callbacks, delivered by the simulator (playing Pronto) to the URL with the token, each
//     become exactly one execution whose one output item has the normalized fields, the correlation
//     fields lifted out of `custom`, the user's `custom` and the raw body (both payload variants);
//   - forged callbacks (no token, a wrong token) get 401 and malformed bodies 400 (a JSON body n8n
//     cannot parse: n8n's own 422, before the node runs); none of them starts an execution;
//   - a trigger whose credential has no Webhook Secret takes a call without a token (the notice's warning).
// Executions are counted and read through n8n's REST API (the editor's Executions tab).
import { createRequire } from 'node:module';
import path from 'node:path';

import { simulatorCredentials } from '../lib/fixtures.mjs';
import { REPO_ROOT } from '../lib/n8n-instance.mjs';

const require = createRequire(import.meta.url);
// The package's own token function (built before every e2e run): the test forges nothing by hand.
const { addWebhookToken } = require(
	path.join(REPO_ROOT, 'dist', 'nodes', 'Pronto', 'adapter', 'webhook-token.js'),
);

export const title = 'pronto-trigger';

const TRIGGER = 'n8n-nodes-bulk-enrichment.prontoTrigger';
const WEBHOOK_SECRET = 'e2e-trigger-webhook-secret';
const GUARDED = {
	workflowId: 'e2eWfProntoTrig01',
	webhookId: 'e2e-pronto-trigger',
	credentialId: 'e2eCredPronto00001',
	credentialName: 'Pronto (simulator)',
};
const OPEN = {
	workflowId: 'e2eWfProntoOpen01',
	webhookId: 'e2e-pronto-trigger-open',
	credentialId: 'e2eCredProntoOpen1',
	credentialName: 'Pronto (simulator, no secret)',
};
const CORRELATION = [
	'n8n_bulk_item_index',
	'n8n_bulk_item_indexes',
	'n8n_bulk_execution_id',
	'n8n_bulk_run_id',
];

/** The simulator credentials, the Pronto one with a Webhook Secret, plus a Pronto one without. */
function credentials(sim) {
	const all = simulatorCredentials(sim).map((c) =>
		c.type === 'bulkEnrichmentProntoApi'
			? { ...c, data: { ...c.data, webhookSecret: WEBHOOK_SECRET } }
			: c,
	);
	const open = all.find((c) => c.type === 'bulkEnrichmentProntoApi');
	return [
		...all,
		{
			...open,
			id: OPEN.credentialId,
			name: OPEN.credentialName,
			data: { ...open.data, webhookSecret: '' },
		},
	];
}

/** A published workflow holding only the trigger: its run data is the trigger's output. */
function triggerWorkflow({ workflowId, webhookId, credentialId, credentialName }) {
	return {
		id: workflowId,
		name: `e2e: Pronto Trigger (${webhookId})`,
		active: false,
		nodes: [
			{
				id: `${webhookId}-node`,
				name: 'Pronto Trigger',
				type: TRIGGER,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: {},
				credentials: { bulkEnrichmentProntoApi: { id: credentialId, name: credentialName } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function post(url, body, { contentType = 'application/json', raw = false } = {}) {
	const t0 = Date.now();
	const res = await fetch(url, {
		method: 'POST',
		headers: contentType ? { 'content-type': contentType } : {},
		body: raw ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json = text;
	try {
		json = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, json, ms: Date.now() - t0 };
}

/** Executions of a workflow, newest first, as the REST API lists them. */
async function executions(n8n, workflowId) {
	const res = await n8n.rest(
		'GET',
		`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=200`,
	);
	if (res.status !== 200)
		throw new Error(
			`GET /rest/executions: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
		);
	const data = res.body.data ?? res.body;
	return data.results ?? [];
}

/** Polls until `count` executions are listed and finished (bounded), then returns them. */
async function waitForExecutions(n8n, workflowId, count, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	let list = [];
	while (Date.now() < deadline) {
		list = await executions(n8n, workflowId);
		if (
			list.length >= count &&
			list.every((e) => e.finished || e.status === 'success' || e.status === 'error')
		)
			return list;
		await sleep(250);
	}
	throw new Error(
		`expected ${count} finished executions of ${workflowId} within ${timeoutMs} ms, found ${list.length}: ${JSON.stringify(list.map((e) => [e.id, e.status]))}`,
	);
}

/** Checks that no execution is added for a while (n8n saves one shortly after answering). */
async function expectNoNewExecution(n8n, workflowId, before, quietMs = 3000) {
	const deadline = Date.now() + quietMs;
	while (Date.now() < deadline) {
		const now = (await executions(n8n, workflowId)).length;
		if (now !== before) throw new Error(`executions of ${workflowId}: ${before} → ${now}`);
		await sleep(300);
	}
}

/** The trigger's output items of one execution (run data is stored "flatted"). */
async function triggerOutput(n8n, executionId, flatted) {
	const res = await n8n.rest('GET', `/rest/executions/${executionId}`);
	if (res.status !== 200) throw new Error(`GET /rest/executions/${executionId}: ${res.status}`);
	const execution = res.body.data ?? res.body;
	const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
	const run = data.resultData.runData['Pronto Trigger'];
	return {
		status: execution.status,
		runs: run.length,
		items: run[0].data.main[0].map((i) => i.json),
	};
}

/** Asks the simulator (as Pronto) for one contact with a webhook URL; it POSTs the result there. */
async function singleEnrich(sim, body) {
	const res = await fetch(`${sim.baseUrls.pronto}/contacts/single_enrich`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': sim.apiKeys.pronto },
		body: JSON.stringify(body),
	});
	const json = await res.json();
	if (res.status !== 200)
		throw new Error(`simulator single_enrich: ${res.status} ${JSON.stringify(json)}`);
	return json;
}

async function simulatorAdmin(sim, method, p, body) {
	const res = await fetch(`${sim.url}/__admin/${p}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!res.ok) throw new Error(`simulator ${method} /__admin/${p}: ${res.status}`);
	const text = await res.text();
	return text ? JSON.parse(text) : undefined;
}

async function waitForCallbacks(sim, count, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const callbacks = await simulatorAdmin(sim, 'GET', 'callbacks');
		if (callbacks.length >= count) return callbacks;
		if (Date.now() > deadline)
			throw new Error(
				`simulator delivered ${callbacks.length} of ${count} callbacks within ${timeoutMs} ms`,
			);
		await sleep(200);
	}
}

export default async function prontoTrigger(t) {
	const { n8n, sim } = t;
	const { equal, ok } = t.assert;
	const flatted = createRequire(path.join(n8n.install.n8nPkgDir, 'package.json'))('flatted');
	const guardedUrl = `${n8n.baseUrl}/webhook/${GUARDED.webhookId}/callback`;
	const openUrl = `${n8n.baseUrl}/webhook/${OPEN.webhookId}/callback`;
	const tokenUrl = addWebhookToken(guardedUrl, WEBHOOK_SECRET);

	await t.must(
		'import the credentials and two trigger workflows (with and without a Webhook Secret), publish them, start n8n',
		async () => {
			await n8n.importCredentials(credentials(sim));
			for (const wf of [triggerWorkflow(GUARDED), triggerWorkflow(OPEN)]) {
				await n8n.importWorkflow(wf);
				await n8n.publishWorkflow(wf.id);
			}
			await n8n.start();
			await n8n.setupOwner();
			// Published webhooks answer a few seconds after start (404 until then). The probes are refused
			// (no token; an empty object), so they start nothing.
			for (const url of [guardedUrl, openUrl]) {
				let status = 404;
				for (let i = 0; i < 80 && status === 404; i++) {
					status = (await post(url, {})).status;
					if (status === 404) await sleep(250);
				}
				ok(status !== 404, `${url} still 404 after start`);
			}
			equal((await executions(n8n, GUARDED.workflowId)).length, 0, 'executions after the probes');
		},
	);

	const correlation = {
		n8n_bulk_item_index: 7,
		n8n_bulk_item_indexes: [7, 9],
		n8n_bulk_execution_id: '1234',
		n8n_bulk_run_id: 'e2e-run-1',
	};
	const contacts = {
		found: {
			firstname: 'Ada',
			lastname: 'Lovelace',
			domain: 'example.com',
			enrichment_type: ['email'],
			custom: { crm_id: 'crm-7', ...correlation },
		},
		miss: {
			firstname: 'Jane',
			lastname: 'Nomatch',
			domain: 'example.com',
			enrichment_type: ['email'],
			custom: { crm_id: 'crm-8' },
		},
		phones: {
			firstname: 'Grace',
			lastname: 'Hopper',
			linkedin_url: 'https://www.linkedin.com/in/grace-hopper',
			enrichment_type: ['phone'],
			custom: { crm_id: 'crm-9' },
		},
	};

	const delivered = await t.must(
		'the simulator (as Pronto) delivers 3 callbacks to the production URL with the token: each answered 200',
		async () => {
			await sim.reset();
			const ids = {};
			ids.found = (
				await singleEnrich(sim, { ...contacts.found, webhook_url: tokenUrl })
			).enrichment_id;
			ids.miss = (
				await singleEnrich(sim, { ...contacts.miss, webhook_url: tokenUrl })
			).enrichment_id;
			await waitForCallbacks(sim, 2);
			// The alternate shape some docs show: `id` instead of `enrichment_id`, phones as {number, type}.
			await simulatorAdmin(sim, 'POST', 'pronto-callback-variant', { variant: 'alternate' });
			ids.phones = (
				await singleEnrich(sim, { ...contacts.phones, webhook_url: tokenUrl })
			).enrichment_id;
			const callbacks = await waitForCallbacks(sim, 3);
			equal(callbacks.length, 3, 'callbacks delivered');
			for (const c of callbacks)
				equal(
					c.status,
					200,
					`n8n's answer to the callback for ${c.body.enrichment_id ?? c.body.id}`,
				);
			ok(
				'id' in callbacks[2].body && !('enrichment_id' in callbacks[2].body),
				'the third callback uses `id`',
				callbacks[2].body,
			);
			return { ids, callbacks };
		},
	);

	const items = await t.must(
		'exactly one execution per callback, each with exactly one item',
		async () => {
			const list = await waitForExecutions(n8n, GUARDED.workflowId, 3);
			await sleep(1000);
			equal(
				(await executions(n8n, GUARDED.workflowId)).length,
				3,
				'executions of the guarded trigger workflow',
			);
			const byId = {};
			for (const e of list) {
				const out = await triggerOutput(n8n, e.id, flatted);
				equal(out.status, 'success', `status of execution ${e.id}`);
				equal(out.runs, 1, `trigger runs in execution ${e.id}`);
				equal(out.items.length, 1, `items of execution ${e.id}`);
				byId[out.items[0].enrichment_id] = out.items[0];
			}
			ok(Object.keys(byId).length === 3, 'three different enrichment ids', Object.keys(byId));
			return byId;
		},
	);

	await t.check(
		"a found email: normalized fields, correlation fields at the top level, the user's custom, the raw body",
		async () => {
			const item = items[delivered.ids.found];
			ok(item, `no execution for ${delivered.ids.found}`);
			const raw = delivered.callbacks.find(
				(c) => c.body.enrichment_id === delivered.ids.found,
			).body;
			equal(item.enrichment_status, 'found', 'enrichment_status');
			equal(item.pronto_status, 'finished', 'pronto_status');
			equal(item.first_name, 'Ada', 'first_name');
			equal(item.last_name, 'Lovelace', 'last_name');
			equal(item.email, 'ada.lovelace@example.com', 'email');
			equal(item.email_status, raw.email_status, 'email_status');
			equal(item.personal_email, null, 'personal_email');
			equal(JSON.stringify(item.phones), '[]', 'phones');
			for (const field of CORRELATION)
				equal(JSON.stringify(item[field]), JSON.stringify(correlation[field]), field);
			equal(
				JSON.stringify(item.custom),
				JSON.stringify({ crm_id: 'crm-7' }),
				'custom without correlation',
			);
			equal(JSON.stringify(item.raw), JSON.stringify(raw), 'raw = the body Pronto sent');
			t.log(`item: ${JSON.stringify({ ...item, raw: '…' })}`);
		},
	);

	await t.check(
		'a finished miss: not_found, nulls and [], correlation columns null (none sent)',
		async () => {
			const item = items[delivered.ids.miss];
			ok(item, `no execution for ${delivered.ids.miss}`);
			equal(item.enrichment_status, 'not_found', 'enrichment_status');
			equal(item.email, null, 'email');
			equal(JSON.stringify(item.phones), '[]', 'phones');
			for (const field of CORRELATION) equal(item[field], null, field);
			equal(item.custom.crm_id, 'crm-8', 'custom.crm_id');
		},
	);

	await t.check(
		'the alternate shape (`id`, phones as {number, type}): the same normalized fields, phones in E.164',
		async () => {
			const item = items[delivered.ids.phones];
			ok(item, `no execution for ${delivered.ids.phones}`);
			const raw = delivered.callbacks[2].body;
			equal(item.enrichment_status, 'found', 'enrichment_status');
			equal(JSON.stringify(item.phones), JSON.stringify(raw.phones.map((p) => p.number)), 'phones');
			ok(
				item.phones.length > 0 && item.phones.every((p) => /^\+[1-9]\d{6,14}$/.test(p)),
				'E.164 phones',
				item.phones,
			);
			equal(item.custom.crm_id, 'crm-9', 'custom.crm_id');
		},
	);

	await t.check(
		'forged callbacks: no token and a wrong token → 401 with a JSON body; no execution',
		async () => {
			const before = (await executions(n8n, GUARDED.workflowId)).length;
			const genuine = delivered.callbacks[0].body;
			const noToken = await post(guardedUrl, genuine);
			equal(noToken.status, 401, 'no token');
			ok(
				typeof noToken.json === 'object' && /Unauthorized/.test(noToken.json.message),
				'JSON body',
				noToken.json,
			);
			const wrong = addWebhookToken(guardedUrl, 'e2e-some-other-secret');
			equal((await post(wrong, genuine)).status, 401, 'a token made with another secret');
			equal((await post(`${guardedUrl}?n8n_token=`, genuine)).status, 401, 'an empty token');
			await expectNoNewExecution(n8n, GUARDED.workflowId, before);
		},
	);

	await t.check(
		"malformed bodies with the right token → 400 (unparsable JSON: n8n's 422); no execution",
		async () => {
			const before = (await executions(n8n, GUARDED.workflowId)).length;
			const genuine = delivered.callbacks[0].body;
			const cases = [
				['a JSON list', await post(tokenUrl, [genuine]), 400],
				['an empty object', await post(tokenUrl, {}), 400],
				[
					'an object without an enrichment id',
					await post(tokenUrl, { status: 'finished', email: 'a@example.com' }),
					400,
				],
				['an empty body', await post(tokenUrl, '', { raw: true }), 400],
				[
					'a text/plain body',
					await post(tokenUrl, JSON.stringify(genuine), { raw: true, contentType: 'text/plain' }),
					400,
				],
				// n8n parses the body before any node runs and answers 422 "Failed to parse request body" itself.
				[
					'unparsable JSON',
					await post(tokenUrl, '{"enrichment_id": "x", broken', { raw: true }),
					422,
				],
			];
			for (const [what, res, expected] of cases) {
				equal(res.status, expected, what);
				t.log(`${what}: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 120)}`);
			}
			await expectNoNewExecution(n8n, GUARDED.workflowId, before);
		},
	);

	await t.check('a genuine callback is answered fast (onReceived)', async () => {
		const before = (await executions(n8n, GUARDED.workflowId)).length;
		const res = await post(tokenUrl, {
			...delivered.callbacks[0].body,
			enrichment_id: 'e2e-direct-1',
		});
		equal(res.status, 200, 'status');
		ok(res.ms < 5000, `answered in ${res.ms} ms`);
		t.log(`answered in ${res.ms} ms: ${JSON.stringify(res.json)}`);
		await waitForExecutions(n8n, GUARDED.workflowId, before + 1);
	});

	await t.check(
		"without a Webhook Secret on the credential, a call without a token starts an execution (the notice's warning)",
		async () => {
			const before = (await executions(n8n, OPEN.workflowId)).length;
			equal(
				(
					await post(openUrl, {
						enrichment_id: 'e2e-open-1',
						status: 'finished',
						email: 'x@example.com',
					})
				).status,
				200,
				'no token',
			);
			const list = await waitForExecutions(n8n, OPEN.workflowId, before + 1);
			const out = await triggerOutput(n8n, list[0].id, flatted);
			equal(out.items[0].enrichment_id, 'e2e-open-1', 'enrichment_id');
			equal((await post(openUrl, [])).status, 400, 'a malformed body is still refused');
		},
	);
}
