// The single-provider packages (issue 29, docs/packages.md) installed the way users install them,
// through n8n's Community Nodes installer from a local registry, beside the combined package:
//   - the combined package and all three single-provider packages (built by `npm run build` into
//     build/packages/, packed here) are published to a local verdaccio and installed with the panel's
//     REST call, combined first; after a restart all four are listed, none failed to load;
//   - each single package's node types are there under its own name (n8n prefixes node types with the
//     package name, so they never clash with the combined package's), each asking for the credential
//     type the combined package has too;
//   - n8n keeps one class per credential type name (the last package loaded): the editor's list may
//     carry a type once per package, but every entry of a type is the same form (the packages ship the
//     same file), and a credential's Test passes;
//   - one workflow runs the combined package's Explorium Match, then the single Explorium package's
//     Enrich Contacts and the single ExactBuyer package's Bulk Enrich, all on the one credential of
//     each type, against the simulator.
// The custom-registry set-up is the community-install scenario's (see its header).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startLocalRegistry, VERDACCIO_VERSION } from '../lib/local-registry.mjs';
import { N8nInstance, packageLoadProblem, PACKAGE_NAME, REPO_ROOT } from '../lib/n8n-instance.mjs';
import { runImportedWorkflow } from '../lib/run-imported-workflow.mjs';

export const title = 'single-provider-install';
export const ownN8n = true;

const OWNER = { email: 'owner@example.com', password: 'E2e-test-Passw0rd' };
const WORKFLOW_ID = 'e2eWfSingleProvidr1';
const BUILD = path.join(REPO_ROOT, 'build', 'packages');
const EXPLORIUM_SINGLE = 'n8n-nodes-explorium-bulk-enrichment';
const EXACTBUYER_SINGLE = 'n8n-nodes-exactbuyer-bulk-enrichment';
const PRONTO_SINGLE = 'n8n-nodes-pronto-bulk-enrichment';
/** Fields n8n adds to every credential type with `authenticate`. */
const N8N_ADDED_FIELDS = new Set(['allowedHttpRequestDomains', 'allowedDomains']);

const CONTACTS = [0, 1, 2].map((n) => ({ email: `person${n}@example.com` }));

function workflow(linearWorkflow, credentialRef) {
	const provider = (name, type, credentialType, parameters) => ({
		name,
		type,
		typeVersion: 1,
		onError: 'continueRegularOutput',
		credentials: credentialRef(credentialType),
		parameters,
	});
	return linearWorkflow({
		id: WORKFLOW_ID,
		name: 'e2e: combined and single-provider packages in one workflow',
		nodes: [
			{
				name: 'CRM Contacts',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: {
					mode: 'raw',
					jsonOutput: JSON.stringify({ people: CONTACTS.map((c, crm_id) => ({ crm_id, ...c })) }),
				},
			},
			{
				name: 'One Item per Contact',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				parameters: { fieldToSplitOut: 'people', options: {} },
			},
			provider('Match', `${PACKAGE_NAME}.explorium`, 'bulkEnrichmentExploriumApi', {
				resource: 'prospect',
				operation: 'match',
				email: '={{ $json.email }}',
			}),
			provider('Enrich Contacts', `${EXPLORIUM_SINGLE}.explorium`, 'bulkEnrichmentExploriumApi', {
				resource: 'prospect',
				operation: 'enrichContacts',
			}),
			provider('ExactBuyer', `${EXACTBUYER_SINGLE}.exactBuyer`, 'bulkEnrichmentExactBuyerApi', {
				resource: 'contact',
				operation: 'bulkEnrich',
				fieldType: 'email',
				value: '={{ $json.email }}',
			}),
			// The same person for every item: sent once (deduplicated), its result on each.
			provider('Pronto', `${PRONTO_SINGLE}.pronto`, 'bulkEnrichmentProntoApi', {
				resource: 'contact',
				operation: 'enrich',
				enrichmentType: 'email',
				firstName: 'Alan',
				lastName: 'Turing',
				domain: 'bletchley.example',
				companyName: '',
				linkedinUrl: '',
				options: { pollIntervalSeconds: 1, maxWaitSeconds: 60 },
			}),
		],
	});
}

export default async function singleProviderInstall(t) {
	const { sim } = t;
	const { equal, ok, fail, requestsTo, fmtMs } = t.assert;
	const singles = fs.existsSync(BUILD) ? fs.readdirSync(BUILD).sort() : [];
	let registry;
	try {
		registry = await t.must(
			`local npm registry (verdaccio ${VERDACCIO_VERSION}) with ${PACKAGE_NAME} and the single-provider packages`,
			async () => {
				ok(
					singles.length === 3,
					`build/packages/ holds ${singles.length} packages: run npm run build`,
				);
				const reg = await startLocalRegistry({
					dir: path.join(t.workDir, 'single-provider-registry'),
					log: t.log,
				});
				t.defer?.(() => reg.stop());
				await reg.publish(t.tarball);
				for (const name of singles) {
					const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', t.workDir], {
						cwd: path.join(BUILD, name),
						encoding: 'utf8',
					});
					equal(packed.status, 0, `npm pack build/packages/${name} (${packed.stderr})`);
					const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
					equal((await reg.publish(path.join(t.workDir, info.filename))).name, name, 'published');
				}
				return reg;
			},
		);

		const n8n = await t.must('a scratch n8n with no community package installed', async () =>
			t.newN8n({
				installPackage: false,
				env: {
					E2E_TESTS: 'true',
					N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
					N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
					N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url,
					npm_config_registry: `${registry.url}/`,
				},
			}),
		);
		if (n8n.n8nMajor < 2) {
			fs.mkdirSync(path.join(n8n.userFolder, '.n8n', 'nodes'), { recursive: true });
			fs.writeFileSync(
				path.join(n8n.userFolder, '.n8n', 'nodes', '.npmrc'),
				`registry=${registry.url}/\n`,
			);
		}
		const restJson = async (p) => {
			let r;
			for (let i = 0; i < 20; i++) {
				r = await n8n.rest('GET', p);
				if (r.status !== 200 || typeof r.body === 'object') break;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			equal(r.status, 200, `GET ${p}`);
			return r.body;
		};

		const all = [PACKAGE_NAME, ...singles];
		await t.must(
			`install ${all.join(', ')} as the panel does (POST /rest/community-packages each)`,
			async () => {
				await n8n.start();
				await n8n.setupOwner(OWNER);
				const feature = await n8n.rest('PATCH', '/rest/e2e/feature', {
					feature: 'feat:communityNodes:customRegistry',
					enabled: true,
				});
				equal(feature.status, 200, 'PATCH /rest/e2e/feature');
				for (const name of all) {
					const t0 = Date.now();
					const r = await n8n.rest('POST', '/rest/community-packages', { name });
					equal(r.status, 200, `install ${name} (${JSON.stringify(r.body).slice(0, 400)})`);
					t.log(
						`${name}: ${r.body.data.installedNodes.map((n) => n.type).join(', ')} (${fmtMs(Date.now() - t0)})`,
					);
				}
			},
		);

		await t.must(
			'restart n8n (the simulator credentials imported meanwhile): all four listed, none failed to load',
			async () => {
				await n8n.stop();
				await n8n.importCredentials(t.fixtures.simulatorCredentials(sim));
				await n8n.start();
				const login = await n8n.rest('POST', '/rest/login', {
					emailOrLdapLoginId: OWNER.email,
					password: OWNER.password,
				});
				equal(login.status, 200, 'POST /rest/login');
				const list = (await n8n.rest('GET', '/rest/community-packages')).body.data;
				equal(
					list
						.map((p) => p.packageName)
						.sort()
						.join(),
					[...all].sort().join(),
					'packages listed',
				);
				for (const p of list)
					equal(p.failedLoading ?? false, false, `${p.packageName} failedLoading`);
				for (const name of all) {
					const problem = packageLoadProblem(n8n.serverOutput(), name);
					if (problem) fail(`n8n could not load ${name}`, problem);
				}
			},
		);

		await t.check(
			"each single package's examples (packages/<name>/examples/) use node types this n8n has",
			async () => {
				const known = new Set((await restJson('/types/nodes.json')).map((n) => n.name));
				for (const name of singles) {
					const dir = path.join(REPO_ROOT, 'packages', name, 'examples');
					for (const file of fs.readdirSync(dir)) {
						const example = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
						const types = example.nodes.map((node) => node.type);
						const unknown = types.filter((type) => !known.has(type));
						equal(unknown.join(), '', `${name}/examples/${file}: node types n8n does not know`);
						ok(
							types.some((type) => type.startsWith(`${name}.`)),
							`${name}/examples/${file} uses ${name}'s nodes`,
						);
					}
				}
			},
		);

		await t.check(
			"each single package's node types under its own name, asking for the combined package's credential types",
			async () => {
				const nodes = await restJson('/types/nodes.json');
				const creds = (name) =>
					(nodes.find((n) => n.name === name)?.credentials ?? []).map((c) => c.name).join();
				for (const name of singles) {
					const manifest = JSON.parse(
						fs.readFileSync(path.join(BUILD, name, 'package.json'), 'utf8'),
					);
					const types = nodes.filter((n) => n.name.startsWith(`${name}.`)).map((n) => n.name);
					// usableAsTool nodes get a …Tool variant too.
					equal(
						types.filter((n) => !n.endsWith('Tool')).length,
						manifest.n8n.nodes.length,
						`${name} node types (${types.join(', ')})`,
					);
					for (const type of types.filter((n) => !n.endsWith('Tool'))) {
						const combined = `${PACKAGE_NAME}.${type.slice(name.length + 1)}`;
						equal(creds(type), creds(combined), `credentials of ${type} and ${combined}`);
					}
					t.log(`${name}: ${types.join(', ')}`);
				}
			},
		);

		await t.check(
			'one form per credential type: every entry of a bulkEnrichment… type in /types/credentials.json is the same',
			async () => {
				const types = await restJson('/types/credentials.json');
				for (const name of [
					'bulkEnrichmentExploriumApi',
					'bulkEnrichmentProntoApi',
					'bulkEnrichmentExactBuyerApi',
				]) {
					const entries = types.filter((c) => c.name === name);
					ok(entries.length >= 1, `${name} missing from /types/credentials.json`);
					const form = (c) =>
						JSON.stringify({
							displayName: c.displayName,
							properties: c.properties.filter((p) => !N8N_ADDED_FIELDS.has(p.name)),
							test: c.test,
						});
					equal(new Set(entries.map(form)).size, 1, `distinct forms of ${name}`);
					t.log(
						`${name}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, supportedNodes ${entries.map((c) => (c.supportedNodes ?? []).join('+')).join(' | ')}`,
					);
				}
			},
		);

		await t.check(
			"each credential type's Test passes with both packages loaded (POST /rest/credentials/test, the editor's Test)",
			async () => {
				for (const c of t.fixtures.simulatorCredentials(sim)) {
					if (!c.type.startsWith('bulkEnrichment')) continue;
					const r = await n8n.rest('POST', '/rest/credentials/test', {
						credentials: { id: c.id, name: c.name, type: c.type, data: c.data },
					});
					equal(r.status, 200, `${c.type}: HTTP status`);
					equal(r.body?.data?.status, 'OK', `${c.type}: ${r.body?.data?.message}`);
				}
			},
		);

		await t.must(
			`one workflow: ${PACKAGE_NAME}'s Explorium Match → ${EXPLORIUM_SINGLE}'s Enrich Contacts → ${EXACTBUYER_SINGLE}'s Bulk Enrich → ${PRONTO_SINGLE}'s Enrich and Wait, one credential per type (n8n execute)`,
			async () => {
				await n8n.stop();
				const { ex, requests } = await runImportedWorkflow(
					{ ...t, n8n },
					workflow(t.fixtures.linearWorkflow, t.fixtures.credentialRef),
				);
				const out = (node) => N8nInstance.outputItems(ex.runData, node);
				const statuses = (node) => out(node).map((i) => i.json.enrichment_status);
				equal(statuses('Match').join(), 'found,found,found', 'Match statuses');
				equal(statuses('Enrich Contacts').join(), 'found,found,found', 'Enrich Contacts statuses');
				const exactBuyer = statuses('ExactBuyer');
				equal(exactBuyer.length, CONTACTS.length, 'ExactBuyer output items');
				ok(!exactBuyer.includes('error'), 'ExactBuyer errors', out('ExactBuyer')[0]?.json);
				out('ExactBuyer').forEach((item, i) => equal(item.json.crm_id, i, `crm_id of item ${i}`));
				equal(requestsTo(requests, 'explorium', '/v1/prospects/match').length, 1, 'match');
				const enrich = requestsTo(
					requests,
					'explorium',
					'/v1/prospects/contacts_information/bulk_enrich',
				);
				equal(enrich.length, 1, 'bulk_enrich requests');
				equal(enrich[0].headers.api_key, sim.apiKeys.explorium, 'api_key of the single package');
				const bulk = requestsTo(requests, 'exactbuyer', '/v1/bulk-enrich');
				equal(bulk.length, 1, 'ExactBuyer bulk-enrich requests');
				equal(statuses('Pronto').join(), 'found,found,found', 'Pronto Enrich and Wait statuses');
				out('Pronto').forEach((item, i) =>
					equal(item.json.crm_id, i, `crm_id of Pronto item ${i}`),
				);
				equal(
					requestsTo(requests, 'pronto', '/contacts/single_enrich').length,
					1,
					'Pronto single_enrich requests',
				);
				t.log(`ExactBuyer: ${exactBuyer.join(', ')}; Pronto: ${statuses('Pronto').join(', ')}`);
			},
		);
	} finally {
		if (registry) await registry.stop();
	}
}
