// The package installed the way users install it: from n8n's Settings → Community Nodes panel, which
// runs n8n's own installer against an npm registry. Here the registry is a local verdaccio
// (lib/local-registry.mjs) holding the packed package, and the scenario's n8n starts with NO
// community package installed. Then, through the REST calls the panel makes (logged in as the owner):
//   1. Install: POST /rest/community-packages {name}; n8n downloads the package from the registry,
//      loads it, and after a restart lists it with its nodes, not failed, no warning logged about it;
//      a workflow using its nodes (Explorium Match → Enrich Contacts) runs against the simulator;
//   2. Update: a newer version is published, the panel's list shows it as an update,
//      PATCH /rest/community-packages {name} installs it, the workflow still runs;
//   3. Uninstall: DELETE /rest/community-packages?name=…; the package, its files and its node types are
//      gone and the workflow's nodes are unknown to n8n.
//
// n8n reads the registry from N8N_COMMUNITY_PACKAGES_REGISTRY, but only uses a registry other than
// https://registry.npmjs.org when its license has `feat:communityNodes:customRegistry` (Enterprise).
// The scenario runs n8n with E2E_TESTS=true (n8n's own test mode) and switches on that one license
// feature through n8n's test endpoint (PATCH /rest/e2e/feature); the installer's code path (registry
// checks, `npm pack`, unpack, `npm install`, load) is the one every user gets.
import fs from 'node:fs';
import path from 'node:path';
import {
	repackWithNewVersion,
	startLocalRegistry,
	VERDACCIO_VERSION,
} from '../lib/local-registry.mjs';
import { N8nInstance, packageLoadProblem, PACKAGE_NAME } from '../lib/n8n-instance.mjs';
import { runImportedWorkflow } from '../lib/run-imported-workflow.mjs';

export const title = 'community-install';
/** The runner's default scratch n8n (package pre-installed) is not used: this scenario makes its own. */
export const ownN8n = true;

const EXPLORIUM = `${PACKAGE_NAME}.explorium`;
const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';
const OWNER = { email: 'owner@example.com', password: 'E2e-test-Passw0rd' };
const WORKFLOW_ID = 'e2eWfCommunityInst1';

/** 4 known contacts and 1 known without contact data. */
const CONTACTS = [0, 1, 2, 3]
	.map((n) => ({ email: `person${n}@example.com` }))
	.concat({ email: 'nodata@example.com' });

function workflow(linearWorkflow, credentials) {
	const node = (name, parameters) => ({
		name,
		type: EXPLORIUM,
		typeVersion: 1,
		onError: 'continueRegularOutput',
		credentials,
		parameters,
	});
	return linearWorkflow({
		id: WORKFLOW_ID,
		name: 'e2e: installed from the registry, Explorium match then enrich',
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
			node('Match', { resource: 'prospect', operation: 'match', email: '={{ $json.email }}' }),
			node('Enrich Contacts', { resource: 'prospect', operation: 'enrichContacts' }),
		],
	});
}

/** n8n's JSON log (N8N_LOG_OUTPUT includes `file`): every line carries its level. */
function readLog(file, from = 0) {
	if (!fs.existsSync(file)) return [];
	return fs
		.readFileSync(file, 'utf8')
		.slice(from)
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			try {
				return JSON.parse(line);
			} catch {
				return { level: 'unparsed', message: line };
			}
		});
}

/**
 * Warning or error lines about this package (or about community packages at all). Paths into the e2e
 * cache (whose folder is named after the package) are not mentions of the package.
 */
function packageWarnings(entries, cacheDir) {
	const about = new RegExp(
		`${PACKAGE_NAME}|community (node|package)|packages? (is|are) missing|failed to load package`,
		'i',
	);
	return entries.filter((e) => {
		if (!['warn', 'error', 'unparsed'].includes(e.level)) return false;
		return about.test(
			`${e.message} ${JSON.stringify(e.metadata ?? {})}`.split(cacheDir).join('<e2e cache>'),
		);
	});
}

export default async function communityInstall(t) {
	const { sim } = t;
	const { equal, ok, fail, fmtMs } = t.assert;
	let registry;
	try {
		// ------------------------------------------------------------ registry and a clean n8n
		registry = await t.must(
			`local npm registry: verdaccio ${VERDACCIO_VERSION} from the e2e cache on loopback, no uplinks`,
			async () => {
				const t0 = Date.now();
				const reg = await startLocalRegistry({
					dir: path.join(t.workDir, 'community-install-registry'),
					log: t.log,
				});
				t.defer?.(() => reg.stop()); // also after a scenario timeout (the finally below covers the rest)
				t.log(
					`${reg.url} up in ${fmtMs(reg.startMs)} (${fmtMs(Date.now() - t0)} with install check); storage ${reg.dir}`,
				);
				return reg;
			},
		);

		const v1 = await t.must(
			`npm publish ${path.basename(t.tarball)} to the local registry`,
			async () => {
				const published = await registry.publish(t.tarball);
				const doc = await registry.packument(PACKAGE_NAME);
				equal(doc['dist-tags']?.latest, published.version, 'dist-tags.latest');
				return published.version;
			},
		);

		const n8n = await t.must('a scratch n8n with no community package installed', async () => {
			const inst = await t.newN8n({
				installPackage: false,
				env: {
					E2E_TESTS: 'true', // only to switch on the custom-registry license feature (see the header)
					N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
					N8N_UNVERIFIED_PACKAGES_ENABLED: 'true', // the panel's "install any npm package" (n8n's default, deprecated as a default)
					N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url,
					// `npm outdated` (the panel's "update available") runs without n8n's --registry flag: npm's own config.
					npm_config_registry: `${registry.url}/`,
					N8N_LOG_OUTPUT: 'console,file',
				},
			});
			// n8n's file log is JSON with a level on every line: warnings are found by level, not by wording.
			inst.extraEnv.N8N_LOG_FILE_LOCATION = path.join(inst.workDir, 'n8n-log.jsonl');
			if (inst.n8nMajor < 2) {
				// n8n 1.x runs `npm outdated` with only NODE_PATH, PATH, APPDATA and NODE_ENV in its
				// environment (no npm_config_*, no HOME): npm reads the registry from an .npmrc in its
				// working folder, ~/.n8n/nodes, or asks registry.npmjs.org.
				fs.mkdirSync(path.join(inst.userFolder, '.n8n', 'nodes'), { recursive: true });
				fs.writeFileSync(
					path.join(inst.userFolder, '.n8n', 'nodes', '.npmrc'),
					`registry=${registry.url}/\n`,
				);
			}
			ok(
				!fs.existsSync(path.join(inst.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME)),
				'the package is already in ~/.n8n/nodes',
			);
			return inst;
		});
		const logFile = n8n.extraEnv.N8N_LOG_FILE_LOCATION;
		const nodesDir = path.join(n8n.userFolder, '.n8n', 'nodes');
		const installedDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		const run = { ...t, n8n }; // runImportedWorkflow drives t.n8n

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
		const listPackages = async () => {
			const r = await n8n.rest('GET', '/rest/community-packages');
			equal(r.status, 200, 'GET /rest/community-packages');
			return r.body.data;
		};
		const ourNodeTypes = async () => {
			let r;
			// n8n rewrites the file after an install, update or uninstall; n8n 1.x serves it while it
			// is being written (a 200 with cut-off JSON): read it again until it parses.
			for (let i = 0; i < 20; i++) {
				r = await n8n.rest('GET', '/types/nodes.json');
				if (r.status !== 200 || Array.isArray(r.body)) break;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			equal(r.status, 200, 'GET /types/nodes.json');
			ok(
				Array.isArray(r.body),
				'GET /types/nodes.json: not a JSON list',
				String(r.body).slice(0, 200),
			);
			return r.body.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`)).map((n) => n.name);
		};
		const installedPkg = () =>
			JSON.parse(fs.readFileSync(path.join(installedDir, 'package.json'), 'utf8'));
		const ledger = () => JSON.parse(fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8'));
		let logChecked = 0;
		const noWarningsSoFar = () => {
			ok(fs.existsSync(logFile), `n8n wrote no JSON log to ${logFile}`);
			const text = fs.readFileSync(logFile, 'utf8');
			const found = packageWarnings(readLog(logFile, logChecked), t.install.cacheDir);
			logChecked = text.length;
			if (found.length)
				fail(
					`n8n logged ${found.length} warning/error line(s) about the package`,
					found.slice(0, 5),
				);
			const problem = packageLoadProblem(n8n.serverOutput());
			if (problem) fail('n8n could not load the package', problem);
		};

		await t.must(
			'n8n start, owner setup, custom registry licensed, no community package listed',
			async () => {
				await n8n.start();
				await n8n.setupOwner(OWNER);
				await enableCustomRegistry();
				equal((await listPackages()).length, 0, 'packages listed before the install');
				t.log(`n8n start ready in ${fmtMs(n8n.startMs)}`);
			},
		);

		// ------------------------------------------------------------ 1. install
		let pkg;
		await t.must(
			`Install as the panel does: POST /rest/community-packages {"name":"${PACKAGE_NAME}"}`,
			async () => {
				const t0 = Date.now();
				const r = await n8n.rest('POST', '/rest/community-packages', { name: PACKAGE_NAME });
				const ms = Date.now() - t0;
				equal(r.status, 200, `HTTP status (${JSON.stringify(r.body).slice(0, 400)})`);
				const data = r.body.data;
				equal(data.packageName, PACKAGE_NAME, 'packageName');
				equal(data.installedVersion, v1, 'installedVersion');
				pkg = installedPkg();
				const types = data.installedNodes.map((n) => n.type).sort();
				equal(
					types.length,
					pkg.n8n.nodes.length,
					`installed nodes (${types.join(', ')}) against package.json n8n.nodes`,
				);
				ok(types.includes(EXPLORIUM), `${EXPLORIUM} not among the installed nodes`, types);
				// The JSON log the warning checks read does record the installer's work.
				const installedLine = `Community package installed: ${PACKAGE_NAME}`;
				ok(
					readLog(logFile).some((e) => e.level === 'info' && e.message === installedLine),
					`no "${installedLine}" line in n8n's JSON log`,
				);
				t.log(
					`installed ${PACKAGE_NAME}@${data.installedVersion} in ${fmtMs(ms)}: ${data.installedNodes.map((n) => n.name).join(', ')}`,
				);
			},
		);

		await t.check(
			'n8n put it in ~/.n8n/nodes/node_modules, recorded it in ~/.n8n/nodes/package.json, installed nothing else',
			async () => {
				equal(installedPkg().version, v1, 'installed package.json version');
				equal(ledger().dependencies?.[PACKAGE_NAME], v1, 'dependency in ~/.n8n/nodes/package.json');
				const top = fs
					.readdirSync(path.join(nodesDir, 'node_modules'))
					.filter((f) => !f.startsWith('.'));
				equal(top.join(), PACKAGE_NAME, 'folders in ~/.n8n/nodes/node_modules');
				const nested = path.join(installedDir, 'node_modules');
				const inside = fs.existsSync(nested)
					? fs.readdirSync(nested).filter((f) => !f.startsWith('.'))
					: [];
				equal(inside.join(), '', `dependencies installed inside the package (${nested})`);
				ok(
					!pkg.peerDependencies,
					'n8n did not strip peerDependencies from the installed package.json',
					pkg.peerDependencies,
				);
			},
		);

		await t.check(
			'the registry was asked for this package only (no peer dependency, nothing an uplink would serve)',
			async () => {
				const asked = readLog(registry.logFile)
					.map((e) => e.request)
					.filter((req) => req && req.method === 'GET')
					.map((req) => decodeURIComponent(req.url.split('?')[0]));
				const other = asked.filter(
					(u) => !u.startsWith(`/${PACKAGE_NAME}`) && !u.startsWith('/-/'),
				);
				equal(other.join(', '), '', 'other registry documents requested');
				ok(
					asked.some((u) => u.endsWith(`${PACKAGE_NAME}-${v1}.tgz`)),
					`the ${v1} tarball was not downloaded from the local registry`,
					asked,
				);
				t.log(`registry GETs: ${[...new Set(asked)].join(', ')}`);
			},
		);

		await t.check('its node types are in /types/nodes.json right away (no restart)', async () => {
			ok((await ourNodeTypes()).includes(EXPLORIUM), `${EXPLORIUM} not in /types/nodes.json`);
			noWarningsSoFar();
		});

		await t.must('restart n8n (stop, start, log in)', async () => {
			await n8n.stop();
			await n8n.start();
			await login();
			t.log(`n8n start ready in ${fmtMs(n8n.startMs)}`);
		});

		await t.check(
			'after the restart GET /rest/community-packages lists it with its nodes, not failed, no update pending',
			async () => {
				const list = await listPackages();
				equal(list.length, 1, 'packages listed');
				const [p] = list;
				equal(p.packageName, PACKAGE_NAME, 'packageName');
				equal(p.installedVersion, v1, 'installedVersion');
				equal(p.failedLoading ?? false, false, 'failedLoading (n8n 1.x leaves it out when false)');
				equal(p.updateAvailable, undefined, 'updateAvailable');
				equal(p.installedNodes.length, pkg.n8n.nodes.length, 'installedNodes');
			},
		);

		await t.check(
			'n8n loaded it at start: node types known, no log line warning about the package',
			async () => {
				const types = await ourNodeTypes();
				ok(
					types.includes(EXPLORIUM),
					`${EXPLORIUM} not in /types/nodes.json after the restart`,
					types,
				);
				t.log(`node types: ${types.join(', ')}`);
				noWarningsSoFar();
			},
		);

		// ------------------------------------------------------------ the installed nodes at work
		const credentials = t.fixtures.credentialRef('bulkEnrichmentExploriumApi');
		const expectRun = async (ex, requests) => {
			const match = N8nInstance.outputItems(ex.runData, 'Match');
			const enrich = N8nInstance.outputItems(ex.runData, 'Enrich Contacts');
			equal(match.length, CONTACTS.length, 'Match output items');
			equal(enrich.length, CONTACTS.length, 'Enrich Contacts output items');
			enrich.forEach((item, i) => equal(item.json.crm_id, i, `crm_id of output item ${i}`));
			equal(
				match.filter((i) => i.json.enrichment_status === 'found').length,
				CONTACTS.length,
				'Match: found',
			);
			equal(
				enrich.map((i) => i.json.enrichment_status).join(),
				'found,found,found,found,not_found',
				'Enrich Contacts statuses',
			);
			for (let i = 0; i < 4; i++)
				ok(enrich[i].json.emails?.length > 0, `emails of item ${i}`, enrich[i].json);
			equal(
				t.assert.requestsTo(requests, 'explorium', '/v1/prospects/match').length,
				1,
				'match requests',
			);
			equal(
				t.assert.requestsTo(requests, 'explorium', '/v1/prospects/contacts_information/bulk_enrich')
					.length,
				1,
				'bulk_enrich requests',
			);
		};

		await t.must(
			`the installed nodes run: ${CONTACTS.length} contacts through Explorium Match → Enrich Contacts (n8n execute)`,
			async () => {
				await n8n.stop();
				await n8n.importCredentials(t.fixtures.simulatorCredentials(sim));
				const { ex, requests } = await runImportedWorkflow(
					run,
					workflow(t.fixtures.linearWorkflow, credentials),
				);
				await expectRun(ex, requests);
				noWarningsSoFar();
			},
		);

		// ------------------------------------------------------------ 2. update
		const v2 = await t.must(
			'a newer version (same code, `npm version patch`) published to the registry',
			async () => {
				const next = repackWithNewVersion(t.tarball, t.workDir);
				const published = await registry.publish(next.tarball);
				equal(published.version, next.version, 'published version');
				equal(
					(await registry.packument(PACKAGE_NAME))['dist-tags']?.latest,
					next.version,
					'dist-tags.latest',
				);
				return next.version;
			},
		);

		await t.check(`the panel's list shows the update: updateAvailable ${v2}`, async () => {
			await n8n.start();
			await login();
			await enableCustomRegistry();
			const [p] = await listPackages();
			equal(p?.updateAvailable, v2, 'updateAvailable');
		});

		await t.must(
			`Update as the panel does: PATCH /rest/community-packages {"name":"${PACKAGE_NAME}"}`,
			async () => {
				const t0 = Date.now();
				const r = await n8n.rest('PATCH', '/rest/community-packages', { name: PACKAGE_NAME });
				equal(r.status, 200, `HTTP status (${JSON.stringify(r.body).slice(0, 400)})`);
				equal(r.body.data.installedVersion, v2, 'installedVersion');
				equal(r.body.data.installedNodes.length, pkg.n8n.nodes.length, 'installedNodes');
				t.log(`updated ${v1} → ${v2} in ${fmtMs(Date.now() - t0)}`);
			},
		);

		await t.check(
			`${v2} is in place without a restart: files, ledger, list (not failed, no update pending), node types`,
			async () => {
				equal(installedPkg().version, v2, 'installed package.json version');
				equal(ledger().dependencies?.[PACKAGE_NAME], v2, 'dependency in ~/.n8n/nodes/package.json');
				const leftovers = fs
					.readdirSync(path.join(nodesDir, 'node_modules'))
					.filter((f) => f.includes('.backup-') || f.endsWith('.tgz'));
				equal(leftovers.join(), '', 'backup folders or tarballs left by the update');
				const [p] = await listPackages();
				equal(p.installedVersion, v2, 'installedVersion listed');
				equal(p.failedLoading ?? false, false, 'failedLoading (n8n 1.x leaves it out when false)');
				equal(p.updateAvailable, undefined, 'updateAvailable');
				ok(
					(await ourNodeTypes()).includes(EXPLORIUM),
					`${EXPLORIUM} not in /types/nodes.json after the update`,
				);
				noWarningsSoFar();
			},
		);

		await t.must(
			`the workflow still runs on ${v2} (n8n execute of the imported workflow)`,
			async () => {
				await n8n.stop();
				await sim.reset();
				const ex = await n8n.execute(WORKFLOW_ID);
				ok(ex.ok, `execution failed (exit ${ex.code})`, ex.error ?? ex.stdout.slice(-1500));
				await expectRun(ex, await sim.requests());
				noWarningsSoFar();
			},
		);

		// ------------------------------------------------------------ 3. uninstall
		await t.must(
			`Uninstall as the panel does: DELETE /rest/community-packages?name=${PACKAGE_NAME}`,
			async () => {
				await n8n.start();
				await login();
				noWarningsSoFar(); // the start that loaded the updated version
				const r = await n8n.rest(
					'DELETE',
					`/rest/community-packages?name=${encodeURIComponent(PACKAGE_NAME)}`,
				);
				equal(r.status, 200, `HTTP status (${JSON.stringify(r.body).slice(0, 400)})`);
			},
		);

		await t.check(
			'it is gone: not listed, its folder removed, its node types no longer loaded',
			async () => {
				equal((await listPackages()).length, 0, 'packages listed');
				ok(!fs.existsSync(installedDir), `${installedDir} still exists`);
				equal((await ourNodeTypes()).join(), '', 'node types of the package in /types/nodes.json');
				noWarningsSoFar();
				// n8n 2.40.7 leaves the package in its ledger (~/.n8n/nodes/package.json) on uninstall.
				t.log(
					`~/.n8n/nodes/package.json dependencies after uninstall: ${JSON.stringify(ledger().dependencies)}`,
				);
			},
		);

		await t.check(
			"the workflow's node types are now unknown (n8n export:nodes, n8n execute)",
			async () => {
				await n8n.stop();
				const exported = await n8n.exportNodes();
				equal(
					exported.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`)).length,
					0,
					'node types of the package exported',
				);
				const ex = await n8n.execute(WORKFLOW_ID);
				ok(!ex.ok, 'the workflow still ran after the uninstall');
				const text = `${ex.error?.message ?? ''} ${ex.stdout} ${ex.stderr}`;
				ok(
					text.includes(EXPLORIUM),
					`n8n execute failed without naming ${EXPLORIUM}`,
					text.slice(-1500),
				);
				t.log(
					`n8n execute: ${(text.match(new RegExp(`[^\\n]*${EXPLORIUM.replace('.', '\\.')}[^\\n]*`)) ?? [''])[0].trim().slice(0, 200)}`,
				);
			},
		);
	} finally {
		if (registry) await registry.stop();
	}
}
