// Every examples/*.json, as a user imports it, into a real n8n 2.40.7 with this package installed:
//  - checked against the node type descriptions that n8n loaded (`n8n export:nodes`), with
//    n8n-workflow's NodeHelpers resolving which parameters each node shows (lib/check-workflow.mjs):
//    node types and versions, every parameter name and value, n8n's own parameter issues
//    (credentials aside: an example names placeholders), expressions, connections;
//  - imported with `n8n import:workflow` and exported again: n8n keeps every node, parameter and
//    connection as written.
// The checker itself is checked first on broken copies of the examples (a wrong type, version,
// parameter, option, value, expression, connection…): each must be reported, or this scenario fails.
import fs from 'node:fs';
import path from 'node:path';

import { checkWorkflow, nodeTypeIndex } from '../lib/check-workflow.mjs';
import { REPO_ROOT } from '../lib/n8n-instance.mjs';

export const title = 'examples';

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
/** The examples the README points to; any other examples/*.json is checked too. */
const EXPECTED = [
	'hubspot-explorium-enrich.json',
	'pipedrive-pronto-bulk-enrich.json',
	'pronto-trigger-pipedrive-update.json',
	'sheets-exactbuyer-update.json',
	'waterfall-find-email.json',
];

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
	['unknown node type', 'hubspot-explorium-enrich.json', (w) => (nodeNamed(w, 'Explorium: Find Email and Phone').type = 'n8n-nodes-bulk-enrichment.exploriumm'), 'unknown node type'],
	['typeVersion n8n does not have', 'hubspot-explorium-enrich.json', (w) => (nodeNamed(w, 'HubSpot: Get Contacts').typeVersion = 3), 'has no typeVersion 3'],
	['unknown parameter', 'sheets-exactbuyer-update.json', (w) => (nodeNamed(w, 'ExactBuyer: Find Phone').parameters.fieldKind = 'email'), '"fieldKind" is not a parameter'],
	['parameter not shown for these values', 'hubspot-explorium-enrich.json', (w) => (nodeNamed(w, 'Explorium: Find Email and Phone').parameters.prospectId = '={{ $json.vid }}'), '"prospectId" is not shown'],
	['option value the node does not have', 'pipedrive-pronto-bulk-enrich.json', (w) => (nodeNamed(w, 'Pronto: Bulk Enrich').parameters.enrichmentType = 'mobile'), 'has "mobile", not one of'],
	['unknown option in a collection', 'waterfall-find-email.json', (w) => (nodeNamed(w, 'Pronto').parameters.options.maxWait = 300), '"options.maxWait" is not an option'],
	['misspelt value in a multi-option', 'waterfall-find-email.json', (w) => (nodeNamed(w, 'ExactBuyer').parameters.options.onlyEnrichMissing = ['emial']), 'has "emial"'],
	['number above its maximum', 'sheets-exactbuyer-update.json', (w) => (nodeNamed(w, 'ExactBuyer: Find Phone').parameters.options = { batchSize: 5000 }), 'above the maximum 1000'],
	['required parameter left empty (n8n\'s own issue)', 'pipedrive-pronto-bulk-enrich.json', (w) => (nodeNamed(w, 'Pronto: Bulk Enrich').parameters.webhookUrl = ''), '"Webhook URL" is required'],
	['unknown field in a fixedCollection', 'pronto-trigger-pipedrive-update.json', (w) => (nodeNamed(w, 'Pipedrive: Update Person').parameters.updateFields.emails.emailProperties[0].isPrimary = true), 'is not a field of'],
	['invalid IF operator', 'pronto-trigger-pipedrive-update.json', (w) => (nodeNamed(w, 'Found?').parameters.conditions.conditions[0].operator.operation = 'is'), 'is not one n8n knows'],
	['expression that does not parse', 'hubspot-explorium-enrich.json', (w) => (nodeNamed(w, 'Explorium: Find Email and Phone').parameters.companyName = '={{ $json.properties.company. }}'), 'invalid expression'],
	['resource locator URL n8n rejects', 'sheets-exactbuyer-update.json', (w) => (nodeNamed(w, 'Google Sheets: Read Contacts').parameters.documentId.value = 'https://example.com/sheet'), 'Not a valid Google Drive File URL'],
	['resource mapper matching a column it does not map', 'sheets-exactbuyer-update.json', (w) => (nodeNamed(w, 'Google Sheets: Update Row').parameters.columns.matchingColumns = ['id']), 'matches on "id"'],
	['credential type the node does not use', 'hubspot-explorium-enrich.json', (w) => (nodeNamed(w, 'Explorium: Find Email and Phone').credentials = { prontoApi: { name: 'Pronto account' } }), 'credential type "prontoApi"'],
	['node without an incoming connection', 'hubspot-explorium-enrich.json', (w) => delete w.connections['Missing Email or Phone'], 'has no incoming connection'],
	['connection removed', 'sheets-exactbuyer-update.json', (w) => delete w.connections['Google Sheets: Read Contacts'], 'node "ExactBuyer: Find Phone" has no incoming connection'],
	['connection to a node that does not exist', 'pronto-trigger-pipedrive-update.json', (w) => (w.connections['Found?'].main[1] = [{ node: 'Pipedrive: Update Persons', type: 'main', index: 0 }]), 'which is no node'],
	['connection from an output the node does not have', 'hubspot-explorium-enrich.json', (w) => (w.connections['Found Something New?'].main[2] = [{ node: 'HubSpot: Update Contact', type: 'main', index: 0 }]), 'has 2 output(s)'],
	['connection into an input the node does not have', 'pipedrive-pronto-bulk-enrich.json', (w) => (w.connections['Company Names'].main[0][0].index = 2), 'it has 2 input(s)'],
	['renamed node left in the connections', 'waterfall-find-email.json', (w) => (nodeNamed(w, 'ExactBuyer').name = 'ExactBuyer Bulk'), 'has no incoming connection'],
];

export default async function examples(t) {
	const { ok, equal, fail } = t.assert;
	const { n8n } = t;

	const files = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
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

	const types = await t.must('n8n export:nodes: the node types this n8n loaded (n8n-nodes-base and this package)', async () => {
		const descriptions = await n8n.exportNodes();
		const index = nodeTypeIndex(descriptions);
		for (const type of ['n8n-nodes-bulk-enrichment.explorium', 'n8n-nodes-bulk-enrichment.pronto', 'n8n-nodes-bulk-enrichment.prontoTrigger', 'n8n-nodes-bulk-enrichment.exactBuyer', 'n8n-nodes-base.hubspot', 'n8n-nodes-base.googleSheets', 'n8n-nodes-base.pipedrive', 'n8n-nodes-base.if']) {
			ok(index.has(type), `n8n did not load ${type}`);
		}
		t.log(`${descriptions.length} node type descriptions`);
		return index;
	});

	await t.must(`the checker rejects ${BROKEN.length} broken copies of the examples (each for its own reason) and accepts the originals`, async () => {
		for (const [what, file, breakIt, expected] of BROKEN) {
			const original = examples.get(file);
			ok(original, `broken-copy case "${what}" needs examples/${file}`);
			const broken = clone(original);
			breakIt(broken);
			const problems = checkWorkflow(broken, types);
			ok(problems.some((p) => p.includes(expected)), `${what} (${file}): not reported as "${expected}"`, problems);
		}
	});

	const ids = new Map([...examples.keys()].map((file, i) => [file, `e2eExample${String(i + 1).padStart(6, '0')}`]));
	for (const [file, example] of examples) {
		await t.check(`${file}: every node type, version, parameter, value, expression and connection is one this n8n knows`, async () => {
			const problems = checkWorkflow(example, types);
			if (problems.length) fail(`${problems.length} problem(s)`, problems.join('\n'));
			t.log(example.nodes.map((n) => `${n.type.replace(/^n8n-nodes-(base|bulk-enrichment)\./, '')}@${n.typeVersion}`).join(', '));
		});
	}

	// One `n8n import:workflow` of all examples and one `export:workflow --all` (each command boots n8n).
	const exported = await t.check('n8n import:workflow takes every example; export:workflow --all gives them back', async () => {
		const input = n8n.file('examples.json');
		fs.writeFileSync(input, JSON.stringify([...examples].map(([file, example]) => ({ ...clone(example), id: ids.get(file), active: false })), null, 2));
		await n8n.cli(['import:workflow', `--input=${input}`]);
		const output = n8n.file('exported.json');
		await n8n.cli(['export:workflow', '--all', `--output=${output}`]);
		const workflows = JSON.parse(fs.readFileSync(output, 'utf8'));
		for (const id of ids.values()) ok(workflows.some((w) => w.id === id), `workflow ${id} was not imported`);
		return workflows;
	});
	if (!exported) return;

	for (const [file, example] of examples) {
		await t.check(`${file}: n8n kept every node, parameter, credential name and connection as written`, async () => {
			const back = exported.find((w) => w.id === ids.get(file));
			equal(back.name, example.name, 'name');
			equal(back.nodes.length, example.nodes.length, 'number of nodes');
			for (const node of example.nodes) {
				const kept = back.nodes.find((n) => n.name === node.name);
				ok(kept, `node "${node.name}" is gone after import`);
				equal(kept.type, node.type, `type of "${node.name}"`);
				equal(kept.typeVersion, node.typeVersion, `typeVersion of "${node.name}"`);
				equal(JSON.stringify(kept.parameters), JSON.stringify(node.parameters), `parameters of "${node.name}"`);
				for (const [type, ref] of Object.entries(node.credentials ?? {})) equal(kept.credentials?.[type]?.name, ref.name, `credential ${type} of "${node.name}"`);
				if (node.webhookId) equal(kept.webhookId, node.webhookId, `webhookId of "${node.name}" (workflow 1 points at its URL)`);
			}
			equal(JSON.stringify(back.connections), JSON.stringify(example.connections), 'connections');
		});
	}
}
