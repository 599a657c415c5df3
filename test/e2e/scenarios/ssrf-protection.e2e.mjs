// n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED=true; n8n 3 enlarges its default block list) and
// a credential Base URL on loopback (here the simulator's; in real use a local proxy or an internal
// gateway): n8n blocks the request before connecting. The item's error then names the settings that
// allow the address, the request is not retried, and with the range allowed the same run works.
import { N8nInstance, PACKAGE_NAME } from '../lib/n8n-instance.mjs';

export const title = 'ssrf-protection';
export const ownN8n = true;

const WORKFLOW_ID = 'e2eWfSsrfProtection';

export default async function ssrfProtection(t) {
	const { sim } = t;
	const { equal, ok } = t.assert;
	const workflow = t.fixtures.linearWorkflow({
		id: WORKFLOW_ID,
		nodes: [
			{
				name: 'Contact',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: { mode: 'raw', jsonOutput: '{"email":"person0@example.com"}' },
			},
			{
				name: 'Match',
				type: `${PACKAGE_NAME}.explorium`,
				typeVersion: 1,
				onError: 'continueRegularOutput',
				credentials: t.fixtures.credentialRef('bulkEnrichmentExploriumApi'),
				parameters: { resource: 'prospect', operation: 'match', email: '={{ $json.email }}' },
			},
		],
	});
	const runWith = async (env) => {
		const n8n = await t.newN8n({ env: { N8N_SSRF_PROTECTION_ENABLED: 'true', ...env } });
		await n8n.importCredentials(t.fixtures.simulatorCredentials(sim));
		await n8n.importWorkflow(workflow);
		await sim.reset();
		const ex = await n8n.execute(WORKFLOW_ID);
		ok(ex.execution, `no execution JSON (exit ${ex.code})`, ex.stdout.slice(-1500));
		return { items: N8nInstance.outputItems(ex.runData, 'Match'), requests: await sim.requests() };
	};

	await t.check(
		'SSRF protection on, Base URL on loopback: blocked, not retried, the error names the allow settings',
		async () => {
			const { items, requests } = await runWith({});
			equal(items.length, 1, 'Match output items');
			const [{ json }] = items;
			equal(json.enrichment_status, 'error', 'enrichment_status');
			ok(/blocked/.test(json.error), 'error does not say blocked', json.error);
			ok(
				/N8N_SSRF_ALLOWED_HOSTNAMES/.test(json.enrichment_note),
				'enrichment_note does not name N8N_SSRF_ALLOWED_HOSTNAMES',
				json.enrichment_note,
			);
			equal(json.enrichment_run.requests, 1, 'requests counted (not retried)');
			equal(requests.length, 0, 'requests that reached the simulator');
			t.log(`${json.error} | ${json.enrichment_note}`);
		},
	);

	await t.check('the same with 127.0.0.0/8 in N8N_SSRF_ALLOWED_IP_RANGES: found', async () => {
		const { items, requests } = await runWith({ N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.0/8' });
		equal(items.map((i) => i.json.enrichment_status).join(), 'found', 'Match status');
		equal(requests.length, 1, 'requests that reached the simulator');
	});
}
