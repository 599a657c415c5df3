// The README's waterfall example (examples/waterfall-find-email.json) in a real n8n, as a user
// imports it: 500 CRM contacts → Explorium → ExactBuyer → Pronto Enrich and Wait, each with Only
// Enrich Items Missing = email and no node between them. The simulator's hit sets are predicted
// (test/fixtures/waterfall-contacts.cjs): each provider must receive exactly the contacts still
// missing an email, and every item must end with the first email found, its source named.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { N8nInstance } from '../lib/n8n-instance.mjs';
import { runImportedWorkflow } from '../lib/run-imported-workflow.mjs';

const require = createRequire(import.meta.url);
const {
	crmContacts,
	exactBuyerValue,
	predictEmail,
} = require('../../fixtures/waterfall-contacts.cjs');

export const title = 'waterfall';

const EXAMPLE = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'..',
	'examples',
	'waterfall-find-email.json',
);
const CREDENTIALS = {
	Explorium: 'bulkEnrichmentExploriumApi',
	ExactBuyer: 'bulkEnrichmentExactBuyerApi',
	Pronto: 'bulkEnrichmentProntoApi',
};

/** The example as shipped, with the test's contacts in place of its sample and the simulator's credentials. */
async function exampleWorkflow(t, contacts) {
	const example = JSON.parse(await readFile(EXAMPLE, 'utf8'));
	const nodes = example.nodes.map((node) => {
		if (node.name === 'CRM Contacts')
			return {
				...node,
				parameters: { ...node.parameters, jsonOutput: JSON.stringify({ contacts }) },
			};
		if (node.name === 'Pronto') {
			// Poll every second rather than the default five: the simulator finishes at once.
			return {
				...node,
				credentials: t.fixtures.credentialRef('bulkEnrichmentProntoApi'),
				parameters: {
					...node.parameters,
					options: { ...node.parameters.options, pollIntervalSeconds: 1 },
				},
			};
		}
		const credentialType = CREDENTIALS[node.name];
		return credentialType
			? { ...node, credentials: t.fixtures.credentialRef(credentialType) }
			: node;
	});
	return { ...example, id: 'e2eWfWaterfall01', active: false, nodes };
}

export default async function waterfall(t) {
	const { n8n, sim } = t;
	const { equal, ok, requestsTo } = t.assert;
	const rows = crmContacts(500);
	const predicted = rows.map(predictEmail);
	const rowsFrom = (sources) => rows.filter((_, n) => sources.includes(predicted[n].source));

	await t.must(
		'n8n import:credentials (the three providers pointing at the simulator)',
		async () => {
			await n8n.importCredentials(t.fixtures.simulatorCredentials(sim));
		},
	);
	const run = await t.must('n8n execute: the waterfall example on 500 CRM contacts', async () =>
		runImportedWorkflow(t, await exampleWorkflow(t, rows)),
	);
	const items = N8nInstance.outputItems(run.ex.runData, 'Pronto');

	await t.check('the hit sets exercise every branch (input, each provider, none)', async () => {
		for (const source of ['input', 'Explorium', 'ExactBuyer', 'Pronto', 'none']) {
			ok(
				predicted.filter((p) => p.source === source).length > 10,
				`too few rows whose email comes from ${source}`,
			);
		}
	});

	await t.check('each provider received exactly the contacts still missing an email', async () => {
		const sorted = (list) => [...list].sort();
		const matched = requestsTo(run.requests, 'explorium', '/v2/prospects/match').flatMap((call) =>
			call.body.prospects_to_match.map((input) => input.linkedin),
		);
		equal(
			JSON.stringify(sorted(matched)),
			JSON.stringify(
				sorted(
					rowsFrom(['Explorium', 'ExactBuyer', 'Pronto', 'none']).map((row) => row.linkedin_url),
				),
			),
			'Explorium match inputs',
		);
		const exactBuyer = requestsTo(run.requests, 'exactbuyer', '/v1/bulk-enrich').flatMap((call) =>
			JSON.parse(call.body.query_list).map((query) => query.value),
		);
		equal(
			JSON.stringify(sorted(exactBuyer)),
			JSON.stringify(sorted(rowsFrom(['ExactBuyer', 'Pronto', 'none']).map(exactBuyerValue))),
			'ExactBuyer values',
		);
		const pronto = requestsTo(run.requests, 'pronto', '/contacts/single_enrich').map(
			(call) => call.body.lastname,
		);
		equal(
			JSON.stringify(sorted(pronto)),
			JSON.stringify(sorted(rowsFrom(['Pronto', 'none']).map((row) => row.last_name))),
			'Pronto contacts',
		);
	});

	await t.check(
		'one item per contact, in order and paired, with the first email found and its source; no input value overwritten',
		async () => {
			equal(items.length, rows.length, 'output items');
			items.forEach((item, n) => {
				const { json } = item;
				const { source, email } = predicted[n];
				equal(item.pairedItem?.item ?? item.pairedItem, n, `pairedItem of item ${n}`);
				for (const field of ['crm_id', 'first_name', 'last_name', 'company_domain', 'linkedin_url'])
					equal(json[field], rows[n][field], `${field} of item ${n}`);
				if (source === 'input') {
					equal(json.email, email, `email of item ${n} (from the CRM)`);
					equal(json.enrichment_source, undefined, `enrichment_source of item ${n}`);
				} else if (source === 'none') {
					equal(json.enrichment_status, 'not_found', `status of item ${n} (missed by all three)`);
					equal(json.email ?? null, null, `email of item ${n}`);
				} else {
					equal(json.email, email, `email of item ${n}`);
					equal(json.enrichment_source?.email, source, `enrichment_source.email of item ${n}`);
				}
			});
		},
	);

	await t.check(
		'ExactBuyer answered as seen in real use (current_work_email, no emails list), and its emails were read from there',
		async () => {
			const fromExactBuyer = N8nInstance.outputItems(run.ex.runData, 'ExactBuyer').filter(
				(_, n) => predicted[n].source === 'ExactBuyer',
			);
			ok(fromExactBuyer.length > 10, 'too few contacts whose email comes from ExactBuyer');
			for (const { json } of fromExactBuyer) {
				const record = json.exactbuyer_contact ?? json;
				equal(
					typeof record.current_work_email,
					'string',
					"ExactBuyer's record has current_work_email",
				);
				equal(record.emails, undefined, "ExactBuyer's record has no emails list");
				equal(
					json.email,
					record.current_work_email.toLowerCase(),
					"the standard email is ExactBuyer's current_work_email",
				);
			}
		},
	);

	await t.check('each node states what it sent; the API keys never show', async () => {
		const runOf = (node) => N8nInstance.outputItems(run.ex.runData, node)[0].json.enrichment_run;
		equal(
			runOf('ExactBuyer').records_sent,
			rowsFrom(['ExactBuyer', 'Pronto', 'none']).length,
			'ExactBuyer records_sent',
		);
		equal(
			runOf('ExactBuyer').credits_used,
			predicted.filter(
				(p) => ['ExactBuyer', 'Pronto', 'none'].includes(p.source) && p.exactBuyerReturnsContact,
			).length,
			'ExactBuyer credits_used (records_enriched)',
		);
		equal(runOf('Pronto').records_sent, rowsFrom(['Pronto', 'none']).length, 'Pronto records_sent');
		const runData = JSON.stringify(run.ex.runData);
		for (const key of Object.values(sim.apiKeys))
			ok(!runData.includes(key), 'an API key appears in the run data');
	});
}
