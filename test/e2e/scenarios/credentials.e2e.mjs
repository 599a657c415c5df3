// The package's three credential types inside a real n8n:
//  1. n8n loads the packed package (no "Failed to load package", every node of package.json's
//     `n8n.nodes` exported by `n8n export:nodes`);
//  2. an HTTP Request node using each credential type ("predefined credential type") sends the
//     simulator's key in the provider's header, set by the credential class's `authenticate`;
//  3. with `n8n start`: the editor's credential type list (/types/credentials.json, built by n8n's
//     loader from the loaded classes) has the three types, and each credential's own `test`
//     (POST /rest/credentials/test, what the editor's "Test" button calls) passes with the
//     simulator's key and fails with the credential's message on a wrong key.
import fs from 'node:fs';
import path from 'node:path';
import { N8nInstance, packageLoadProblem, PACKAGE_NAME } from '../lib/n8n-instance.mjs';
import { runImportedWorkflow } from '../lib/run-imported-workflow.mjs';

export const title = 'credentials';

const WRONG_KEY = 'wrong-key-for-e2e';

export default async function credentials(t) {
	const { n8n, sim } = t;
	const { equal, ok, fail, findOne, requestsTo } = t.assert;
	const { CREDENTIAL_TYPES, simulatorCredentials, linearWorkflow, httpRequestWithCredential } =
		t.fixtures;
	// The installed copy's package.json (the tarball's, which is the repository's unless E2E_TARBALL).
	const pkg = JSON.parse(
		fs.readFileSync(path.join(n8n.installed.installedDir, 'package.json'), 'utf8'),
	);

	// ---------------------------------------------------------------- 1. package loads
	const ourNodes = await t.must('n8n loads the installed package (n8n export:nodes)', async () => {
		const nodes = await n8n.exportNodes();
		const out =
			fs.readFileSync(n8n.lastCli.stdoutFile, 'utf8') +
			fs.readFileSync(n8n.lastCli.stderrFile, 'utf8');
		const problem = packageLoadProblem(out);
		if (problem) fail('n8n could not load the package', problem);
		ok(
			nodes.length > 400,
			`export:nodes listed only ${nodes.length} node types (n8n's own missing?)`,
		);
		const all = nodes.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`));
		// n8n adds an AI-tool variant "<name>Tool" of every node with usableAsTool.
		const isToolVariant = (n) => all.some((o) => o.usableAsTool && n.name === `${o.name}Tool`);
		const ours = all.filter((n) => !isToolVariant(n));
		equal(
			ours.length,
			(pkg.n8n.nodes ?? []).length,
			`node types of ${PACKAGE_NAME} exported (package.json n8n.nodes)`,
		);
		const known = new Set(CREDENTIAL_TYPES.map((c) => c.type));
		for (const node of ours) {
			for (const cred of node.credentials ?? []) {
				ok(
					known.has(cred.name),
					`${node.name} references credential type ${cred.name}, not one of this package's`,
				);
			}
		}
		if (all.length) t.log(`package node types: ${all.map((n) => n.name).join(', ')}`);
		return ours;
	});

	// n8n reads a node's codex (categories, docs links: the editor's node panel) from
	// `<X.node.js>on`, i.e. X.node.json next to the compiled file; without it n8n only logs at debug.
	await t.check(
		'every packaged node has its codex (X.node.json beside X.node.js: categories in the editor)',
		async () => {
			const missing = (pkg.n8n.nodes ?? []).filter(
				(p) => !fs.existsSync(path.join(n8n.installed.installedDir, `${p}on`)),
			);
			ok(missing.length === 0, `codex file missing from the package for: ${missing.join(', ')}`);
			for (const node of ourNodes)
				ok(
					node.codex?.categories?.length,
					`${node.name}: no codex categories in n8n's node type`,
					node.codex,
				);
		},
	);

	// ---------------------------------------------------------------- 2. credentials used by a workflow
	await t.must('n8n import:credentials (three credentials pointing at the simulator)', async () => {
		const r = await n8n.importCredentials(simulatorCredentials(sim));
		ok(
			/Successfully imported 3 credentials/.test(r.stdout),
			'import did not report 3 credentials',
			r.stdout.slice(-800),
		);
	});

	const wf = linearWorkflow({
		id: 'e2eWfCredentials01',
		name: 'e2e: credentials through HTTP Request',
		nodes: CREDENTIAL_TYPES.map((c) =>
			httpRequestWithCredential({
				name: `Call ${c.type}`,
				url: sim.baseUrls[c.provider] + c.callPath,
				credentialType: c.type,
			}),
		),
	});
	const run = await t.must(
		'n8n import:workflow + n8n execute --rawOutput (Manual Trigger → 3 HTTP Request nodes)',
		async () => {
			return await runImportedWorkflow(t, wf);
		},
	);

	for (const c of CREDENTIAL_TYPES) {
		await t.check(
			`${c.type}: HTTP Request node sends "${c.header}" with the credential's key to ${c.provider}${c.callPath.split('?')[0]}`,
			async () => {
				const nodeName = `Call ${c.type}`;
				const nodeRun = run.ex.runData[nodeName]?.[0];
				ok(nodeRun, `node "${nodeName}" did not run`, Object.keys(run.ex.runData));
				if (nodeRun.error)
					fail(`node "${nodeName}" failed`, nodeRun.error.message ?? nodeRun.error);
				const item = N8nInstance.outputItems(run.ex.runData, nodeName)[0];
				ok(item, `node "${nodeName}" returned no item`);
				if (item.json.error) fail(`node "${nodeName}" returned an error item`, item.json.error);
				const req = findOne(
					requestsTo(run.requests, c.provider, c.callPath.split('?')[0]),
					() => true,
					`${c.provider} request to ${c.callPath}`,
				);
				equal(
					req.headers[c.header],
					sim.apiKeys[c.provider],
					`${c.header} header received by the simulator`,
				);
				ok(req.status !== 401, `simulator answered 401 to the credential's key`);
				equal(item.json.statusCode, req.status, 'status code seen by n8n');
			},
		);
	}

	// ---------------------------------------------------------------- 3. editor: types + credential test
	await t.must('n8n start, owner setup and login over the REST API', async () => {
		await n8n.start();
		await n8n.setupOwner();
		t.log(`n8n start ready in ${t.assert.fmtMs(n8n.startMs)}`);
	});

	await t.check('n8n start loads the package without errors', async () => {
		const problem = packageLoadProblem(n8n.serverOutput());
		if (problem) fail('n8n start could not load the package', problem);
	});

	const types = await t.check(
		"GET /types/credentials.json (the editor's credential types) answers",
		async () => {
			const r = await n8n.rest('GET', '/types/credentials.json');
			equal(r.status, 200, 'HTTP status');
			ok(Array.isArray(r.body), 'body is not an array', r.body);
			return r.body;
		},
	);
	for (const c of CREDENTIAL_TYPES) {
		await t.check(
			`${c.type}: listed in /types/credentials.json with its fields, authenticate and test`,
			async () => {
				ok(types, 'no credential type list');
				const ct = findOne(types, (x) => x.name === c.type, `credential type ${c.type}`);
				equal(ct.displayName, c.displayName, 'displayName');
				const apiKey = findOne(ct.properties, (p) => p.name === 'apiKey', 'apiKey property');
				equal(apiKey.typeOptions?.password, true, 'apiKey is password-typed');
				findOne(ct.properties, (p) => p.name === 'baseUrl', 'baseUrl property');
				ok(ct.authenticate?.type === 'generic', 'generic authenticate missing', ct.authenticate);
				ok(ct.test?.request, 'test request missing', ct.test);
			},
		);
	}

	// n8n 1.x differs in two ways (checked in n8n 1.123.81's source):
	//  - its NodeApiError drops the request error it wraps (`cause` is re-declared as a class field),
	//    so the credential tester never reaches a test's `responseCode` rules: a 401 is reported with
	//    NodeApiError's generic text instead of the credential's own message;
	//  - `ignoreHttpStatusErrors` is a plain boolean there (no `{ignore, except}`): ExactBuyer's test,
	//    which ignores every status but 401, ignores the 401 too and reports a wrong key as working.
	const v1 = n8n.n8nMajor < 2;
	const WRONG_KEY_MESSAGE_V1 = /^Authorization failed - please check your credentials$/;
	for (const c of CREDENTIAL_TYPES) {
		const [good] = simulatorCredentials(sim).filter((x) => x.type === c.type);
		await t.check(
			`${c.type}: credential test passes with the simulator's key (POST /rest/credentials/test)`,
			async () => {
				await sim.reset();
				const r = await n8n.rest('POST', '/rest/credentials/test', {
					credentials: { id: c.id, name: c.name, type: c.type, data: good.data },
				});
				equal(r.status, 200, 'HTTP status');
				const res = r.body?.data;
				equal(res?.status, 'OK', `test status (message: ${res?.message})`);
				const req = findOne(
					requestsTo(await sim.requests(), c.provider, c.probe.path),
					() => true,
					`${c.provider} ${c.probe.path} request`,
				);
				equal(
					req.headers[c.header],
					sim.apiKeys[c.provider],
					`${c.header} header received by the simulator`,
				);
			},
		);
		const v1Blind = v1 && c.type === 'bulkEnrichmentExactBuyerApi';
		const what = !v1
			? 'fails with a clear message'
			: v1Blind
				? 'cannot tell (n8n 1.x: reports OK, the 401 reached n8n)'
				: "fails (n8n 1.x: n8n's generic 401 message)";
		await t.check(`${c.type}: credential test on a wrong key ${what}`, async () => {
			await sim.reset();
			const data = { ...good.data, apiKey: WRONG_KEY };
			const r = await n8n.rest('POST', '/rest/credentials/test', {
				credentials: { id: c.id, name: c.name, type: c.type, data },
			});
			equal(r.status, 200, 'HTTP status');
			const res = r.body?.data;
			if (v1Blind) equal(res?.status, 'OK', 'test status (n8n 1.x ignores every HTTP status here)');
			else {
				equal(res?.status, 'Error', 'test status');
				const expected = v1 ? WRONG_KEY_MESSAGE_V1 : /rejected the API key \(401\)/;
				ok(expected.test(res?.message ?? ''), `unexpected message "${res?.message}"`);
			}
			const req = findOne(
				requestsTo(await sim.requests(), c.provider, c.probe.path),
				() => true,
				`${c.provider} ${c.probe.path} request`,
			);
			equal(req.headers[c.header], WRONG_KEY, `${c.header} header received by the simulator`);
			equal(req.status, 401, 'simulator status');
			t.log(`message: ${res.message}`);
		});
	}

	await n8n.stop();
}
