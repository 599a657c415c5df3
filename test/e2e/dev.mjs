#!/usr/bin/env node
// Local n8n for trying the package by hand: `npm run dev` (builds first).
//  - ensures n8n 2.40.7 + Node 24 in the cache (see lib/n8n-install.mjs);
//  - packs this repository and installs the tarball into a persistent user folder, .cache/dev-n8n/
//    (git-ignored; delete it to start from scratch);
//  - starts the provider simulator on 5690 and n8n on 5678 (DEV_SIMULATOR_PORT / DEV_N8N_PORT);
//  - imports "Explorium (simulator)", "Pronto (simulator)", "ExactBuyer (simulator)" credentials;
//  - creates a local owner login on first run; stays up until Ctrl-C, then stops both.
import fs from 'node:fs';
import path from 'node:path';
import { CREDENTIAL_TYPES, simulatorCredentials } from './lib/fixtures.mjs';
import { ensureN8n } from './lib/n8n-install.mjs';
import {
	installCleanupHandlers,
	installPackageInto,
	N8nInstance,
	PACKAGE_NAME,
	packageLoadProblem,
	packRepo,
	portInUse,
	REPO_ROOT,
	startSimulator,
} from './lib/n8n-instance.mjs';

const N8N_PORT = Number(process.env.DEV_N8N_PORT || 5678);
const SIM_PORT = Number(process.env.DEV_SIMULATOR_PORT || 5690);
const DEV_DIR = path.join(REPO_ROOT, '.cache', 'dev-n8n');
// Local-only login for the scratch instance in .cache/dev-n8n (not a secret of anything).
const OWNER = { email: 'dev@example.com', password: 'Dev-n8n-local-1', firstName: 'Local', lastName: 'Developer' };

const say = (s = '') => process.stdout.write(`${s}\n`);
const step = (s) => say(`[dev] ${s}`);

let n8n;
let sim;
let tail;
let stopping = false;

async function shutdown() {
	if (stopping) return;
	stopping = true;
	clearInterval(tail);
	step('stopping n8n and the simulator…');
	await n8n?.stop();
	await sim?.stop();
	step('stopped');
}

/** Echoes new lines of the n8n log (written to a file by N8nInstance.start) to this terminal. */
function followLog(file) {
	let pos = fs.existsSync(file) ? fs.statSync(file).size : 0;
	return setInterval(() => {
		let fd;
		try {
			fd = fs.openSync(file, 'r');
			const size = fs.fstatSync(fd).size;
			if (size > pos) {
				const buf = Buffer.alloc(size - pos);
				fs.readSync(fd, buf, 0, buf.length, pos);
				pos = size;
				for (const line of buf.toString('utf8').split('\n')) if (line.trim()) say(`[n8n] ${line}`);
			}
		} catch {
			/* not there yet */
		} finally {
			if (fd !== undefined) fs.closeSync(fd);
		}
	}, 500);
}

async function main() {
	installCleanupHandlers({ onSignal: shutdown });

	for (const [what, port, env] of [
		['n8n', N8N_PORT, 'DEV_N8N_PORT'],
		['the simulator', SIM_PORT, 'DEV_SIMULATOR_PORT'],
	]) {
		if (await portInUse(port)) throw new Error(`port ${port} (for ${what}) is in use: stop what runs there or set ${env}`);
	}

	const install = await ensureN8n({ log: (s) => step(`install: ${s}`) });

	fs.mkdirSync(DEV_DIR, { recursive: true });
	const packDir = fs.mkdtempSync(path.join(DEV_DIR, 'pack-'));
	try {
		const { tarball } = packRepo(packDir);
		// Same version number every build: remove the old copy so npm really reinstalls.
		fs.rmSync(path.join(DEV_DIR, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
		const { ms } = installPackageInto(DEV_DIR, tarball);
		step(`installed the freshly built ${PACKAGE_NAME} into ${path.relative(REPO_ROOT, DEV_DIR)}/.n8n/nodes (${ms} ms)`);
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}

	sim = await startSimulator({ port: SIM_PORT, logFile: path.join(DEV_DIR, 'simulator.log') });
	step(`simulator on ${sim.url} (log: ${path.relative(REPO_ROOT, path.join(DEV_DIR, 'simulator.log'))})`);

	n8n = new N8nInstance({
		install,
		userFolder: DEV_DIR,
		port: N8N_PORT,
		log: step,
		// Listen on every interface (port forwarding from containers) and print localhost URLs.
		env: { N8N_LISTEN_ADDRESS: undefined, N8N_HOST: 'localhost', N8N_RUNNERS_BROKER_PORT: process.env.DEV_BROKER_PORT },
	});
	await n8n.importCredentials(simulatorCredentials(sim));
	step(`credentials imported: ${CREDENTIAL_TYPES.map((c) => `"${c.name}"`).join(', ')}`);

	step(`starting n8n on port ${N8N_PORT} (first start migrates the database, ~15 s)…`);
	await n8n.start();
	const problem = packageLoadProblem(n8n.serverOutput());
	if (problem) say(`\n[dev] WARNING: n8n could not load the package:\n${problem}\n`);

	const settings = await n8n.rest('GET', '/rest/settings');
	let loginNote = `log in as ${OWNER.email} / ${OWNER.password}`;
	if (settings.body?.data?.userManagement?.showSetupOnFirstLoad) {
		await n8n.setupOwner(OWNER);
		loginNote = `created the local owner: ${OWNER.email} / ${OWNER.password}`;
	}
	tail = followLog(n8n.serverLog);
	n8n.server.once('exit', async (code, signal) => {
		if (stopping) return;
		step(`n8n exited unexpectedly (${code ?? signal}); log: ${n8n.serverLog}`);
		await shutdown();
		process.exit(1);
	});

	say('');
	say(`  n8n editor       http://localhost:${N8N_PORT}   (${loginNote})`);
	say(`  simulator        ${sim.url}   requests it received: ${sim.url}/__admin/requests`);
	say(`  credentials      ${CREDENTIAL_TYPES.map((c) => c.name).join(', ')}`);
	say(`  user folder      ${DEV_DIR}   (delete it to start from scratch)`);
	say('');
	say('  Open the editor, create a workflow, add a node of this package (search "Explorium", …),');
	say('  pick the "(simulator)" credential and run it; Credentials → open one → "Test" runs its check.');
	say('  After changing code: Ctrl-C, then `npm run dev` again (rebuilds and reinstalls the package).');
	say('  Ctrl-C stops n8n and the simulator.');
	say(`  n8n's log follows (startup part: ${path.relative(REPO_ROOT, n8n.serverLog)}).`);
	say('');
}

main().catch(async (e) => {
	say(`[dev] ${e.message}`);
	await shutdown();
	process.exit(1);
});
