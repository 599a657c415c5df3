#!/usr/bin/env node
// Local n8n for trying the package by hand: `npm run dev` (builds first).
//  - ensures n8n 2.40.7 + Node 24 in the cache (see lib/n8n-install.mjs);
//  - packs this repository and installs the tarball into a persistent user folder, .cache/dev-n8n/
//    (git-ignored; delete it to start from scratch);
//  - starts the provider simulator on 5690 and n8n on 5678 (DEV_SIMULATOR_PORT / DEV_N8N_PORT);
//  - imports "Explorium (simulator)", "Pronto (simulator)", "ExactBuyer (simulator)" credentials, and
//    "OpenAI (simulator)": an offline OpenAI-compatible stand-in model on 5691 (DEV_CHAT_MODEL_PORT)
//    for the AI-agent example (lib/chat-model-stub.mjs, leadModel);
//  - keeps n8n's whole log in a file it names and shows only this package's lines and n8n's
//    warnings and errors, once each, without stack traces;
//  - creates a local owner login on first run; stays up until Ctrl-C, then stops both;
//  - says why npm's EBADENGINE warning for isolated-vm (Node < 24) is harmless, checks its ports
//    again after the (first, long) n8n install, and prints where the simulator's rules are.
import fs from 'node:fs';
import path from 'node:path';
import devLog from './lib/dev-log.cjs';
import {
	leadModel,
	startChatModelStub,
	stubCredential,
	STUB_CREDENTIAL,
} from './lib/chat-model-stub.mjs';
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
const MODEL_PORT = Number(process.env.DEV_CHAT_MODEL_PORT || 5691);
const DEV_DIR = path.join(REPO_ROOT, '.cache', 'dev-n8n');
// Local-only login for the scratch instance in .cache/dev-n8n (not a secret of anything).
const OWNER = {
	email: 'dev@example.com',
	password: 'Dev-n8n-local-1',
	firstName: 'Local',
	lastName: 'Developer',
};

const SIMULATOR_RULES = path.join('test', 'simulator', 'README.md');

const say = (s = '') => process.stdout.write(`${s}\n`);
const step = (s) => say(`[dev] ${s}`);

let n8n;
let sim;
let model;
let tail;
let stopping = false;

async function shutdown() {
	if (stopping) return;
	stopping = true;
	clearInterval(tail);
	step('stopping n8n and the simulator…');
	await n8n?.stop();
	await sim?.stop();
	await model?.close();
	step('stopped');
}

/** Echoes the lines of the n8n log (written to a file by N8nInstance.start) that logLineToShow keeps, from its start. */
function followLog(file) {
	let pos = 0;
	let partial = '';
	const seen = new Set();
	const show = () => {
		let fd;
		try {
			fd = fs.openSync(file, 'r');
			const size = fs.fstatSync(fd).size;
			if (size > pos) {
				const buf = Buffer.alloc(size - pos);
				fs.readSync(fd, buf, 0, buf.length, pos);
				pos = size;
				const lines = (partial + buf.toString('utf8')).split('\n');
				partial = lines.pop() ?? '';
				for (const line of lines) {
					const shown = devLog.logLineToShow(line, seen);
					if (shown) say(`[n8n] ${shown}`);
				}
			}
		} catch {
			/* not there yet */
		} finally {
			if (fd !== undefined) fs.closeSync(fd);
		}
	};
	show();
	return setInterval(show, 500);
}

/** Fails when a port dev needs is taken; `when` says at which moment (the n8n install takes minutes). */
async function checkPorts(when) {
	for (const [what, port, env] of [
		['n8n', N8N_PORT, 'DEV_N8N_PORT'],
		['the simulator', SIM_PORT, 'DEV_SIMULATOR_PORT'],
		['the stand-in chat model', MODEL_PORT, 'DEV_CHAT_MODEL_PORT'],
	]) {
		if (await portInUse(port))
			throw new Error(
				`port ${port} (for ${what}) is in use${when}: stop what runs there or set ${env}`,
			);
	}
}

/**
 * `npm ci` on Node < 24 warns "EBADENGINE Unsupported engine … isolated-vm … >=24.0.0": say here,
 * right under it, why that is harmless, instead of hiding npm's warnings.
 */
function explainEngineWarning() {
	let required;
	try {
		required = JSON.parse(
			fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'isolated-vm', 'package.json'), 'utf8'),
		).engines?.node;
	} catch {
		return;
	}
	const needed = Number(/^>=\s*(\d+)/.exec(required ?? '')?.[1]);
	if (!needed || Number(process.versions.node.split('.')[0]) >= needed) return;
	step(
		`about npm's "EBADENGINE Unsupported engine … isolated-vm" warning during \`npm ci\`: harmless on Node ${process.versions.node}.`,
	);
	step(
		`  isolated-vm (needs Node ${required}) is a dev dependency of n8n-workflow, loaded only by n8n's "vm" expression engine,`,
	);
	step(
		`  which nothing in this repository's tests selects; .npmrc skips its native build. The n8n started below runs on its own Node 24.`,
	);
}

async function main() {
	installCleanupHandlers({ onSignal: shutdown });

	explainEngineWarning();
	await checkPorts('');
	const install = await ensureN8n({ log: (s) => step(`install: ${s}`) });
	// The first install takes minutes: something may have taken a port meanwhile.
	await checkPorts(' (taken while n8n was being installed)');

	fs.mkdirSync(DEV_DIR, { recursive: true });
	const packDir = fs.mkdtempSync(path.join(DEV_DIR, 'pack-'));
	try {
		const { tarball } = packRepo(packDir);
		// Same version number every build: remove the old copy so npm really reinstalls.
		fs.rmSync(path.join(DEV_DIR, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME), {
			recursive: true,
			force: true,
		});
		const { ms } = installPackageInto(DEV_DIR, tarball);
		step(
			`installed the freshly built ${PACKAGE_NAME} into ${path.relative(REPO_ROOT, DEV_DIR)}/.n8n/nodes (${ms} ms)`,
		);
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}

	sim = await startSimulator({ port: SIM_PORT, logFile: path.join(DEV_DIR, 'simulator.log') });
	step(
		`simulator on ${sim.url} (log: ${path.relative(REPO_ROOT, path.join(DEV_DIR, 'simulator.log'))})`,
	);

	model = await startChatModelStub({ nextToolCall: leadModel, port: MODEL_PORT });
	step(
		`stand-in chat model "${STUB_CREDENTIAL.name}" on ${model.baseUrl} (offline, OpenAI-compatible)`,
	);

	n8n = new N8nInstance({
		install,
		userFolder: DEV_DIR,
		port: N8N_PORT,
		log: step,
		// Listen on every interface (port forwarding from containers) and print localhost URLs.
		// JSON log lines carry their level: the terminal shows warnings and errors, the file has all.
		env: {
			N8N_LISTEN_ADDRESS: undefined,
			N8N_HOST: 'localhost',
			N8N_RUNNERS_BROKER_PORT: process.env.DEV_BROKER_PORT,
			N8N_LOG_FORMAT: 'json',
		},
	});
	await n8n.importCredentials([...simulatorCredentials(sim), stubCredential(model)]);
	step(
		`credentials imported: ${[...CREDENTIAL_TYPES, STUB_CREDENTIAL].map((c) => `"${c.name}"`).join(', ')}`,
	);

	step(`starting n8n on port ${N8N_PORT} (first start migrates the database, ~15 s)…`);
	await n8n.start();
	const messages = n8n
		.serverOutput()
		.split('\n')
		.map((line) => (line.startsWith('{') ? (JSON.parse(line).message ?? line) : line));
	const problem = packageLoadProblem(messages.join('\n'));
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
	say(
		`  credentials      ${CREDENTIAL_TYPES.map((c) => c.name).join(', ')}, ${STUB_CREDENTIAL.name} (stand-in chat model)`,
	);
	say(`  user folder      ${DEV_DIR}   (delete it to start from scratch)`);
	say('');
	say(
		'  First enrichment: Workflows → Import from File → examples/waterfall-find-email.json (or any of examples/),',
	);
	say(
		'  Execute workflow, read enrichment_status on each item: every example names the "(simulator)" credentials, and its',
	);
	say('  CRM reads carry pinned sample data (CRM writes are disabled until you connect your CRM).');
	say(
		'  Or create a workflow and add a node of this package (search "Explorium", …). Credentials → open one → "Test" runs its check.',
	);
	say('');
	say(`  simulator rules  ${SIMULATOR_RULES}   (how it answers: misses, errors, rate limits)`);
	say(
		'    not found      put "nomatch" in an email, LinkedIn URL or (Pronto) last name, e.g. ada.nomatch@example.com',
	);
	say(
		`    an error       curl -X POST ${sim.url}/__admin/faults -d '{"provider":"explorium","kind":"status","status":500,"times":3}'`,
	);
	say(
		`    a rate limit   curl -X POST ${sim.url}/__admin/rate-limit -d '{"provider":"exactbuyer","limit":3,"windowMs":1000}'`,
	);
	say(`    start over     curl -X POST ${sim.url}/__admin/reset`);
	say(
		'  After changing code: Ctrl-C, then `npm run dev` again (rebuilds and reinstalls the package).',
	);
	say('  Ctrl-C stops n8n and the simulator.');
	say(
		`  n8n's log follows: this package's lines and n8n's warnings and errors only; all of it is in ${path.relative(REPO_ROOT, n8n.serverLog)}`,
	);
	say('');
}

main().catch(async (e) => {
	say(`[dev] ${e.message}`);
	await shutdown();
	process.exit(1);
});
