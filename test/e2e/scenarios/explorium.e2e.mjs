// The Explorium node in a real n8n, as a user chains it: 131 CRM contacts → Prospect · Match →
// Prospect · Enrich Contacts (Prospect ID left at its default `{{ $json.prospect_id }}`).
// Asserts one output item per input item, in order and paired, the right statuses for matches,
// misses and invalid rows, and that the simulator saw ceil(distinct / 50) bulk calls of ≤ 50.
import { N8nInstance } from '../lib/n8n-instance.mjs';
import { runImportedWorkflow } from '../lib/run-imported-workflow.mjs';

export const title = 'explorium';

const EXPLORIUM = 'n8n-nodes-bulk-enrichment.explorium';

/** 131 contacts: 115 distinct people, 10 repeats, 3 unknown, 1 known without data, 2 invalid. */
function contacts() {
	const rows = [];
	for (let n = 0; n < 115; n++) rows.push({ email: `person${n}@example.com` });
	for (let n = 0; n < 10; n++) rows.push({ email: `person${n}@example.com` });
	for (let n = 0; n < 3; n++) rows.push({ email: `nomatch${n}@example.com` });
	rows.push({ email: 'nodata@example.com' });
	rows.push({ full_name: 'Ada Lovelace' }); // Full Name without Company Name
	rows.push({ email: 'not an email' });
	return rows.map((row, crm_id) => ({ crm_id, ...row }));
}

function workflow(credentials) {
	const people = contacts();
	const nodes = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{
			name: 'CRM Contacts',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ people }) },
		},
		{
			name: 'One Item per Contact',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'people', options: {} },
		},
		{
			name: 'Match',
			type: EXPLORIUM,
			typeVersion: 1,
			onError: 'continueRegularOutput',
			credentials,
			parameters: {
				resource: 'prospect',
				operation: 'match',
				email: '={{ $json.email }}',
				fullName: '={{ $json.full_name }}',
				companyName: '={{ $json.company_name }}',
			},
		},
		{
			name: 'Enrich Contacts',
			type: EXPLORIUM,
			typeVersion: 1,
			onError: 'continueRegularOutput',
			credentials,
			parameters: { resource: 'prospect', operation: 'enrichContacts' },
		},
	].map((node, i) => ({ id: `e2e-explorium-${i}`, position: [i * 220, 0], ...node }));
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id: 'e2eWfExplorium01',
		name: 'e2e: Explorium match then enrich contacts',
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

export default async function explorium(t) {
	const { n8n, sim } = t;
	const { equal, ok, requestsTo } = t.assert;
	const people = contacts();

	await t.must('n8n import:credentials (Explorium pointing at the simulator)', async () => {
		await n8n.importCredentials(t.fixtures.simulatorCredentials(sim));
	});

	const run = await t.must(
		`n8n execute: ${people.length} contacts through Match and Enrich Contacts`,
		async () => {
			const wf = workflow(t.fixtures.credentialRef('bulkEnrichmentExploriumApi'));
			return await runImportedWorkflow(t, wf);
		},
	);

	const outputOf = (nodeName) => N8nInstance.outputItems(run.ex.runData, nodeName);

	for (const nodeName of ['Match', 'Enrich Contacts']) {
		await t.check(
			`${nodeName}: one output item per input item, same order, pairedItem {item: i}`,
			async () => {
				const items = outputOf(nodeName);
				equal(items.length, people.length, 'output items');
				items.forEach((item, index) => {
					equal(item.json.crm_id, index, `crm_id of output item ${index}`);
					equal(
						item.pairedItem?.item ?? item.pairedItem,
						index,
						`pairedItem of output item ${index}`,
					);
				});
			},
		);
	}

	await t.check(
		'Match: 3 requests of at most 50 for 119 distinct valid contacts; statuses in place',
		async () => {
			const calls = requestsTo(run.requests, 'explorium', '/v1/prospects/match');
			equal(calls.length, Math.ceil(119 / 50), 'match requests');
			for (const call of calls)
				ok(call.body.prospects_to_match.length <= 50, 'a match request carried more than 50');
			equal(
				calls.reduce((sum, call) => sum + call.body.prospects_to_match.length, 0),
				119,
				'contacts sent (deduplicated)',
			);
			const items = outputOf('Match');
			const statuses = items.map((item) => item.json.enrichment_status);
			equal(statuses.filter((s) => s === 'found').length, 126, 'found (115 + 10 repeats + nodata)');
			for (let i = 125; i < 128; i++)
				equal(items[i].json.prospect_id, null, `prospect_id of unknown contact ${i}`);
			equal(statuses.slice(125, 128).join(), 'not_found,not_found,not_found', 'unknown contacts');
			ok(
				/^Company Name: is required together with Full Name/.test(items[129].json.error),
				'invalid row 129 names the field',
				items[129].json,
			);
			ok(
				/^Email: must be an email address/.test(items[130].json.error),
				'invalid row 130 names the field',
				items[130].json,
			);
			equal(
				items[115].json.prospect_id,
				items[0].json.prospect_id,
				'a repeated contact gets the same prospect_id',
			);
		},
	);

	await t.check(
		'Enrich Contacts: ceil(116 distinct ids / 50) bulk calls of at most 50, each id once',
		async () => {
			const calls = requestsTo(
				run.requests,
				'explorium',
				'/v1/prospects/contacts_information/bulk_enrich',
			);
			equal(calls.length, Math.ceil(116 / 50), 'bulk_enrich requests');
			const ids = calls.flatMap((call) => call.body.prospect_ids);
			for (const call of calls)
				ok(call.body.prospect_ids.length <= 50, 'a bulk request carried more than 50 ids');
			equal(new Set(ids).size, ids.length, 'distinct ids sent once each');
			equal(ids.length, 116, 'ids sent');
			for (const call of calls)
				equal(call.headers.api_key, sim.apiKeys.explorium, 'api_key header');
		},
	);

	await t.check(
		'Enrich Contacts: found, not_found and skipped items where expected; the key never shows',
		async () => {
			const items = outputOf('Enrich Contacts');
			for (let i = 0; i < 125; i++) {
				equal(items[i].json.enrichment_status, 'found', `status of item ${i}`);
				ok(
					Array.isArray(items[i].json.emails) && items[i].json.emails.length > 0,
					`emails of item ${i}`,
					items[i].json,
				);
			}
			equal(items[128].json.enrichment_status, 'not_found', 'matched prospect without data');
			ok(/no data/.test(items[128].json.enrichment_note), 'not_found says why', items[128].json);
			// A row Match did not find (or could not send) has no prospect id: skipped, not sent, no error.
			for (const i of [125, 126, 127, 129, 130]) {
				equal(items[i].json.enrichment_status, 'skipped', `status of item ${i} (no prospect id)`);
				ok(
					/^Prospect ID is empty/.test(items[i].json.enrichment_note),
					`note of item ${i} names the field`,
					items[i].json,
				);
				ok(!('error' in items[i].json), `item ${i} carries no error`, items[i].json);
			}
			ok(
				!JSON.stringify(run.ex.runData).includes(sim.apiKeys.explorium),
				'the API key appears in the run data',
			);
		},
	);
}
