#!/usr/bin/env node
// Screenshots of this package in a real n8n, for the README and docs/: `npm run screenshots` (builds first).
//
//  1. Debian's Chromium: installed with apt-get when /usr/bin/chromium is missing (needs root;
//     CHROMIUM_PATH points elsewhere).
//  2. The e2e level's n8n 2.40.7 (test/e2e/lib: cached install, a scratch user folder, the packed
//     package installed as users install it), the provider simulator and the three
//     "(simulator)" credentials; a local owner.
//  3. examples/waterfall-find-email.json imported with those credentials, opened in the editor and
//     run there ("Execute workflow"), as a user would.
//  4. playwright-core drives Chromium (1440×900): logs in, then saves
//       docs/images/workflow-canvas.png     the waterfall workflow after its run
//       docs/images/node-parameters.png     the ExactBuyer node's parameters, Options with Only Enrich Items Missing
//       docs/images/output-table.png        the Pronto node's output after the run, table view
//       docs/images/nodes-panel-search.png  the nodes panel searched for "exact buyer"
//       docs/images/nodes-panel-pronto.png, nodes-panel-pronto-actions.png  its Pronto entry, and opened
//       docs/images/explorium-enrich-contacts-defaults.png  Explorium Enrich Contacts as added, nothing set
//       docs/images/bulk-notices.png        the notices of a bulk operation (Pronto Bulk Enrich)
//       docs/images/hint-explorium-match.png  Explorium Match's execution hint after a run
//       docs/images/hint-bulk-run.png       a bulk run with misses and errors (On Error → Continue): its hint
//       docs/images/pronto-bulk-enrich-workflow.png, pronto-custom.png, pronto-trigger-workflow.png
//                                           the Pronto pattern: workflow A sends with Custom, workflow B has the trigger
//     (scripts/screenshot-workflows.mjs builds the workflows these need). Elements are found by n8n's
//     data-test-id and by parameter names, never by the panel's wording, which changes.
//  Everything it started is stopped at the end; the scratch n8n folder is removed (SCREENSHOTS_KEEP=1 keeps it).
//  SCREENSHOTS_DEBUG=1 also saves a picture of every step to $TMPDIR/n8n-screenshots-debug/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { credentialRef, simulatorCredentials } from '../test/e2e/lib/fixtures.mjs';
import {
	DEFAULTS_WORKFLOW_ID,
	defaultsWorkflow,
	HINTS_WORKFLOW_ID,
	hintsWorkflow,
	NODES,
	PRONTO_BULK_WORKFLOW_ID,
	PRONTO_TRIGGER_WORKFLOW_ID,
	prontoWorkflows,
} from './screenshot-workflows.mjs';
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
const OUT_DIR = path.join(REPO_ROOT, 'docs', 'images');
const DEBUG_DIR = path.join(os.tmpdir(), 'n8n-screenshots-debug');
const DEBUG = Boolean(process.env.SCREENSHOTS_DEBUG);
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'waterfall-find-email.json');
const WORKFLOW_ID = 'docsWfWaterfall1';
const VIEWPORT = { width: 1440, height: 900 };
const MAX_PNG_BYTES = 400 * 1024;
// Local-only login of the scratch instance (removed afterwards): not a secret of anything.
const OWNER = {
	email: 'docs@example.com',
	password: 'Docs-n8n-local-1',
	firstName: 'Docs',
	lastName: 'Screenshots',
};
const CREDENTIALS = {
	Explorium: 'bulkEnrichmentExploriumApi',
	ExactBuyer: 'bulkEnrichmentExactBuyerApi',
	Pronto: 'bulkEnrichmentProntoApi',
};

const t0 = Date.now();
const say = (s) =>
	process.stdout.write(
		`[screenshots ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${s}\n`,
	);

/** Debian's chromium, installed with apt-get when missing. */
function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not exist`);
	if (process.getuid?.() !== 0)
		throw new Error(
			`${CHROMIUM} is missing: install Debian's chromium (sudo apt-get install -y chromium) or set CHROMIUM_PATH`,
		);
	say(`${CHROMIUM} is missing: apt-get install chromium (about a minute)…`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
		const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
		if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
	}
	if (!fs.existsSync(CHROMIUM))
		throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

/** The example as shipped, with the simulator's credentials on the provider nodes. */
function exampleWorkflow() {
	const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const nodes = example.nodes.map((node) => {
		const type = CREDENTIALS[node.name];
		if (!type) return node;
		const withCredential = { ...node, credentials: credentialRef(type) };
		// The simulator finishes at once: poll every second rather than every five.
		if (node.name === 'Pronto')
			withCredential.parameters = {
				...node.parameters,
				options: { ...node.parameters.options, pollIntervalSeconds: 1 },
			};
		return withCredential;
	});
	return { ...example, id: WORKFLOW_ID, active: false, nodes };
}

async function debugShot(page, name) {
	if (!DEBUG) return;
	fs.mkdirSync(DEBUG_DIR, { recursive: true });
	await page.screenshot({ path: path.join(DEBUG_DIR, `${name}.png`) });
}

async function shot(page, name, clip) {
	if (await page.locator('.el-notification').count())
		throw new Error(`a toast is still open before ${name}.png`);
	const file = path.join(OUT_DIR, `${name}.png`);
	await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
	const bytes = fs.statSync(file).size;
	say(`saved ${path.relative(REPO_ROOT, file)} (${Math.round(bytes / 1024)} KB)`);
	if (bytes > MAX_PNG_BYTES)
		throw new Error(
			`${name}.png is ${Math.round(bytes / 1024)} KB, over ${MAX_PNG_BYTES / 1024} KB`,
		);
}

/** The sign-in form, as a user fills it. */
async function signIn(page, baseUrl) {
	await page.goto(`${baseUrl}/signin`);
	await page.fill('#emailOrLdapLoginId', OWNER.email);
	await page.fill('#password', OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.includes('/signin'));
	await debugShot(page, '01-signed-in');
	say('signed in');
}

/** How many nodes the canvas shows for a workflow: sticky notes are not among them. */
const canvasNodeCount = (workflow) =>
	workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').length;

/** Opens the workflow on the canvas, fitted to the window, and checks every node is there and known. */
async function openCanvas(page, url, nodeCount) {
	await page.goto(url);
	const nodes = page.locator('[data-test-id="canvas-node"]');
	await nodes.nth(nodeCount - 1).waitFor();
	if ((await nodes.count()) !== nodeCount)
		throw new Error(`the canvas shows ${await nodes.count()} nodes, the workflow has ${nodeCount}`);
	await assertNoUnknownNodes(page);
	await dismissToasts(page);
	await page.click('[data-test-id="zoom-to-fit"]');
	await neutralMouse(page);
	await page.waitForTimeout(600);
	await debugShot(page, `02-canvas-${path.basename(url)}`);
}

/** Opens the workflow, clicks "Execute workflow" and waits for each node's success mark. */
async function openAndRun(page, url, nodeCount) {
	await openCanvas(page, url, nodeCount);
	await page.click('[data-test-id="execute-workflow-button"]');
	await page.waitForFunction(
		(n) =>
			document.querySelectorAll('[data-test-id="canvas-node-status-success"]').length >= n ||
			document.querySelector('[data-test-id="canvas-node-status-error"]'),
		nodeCount,
		{ timeout: 120_000 },
	);
	if (await page.locator('[data-test-id="canvas-node-status-error"]').count())
		throw new Error('the run failed in the editor (a node shows an error)');
	say(`ran the workflow in the editor: ${nodeCount} nodes succeeded`);
	await dismissToasts(page, { expect: true });
	await page.click('[data-test-id="zoom-to-fit"]');
	await neutralMouse(page);
	await page.waitForTimeout(600);
}

async function assertNoUnknownNodes(page) {
	const text = await page.locator('body').innerText();
	for (const sign of [
		'not currently installed',
		'Install this node',
		'Unknown node',
		'not known',
	]) {
		if (text.includes(sign))
			throw new Error(`the editor says "${sign}": a node of the workflow is not loaded`);
	}
}

/** Closes n8n's toasts ("Workflow executed successfully"); `expect`: wait for one to appear first. */
async function dismissToasts(page, { expect = false } = {}) {
	const toasts = page.locator('.el-notification');
	if (expect)
		await toasts
			.first()
			.waitFor({ timeout: 10_000 })
			.catch(() => {});
	for (const button of await page.locator('.el-notification .el-notification__closeBtn').all())
		await button.click().catch(() => {});
	await page
		.waitForFunction(() => !document.querySelector('.el-notification'), null, { timeout: 10_000 })
		.catch(() => {});
}

/** The mouse away from anything with a hover state (node toolbars, table rows). */
async function neutralMouse(page) {
	await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
}

async function openNode(page, name) {
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	await page.locator('[data-test-id="ndv"]').waitFor();
	await page.locator('[data-test-id="node-parameters"]').waitFor();
	await dismissToasts(page);
	await page.waitForTimeout(800);
	await debugShot(page, `03-node-${name}`);
}

async function closeNode(page) {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
}

async function expectText(locator, text, what) {
	const actual = await locator.innerText();
	if (!actual.includes(text))
		throw new Error(`${what}: expected "${text}", the editor shows "${actual}"`);
}

/** The open node's output in table view, one line per row ("Collapse rows" on `column`). */
async function compactOutputTable(page, column) {
	const output = page.locator('[data-test-id="output-panel"]');
	await output.locator('[data-test-id="radio-button-table"]').click();
	const header = output.locator('th').filter({ hasText: column }).first();
	await header.hover();
	await header.locator('button[aria-label="Collapse rows"]').click();
	await neutralMouse(page);
	await page.waitForTimeout(600);
	return output;
}

/**
 * The open node's output table with the width of the window: the parameters panel dragged to the
 * left. Checks its rows and that `mustShow` columns are in view; returns the clip (the output panel
 * down to just below the table).
 */
async function wideOutputTable(page, { rows, mustShow }) {
	const handle = await page.locator('[data-test-id="panel-drag-button"]').boundingBox();
	await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
	await page.mouse.down();
	await page.mouse.move(0, handle.y + handle.height / 2, { steps: 30 });
	await page.mouse.up();
	const output = await compactOutputTable(page, mustShow[0]);
	const bodyRows = await output.locator('tbody tr').count();
	if (bodyRows !== rows) throw new Error(`the output table has ${bodyRows} rows, expected ${rows}`);
	const panel = await output.boundingBox();
	const headers = await output
		.locator('th')
		.evaluateAll((ths) =>
			ths.map((th) => ({ text: th.textContent.trim(), right: th.getBoundingClientRect().right })),
		);
	for (const column of mustShow) {
		const h = headers.find((x) => x.text === column);
		if (!h || h.right > panel.x + panel.width)
			throw new Error(`column ${column} is not in view in the output table`);
	}
	const table = await output.locator('table').boundingBox();
	await debugShot(page, '04-output-table');
	return {
		x: Math.round(panel.x),
		y: Math.round(panel.y),
		width: Math.round(panel.width),
		height: Math.round(Math.min(panel.height, table.y + table.height + 24 - panel.y)),
	};
}

/** The nodes panel (the canvas's "+") searched for `query`, as a user looks for a node. */
async function nodesPanelSearch(page, query) {
	await page.click('[data-test-id="node-creator-plus-button"]');
	const bar = page.locator('[data-test-id="node-creator-search-bar"]');
	await bar.waitFor();
	const input = (await bar.evaluate((el) => el.tagName)) === 'INPUT' ? bar : bar.locator('input');
	await input.fill(query);
	// A match shows node items (or, for an app with actions, its item names); a miss says so.
	const found = page
		.locator('[data-test-id="node-creator-node-item"]')
		.or(page.locator('[data-test-id="node-creator-item-name"]'));
	await debugShot(page, '05-nodes-panel-search');
	await found.or(page.locator('[data-test-id="node-creator-no-results"]')).first().waitFor();
	await page.waitForTimeout(600);
	const names = await page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
	if (!names.some((n) => /exact\s*buyer/i.test(n)))
		say(
			`WARNING: the nodes panel finds no ExactBuyer node for "${query}" (it shows: ${names.join(', ') || 'no results'})`,
		);
	await neutralMouse(page);
	await shot(page, 'nodes-panel-search');
	await page.keyboard.press('Escape');
}

/** The nodes panel's Pronto entry (n8n merges the Pronto node and its trigger into one) and, opened, its actions. */
async function nodesPanelPronto(page) {
	await page.click('[data-test-id="node-creator-plus-button"]');
	const bar = page.locator('[data-test-id="node-creator-search-bar"]');
	await bar.waitFor();
	const input = (await bar.evaluate((el) => el.tagName)) === 'INPUT' ? bar : bar.locator('input');
	await input.fill('pronto');
	await page.waitForTimeout(1000);
	await debugShot(page, '05-nodes-panel-pronto');
	// An app with actions shows as one item whose name element says the app's name.
	const entry = page
		.locator('[data-test-id="node-creator-item-name"]')
		.getByText('Pronto', { exact: true })
		.first();
	await entry.waitFor();
	await neutralMouse(page);
	await shot(page, 'nodes-panel-pronto');
	await entry.click();
	await page.waitForTimeout(1000);
	const trigger = page.getByText('On a Bulk Enrich result', { exact: true }).first();
	if (!(await trigger.isVisible()))
		await page
			.getByText(/^Triggers/)
			.first()
			.click();
	await trigger.waitFor();
	await debugShot(page, '05-nodes-panel-pronto-actions');
	await neutralMouse(page);
	await shot(page, 'nodes-panel-pronto-actions');
	await page.keyboard.press('Escape');
	await page.keyboard.press('Escape');
}

/** Scrolls the open node's parameter `name` into view (by its parameter name, not its label). */
async function showParameter(page, name) {
	const parameter = page
		.locator(`[data-test-id="node-parameters"] [data-test-id="parameter-input-${name}"]`)
		.first();
	await parameter.scrollIntoViewIfNeeded();
	await page.waitForTimeout(300);
}

/** The open node's notices (parameters of type notice, which n8n renders with role alert); fails when it shows none. */
async function showNotices(page) {
	const notices = page.locator('[data-test-id="node-parameters"] [role="alert"]');
	const count = await notices.count();
	if (!count) throw new Error('the open node shows no notice');
	await notices.first().scrollIntoViewIfNeeded();
	await page.waitForTimeout(300);
	return count;
}

/** Where the open node's Docs link goes, as n8n built it (issue 27: its own docs page, no lost #anchor). */
async function sayDocsLink(page, node) {
	const href = await page
		.locator('a', { hasText: /^\s*Docs\s*$/ })
		.first()
		.getAttribute('href', { timeout: 5000 })
		.catch(() => null);
	say(`${node}'s Docs link: ${href ?? '(not found)'}`);
}

/** The open node's execution hints (n8n shows them above its output); fails when there is none. */
async function showHints(page, what) {
	const hints = page.locator('[data-test-id="output-panel"] [data-test-id="run-data-hints"]');
	await hints.first().waitFor();
	const text = (await hints.first().innerText()).trim();
	if (!text) throw new Error(`${what}: no execution hint above the output`);
	say(`${what} hint: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
}

/** The pictures beyond the waterfall's: the nodes panel, defaults, notices, hints, the Pronto pattern. */
async function moreShots(page, baseUrl) {
	await nodesPanelSearch(page, 'exact buyer');
	await nodesPanelPronto(page);

	const hints = hintsWorkflow();
	await openAndRun(page, `${baseUrl}/workflow/${HINTS_WORKFLOW_ID}`, canvasNodeCount(hints));
	await openNode(page, NODES.match);
	await showHints(page, 'Explorium Match');
	await shot(page, 'hint-explorium-match');
	await closeNode(page);
	await openNode(page, NODES.bulkRun);
	await showHints(page, 'bulk run with misses and errors');
	await shot(page, 'hint-bulk-run');
	await closeNode(page);

	await openCanvas(
		page,
		`${baseUrl}/workflow/${DEFAULTS_WORKFLOW_ID}`,
		canvasNodeCount(defaultsWorkflow()),
	);
	await openNode(page, NODES.enrichContacts);
	await neutralMouse(page);
	await shot(page, 'explorium-enrich-contacts-defaults');
	await sayDocsLink(page, 'Explorium');
	await closeNode(page);

	const pronto = prontoWorkflows();
	await openCanvas(
		page,
		`${baseUrl}/workflow/${PRONTO_BULK_WORKFLOW_ID}`,
		canvasNodeCount(pronto.bulk),
	);
	await shot(page, 'pronto-bulk-enrich-workflow');
	await openNode(page, NODES.prontoBulk);
	say(`Pronto Bulk Enrich shows ${await showNotices(page)} notice(s)`);
	await sayDocsLink(page, 'Pronto');
	await shot(page, 'bulk-notices');
	await showParameter(page, 'custom');
	await shot(page, 'pronto-custom');
	await closeNode(page);
	await openCanvas(
		page,
		`${baseUrl}/workflow/${PRONTO_TRIGGER_WORKFLOW_ID}`,
		canvasNodeCount(pronto.trigger),
	);
	await shot(page, 'pronto-trigger-workflow');
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
		if (n8n && !process.env.SCREENSHOTS_KEEP)
			fs.rmSync(n8n.userFolder, { recursive: true, force: true });
	};
	installCleanupHandlers({ onSignal: cleanup });
	try {
		ensureChromium();
		// The README shows n8n 2.x: the default version, whatever N8N_E2E_N8N_VERSION says (the editor's DOM differs in 1.x).
		const install = await ensureN8n({ log: (s) => say(`install: ${s}`), version: N8N_VERSION });
		packDir = makeTempDir('screenshots-pack');
		const { tarball } = packRepo(packDir);
		// Its own scratch folder and ports (not the e2e runner's n8n-e2e-user-* folders).
		const userFolder = makeTempDir('n8n-screenshots');
		const port = await freePort();
		n8n = new N8nInstance({ install, userFolder, port, brokerPort: await freePort([port]) });
		installPackageInto(userFolder, tarball);
		sim = await startSimulator({ logFile: path.join(n8n.userFolder, 'simulator.log') });
		say(`scratch n8n in ${n8n.userFolder} (port ${n8n.port}), simulator ${sim.url}`);

		await n8n.importCredentials(simulatorCredentials(sim));
		for (const workflow of [
			exampleWorkflow(),
			hintsWorkflow(),
			defaultsWorkflow(),
			...Object.values(prontoWorkflows()),
		])
			await n8n.importWorkflow(workflow);
		await n8n.start();
		await n8n.setupOwner(OWNER);
		say(`n8n started at ${n8n.baseUrl}; owner ${OWNER.email}`);

		// A fresh profile every run; the flags keep Chromium off the network (closed here) except localhost.
		userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'screenshots-chromium-'));
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
			viewport: VIEWPORT,
			deviceScaleFactor: 1,
			locale: 'en-US',
			colorScheme: 'light',
		});
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(30_000);

		await signIn(page, n8n.baseUrl);
		const workflow = exampleWorkflow();
		await openAndRun(page, `${n8n.baseUrl}/workflow/${WORKFLOW_ID}`, canvasNodeCount(workflow));
		await shot(page, 'workflow-canvas');

		await openNode(page, 'ExactBuyer');
		await page
			.locator('[data-test-id="parameter-input-onlyEnrichMissing"]')
			.scrollIntoViewIfNeeded();
		await expectText(
			page.locator('[data-test-id="parameter-input-onlyEnrichMissing"]'),
			'Email',
			'Only Enrich Items Missing of ExactBuyer',
		);
		await compactOutputTable(page, 'crm_id');
		await shot(page, 'node-parameters');
		await closeNode(page);

		// The sample's company columns push email past 1440 px: this one picture is taken wider.
		await page.setViewportSize({ width: 1920, height: 900 });
		await openNode(page, 'Pronto');
		const clip = await wideOutputTable(page, { rows: 4, mustShow: ['crm_id', 'email'] });
		await shot(page, 'output-table', clip);
		await closeNode(page);
		await page.setViewportSize({ width: 1440, height: 900 });

		await moreShots(page, n8n.baseUrl);
	} finally {
		await cleanup();
	}
}

main()
	.then(() => {
		say('done');
		process.exit(0);
	})
	.catch((e) => {
		process.stderr.write(`[screenshots] ${e.stack || e.message}\n`);
		killAllChildren('SIGKILL');
		process.exit(1);
	});
