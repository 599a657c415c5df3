// This package beside Explorium's own n8n package, both installed from n8n's Settings → Community
// Nodes panel (issue 25). n8n keys credential types by name across every installed package and reads
// a credential's saved data through the fields of the type it loaded under that name: Explorium's
// package (@exploriumai/n8n-nodes-explorium-ai) declares `exploriumApi` with one field,
// `exploriumApiKey`, and when ours was also called `exploriumApi` our Explorium node got its
// credential back without a Base URL. This package's types are `bulkEnrichment…Api` now; here both
// packages are installed side by side and:
//   - n8n lists two credential types, two forms: ours (API Key + Base URL) and the stand-in's (its
//     Explorium API Key only), each node asking for its own;
//   - a credential of our type saved over the REST API (as the editor saves it) with the simulator's
//     Base URL comes back with that Base URL, and its credential Test passes;
//   - a credential of the stand-in's type keeps its own field, and nothing of ours;
//   - one workflow runs our Explorium node (Match, against the simulator) and the stand-in's node,
//     each with its credential: our key reaches the simulator through our Base URL, the stand-in's
//     node sees only `exploriumApiKey` and sends that key in its own header.
//
// The npm registry here does not have Explorium's package, so the scenario writes a minimal stand-in
// at run time (a scratch folder, plain CommonJS: nothing is committed, so n8n's scanner, which lints
// every .ts/.json of this repository, never sees it): same package name, same credential type name,
// display name and field as Explorium's published credential, and one node using it. It mirrors the
// shape of their package (credentials/ExploriumApi.credentials.ts and nodes/ExploriumApiNode in
// github.com/explorium-ai/n8n-nodes-explorium-api); no code of theirs is in it. It is published to
// the same local verdaccio the community-install scenario uses (lib/local-registry.mjs), with n8n's
// custom-registry license feature switched on the same way (see that scenario's header).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startLocalRegistry, VERDACCIO_VERSION } from '../lib/local-registry.mjs';
import { N8nInstance, packageLoadProblem, PACKAGE_NAME } from '../lib/n8n-instance.mjs';
import { runImportedWorkflow } from '../lib/run-imported-workflow.mjs';

export const title = 'coexist-explorium';
/** Two packages installed by n8n's own installer: the runner's pre-installed scratch n8n is not used. */
export const ownN8n = true;

const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';
const OWNER = { email: 'owner@example.com', password: 'E2e-test-Passw0rd' };
const WORKFLOW_ID = 'e2eWfCoexistExplor1';

const OUR_TYPE = 'bulkEnrichmentExploriumApi';
const OUR_NODE = `${PACKAGE_NAME}.explorium`;

/**
 * Explorium's own package as the registry would hold it: its name, its credential type, one node.
 * E2E_COEXIST_STANDIN_TYPE=bulkEnrichmentExploriumApi gives the stand-in our type name instead, to see
 * this scenario fail the way the old shared name did.
 */
const STANDIN = {
	packageName: '@exploriumai/n8n-nodes-explorium-ai',
	version: '0.0.1',
	credentialType: process.env.E2E_COEXIST_STANDIN_TYPE || 'exploriumApi',
	credentialDisplayName: 'Explorium API',
	keyField: 'exploriumApiKey',
	nodeName: 'exploriumApiNode',
};
const STANDIN_NODE = `${STANDIN.packageName}.${STANDIN.nodeName}`;
/** The stand-in credential's key: a placeholder the simulator does not know (it answers 401). */
const STANDIN_KEY = 'standin-placeholder-key';

/** 3 contacts through our Explorium node's Match (the simulator matches each). */
const CONTACTS = [0, 1, 2].map((n) => ({ email: `person${n}@example.com` }));
/** Fields n8n adds to every credential type with `authenticate` (the HTTP Request node's domain allow-list). */
const N8N_ADDED_FIELDS = new Set(['allowedHttpRequestDomains', 'allowedDomains']);
const ownFields = (type) =>
	type.properties.map((p) => p.name).filter((name) => !N8N_ADDED_FIELDS.has(name));

/**
 * Writes the stand-in package (package.json, one credential, one node, compiled-style CommonJS under
 * dist/) into `dir` and packs it. Returns the tarball's path.
 */
function buildStandIn(dir) {
	const pkgDir = path.join(dir, 'package');
	fs.mkdirSync(path.join(pkgDir, 'dist', 'credentials'), { recursive: true });
	fs.mkdirSync(path.join(pkgDir, 'dist', 'nodes', 'ExploriumApiNode'), { recursive: true });
	const manifest = {
		name: STANDIN.packageName,
		version: STANDIN.version,
		description:
			"e2e stand-in for Explorium's own n8n package: its credential type name and field, one node",
		keywords: ['n8n-community-node-package'],
		license: 'MIT',
		main: 'index.js',
		files: ['dist', 'index.js'],
		n8n: {
			n8nNodesApiVersion: 1,
			credentials: ['dist/credentials/ExploriumApi.credentials.js'],
			nodes: ['dist/nodes/ExploriumApiNode/ExploriumApiNode.node.js'],
		},
		peerDependencies: { 'n8n-workflow': '*' },
	};
	fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
	fs.writeFileSync(path.join(pkgDir, 'index.js'), '');
	// n8n takes the class name from the file name (ExploriumApi.credentials.js → ExploriumApi).
	fs.writeFileSync(
		path.join(pkgDir, 'dist', 'credentials', 'ExploriumApi.credentials.js'),
		`'use strict';
class ExploriumApi {
	constructor() {
		this.name = ${JSON.stringify(STANDIN.credentialType)};
		this.displayName = ${JSON.stringify(STANDIN.credentialDisplayName)};
		this.documentationUrl = 'https://developers.explorium.ai';
		this.properties = [
			{
				displayName: 'Explorium API Key',
				name: ${JSON.stringify(STANDIN.keyField)},
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description: 'Your Explorium API key',
			},
		];
		this.authenticate = { type: 'generic', properties: { headers: { api_key: '={{$credentials.${STANDIN.keyField}}}' } } };
	}
}
exports.ExploriumApi = ExploriumApi;
`,
	);
	// One node using that credential: it reports the credential's fields as n8n hands them to it and
	// GETs a URL with the credential's authentication (status only, errors ignored).
	fs.writeFileSync(
		path.join(pkgDir, 'dist', 'nodes', 'ExploriumApiNode', 'ExploriumApiNode.node.js'),
		`'use strict';
class ExploriumApiNode {
	constructor() {
		this.description = {
			displayName: 'Explorium API (e2e stand-in)',
			name: ${JSON.stringify(STANDIN.nodeName)},
			group: ['transform'],
			version: 1,
			description: 'Stand-in for the node of ${STANDIN.packageName}',
			defaults: { name: 'Explorium API' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: ${JSON.stringify(STANDIN.credentialType)}, required: true }],
			properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
		};
	}
	async execute() {
		const credentials = await this.getCredentials(${JSON.stringify(STANDIN.credentialType)});
		const url = this.getNodeParameter('url', 0);
		const response = await this.helpers.httpRequestWithAuthentication.call(this, ${JSON.stringify(STANDIN.credentialType)}, {
			method: 'GET',
			url,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		return [[{ json: { credentialFields: Object.keys(credentials).sort(), statusCode: response.statusCode }, pairedItem: { item: 0 } }]];
	}
}
exports.ExploriumApiNode = ExploriumApiNode;
`,
	);
	const r = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
		cwd: pkgDir,
		encoding: 'utf8',
		env: { ...process.env, npm_config_update_notifier: 'false' },
	});
	if (r.status !== 0) throw new Error(`npm pack of the stand-in failed:\n${r.stdout}\n${r.stderr}`);
	const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')))[0];
	return { tarball: path.join(dir, info.filename), files: info.files.map((f) => f.path) };
}

function workflow(linearWorkflow, { ours, standIn, standInUrl }) {
	return linearWorkflow({
		id: WORKFLOW_ID,
		name: "e2e: our Explorium node beside the stand-in for Explorium's own node",
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
			{
				name: 'Match',
				type: OUR_NODE,
				typeVersion: 1,
				onError: 'continueRegularOutput',
				credentials: { [OUR_TYPE]: ours },
				parameters: { resource: 'prospect', operation: 'match', email: '={{ $json.email }}' },
			},
			{
				name: 'Stand-in Node',
				type: STANDIN_NODE,
				typeVersion: 1,
				credentials: { [STANDIN.credentialType]: standIn },
				parameters: { url: standInUrl },
			},
		],
	});
}

export default async function coexistExplorium(t) {
	const { sim } = t;
	const { equal, ok, fail, findOne, requestsTo, fmtMs } = t.assert;
	let registry;
	try {
		// ------------------------------------------------------------ registry: ours and the stand-in
		registry = await t.must(
			`local npm registry: verdaccio ${VERDACCIO_VERSION} on loopback, no uplinks`,
			async () => {
				const reg = await startLocalRegistry({
					dir: path.join(t.workDir, 'coexist-registry'),
					log: t.log,
				});
				t.defer?.(() => reg.stop());
				t.log(`${reg.url} up in ${fmtMs(reg.startMs)}`);
				return reg;
			},
		);

		await t.must(`npm publish ${path.basename(t.tarball)} to the local registry`, async () => {
			const published = await registry.publish(t.tarball);
			equal(published.name, PACKAGE_NAME, 'published name');
		});

		await t.must(
			`a stand-in for ${STANDIN.packageName} written at run time (credential type ${STANDIN.credentialType}, field ${STANDIN.keyField}; one node), packed and published`,
			async () => {
				const dir = path.join(t.workDir, 'explorium-standin');
				fs.mkdirSync(dir, { recursive: true });
				const built = buildStandIn(dir);
				const published = await registry.publish(built.tarball);
				equal(published.name, STANDIN.packageName, 'published name');
				equal(
					(await registry.packument(STANDIN.packageName))['dist-tags']?.latest,
					STANDIN.version,
					'dist-tags.latest',
				);
				t.log(`${path.basename(built.tarball)}: ${built.files.join(', ')}`);
			},
		);

		const n8n = await t.must('a scratch n8n with no community package installed', async () => {
			const inst = await t.newN8n({
				installPackage: false,
				env: {
					E2E_TESTS: 'true', // only to switch on the custom-registry license feature
					N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
					N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
					N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url,
					npm_config_registry: `${registry.url}/`,
				},
			});
			if (inst.n8nMajor < 2) {
				// n8n 1.x runs `npm outdated` (the panel's list) without npm_config_*: see community-install.
				fs.mkdirSync(path.join(inst.userFolder, '.n8n', 'nodes'), { recursive: true });
				fs.writeFileSync(
					path.join(inst.userFolder, '.n8n', 'nodes', '.npmrc'),
					`registry=${registry.url}/\n`,
				);
			}
			return inst;
		});

		const login = async () => {
			const r = await n8n.rest('POST', '/rest/login', {
				emailOrLdapLoginId: OWNER.email,
				password: OWNER.password,
			});
			equal(r.status, 200, 'POST /rest/login');
		};
		const enableCustomRegistry = async () => {
			const r = await n8n.rest('PATCH', '/rest/e2e/feature', {
				feature: CUSTOM_REGISTRY_FEATURE,
				enabled: true,
			});
			equal(r.status, 200, `PATCH /rest/e2e/feature ${CUSTOM_REGISTRY_FEATURE}`);
		};
		const installFromPanel = async (name) => {
			const r = await n8n.rest('POST', '/rest/community-packages', { name });
			equal(
				r.status,
				200,
				`POST /rest/community-packages ${name}: HTTP status (${JSON.stringify(r.body).slice(0, 400)})`,
			);
			return r.body.data;
		};
		const restJson = async (p, what = `GET ${p}`) => {
			let r;
			// n8n rewrites /types/*.json after an install; n8n 1.x may serve it half written: read again.
			for (let i = 0; i < 20; i++) {
				r = await n8n.rest('GET', p);
				if (r.status !== 200 || typeof r.body === 'object') break;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			equal(r.status, 200, what);
			ok(typeof r.body === 'object', `${what}: not JSON`, String(r.body).slice(0, 200));
			return r.body;
		};

		await t.must('n8n start, owner setup, custom registry licensed', async () => {
			await n8n.start();
			await n8n.setupOwner(OWNER);
			await enableCustomRegistry();
			t.log(`n8n start ready in ${fmtMs(n8n.startMs)}`);
		});

		// Ours first, the stand-in second: with one shared type name the one loaded last is the one
		// n8n kept, which is how our credential lost its Base URL.
		await t.must(
			`Install ${PACKAGE_NAME}, then ${STANDIN.packageName}, as the panel does (POST /rest/community-packages)`,
			async () => {
				const ours = await installFromPanel(PACKAGE_NAME);
				ok(
					ours.installedNodes.some((n) => n.type === OUR_NODE),
					`${OUR_NODE} not among the installed nodes`,
					ours.installedNodes,
				);
				const standIn = await installFromPanel(STANDIN.packageName);
				equal(standIn.installedVersion, STANDIN.version, 'stand-in installedVersion');
				equal(
					standIn.installedNodes.map((n) => n.type).join(),
					STANDIN_NODE,
					'stand-in installed nodes',
				);
				t.log(
					`installed ${PACKAGE_NAME}@${ours.installedVersion} and ${STANDIN.packageName}@${standIn.installedVersion}`,
				);
			},
		);

		await t.must('restart n8n (stop, start, log in): both packages loaded at start', async () => {
			await n8n.stop();
			await n8n.start();
			await login();
			t.log(`n8n start ready in ${fmtMs(n8n.startMs)}`);
		});

		await t.check(
			'GET /rest/community-packages lists both, neither failed; n8n logged no failed package load',
			async () => {
				const r = await n8n.rest('GET', '/rest/community-packages');
				equal(r.status, 200, 'GET /rest/community-packages');
				const list = r.body.data;
				equal(
					list
						.map((p) => p.packageName)
						.sort()
						.join(),
					[PACKAGE_NAME, STANDIN.packageName].sort().join(),
					'packages listed',
				);
				for (const p of list)
					equal(p.failedLoading ?? false, false, `${p.packageName} failedLoading`);
				for (const name of [PACKAGE_NAME, STANDIN.packageName]) {
					const problem = packageLoadProblem(n8n.serverOutput(), name);
					if (problem) fail(`n8n could not load ${name}`, problem);
				}
			},
		);

		// ------------------------------------------------------------ two credential types, two forms
		await t.check(
			`/types/credentials.json has two Explorium forms: ${OUR_TYPE} (API Key, Base URL) and ${STANDIN.credentialType} (${STANDIN.keyField} only)`,
			async () => {
				const types = await restJson('/types/credentials.json');
				ok(Array.isArray(types), '/types/credentials.json is not a list', types);
				const ours = types.filter((c) => c.name === OUR_TYPE);
				const theirs = types.filter((c) => c.name === STANDIN.credentialType);
				equal(ours.length, 1, `entries named ${OUR_TYPE}`);
				equal(theirs.length, 1, `entries named ${STANDIN.credentialType}`);
				const [o] = ours;
				const [s] = theirs;
				equal(o.displayName, 'Explorium (Bulk Enrichment) API', `${OUR_TYPE} displayName`);
				equal(
					ownFields(o).join(),
					'apiKey,baseUrl',
					`${OUR_TYPE} fields (besides n8n's ${[...N8N_ADDED_FIELDS].join(', ')})`,
				);
				equal(o.properties[0].typeOptions?.password, true, `${OUR_TYPE} apiKey is password-typed`);
				equal(
					s.displayName,
					STANDIN.credentialDisplayName,
					`${STANDIN.credentialType} displayName`,
				);
				equal(
					ownFields(s).join(),
					STANDIN.keyField,
					`${STANDIN.credentialType} fields (besides n8n's ${[...N8N_ADDED_FIELDS].join(', ')})`,
				);
				ok(o.displayName !== s.displayName, 'the two forms have the same display name');
				t.log(
					`"${o.displayName}" (${OUR_TYPE}): ${ownFields(o).join(', ')}; "${s.displayName}" (${s.name}): ${ownFields(s).join(', ')} (n8n adds ${[...N8N_ADDED_FIELDS].join(', ')} to both)`,
				);
			},
		);

		await t.check(
			`each node asks for its own credential type (/types/nodes.json): ${OUR_NODE} → ${OUR_TYPE}, ${STANDIN_NODE} → ${STANDIN.credentialType}`,
			async () => {
				const nodes = await restJson('/types/nodes.json');
				const ourNode = findOne(nodes, (n) => n.name === OUR_NODE, OUR_NODE);
				const standInNode = findOne(nodes, (n) => n.name === STANDIN_NODE, STANDIN_NODE);
				equal(
					(ourNode.credentials ?? []).map((c) => c.name).join(),
					OUR_TYPE,
					`${OUR_NODE} credentials`,
				);
				equal(
					(standInNode.credentials ?? []).map((c) => c.name).join(),
					STANDIN.credentialType,
					`${STANDIN_NODE} credentials`,
				);
			},
		);

		// ------------------------------------------------------------ credentials saved as the editor saves them
		const ourData = t.fixtures.simulatorCredentials(sim).find((c) => c.type === OUR_TYPE).data;
		const saved = await t.must(
			"save one credential of each type over the REST API (POST /rest/credentials, the editor's Save)",
			async () => {
				const create = async (name, type, data) => {
					const r = await n8n.rest('POST', '/rest/credentials', { name, type, data });
					equal(
						r.status,
						200,
						`POST /rest/credentials ${type}: HTTP status (${JSON.stringify(r.body).slice(0, 400)})`,
					);
					const id = r.body.data?.id;
					ok(id, `POST /rest/credentials ${type}: no id`, r.body);
					return { id, name };
				};
				return {
					ours: await create('Explorium (simulator, bulk enrichment)', OUR_TYPE, ourData),
					theirs: await create('Explorium (stand-in)', STANDIN.credentialType, {
						[STANDIN.keyField]: STANDIN_KEY,
					}),
				};
			},
		);
		const readBack = async (id) => {
			const r = await n8n.rest('GET', `/rest/credentials/${id}?includeData=true`);
			equal(r.status, 200, `GET /rest/credentials/${id}?includeData=true`);
			return r.body.data;
		};

		await t.check(
			`our ${OUR_TYPE} credential comes back with the simulator's Base URL (GET /rest/credentials/:id?includeData=true)`,
			async () => {
				const c = await readBack(saved.ours.id);
				equal(c.type, OUR_TYPE, 'type');
				equal(
					Object.keys(c.data ?? {})
						.sort()
						.join(),
					'apiKey,baseUrl',
					'fields of the saved data',
				);
				equal(c.data.baseUrl, sim.baseUrls.explorium, 'baseUrl');
				ok(
					c.data.apiKey,
					'apiKey is empty (n8n shows a password field redacted, never empty, when it is set)',
				);
				t.log(`baseUrl ${c.data.baseUrl}`);
			},
		);

		await t.check(
			`the stand-in's ${STANDIN.credentialType} credential keeps its own field (${STANDIN.keyField}) and none of ours`,
			async () => {
				const c = await readBack(saved.theirs.id);
				equal(c.type, STANDIN.credentialType, 'type');
				equal(
					Object.keys(c.data ?? {})
						.sort()
						.join(),
					STANDIN.keyField,
					'fields of the saved data',
				);
				ok(c.data[STANDIN.keyField], `${STANDIN.keyField} is empty`);
			},
		);

		await t.check(
			`our saved credential's Test passes against the simulator (POST /rest/credentials/test)`,
			async () => {
				await sim.reset();
				const r = await n8n.rest('POST', '/rest/credentials/test', {
					credentials: { id: saved.ours.id, name: saved.ours.name, type: OUR_TYPE, data: ourData },
				});
				equal(r.status, 200, 'HTTP status');
				equal(r.body?.data?.status, 'OK', `test status (message: ${r.body?.data?.message})`);
				const req = findOne(
					requestsTo(await sim.requests(), 'explorium', '/v2/credits'),
					() => true,
					'explorium /v2/credits request',
				);
				equal(
					req.headers.api_key,
					sim.apiKeys.explorium,
					'api_key header received by the simulator',
				);
			},
		);

		// ------------------------------------------------------------ both nodes at work in one workflow
		await t.must(
			`one workflow runs our Explorium node (Match, ${CONTACTS.length} contacts) and the stand-in's node, each with its saved credential (n8n execute)`,
			async () => {
				await n8n.stop();
				const run = { ...t, n8n }; // runImportedWorkflow drives t.n8n
				const wf = workflow(t.fixtures.linearWorkflow, {
					ours: saved.ours,
					standIn: saved.theirs,
					standInUrl: `${sim.baseUrls.explorium}/v1/credits`,
				});
				const { ex, requests } = await runImportedWorkflow(run, wf);

				const match = N8nInstance.outputItems(ex.runData, 'Match');
				equal(match.length, CONTACTS.length, 'Match output items');
				match.forEach((item, i) => equal(item.json.crm_id, i, `crm_id of Match output item ${i}`));
				equal(
					match.map((i) => i.json.enrichment_status).join(),
					CONTACTS.map(() => 'found').join(),
					'Match statuses',
				);
				const matchRequests = requestsTo(requests, 'explorium', '/v1/prospects/match');
				equal(matchRequests.length, 1, 'match requests');
				equal(
					matchRequests[0].headers.api_key,
					sim.apiKeys.explorium,
					'api_key of our match request (our credential, through our Base URL)',
				);

				const [standInItem] = N8nInstance.outputItems(ex.runData, 'Stand-in Node');
				ok(standInItem, 'the stand-in node returned no item', Object.keys(ex.runData));
				const handed = standInItem.json.credentialFields.filter(
					(name) => !N8N_ADDED_FIELDS.has(name),
				);
				equal(
					handed.join(),
					STANDIN.keyField,
					"fields of the stand-in's credential as n8n handed them to its node (besides n8n's own)",
				);
				const standInRequests = requestsTo(requests, 'explorium', '/v1/credits');
				ok(standInRequests.length >= 1, 'the stand-in node sent no request');
				for (const req of standInRequests)
					equal(
						req.headers.api_key,
						STANDIN_KEY,
						"api_key of the stand-in's request (its own credential)",
					);
				equal(
					standInItem.json.statusCode,
					401,
					"simulator's answer to the stand-in's placeholder key",
				);
				t.log(
					`Match: ${match.map((i) => i.json.enrichment_status).join(', ')}; stand-in node: credential fields ${standInItem.json.credentialFields.join(', ')}, HTTP ${standInItem.json.statusCode}`,
				);
			},
		);
	} finally {
		if (registry) await registry.stop();
	}
}
