#!/usr/bin/env node
// `npm run bench:panel` (issue 27 point 8): how long a package node's panel takes to open after a
// 500-item run, against a No Op holding the same items, in a real n8n 2.40.7 editor (test/e2e/lib:
// the packed package installed as users install it, the simulator, Debian's Chromium driven by
// playwright-core, as scripts/screenshots.mjs does).
//
// One workflow: Start → 500 input rows (an HTTP Request to the simulator's sample inputs) → our node
// → a No Op, for ExactBuyer Bulk Enrich and Explorium Enrich Contacts, plus a No Op on the input rows;
// variations to pin the cause: n8n's Set node holding the same items, our nodes not run (parameters
// only), and pinned panels (below).
// It is run once in the editor; then every panel is opened and closed in turn, REPS rounds, so load on
// the machine hits ours and the No Ops alike. A time is from the double-click (a capture listener in
// the page) to the output pane showing the first item's data (a value of that item inside the output
// panel's `ndv-data-container`; elements by data-test-id only). Medians per node are printed (and
// written to PANEL_OUT when set). Results and what they showed: bench/results/panel-open.md.
//
//   PANEL_REPS=7 (default)  PANEL_ITEMS=500 (default)  PANEL_OUT=<file> (the table, with date and load)
//   PANEL_SET=pinned: only the pinned variations (Explorium as added, with 1 or 4 pre-mapped fields, and a
//     No Op, all holding the same pinned output): no run, about a minute
//   PANEL_PROFILE=<node name>: also a CPU profile of one open of that panel, top self-time functions printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { credentialRef, simulatorCredentials } from '../test/e2e/lib/fixtures.mjs';
import { ensureN8n, N8N_VERSION } from '../test/e2e/lib/n8n-install.mjs';
import {
	freePort,
	installCleanupHandlers,
	installPackageInto,
	killAllChildren,
	makeTempDir,
	N8nInstance,
	packRepo,
	REPO_ROOT,
	startSimulator,
} from '../test/e2e/lib/n8n-instance.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const REPS = Number(process.env.PANEL_REPS ?? 7);
const ITEMS = Number(process.env.PANEL_ITEMS ?? 500);
const OUT = process.env.PANEL_OUT && path.resolve(REPO_ROOT, process.env.PANEL_OUT);
const PROFILE = process.env.PANEL_PROFILE;
const WORKFLOW_ID = 'benchPanelOpen01';
// Local-only login of the scratch instance (removed afterwards): not a secret of anything.
const OWNER = {
	email: 'bench@example.com',
	password: 'Bench-n8n-local-1',
	firstName: 'Bench',
	lastName: 'Panel',
};
const PKG = 'n8n-nodes-bulk-enrichment';

const t0 = Date.now();
const say = (s) =>
	process.stdout.write(`[panel ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${s}\n`);
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Each branch: rows → our node → a No Op. `marker`: a value of the first output item, what the
 * output pane shows once its data is rendered (table, JSON and schema views all show it).
 */
const BRANCHES = [
	{
		key: 'ExactBuyer',
		kind: 'exactbuyer-emails',
		marker: 'bench0@example.com',
		node: {
			type: `${PKG}.exactBuyer`,
			parameters: {
				resource: 'contact',
				operation: 'bulkEnrich',
				fieldType: 'email',
				value: '={{ $json.email }}',
			},
			credentials: credentialRef('bulkEnrichmentExactBuyerApi'),
		},
	},
	{
		key: 'Explorium',
		kind: 'explorium-prospect-ids',
		marker: 'prospect_id',
		node: {
			type: `${PKG}.explorium`,
			typeVersion: 3,
			parameters: { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'prospectId' },
			credentials: credentialRef('bulkEnrichmentExploriumApi'),
		},
	},
];

/**
 * Pinned variations, no run needed: 500 contact rows pinned on a No Op feed Explorium Enrich Contacts
 * as added (Person Details: eight fields pre-mapped with expressions), the same with only Email
 * mapped, and a No Op; the three hold the same pinned output, so only their parameters differ.
 */
const PINNED = ['Explorium pinned, pre-mapped', 'Explorium pinned, email only', 'No Op pinned'];
const PERSON_FIELDS = [
	'phone',
	'linkedinUrl',
	'fullName',
	'firstName',
	'lastName',
	'companyName',
	'businessId',
];

function pinnedPart() {
	const rows = Array.from({ length: ITEMS }, (_, n) => ({
		row: n,
		email: `bench${n}@example.com`,
		first_name: 'Bench',
		last_name: `Person${n}`,
		company_name: 'Example Inc',
		linkedin_url: `https://www.linkedin.com/in/bench-${n}`,
	}));
	const output = rows.map((r) => ({
		...r,
		enrichment_status: 'found',
		professional_email: r.email,
		mobile_phone: '+15550100',
		job_title: 'Engineer',
	}));
	const explorium = (name, parameters, y) => ({
		name,
		...BRANCHES[1].node,
		parameters: { resource: 'prospect', operation: 'enrichContacts', ...parameters },
		position: [240, y],
	});
	const nodes = [
		{ name: 'Pinned rows', type: 'n8n-nodes-base.noOp', parameters: {}, position: [0, 900] },
		explorium(PINNED[0], {}, 780),
		explorium(PINNED[1], Object.fromEntries(PERSON_FIELDS.map((f) => [f, ''])), 900),
		{ name: PINNED[2], type: 'n8n-nodes-base.noOp', parameters: {}, position: [240, 1020] },
	];
	const pinData = {
		'Pinned rows': rows.map((json) => ({ json })),
		...Object.fromEntries(PINNED.map((n) => [n, output.map((json) => ({ json }))])),
	};
	return {
		nodes,
		pinData,
		connections: {
			'Pinned rows': { main: [PINNED.map((node) => ({ node, type: 'main', index: 0 }))] },
		},
	};
}

/** PANEL_SET=pinned measures the pinned variations only (no run: a minute instead of four). */
const PINNED_ONLY = process.env.PANEL_SET === 'pinned';

/** Panels measured each round, in this order: [node name, marker]. */
const PANELS = PINNED_ONLY
	? PINNED.map((n) => [n, 'bench0@example.com'])
	: BRANCHES.flatMap((b) => [
			[b.key, b.marker],
			[`No Op after ${b.key}`, b.marker],
		]).concat([
			['No Op on input', 'bench0@example.com'],
			// Variations that pin the cause: n8n's own Set node holding the same items, and our nodes with no run (parameters only).
			['Set after Explorium', 'prospect_id'],
			['Explorium (not run)', null],
			['ExactBuyer (not run)', null],
			...PINNED.map((n) => [n, 'bench0@example.com']),
		]);

function workflow(sim) {
	const pinned = pinnedPart();
	if (PINNED_ONLY)
		return {
			id: WORKFLOW_ID,
			name: 'bench: panel open',
			active: false,
			...pinned,
			nodes: pinned.nodes.map((n, i) => ({ id: `panel-${i}`, typeVersion: 1, ...n })),
			settings: { executionOrder: 'v1' },
		};
	const nodes = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {}, position: [0, 200] },
	];
	const connections = {};
	const link = (from, ...to) =>
		(connections[from] = { main: [to.map((node) => ({ node, type: 'main', index: 0 }))] });
	const starts = [];
	BRANCHES.forEach((b, i) => {
		const y = i * 240;
		const rows = `${b.key} rows`;
		nodes.push(
			{
				name: rows,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					url: `${sim.url}/__admin/sample-inputs?kind=${b.kind}&count=${ITEMS}`,
					options: {},
				},
				position: [240, y],
			},
			{ name: b.key, typeVersion: 1, ...b.node, position: [480, y] },
			{
				name: `No Op after ${b.key}`,
				type: 'n8n-nodes-base.noOp',
				parameters: {},
				position: [720, y],
			},
		);
		starts.push(rows);
		link(rows, b.key, ...(i === 0 ? ['No Op on input'] : []));
		link(b.key, `No Op after ${b.key}`);
	});
	nodes.push(
		{ name: 'No Op on input', type: 'n8n-nodes-base.noOp', parameters: {}, position: [480, 480] },
		{
			name: 'Set after Explorium',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'manual', includeOtherFields: true, options: {} },
			position: [960, 240],
		},
		...BRANCHES.map((b, i) => ({
			name: `${b.key} (not run)`,
			typeVersion: 1,
			...b.node,
			position: [720 + i * 240, 480],
		})),
	);
	link('No Op after Explorium', 'Set after Explorium');
	link('Start', ...starts);
	const executed = nodes.length - BRANCHES.length;
	nodes.push(...pinned.nodes);
	return {
		id: WORKFLOW_ID,
		name: 'bench: panel open',
		active: false,
		executed,
		nodes: nodes.map((n, i) => ({ id: `panel-${i}`, typeVersion: 1, ...n })),
		connections: { ...connections, ...pinned.connections },
		pinData: pinned.pinData,
		settings: { executionOrder: 'v1' },
	};
}

async function dismissToasts(page) {
	for (const button of await page.locator('.el-notification .el-notification__closeBtn').all())
		await button.click().catch(() => {});
}

/** Double-click → the output pane shows `marker`; also when the parameters appeared. Milliseconds. */
async function openPanel(page, name, marker) {
	await page.evaluate(() => {
		window.__dbl = undefined;
		document.addEventListener('dblclick', () => (window.__dbl = performance.now()), {
			capture: true,
			once: true,
		});
	});
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	const done = await page.waitForFunction(
		(m) => {
			const out = document.querySelector(
				'[data-test-id="output-panel"] [data-test-id="ndv-data-container"]',
			);
			const params = document.querySelector('[data-test-id="node-parameters"]');
			if (params && !window.__params) window.__params = performance.now();
			// A node that did not run: its parameters and the output pane's frame.
			if (
				m === null
					? !params || !document.querySelector('[data-test-id="output-panel"]')
					: !out?.textContent.includes(m)
			)
				return false;
			const r = {
				output: performance.now() - window.__dbl,
				params: (window.__params ?? performance.now()) - window.__dbl,
			};
			window.__params = undefined;
			return r;
		},
		marker,
		{ polling: 'raf', timeout: 60_000 },
	);
	return done.jsonValue();
}

async function closePanel(page) {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
	await page.waitForTimeout(400);
}

/** Top self-time functions of a CPU profile of one panel open. */
async function profileOpen(page, name, marker) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
	await cdp.send('Profiler.start');
	await openPanel(page, name, marker);
	const { profile } = await cdp.send('Profiler.stop');
	await closePanel(page);
	const dt = profile.timeDeltas;
	const self = new Map();
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	profile.samples.forEach((id, i) => {
		const f = byId.get(id).callFrame;
		const k = `${f.functionName || '(anon)'} ${path.basename(f.url)}:${f.lineNumber}`;
		self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000);
	});
	const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
	say(
		`CPU profile of opening ${name}:\n${top.map(([k, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${k}`).join('\n')}`,
	);
	fs.writeFileSync(
		path.join(os.tmpdir(), `panel-${name.replace(/\W+/g, '-')}.cpuprofile`),
		JSON.stringify(profile),
	);
}

async function main() {
	let sim;
	let n8n;
	let context;
	let userDataDir;
	let packDir;
	const cleanup = async () => {
		await context?.close().catch(() => {});
		if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
		await n8n?.stop();
		await sim?.stop();
		if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
		if (n8n && !process.env.PANEL_KEEP) fs.rmSync(n8n.userFolder, { recursive: true, force: true });
	};
	installCleanupHandlers({ onSignal: cleanup });
	try {
		const install = await ensureN8n({ log: (s) => say(`install: ${s}`), version: N8N_VERSION });
		packDir = makeTempDir('panel-pack');
		const { tarball } = packRepo(packDir);
		const userFolder = makeTempDir('n8n-panel');
		const port = await freePort();
		n8n = new N8nInstance({ install, userFolder, port, brokerPort: await freePort([port]) });
		installPackageInto(userFolder, tarball);
		sim = await startSimulator({ logFile: path.join(userFolder, 'simulator.log') });
		await n8n.importCredentials(simulatorCredentials(sim));
		const wf = workflow(sim);
		const { executed, ...importable } = wf;
		await n8n.importWorkflow(importable);
		await n8n.start();
		await n8n.setupOwner(OWNER);
		say(`n8n at ${n8n.baseUrl}, simulator ${sim.url}`);

		userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-chromium-'));
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
			viewport: { width: 1440, height: 900 },
			locale: 'en-US',
		});
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(60_000);
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.fill('#emailOrLdapLoginId', OWNER.email);
		await page.fill('#password', OWNER.password);
		await page.click('[data-test-id="form-submit-button"]');
		await page.waitForURL((url) => !url.pathname.includes('/signin'));

		await page.goto(`${n8n.baseUrl}/workflow/${WORKFLOW_ID}`);
		await page
			.locator('[data-test-id="canvas-node"]')
			.nth(wf.nodes.length - 1)
			.waitFor();
		await page.click('[data-test-id="zoom-to-fit"]');
		if (!PINNED_ONLY) {
			await page.click('[data-test-id="execute-workflow-button"]');
			await page.waitForFunction(
				(n) =>
					document.querySelectorAll('[data-test-id="canvas-node-status-success"]').length >= n ||
					document.querySelector('[data-test-id="canvas-node-status-error"]'),
				wf.executed,
				{ timeout: 300_000 },
			);
			if (await page.locator('[data-test-id="canvas-node-status-error"]').count())
				throw new Error('the run failed in the editor');
			say(`ran the workflow in the editor (${ITEMS} items per branch)`);
		}
		await page.waitForTimeout(1500);
		await dismissToasts(page);
		await page.mouse.move(1435, 895);

		// One warm-up open of each panel (the editor loads its lazy chunks on first use); the REST calls each open makes.
		let calls = [];
		page.on('requestfinished', (r) =>
			calls.push(
				`${r.method()} ${new URL(r.url()).pathname} ${Math.round(r.timing().responseEnd)} ms`,
			),
		);
		for (const [name, marker] of PANELS) {
			calls = [];
			const t = await openPanel(page, name, marker);
			say(
				`warm-up ${name}: ${Math.round(t.output)} ms; requests: ${calls.filter((c) => !c.includes('/assets/')).join(', ') || 'none'}`,
			);
			await closePanel(page);
		}
		if (PROFILE) await profileOpen(page, PROFILE, PANELS.find(([n]) => n === PROFILE)[1]);
		const times = Object.fromEntries(PANELS.map(([name]) => [name, []]));
		for (let rep = 0; rep < REPS; rep++) {
			for (const [name, marker] of PANELS) {
				const t = await openPanel(page, name, marker);
				times[name].push(t);
				await closePanel(page);
			}
			say(
				`round ${rep + 1}/${REPS}: ${PANELS.map(([name]) => `${name} ${Math.round(times[name][rep].output)}`).join(', ')} ms`,
			);
		}
		const lines = [
			`| panel (${ITEMS} items) | output shown, median ms | parameters shown, median ms | ratio to its No Op | all output times, ms |`,
			'|---|---:|---:|---:|---|',
			...PANELS.map(([name]) => {
				const out = median(times[name].map((t) => t.output));
				const ref =
					{
						'Set after Explorium': 'No Op after Explorium',
						[PINNED[0]]: PINNED[2],
						[PINNED[1]]: PINNED[2],
					}[name] ?? (BRANCHES.some((b) => b.key === name) ? `No Op after ${name}` : undefined);
				const noOp = ref && times[ref] ? median(times[ref].map((t) => t.output)) : undefined;
				return `| ${name} | ${Math.round(out)} | ${Math.round(median(times[name].map((t) => t.params)))} | ${noOp ? (out / noOp).toFixed(2) : ''} | ${times[name].map((t) => Math.round(t.output)).join(', ')} |`;
			}),
		];
		const table = lines.join('\n');
		process.stdout.write(`\n${table}\n`);
		if (OUT)
			fs.writeFileSync(
				OUT,
				`n8n ${N8N_VERSION}, ${REPS} rounds, ${new Date().toISOString()}, load ${os.loadavg()[0].toFixed(1)}\n\n${table}\n`,
			);
	} finally {
		await cleanup();
	}
}

main()
	.then(() => process.exit(0))
	.catch((e) => {
		process.stderr.write(`[panel] ${e.stack || e.message}\n`);
		killAllChildren('SIGKILL');
		process.exit(1);
	});
