/**
 * How many of the package's files one item passes through (issue 28's "an Explorium item's path"):
 * one prospect id through Explorium · Enrich Contacts in a real n8n-core execution against the
 * simulator. V8's precise coverage lists the files in nodes/ in which a function ran during that
 * execution. Loading a module or building a node's description is not the item's path: the node is
 * built and the workflow run once before counting starts. Credential classes are left out (the
 * harness builds them per run; n8n builds them once at start). Run: `npm run bench:item-path`.
 */
import { Explorium } from '../nodes/Explorium/Explorium.node';
import { prospectIdFor } from '../test/simulator/fake-data.cjs';
import { startSimulator } from '../test/simulator/server.cjs';
import { runWorkflow, toItems } from '../test/workflow/harness';
import { filesRunDuring, report } from './lib/measure.cjs';

it('the files one item of Explorium Enrich Contacts passes through', async () => {
	const simulator = await startSimulator();
	const explorium = new Explorium();
	const runOnce = async () =>
		await runWorkflow({
			nodeTypes: [explorium],
			credentials: {
				bulkEnrichmentExploriumApi: {
					apiKey: simulator.apiKeys.explorium,
					baseUrl: simulator.baseUrls.explorium,
				},
			},
			inputItems: toItems([{ prospect_id: prospectIdFor({ email: 'person1@example.com' }) }]),
			node: {
				type: 'n8n-nodes-bulk-enrichment.explorium',
				parameters: { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'prospectId' },
			},
		});
	try {
		await runOnce();
		let status: unknown;
		const files = await filesRunDuring(async () => {
			status = (await runOnce()).outputs[0][0].json.enrichment_status;
		});
		expect(status).toBe('found');
		report(`one item's path: ${files.length} files\n  ${files.join('\n  ')}`);
	} finally {
		await simulator.close();
	}
});
