// Every examples/*.json, as a user imports it, into a real n8n 2.40.7 with this package installed:
//  - checked against the node type descriptions that n8n loaded (`n8n export:nodes`), with
//    n8n-workflow's NodeHelpers resolving which parameters each node shows (lib/check-workflow.mjs):
//    node types and versions, every parameter name and value, n8n's own parameter issues
//    (credentials aside: an example names placeholders), expressions, connections;
//  - imported with `n8n import:workflow` and exported again: n8n keeps every node, parameter and
//    connection as written.
//  - run as imported, with only the credentials `npm run dev` creates (the three "(simulator)" ones
//    and the stand-in chat model "OpenAI (simulator)"), as the editor's *Execute workflow* runs them
//    (a manual run: the CRM reads' pinned sample data is used, the CRM writes are disabled): every
//    example ends green, and what the providers answer agrees with the sample data (the waterfall's
//    people keep their names and companies: no enrichment_conflicts, emails at their domains);
//  - run with the CRM writes as recorders (an Edit Fields node that records what the write node's
//    expressions give) and the pinned samples as the CRM's output, so every mapping, filter and IF
//    is evaluated by n8n itself. The Pipedrive pair runs as a user runs it: the trigger workflow
//    published, Pronto calling it back.
// The checker itself is checked first on broken copies of the examples (a wrong type, version,
// parameter, option, value, expression, connection…): each must be reported, or this scenario fails.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import {
	leadModel,
	startChatModelStub,
	stubCredential,
	STUB_CREDENTIAL,
} from '../lib/chat-model-stub.mjs';
import { checkWorkflow, nodeTypeIndex } from '../lib/check-workflow.mjs';
import { N8nInstance, REPO_ROOT } from '../lib/n8n-instance.mjs';

const require = createRequire(import.meta.url);
const fake = require('../../simulator/fake-data.cjs');

export const title = 'examples';

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
/** The examples the README points to; any other examples/*.json is checked too. */
const EXPECTED = [
	'ai-agent-enrich-lead-to-hubspot.json',
	'hubspot-explorium-enrich.json',
	'pipedrive-pronto-bulk-enrich.json',
	'pronto-trigger-pipedrive-update.json',
	'sheets-exactbuyer-update.json',
	'waterfall-find-email.json',
];

/**
 * Examples that use nodes only n8n 2.x has (Pipedrive's node v2, on Pipedrive's API v2; the AI Agent v3). Against n8n
 * 1.x (N8N_E2E_N8N_VERSION=1.123.x) they must fail for exactly that reason, and are not run.
 */
const NEEDS_N8N_2 = {
	'ai-agent-enrich-lead-to-hubspot.json': '@n8n/n8n-nodes-langchain.agent',
	'pipedrive-pronto-bulk-enrich.json': 'n8n-nodes-base.pipedrive',
	'pronto-trigger-pipedrive-update.json': 'n8n-nodes-base.pipedrive',
};

const clone = (v) => structuredClone(v);
const nodeNamed = (workflow, name) => {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`the example has no node "${name}" (update the broken-copy cases)`);
	return node;
};

/**
 * Broken copies the checker must reject: [what, example file, change, text the report must contain].
 * Node names are the examples' own.
 */
const BROKEN = [
	[
		'unknown node type',
		'hubspot-explorium-enrich.json',
		(w) =>
			(nodeNamed(w, 'Explorium: Find Email and Phone').type =
				'n8n-nodes-bulk-enrichment.exploriumm'),
		'unknown node type',
	],
	[
		'typeVersion n8n does not have',
		'hubspot-explorium-enrich.json',
		(w) => (nodeNamed(w, 'HubSpot: Get Contacts').typeVersion = 3),
		'has no typeVersion 3',
	],
	[
		'unknown parameter',
		'sheets-exactbuyer-update.json',
		(w) => (nodeNamed(w, 'ExactBuyer: Find Phone').parameters.fieldKind = 'email'),
		'"fieldKind" is not a parameter',
	],
	[
		'parameter not shown for these values',
		'hubspot-explorium-enrich.json',
		(w) =>
			(nodeNamed(w, 'Explorium: Find Email and Phone').parameters.prospectId = '={{ $json.vid }}'),
		'"prospectId" is not shown',
	],
	[
		'option value the node does not have',
		'pipedrive-pronto-bulk-enrich.json',
		(w) => (nodeNamed(w, 'Pronto: Bulk Enrich').parameters.enrichmentType = 'mobile'),
		'has "mobile", not one of',
	],
	[
		'unknown option in a collection',
		'waterfall-find-email.json',
		(w) => (nodeNamed(w, 'Pronto').parameters.options.maxWait = 300),
		'"options.maxWait" is not an option',
	],
	[
		'misspelt value in a multi-option',
		'waterfall-find-email.json',
		(w) => (nodeNamed(w, 'ExactBuyer').parameters.options.onlyEnrichMissing = ['emial']),
		'has "emial"',
	],
	[
		'number above its maximum',
		'sheets-exactbuyer-update.json',
		(w) => (nodeNamed(w, 'ExactBuyer: Find Phone').parameters.options = { batchSize: 5000 }),
		'above the maximum 1000',
	],
	[
		"required parameter left empty (n8n's own issue)",
		'pipedrive-pronto-bulk-enrich.json',
		(w) => (nodeNamed(w, 'Pronto: Bulk Enrich').parameters.webhookUrl = ''),
		'"Webhook URL" is required',
	],
	[
		'unknown field in a fixedCollection',
		'pronto-trigger-pipedrive-update.json',
		(w) =>
			(nodeNamed(
				w,
				'Pipedrive: Update Person',
			).parameters.updateFields.emails.emailProperties[0].isPrimary = true),
		'is not a field of',
	],
	[
		'invalid IF operator',
		'pronto-trigger-pipedrive-update.json',
		(w) => (nodeNamed(w, 'Found?').parameters.conditions.conditions[0].operator.operation = 'is'),
		'is not one n8n knows',
	],
	[
		'expression that does not parse',
		'hubspot-explorium-enrich.json',
		(w) =>
			(nodeNamed(w, 'Explorium: Find Email and Phone').parameters.companyName =
				'={{ $json.properties.company. }}'),
		'invalid expression',
	],
	[
		'resource locator URL n8n rejects',
		'sheets-exactbuyer-update.json',
		(w) =>
			(nodeNamed(w, 'Google Sheets: Read Contacts').parameters.documentId.value =
				'https://example.com/sheet'),
		'Not a valid Google Drive File URL',
	],
	[
		'resource mapper matching a column it does not map',
		'sheets-exactbuyer-update.json',
		(w) => (nodeNamed(w, 'Google Sheets: Update Row').parameters.columns.matchingColumns = ['id']),
		'matches on "id"',
	],
	[
		'credential type the node does not use',
		'hubspot-explorium-enrich.json',
		(w) =>
			(nodeNamed(w, 'Explorium: Find Email and Phone').credentials = {
				bulkEnrichmentProntoApi: { name: 'Pronto account' },
			}),
		'credential type "bulkEnrichmentProntoApi"',
	],
	[
		'node without an incoming connection',
		'hubspot-explorium-enrich.json',
		(w) => delete w.connections['Missing Email or Phone'],
		'has no incoming connection',
	],
	[
		'connection removed',
		'sheets-exactbuyer-update.json',
		(w) => delete w.connections['Google Sheets: Read Contacts'],
		'node "ExactBuyer: Find Phone" has no incoming connection',
	],
	[
		'connection to a node that does not exist',
		'pronto-trigger-pipedrive-update.json',
		(w) =>
			(w.connections['Found?'].main[1] = [
				{ node: 'Pipedrive: Update Persons', type: 'main', index: 0 },
			]),
		'which is no node',
	],
	[
		'connection from an output the node does not have',
		'hubspot-explorium-enrich.json',
		(w) =>
			(w.connections['Found Something New?'].main[2] = [
				{ node: 'HubSpot: Update Contact', type: 'main', index: 0 },
			]),
		'has 2 output(s)',
	],
	[
		'connection into an input the node does not have',
		'pipedrive-pronto-bulk-enrich.json',
		(w) => (w.connections['Company Names'].main[0][0].index = 2),
		'it has 2 input(s)',
	],
	[
		'renamed node left in the connections',
		'waterfall-find-email.json',
		(w) => (nodeNamed(w, 'ExactBuyer').name = 'ExactBuyer Bulk'),
		'has no incoming connection',
	],
	[
		'AI tool wired as a main connection',
		'ai-agent-enrich-lead-to-hubspot.json',
		(w) =>
			(w.connections['HubSpot: Save Lead'] = {
				main: [[{ node: 'AI Agent', type: 'main', index: 0 }]],
			}),
		'"HubSpot: Save Lead" has 0 output(s)',
	],
	[
		'tool given to a node that takes none',
		'ai-agent-enrich-lead-to-hubspot.json',
		(w) =>
			(w.connections['Explorium: Find Email and Phone'].ai_tool[0][0].node = 'OpenAI Chat Model'),
		'but it has 0 ai_tool input(s)',
	],
	[
		'unknown parameter on a tool',
		'ai-agent-enrich-lead-to-hubspot.json',
		(w) => (nodeNamed(w, 'Explorium: Find Email and Phone').parameters.prospectIds = 'x'),
		'"prospectIds" is not a parameter',
	],
];

// ---------------------------------------------------------------- running the examples with stand-ins

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const STAND_IN = { type: 'n8n-nodes-base.set', typeVersion: 3.4 };

/** Redirects every connection into `from` to `to`. */
function rewire(workflow, from, to) {
	for (const byType of Object.values(workflow.connections)) {
		for (const outputs of Object.values(byType))
			for (const targets of outputs)
				for (const target of targets ?? []) if (target.node === from) target.node = to;
	}
}

/**
 * Node `name` (a CRM read) yields `records` (by default the example's pinned sample, which a run outside
 * the editor ignores): an Edit Fields node "<name> (sample)" holding them, then a Split Out named `name`.
 */
function sampleInput(workflow, name, records = workflow.pinData[name].map((item) => item.json)) {
	const node = nodeNamed(workflow, name);
	const sampleName = `${name} (sample)`;
	rewire(workflow, name, sampleName);
	workflow.connections[sampleName] = { main: [[{ node: name, type: 'main', index: 0 }]] };
	workflow.nodes.push({
		...STAND_IN,
		id: `${node.id}-sample`,
		name: sampleName,
		position: [node.position[0], node.position[1] + 300],
		parameters: { mode: 'raw', jsonOutput: JSON.stringify({ records }), options: {} },
	});
	Object.assign(node, {
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: 'records', options: {} },
	});
	delete node.credentials;
}

/** Every expression in a node's parameters, as [path, expression]. */
function expressionsOf(value, at = '') {
	if (typeof value === 'string') return value.startsWith('=') ? [[at, value]] : [];
	if (Array.isArray(value)) return value.flatMap((v, i) => expressionsOf(v, `${at}[${i}]`));
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([k, v]) => expressionsOf(v, at ? `${at}.${k}` : k));
	return [];
}

/** Node `name` (a CRM write) becomes an Edit Fields node whose output holds what each of its expressions gives, keyed by parameter path. */
function recordWrites(workflow, name) {
	const node = nodeNamed(workflow, name);
	const assignments = expressionsOf(node.parameters).map(([at, value], i) => ({
		id: `${node.id}-w${i}`,
		name: at,
		value,
		type: 'string',
	}));
	Object.assign(node, {
		...STAND_IN,
		parameters: {
			mode: 'manual',
			assignments: { assignments },
			includeOtherFields: false,
			options: { dotNotation: false, ignoreConversionErrors: true },
		},
	});
	delete node.credentials;
	delete node.disabled;
	return assignments.map((a) => a.name);
}

/** This package's nodes use the simulator's credentials. */
function simulatorCredentials(t, workflow) {
	const types = {
		'n8n-nodes-bulk-enrichment.explorium': 'bulkEnrichmentExploriumApi',
		'n8n-nodes-bulk-enrichment.exactBuyer': 'bulkEnrichmentExactBuyerApi',
		'n8n-nodes-bulk-enrichment.pronto': 'bulkEnrichmentProntoApi',
		'n8n-nodes-bulk-enrichment.prontoTrigger': 'bulkEnrichmentProntoApi',
	};
	for (const node of workflow.nodes)
		if (types[node.type]) node.credentials = t.fixtures.credentialRef(types[node.type]);
}

const items = (runData, node, output = 0) =>
	N8nInstance.outputItems(runData, node, output).map((i) => i.json);

async function runHubspot(t, example) {
	const { equal, ok } = t.assert;
	const wf = { ...clone(example), id: 'e2eExampleRunHub', active: false };
	sampleInput(wf, 'HubSpot: Get Contacts');
	recordWrites(wf, 'HubSpot: Update Contact');
	simulatorCredentials(t, wf);
	await t.n8n.importWorkflow(wf);
	await t.sim.reset();
	const ex = await t.n8n.execute(wf.id);
	ok(ex.ok, `execution failed (exit ${ex.code})`, ex.error ?? ex.stdout.slice(-1500));
	const requests = await t.sim.requests();

	equal(
		items(ex.runData, 'Missing Email or Phone')
			.map((c) => c.vid)
			.join(),
		'101,102,104,105',
		'contacts past the filter (103 has email and phone)',
	);
	const matched = t.assert
		.requestsTo(requests, 'explorium', '/v2/prospects/match')
		.flatMap((r) => r.body.prospects_to_match);
	equal(
		matched.length,
		3,
		'contacts Explorium was asked to match (105 has too little: an error item, not sent)',
	);
	ok(
		matched.some(
			(m) =>
				m.full_name === 'Grace Hopper' && m.company_name === 'Blue Harbor Logistics' && !m.email,
		),
		'full name from firstname + lastname, company from properties.company',
		matched,
	);
	ok(
		matched.some((m) => m.email === 'ada.lovelace@acme-analytics.test'),
		'email from properties.email.value',
		matched,
	);
	const enriched = items(ex.runData, 'Explorium: Find Email and Phone');
	equal(
		enriched.map((c) => c.enrichment_status).join(),
		'found,found,not_found,error',
		'Explorium statuses (101, 102, 104, 105)',
	);

	const hasNew = (c) =>
		(!c.properties.email?.value && !!c.email) || (!c.properties.phone?.value && !!c.phone);
	const expected = enriched.filter((c) => c.enrichment_status === 'found' && hasNew(c));
	ok(
		expected.some((c) => c.vid === 102),
		'contact 102 (no email in HubSpot) must get one',
		enriched,
	);
	const updates = items(ex.runData, 'HubSpot: Update Contact');
	equal(updates.length, expected.length, 'HubSpot updates (found with something HubSpot lacks)');
	updates.forEach((update, i) => {
		const contact = expected[i];
		equal(
			update.url,
			`https://api.hubapi.com/crm/v3/objects/contacts/${contact.vid}`,
			`URL of update ${i + 1}`,
		);
		const body = JSON.parse(update.jsonBody);
		const want = {};
		if (!contact.properties.email?.value && contact.email) want.email = contact.email;
		if (!contact.properties.phone?.value && contact.phone) want.phone = contact.phone;
		equal(
			JSON.stringify(body),
			JSON.stringify({ properties: want }),
			`body of the update of contact ${contact.vid} (only what HubSpot lacks)`,
		);
	});
	t.log(
		`HubSpot updates: ${updates.map((u) => `${u.url.split('/').pop()} ${u.jsonBody}`).join('; ')}`,
	);
}

async function runSheets(t, example) {
	const { equal, ok } = t.assert;
	// Emails the simulator knows with a phone, and one it knows without (Required Fields: Phone → not found).
	const candidates = Array.from({ length: 40 }, (_, n) => `ada.sheet${n}@company${n}.example`);
	const withPhone = candidates.find((e) => fake.exactBuyerResultFor(e, 'email', ['phone']));
	const withoutPhone = candidates.find(
		(e) =>
			fake.exactBuyerResultFor(e, 'email', []) && !fake.exactBuyerResultFor(e, 'email', ['phone']),
	);
	ok(withPhone && withoutPhone, 'the simulator has contacts with and without a phone');
	const expectedPhone = fake.exactBuyerResultFor(withPhone, 'email', ['phone']).phone_numbers[0]
		.E164;
	const row = (row_number, email, phone = '') => ({
		row_number,
		email,
		first_name: 'Ada',
		last_name: 'Sheet',
		phone,
		job_title: '',
		linkedin_url: '',
		enrichment_status: '',
	});
	const rows = [
		row(2, withPhone),
		row(3, 'has.phone@company.example', '+14155550123'),
		row(4, withoutPhone),
		row(5, 'nomatch-5@company.example'),
		row(6, ''),
		row(7, 'not-an-email'),
	];

	const wf = { ...clone(example), id: 'e2eExampleRunSht', active: false };
	sampleInput(wf, 'Google Sheets: Read Contacts', rows);
	recordWrites(wf, 'Google Sheets: Update Row');
	simulatorCredentials(t, wf);
	await t.n8n.importWorkflow(wf);
	await t.sim.reset();
	const ex = await t.n8n.execute(wf.id);
	ok(ex.ok, `execution failed (exit ${ex.code})`, ex.error ?? ex.stdout.slice(-1500));
	const sent = t.assert.requestsTo(await t.sim.requests(), 'exactbuyer', '/v1/bulk-enrich');
	equal(sent.length, 1, 'ExactBuyer requests');
	equal(
		JSON.stringify(
			JSON.parse(sent[0].body.query_list)
				.map((q) => q.value)
				.sort(),
		),
		JSON.stringify([withPhone, withoutPhone, 'nomatch-5@company.example'].sort()),
		'values sent (row 3 has a phone, row 6 no email, row 7 an invalid one)',
	);
	equal(
		sent[0].body.required_fields,
		JSON.stringify([{ field_type: 'phone' }]),
		'required_fields (Required Fields: Phone)',
	);

	const writes = items(ex.runData, 'Google Sheets: Update Row');
	equal(writes.length, rows.length, 'rows written back (every row, no IF)');
	const expected = [
		[2, expectedPhone, 'found'],
		[3, '+14155550123', 'skipped'],
		[4, '', 'not_found'],
		[5, '', 'not_found'],
		[6, '', 'skipped'],
		[7, '', 'error'],
	];
	writes.forEach((w, i) => {
		const [rowNumber, phone, status] = expected[i];
		equal(
			String(w['columns.value.row_number']),
			String(rowNumber),
			`row_number of write ${i + 1} (the key column)`,
		);
		equal(w['columns.value.phone'] ?? '', phone, `phone written to row ${rowNumber}`);
		equal(
			w['columns.value.enrichment_status'],
			status,
			`enrichment_status written to row ${rowNumber}`,
		);
	});
	ok(writes[0]['columns.value.job_title'], 'row 2 gets a job title', writes[0]);
	t.log(
		`rows written: ${writes.map((w) => `${w['columns.value.row_number']}:${w['columns.value.enrichment_status']}${w['columns.value.phone'] ? ` ${w['columns.value.phone']}` : ''}`).join(', ')}`,
	);
}

/** The Pipedrive pair: workflow 2 published, workflow 1 started by a webhook (the CLI cannot run beside `n8n start`), Pronto's callbacks in between. */
async function runPipedrive(t, sender, receiver) {
	const { n8n, sim } = t;
	const { equal, ok } = t.assert;
	const triggerNode = receiver.nodes.find(
		(n) => n.type === 'n8n-nodes-bulk-enrichment.prontoTrigger',
	);
	const callbackUrl = `${n8n.baseUrl}/webhook/${triggerNode.webhookId}/callback`;

	const wf2 = { ...clone(receiver), id: 'e2eExampleRunPd2', active: false };
	recordWrites(wf2, 'Pipedrive: Update Person');
	simulatorCredentials(t, wf2);

	const wf1 = { ...clone(sender), id: 'e2eExampleRunPd1', active: false };
	sampleInput(wf1, 'Pipedrive: Get Persons');
	sampleInput(wf1, 'Pipedrive: Get Organizations');
	const start = nodeNamed(wf1, 'Start');
	Object.assign(start, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: 'e2e-examples-pipedrive-send',
		parameters: {
			httpMethod: 'POST',
			path: 'e2e-examples-pipedrive-send',
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
	});
	nodeNamed(wf1, 'Pronto: Bulk Enrich').parameters.webhookUrl = callbackUrl;
	simulatorCredentials(t, wf1);

	for (const wf of [wf2, wf1]) {
		await n8n.importWorkflow(wf);
		await n8n.publishWorkflow(wf.id);
	}
	await n8n.start();
	await n8n.setupOwner();
	const sendUrl = `${n8n.baseUrl}/webhook/e2e-examples-pipedrive-send`;
	let res;
	await sim.reset();
	// Published webhooks answer a few seconds after start: until then 404.
	for (let i = 0; i < 60; i++) {
		res = await fetch(sendUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		if (res.status !== 404) break;
		await sleep(500);
	}
	equal(res.status, 200, 'workflow 1 (webhook-started copy)');
	const submitted = await res.json();
	equal(
		submitted.map((p) => `${p.id}:${p.enrichment_status}`).join(),
		'1:submitted,3:submitted,4:error',
		'Pronto items (person 2 has an email; 4 has no company)',
	);
	ok(
		submitted.every(
			(p, i) => i === 2 || p.company_name === ['Acme Analytics', 'Evergreen Finance'][i],
		),
		'company_name from the organization',
		submitted,
	);

	const submissions = t.assert
		.requestsTo(await sim.requests(), 'pronto')
		.filter((r) => r.method === 'POST' && /enrich$/.test(r.path));
	ok(
		submissions.length > 0 && submissions.every((r) => r.body.webhook_url?.startsWith(callbackUrl)),
		"the Webhook URL sent is the trigger's production URL",
		submissions.map((r) => r.body.webhook_url),
	);
	const contacts = submissions.flatMap((r) => r.body.contacts ?? [r.body]);
	equal(contacts.length, 2, 'contacts sent to Pronto');
	equal(
		JSON.stringify(
			contacts.map((c) => [c.firstname, c.lastname, c.company_name, c.custom?.pipedrive_id]),
		),
		JSON.stringify([
			['Ada', 'Lovelace', 'Acme Analytics', 1],
			['Katherine', 'Nomatch', 'Evergreen Finance', 3],
		]),
		'first name, last name, company and custom.pipedrive_id sent',
	);

	// Each callback is one execution of workflow 2.
	const flatted = createRequire(path.join(n8n.install.n8nPkgDir, 'package.json'))('flatted');
	const list = async () => {
		const r = await n8n.rest(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: wf2.id }))}&limit=50`,
		);
		return (r.body.data ?? r.body).results ?? [];
	};
	let executions = [];
	for (
		let i = 0;
		i < 120 && !(executions.length === 2 && executions.every((e) => e.status === 'success'));
		i++
	) {
		executions = await list();
		await sleep(250);
	}
	equal(
		executions.map((e) => e.status).join(),
		'success,success',
		'executions of workflow 2 (one per contact sent)',
	);
	const runs = [];
	for (const e of executions) {
		const r = await n8n.rest('GET', `/rest/executions/${e.id}`);
		const execution = r.body.data ?? r.body;
		const data =
			typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
		runs.push(data.resultData.runData);
	}
	const found = runs.find((rd) => items(rd, 'Pronto Trigger')[0]?.custom?.pipedrive_id === 1);
	const miss = runs.find((rd) => items(rd, 'Pronto Trigger')[0]?.custom?.pipedrive_id === 3);
	ok(
		found && miss,
		'one callback for person 1 and one for person 3',
		runs.map((rd) => items(rd, 'Pronto Trigger')),
	);
	const email = items(found, 'Pronto Trigger')[0].email;
	ok(
		typeof email === 'string' && email.includes('@'),
		'Pronto found an email for person 1',
		items(found, 'Pronto Trigger'),
	);
	const update = items(found, 'Pipedrive: Update Person');
	equal(update.length, 1, 'person 1 updated');
	equal(String(update[0].personId), '1', 'Person ID from custom.pipedrive_id');
	equal(update[0]['updateFields.emails.emailProperties[0].value'], email, 'the email Pronto found');
	equal(items(miss, 'Found?', 1).length, 1, 'person 3 (a miss) goes to the false output');
	equal(miss['Pipedrive: Update Person'], undefined, 'person 3 is not updated');
	t.log(`Pipedrive: person 1 ← ${email}; person 3 not found; person 4 not sent`);
}

// ---------------------------------------------------------------- running the examples as imported

/** Runs an imported workflow as the editor's *Execute workflow* does (a manual run from its trigger: pinned data is used). */
async function runAsEditor(t, workflowId) {
	const { n8n } = t;
	const workflow = (await n8n.rest('GET', `/rest/workflows/${workflowId}`)).body.data;
	const trigger = workflow.nodes.find((n) => !n.disabled && /trigger/i.test(n.type));
	const started = await n8n.rest('POST', `/rest/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: trigger.name },
	});
	const executionId = started.body?.data?.executionId;
	t.assert.ok(
		executionId,
		`POST /rest/workflows/${workflowId}/run started no execution (HTTP ${started.status})`,
		started.body,
	);
	const flatted = createRequire(path.join(n8n.install.n8nPkgDir, 'package.json'))('flatted');
	const startedAt = Date.now();
	while (Date.now() - startedAt < 240_000) {
		const execution = (await n8n.rest('GET', `/rest/executions/${executionId}`)).body.data;
		if (execution && !['new', 'running', 'waiting'].includes(execution.status)) {
			const data =
				typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
			return {
				workflow,
				status: execution.status,
				error: data.resultData.error,
				runData: data.resultData.runData,
				ms: Date.now() - startedAt,
			};
		}
		await sleep(250);
	}
	throw new Error(`execution ${executionId} did not finish within 240 s`);
}

/** The example's CRM reads are pinned and name no CRM credential; its CRM writes are disabled; the rest uses only the simulator's credentials. */
function checkOnlySimulatorCredentials(t, example, imported) {
	const { equal, ok } = t.assert;
	const simulator = new Map(
		[...t.fixtures.CREDENTIAL_TYPES, STUB_CREDENTIAL].map((c) => [c.type, c]),
	);
	for (const node of imported.nodes) {
		for (const [type, ref] of Object.entries(node.credentials ?? {})) {
			ok(!node.disabled, `disabled node "${node.name}" names a credential`, node.credentials);
			equal(
				ref.id,
				simulator.get(type)?.id,
				`credential of "${node.name}" after import (${type} "${ref.name}")`,
			);
		}
	}
	for (const name of Object.keys(example.pinData ?? {})) {
		const types = Object.keys(nodeNamed(example, name).credentials ?? {});
		ok(
			types.every((type) => simulator.has(type)),
			`pinned "${name}" names a CRM credential (one n8n cannot find fails the whole run)`,
			types,
		);
	}
}

/** Checks per example on its as-imported run, beyond "green". */
const AS_IMPORTED = {
	'waterfall-find-email.json': (t, runData, example) => {
		const { equal, ok } = t.assert;
		const contacts = JSON.parse(nodeNamed(example, 'CRM Contacts').parameters.jsonOutput).contacts;
		for (const node of ['Explorium', 'ExactBuyer', 'Pronto']) {
			const out = items(runData, node);
			equal(out.length, contacts.length, `${node}: one item per contact`);
			out.forEach((item, n) => {
				equal(
					JSON.stringify(item.enrichment_conflicts),
					undefined,
					`${node}: enrichment_conflicts of ${contacts[n].first_name} ${contacts[n].last_name} (the provider's person differs from the sample's)`,
				);
				for (const field of ['first_name', 'last_name', 'company_name', 'company_domain'])
					equal(item[field], contacts[n][field], `${node}: ${field} of item ${n}`);
				if (item.email)
					ok(
						item.email.endsWith(`@${contacts[n].company_domain}`),
						`${node}: email of ${item.first_name} at the sample's company domain`,
						item.email,
					);
				if (item.full_name)
					equal(
						item.full_name,
						`${contacts[n].first_name} ${contacts[n].last_name}`,
						`${node}: full_name of item ${n}`,
					);
			});
		}
		const last = items(runData, 'Pronto');
		equal(
			last.map((c) => c.enrichment_source?.email ?? (c.email ? 'input' : 'none')).join(),
			'Explorium,ExactBuyer,Pronto,input',
			'who found each email (each provider shows once)',
		);
		t.log(
			last
				.map(
					(c) =>
						`${c.first_name} ${c.last_name}: ${c.email} (${c.enrichment_source?.email ?? 'input'})`,
				)
				.join('; '),
		);
	},
	'hubspot-explorium-enrich.json': (t, runData) => {
		const { equal } = t.assert;
		equal(
			items(runData, 'Explorium: Find Email and Phone')
				.map((c) => `${c.vid}:${c.enrichment_status}`)
				.join(),
			'101:found,102:found,104:not_found,105:error',
			'Explorium statuses',
		);
		equal(
			items(runData, 'HubSpot: Update Contact')
				.map((c) => c.vid)
				.join(),
			'101,102',
			'contacts reaching the (disabled) update',
		);
	},
	'sheets-exactbuyer-update.json': (t, runData) => {
		const { equal, ok } = t.assert;
		const out = items(runData, 'ExactBuyer: Find Phone');
		equal(
			out.map((r) => `${r.row_number}:${r.enrichment_status}`).join(),
			'2:found,3:skipped,4:not_found,5:skipped,6:error',
			'ExactBuyer statuses',
		);
		ok(
			out[0].phone && out[0].job_title && !out[0].enrichment_conflicts,
			'row 2: a phone and a job title, no conflict',
			out[0],
		);
	},
	'pipedrive-pronto-bulk-enrich.json': (t, runData) => {
		t.assert.equal(
			items(runData, 'Pronto: Bulk Enrich')
				.map((p) => `${p.id}:${p.enrichment_status}`)
				.join(),
			'1:submitted,3:submitted,4:error',
			'Pronto items',
		);
	},
	'pronto-trigger-pipedrive-update.json': (t, runData) => {
		const { equal } = t.assert;
		equal(
			items(runData, 'Found?')
				.map((p) => p.custom.pipedrive_id)
				.join(),
			'1',
			'found: person 1',
		);
		equal(
			items(runData, 'Found?', 1)
				.map((p) => p.custom.pipedrive_id)
				.join(),
			'3',
			'missed: person 3',
		);
	},
	'ai-agent-enrich-lead-to-hubspot.json': (t, runData, example, stub, before) => {
		const { equal, ok } = t.assert;
		const answer = runData['Explorium: Find Email and Phone']?.[0]?.data?.ai_tool?.[0]?.[0]?.json;
		equal(answer?.enrichment_status, 'found', "the Explorium tool's answer", answer);
		ok(
			answer.email.endsWith('@acme-analytics.test'),
			"the email found is at the lead's company",
			answer.email,
		);
		const offered = (
			stub.completions().filter((c) => stub.requests.indexOf(c) >= before)[0]?.body?.tools ?? []
		).map((x) => x.function.name);
		equal(
			offered.join(),
			'Explorium_Find_Email_and_Phone',
			'tools offered (HubSpot is disabled until connected)',
		);
		ok(
			String(items(runData, 'AI Agent')[0]?.output).includes(answer.email),
			'the agent answers with the email found',
			items(runData, 'AI Agent'),
		);
	},
};

export default async function examples(t) {
	const { ok, equal, fail } = t.assert;
	const { n8n } = t;

	const files = fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort();
	const examples = new Map();
	await t.must('examples/ holds the documented examples, each a JSON workflow', async () => {
		for (const name of EXPECTED) ok(files.includes(name), `examples/${name} is missing`);
		for (const file of files) {
			try {
				examples.set(file, JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')));
			} catch (e) {
				fail(`examples/${file} is not valid JSON: ${e.message}`);
			}
		}
		t.log(`${files.length} examples: ${files.join(', ')}`);
	});

	const types = await t.must(
		'n8n export:nodes: the node types this n8n loaded (n8n-nodes-base and this package)',
		async () => {
			const descriptions = await n8n.exportNodes();
			const index = nodeTypeIndex(descriptions);
			for (const type of [
				'n8n-nodes-bulk-enrichment.explorium',
				'n8n-nodes-bulk-enrichment.pronto',
				'n8n-nodes-bulk-enrichment.prontoTrigger',
				'n8n-nodes-bulk-enrichment.exactBuyer',
				'n8n-nodes-base.hubspot',
				'n8n-nodes-base.googleSheets',
				'n8n-nodes-base.pipedrive',
				'n8n-nodes-base.if',
			]) {
				ok(index.has(type), `n8n did not load ${type}`);
			}
			t.log(`${descriptions.length} node type descriptions`);
			return index;
		},
	);

	const major = n8n.n8nMajor ?? 2;
	const runsHere = (file) => major >= 2 || !NEEDS_N8N_2[file];
	const cases = BROKEN.filter(([, file]) => runsHere(file));
	await t.must(
		`the checker rejects ${cases.length} broken copies of the examples (each for its own reason)`,
		async () => {
			for (const [what, file, breakIt, expected] of cases) {
				const original = examples.get(file);
				ok(original, `broken-copy case "${what}" needs examples/${file}`);
				const broken = clone(original);
				breakIt(broken);
				const problems = checkWorkflow(broken, types);
				ok(
					problems.some((p) => p.includes(expected)),
					`${what} (${file}): not reported as "${expected}"`,
					problems,
				);
			}
		},
	);

	const ids = new Map(
		[...examples.keys()].map((file, i) => [file, `e2eExample${String(i + 1).padStart(6, '0')}`]),
	);
	for (const [file, example] of examples) {
		if (!runsHere(file)) {
			await t.check(
				`${file}: needs n8n 2.x, and this n8n ${major}.x is told so (its ${NEEDS_N8N_2[file]} has no such version)`,
				async () => {
					const problems = checkWorkflow(example, types);
					ok(
						problems.length > 0 &&
							problems.every((p) => p.includes(`${NEEDS_N8N_2[file]} has no typeVersion`)),
						'only the n8n 2.x node versions may be reported',
						problems,
					);
				},
			);
			continue;
		}
		await t.check(
			`${file}: every node type, version, parameter, value, expression and connection is one this n8n knows`,
			async () => {
				const problems = checkWorkflow(example, types);
				if (problems.length) fail(`${problems.length} problem(s)`, problems.join('\n'));
				t.log(
					example.nodes
						.map(
							(n) =>
								`${n.type.replace(/^n8n-nodes-(base|bulk-enrichment)\./, '')}@${n.typeVersion}`,
						)
						.join(', '),
				);
			},
		);
	}

	// The credentials `npm run dev` creates, before the examples: n8n resolves their names on import.
	const stub = major >= 2 ? await startChatModelStub({ nextToolCall: leadModel }) : null;
	if (stub) t.defer(() => stub.close());
	await t.must(
		'n8n import:credentials (the three providers at the simulator, "OpenAI (simulator)" at the stand-in model)',
		async () => {
			await n8n.importCredentials([
				...t.fixtures.simulatorCredentials(t.sim),
				...(stub ? [stubCredential(stub)] : []),
			]);
		},
	);

	// One `n8n import:workflow` of all examples and one `export:workflow --all` (each command boots n8n).
	const exported = await t.check(
		'n8n import:workflow takes every example; export:workflow --all gives them back',
		async () => {
			const input = n8n.file('examples.json');
			fs.writeFileSync(
				input,
				JSON.stringify(
					[...examples].map(([file, example]) => ({
						...clone(example),
						id: ids.get(file),
						active: false,
					})),
					null,
					2,
				),
			);
			await n8n.cli(['import:workflow', `--input=${input}`]);
			const output = n8n.file('exported.json');
			await n8n.cli(['export:workflow', '--all', `--output=${output}`]);
			const workflows = JSON.parse(fs.readFileSync(output, 'utf8'));
			for (const id of ids.values())
				ok(
					workflows.some((w) => w.id === id),
					`workflow ${id} was not imported`,
				);
			return workflows;
		},
	);
	if (!exported) return;

	for (const [file, example] of examples) {
		await t.check(
			`${file}: n8n kept every node, parameter, credential name and connection as written`,
			async () => {
				const back = exported.find((w) => w.id === ids.get(file));
				equal(back.name, example.name, 'name');
				equal(back.nodes.length, example.nodes.length, 'number of nodes');
				for (const node of example.nodes) {
					const kept = back.nodes.find((n) => n.name === node.name);
					ok(kept, `node "${node.name}" is gone after import`);
					equal(kept.type, node.type, `type of "${node.name}"`);
					equal(kept.typeVersion, node.typeVersion, `typeVersion of "${node.name}"`);
					equal(
						JSON.stringify(kept.parameters),
						JSON.stringify(node.parameters),
						`parameters of "${node.name}"`,
					);
					for (const [type, ref] of Object.entries(node.credentials ?? {}))
						equal(kept.credentials?.[type]?.name, ref.name, `credential ${type} of "${node.name}"`);
					if (node.webhookId)
						equal(
							kept.webhookId,
							node.webhookId,
							`webhookId of "${node.name}" (workflow 1 points at its URL)`,
						);
				}
				equal(JSON.stringify(back.connections), JSON.stringify(example.connections), 'connections');
				equal(
					JSON.stringify(back.pinData ?? {}),
					JSON.stringify(example.pinData ?? {}),
					'pinned sample data',
				);
				checkOnlySimulatorCredentials(t, example, back);
			},
		);
	}
	await t.check(
		'hubspot-explorium-enrich.json runs (sample HubSpot contacts; the update recorded): filter, mappings from properties.*, IF and update body',
		() => runHubspot(t, examples.get('hubspot-explorium-enrich.json')),
	);
	await t.check(
		'sheets-exactbuyer-update.json runs (sample rows; the update recorded): values sent, each row written back by row_number with its phone and status',
		() => runSheets(t, examples.get('sheets-exactbuyer-update.json')),
	);
	if (runsHere('pipedrive-pronto-bulk-enrich.json')) {
		await t.check(
			'pipedrive-pronto-bulk-enrich.json + pronto-trigger-pipedrive-update.json run as a pair: persons without email sent with company and pipedrive_id, each callback one execution, found ones update the person',
			() =>
				runPipedrive(
					t,
					examples.get('pipedrive-pronto-bulk-enrich.json'),
					examples.get('pronto-trigger-pipedrive-update.json'),
				),
		);
	}

	if (!n8n.server) {
		await n8n.start();
		await n8n.setupOwner();
	}
	for (const [file, example] of examples) {
		if (!runsHere(file)) continue;
		await t.check(
			`${file} as imported, Execute workflow with only the simulator credentials: green${AS_IMPORTED[file] ? ', and the answers agree with the sample data' : ''}`,
			async () => {
				await t.sim.reset();
				if (file === 'pipedrive-pronto-bulk-enrich.json') {
					// Its callbacks would go to the URL it names (dev's n8n): hold them; reset drops them.
					await fetch(`${t.sim.url}/__admin/pronto-callback-delay`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ ms: 600_000 }),
					});
				}
				const before = stub?.requests.length ?? 0;
				const run = await runAsEditor(t, ids.get(file));
				await t.sim.reset();
				t.assert.ok(
					run.status === 'success',
					`execution status ${run.status}`,
					`${run.error?.message ?? ''} ${run.error?.node?.name ?? ''}`,
				);
				const ran = Object.keys(run.runData);
				for (const node of run.workflow.nodes) {
					if (node.type === 'n8n-nodes-base.stickyNote' || node.disabled) continue;
					t.assert.ok(ran.includes(node.name), `node "${node.name}" ran`, ran);
				}
				t.log(
					`${ran.length} nodes ran in ${(run.ms / 1000).toFixed(1)} s; disabled: ${
						run.workflow.nodes
							.filter((n) => n.disabled)
							.map((n) => n.name)
							.join(', ') || 'none'
					}`,
				);
				await AS_IMPORTED[file]?.(t, run.runData, example, stub, before);
			},
		);
	}
}
