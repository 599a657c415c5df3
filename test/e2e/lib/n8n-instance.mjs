// Helpers to drive a real n8n (CLI and `n8n start`) with this repository's packed package installed
// the way n8n's manual-install docs describe, plus the provider simulator as a child process.
// Every child is started in its own process group and killed (group-wide) on exit, error or signal.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'..',
);
export const PACKAGE_NAME = JSON.parse(
	fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
).name;
export const SIMULATOR_CLI = process.env.E2E_SIMULATOR_CLI
	? path.resolve(process.env.E2E_SIMULATOR_CLI)
	: path.join(REPO_ROOT, 'test', 'simulator', 'cli.cjs');
const TASK_BROKER_DEFAULT_PORT = 5679;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- child process bookkeeping

const children = new Set();

/**
 * Signals the child's process group (children are spawned detached, so the group is theirs: n8n's
 * task runner lives in it). Also right after the leader exited, to take leftovers with it.
 */
export function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		if (child.exitCode === null && child.signalCode === null) {
			try {
				child.kill(signal);
			} catch {
				/* already gone */
			}
		}
	}
}

/** Kills every child this module started (synchronous: usable from an 'exit' handler). */
export function killAllChildren(signal = 'SIGKILL') {
	for (const child of children) killGroup(child, signal);
}

let handlersInstalled = false;
/** Installs exit/signal handlers that kill all children. `onSignal` runs first (async allowed). */
export function installCleanupHandlers({ onSignal } = {}) {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', () => killAllChildren('SIGKILL'));
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(sig, async () => {
			try {
				if (onSignal) await onSignal(sig);
			} finally {
				killAllChildren('SIGTERM');
				await sleep(300);
				killAllChildren('SIGKILL');
				process.exit(sig === 'SIGINT' ? 130 : 143);
			}
		});
	}
}

/** Registers a child (spawned detached) so that killAllChildren and the exit handlers take it too. */
export function track(child) {
	children.add(child);
	child.on('exit', () => {
		// Whatever the leader left in its group goes with it, before the group id can be reused.
		killGroup(child, 'SIGKILL');
		children.delete(child);
	});
	return child;
}

/** Runs a command to completion; stdout/stderr go to files (never through a pipe for big output). */
export function runToFiles(cmd, args, { cwd, env, stdoutFile, stderrFile, timeoutMs = 180_000 }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(stdoutFile, 'w');
		const err = fs.openSync(stderrFile ?? stdoutFile.replace(/(\.\w+)?$/, '.stderr.log'), 'w');
		const started = Date.now();
		const child = track(
			spawn(cmd, args, { cwd, env, stdio: ['ignore', out, err], detached: true }),
		);
		fs.closeSync(out);
		fs.closeSync(err);
		const timer = setTimeout(() => {
			killGroup(child, 'SIGKILL');
			reject(new Error(`${path.basename(cmd)} ${args.join(' ')} timed out after ${timeoutMs} ms`));
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, ms: Date.now() - started });
		});
	});
}

// ---------------------------------------------------------------- ports, temp dirs, packing

export function freePort(exclude = []) {
	const avoid = new Set([TASK_BROKER_DEFAULT_PORT, 5678, ...exclude]);
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => (avoid.has(port) ? freePort(exclude).then(resolve, reject) : resolve(port)));
		});
	});
}

export function portInUse(port) {
	return new Promise((resolve) => {
		const sock = net.connect(port, '127.0.0.1');
		sock.once('connect', () => {
			sock.destroy();
			resolve(true);
		});
		sock.once('error', () => resolve(false));
	});
}

export function makeTempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** `npm pack` of this repository (dist must be built) into `destDir`; returns the tarball path. */
export function packRepo(destDir, root = REPO_ROOT) {
	if (!fs.existsSync(path.join(root, 'dist')))
		throw new Error('dist/ is missing: run `npm run build` first');
	const r = spawnSync('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: root,
		encoding: 'utf8',
		env: { ...process.env, npm_config_update_notifier: 'false' },
	});
	if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stderr}`);
	const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
	return { tarball: path.join(destDir, info[0].filename), files: info[0].files.map((f) => f.path) };
}

/**
 * Installs the tarball as n8n's manual-install docs say: `npm install <package>` inside
 * `<N8N_USER_FOLDER>/.n8n/nodes`, a folder with its own package.json.
 *
 * With `--legacy-peer-deps`: npm >= 7 would otherwise also install the peer dependency
 * `n8n-workflow@*` (the registry's newest, plus isolated-vm, a native build that fails on Node 20)
 * next to the package, and the package would then load that second copy instead of n8n's own.
 * n8n's in-app installer strips peerDependencies before installing for the same reason.
 */
export function installPackageInto(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pj = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pj))
		fs.writeFileSync(
			pj,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n',
		);
	const started = Date.now();
	const r = spawnSync(
		'npm',
		['install', tarball, '--legacy-peer-deps', '--no-audit', '--no-fund'],
		{
			cwd: nodesDir,
			encoding: 'utf8',
			env: { ...process.env, npm_config_update_notifier: 'false' },
		},
	);
	if (r.status !== 0)
		throw new Error(`npm install ${tarball} in ${nodesDir} failed:\n${r.stdout}\n${r.stderr}`);
	const installedDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	if (!fs.existsSync(path.join(installedDir, 'package.json')))
		throw new Error(`${PACKAGE_NAME} not found in ${nodesDir}/node_modules after install`);
	return { nodesDir, installedDir, ms: Date.now() - started };
}

/** The first pretty-printed top-level JSON object in n8n CLI output (`{` … `}` at column 0). */
export function extractJson(text) {
	const start = text.search(/^[{[]$/m);
	if (start < 0) return undefined;
	const closer = text[start] === '{' ? '}' : ']';
	const re = new RegExp(`^\\${closer}$`, 'mg');
	re.lastIndex = start;
	const m = re.exec(text);
	if (!m) return undefined;
	return JSON.parse(text.slice(start, m.index + 1));
}

/**
 * n8n logs `Failed to load package "<name>"` followed by the cause when a package's node or
 * credential file cannot be loaded, and then goes on without it. Returns that excerpt or null.
 */
export function packageLoadProblem(text, packageName = PACKAGE_NAME) {
	const lines = text.split('\n');
	const i = lines.findIndex((l) => l.includes(`Failed to load package "${packageName}"`));
	if (i < 0) return null;
	return lines.slice(i, i + 3).join('\n');
}

// ---------------------------------------------------------------- simulator

/**
 * Starts `test/simulator/cli.cjs --port <port>` and waits for its one JSON line on stdout:
 * `{url, baseUrls: {explorium, pronto, exactbuyer}, apiKeys: {…}}`.
 */
export async function startSimulator({
	port,
	logFile,
	cli = SIMULATOR_CLI,
	timeoutMs = 20_000,
} = {}) {
	if (!fs.existsSync(cli))
		throw new Error(`provider simulator not found at ${path.relative(REPO_ROOT, cli)}`);
	port ??= await freePort();
	const errOut = logFile ? fs.openSync(logFile, 'a') : 'ignore';
	const child = track(
		spawn(process.execPath, [cli, '--port', String(port)], {
			stdio: ['ignore', 'pipe', errOut],
			detached: true,
		}),
	);
	if (typeof errOut === 'number') fs.closeSync(errOut);
	const info = await new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`simulator printed no JSON line within ${timeoutMs} ms`)),
			timeoutMs,
		);
		const rl = readline.createInterface({ input: child.stdout });
		rl.once('line', (line) => {
			clearTimeout(timer);
			try {
				resolve(JSON.parse(line));
			} catch {
				reject(new Error(`simulator's first stdout line is not JSON: ${line}`));
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(
				new Error(`simulator exited early (code ${code})${logFile ? `; see ${logFile}` : ''}`),
			);
		});
	});
	child.stdout.resume();
	const admin = async (method, p) => {
		const res = await fetch(`${info.url}/__admin/${p}`, { method });
		if (!res.ok) throw new Error(`simulator ${method} /__admin/${p}: HTTP ${res.status}`);
		const text = await res.text();
		return text ? JSON.parse(text) : undefined;
	};
	return {
		...info,
		port,
		process: child,
		requests: () => admin('GET', 'requests'),
		/** Pronto callbacks the simulator delivered, with n8n's answer to each. */
		callbacks: () => admin('GET', 'callbacks'),
		reset: () => admin('POST', 'reset'),
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const gone = new Promise((r) => child.once('exit', r));
			killGroup(child, 'SIGTERM');
			await Promise.race([gone, sleep(5000)]);
			killGroup(child, 'SIGKILL');
		},
	};
}

// ---------------------------------------------------------------- n8n

export class N8nInstance {
	/**
	 * @param {object} o
	 * @param {object} o.install   result of ensureN8n()
	 * @param {string} o.userFolder N8N_USER_FOLDER (n8n keeps `.n8n/` with DB, key and nodes/ in it)
	 * @param {number} [o.port]    N8N_PORT (never 5679)
	 * @param {number} [o.brokerPort] N8N_RUNNERS_BROKER_PORT
	 * @param {object} [o.env]     extra environment
	 */
	constructor({ install, userFolder, port, brokerPort, env = {}, log = () => {} }) {
		if (port === TASK_BROKER_DEFAULT_PORT)
			throw new Error(`N8N_PORT must not be ${TASK_BROKER_DEFAULT_PORT}`);
		this.install = install;
		this.userFolder = userFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.extraEnv = env;
		this.log = log;
		this.workDir = path.join(userFolder, 'e2e-work');
		fs.mkdirSync(this.workDir, { recursive: true });
		this.seq = 0;
		this.server = null;
		this.cookie = '';
		this.browserId = 'e2e-browser';
	}

	/**
	 * Scratch instance: fresh temp user folder, free ports, package tarball installed (unless
	 * `installPackage: false`: an n8n with no community package, for n8n's own installer to fill).
	 */
	static async create({ install, tarball, log, env, installPackage = true } = {}) {
		const userFolder = makeTempDir('n8n-e2e-user');
		const port = await freePort();
		const brokerPort = await freePort([port]);
		const inst = new N8nInstance({ install, userFolder, port, brokerPort, log, env });
		if (tarball && installPackage) inst.installed = installPackageInto(userFolder, tarball);
		return inst;
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Environment of every n8n child (undefined values dropped). */
	env() {
		return Object.fromEntries(Object.entries(this.rawEnv()).filter(([, v]) => v !== undefined));
	}

	rawEnv() {
		return {
			...process.env,
			PATH: `${this.install.nodeBinDir}${path.delimiter}${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: this.brokerPort ? String(this.brokerPort) : undefined,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			// --rawOutput goes through the logger at info level: 'warn' would silence it.
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			DB_TYPE: 'sqlite',
			// What this n8n version needs on its Node (n8n 1.123 on Node 20: the legacy expression engine).
			...this.install.n8nEnv,
			// Last: a key set to undefined here removes it from the child's environment.
			...this.extraEnv,
		};
	}

	file(name) {
		return path.join(this.workDir, `${String(++this.seq).padStart(3, '0')}-${name}`);
	}

	/** `n8n <args>`; returns {code, stdout, stderr, stdoutFile, ms}. Throws on non-zero unless allowFail. */
	async cli(args, { allowFail = false, timeoutMs, label = args[0].replace(/[^\w]+/g, '_') } = {}) {
		const stdoutFile = this.file(`${label}.out`);
		const stderrFile = this.file(`${label}.err`);
		const env = this.env();
		const r = await runToFiles(this.install.nodeBin, [this.install.n8nBin, ...args], {
			env,
			stdoutFile,
			stderrFile,
			timeoutMs,
			cwd: this.workDir,
		});
		const stdout = fs.readFileSync(stdoutFile, 'utf8');
		const stderr = fs.readFileSync(stderrFile, 'utf8');
		this.lastCli = { args, code: r.code, stdoutFile, stderrFile };
		if (r.code !== 0 && !allowFail) {
			throw new Error(
				`n8n ${args.join(' ')} exited ${r.code ?? r.signal} after ${r.ms} ms\n--- stdout (tail)\n${stdout.slice(-3000)}\n--- stderr (tail)\n${stderr.slice(-3000)}`,
			);
		}
		return { code: r.code, signal: r.signal, stdout, stderr, stdoutFile, stderrFile, ms: r.ms };
	}

	/** `n8n import:credentials` of plain (unencrypted `data`) credential objects. */
	async importCredentials(credentials) {
		const f = this.file('credentials.json');
		fs.writeFileSync(f, JSON.stringify(credentials, null, 2));
		return this.cli(['import:credentials', `--input=${f}`]);
	}

	/** `n8n import:workflow` of one workflow object (must carry an `id`). */
	async importWorkflow(workflow) {
		if (!workflow.id) throw new Error('importWorkflow: give the workflow an id (execute needs it)');
		const f = this.file('workflow.json');
		fs.writeFileSync(
			f,
			JSON.stringify(
				{ active: false, settings: { executionOrder: 'v1' }, connections: {}, ...workflow },
				null,
				2,
			),
		);
		return this.cli(['import:workflow', `--input=${f}`]);
	}

	/**
	 * `n8n execute --id <id> --rawOutput` with stdout in a file. Returns
	 * {ok, code, execution (parsed JSON or undefined), runData, error, stdout, stderr, ms}.
	 */
	async execute(workflowId, { timeoutMs = 300_000 } = {}) {
		const r = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			allowFail: true,
			timeoutMs,
			label: `execute-${workflowId}`,
		});
		let execution;
		let parseError;
		try {
			execution = extractJson(r.stdout);
		} catch (e) {
			parseError = e;
		}
		const resultData = execution?.data?.resultData;
		// n8n 2.40.7 here sometimes dies by SIGSEGV while shutting down, after printing the finished
		// execution (seen in 5 of ~20 short runs, with and without this package's changes): the run
		// counts by what n8n recorded, and `signal` says it happened.
		const crashedAfterFinishing =
			Boolean(r.signal) && execution?.finished === true && execution?.status === 'success';
		return {
			ok: (r.code === 0 || crashedAfterFinishing) && !!execution && !resultData?.error,
			code: r.code,
			signal: r.signal,
			execution,
			runData: resultData?.runData ?? {},
			error: resultData?.error,
			parseError,
			stdout: r.stdout,
			stderr: r.stderr,
			stdoutFile: r.stdoutFile,
			ms: r.ms,
		};
	}

	/** Output items (json only) of a node's first run, output `outputIndex`. */
	static outputItems(runData, nodeName, outputIndex = 0, runIndex = 0) {
		return runData?.[nodeName]?.[runIndex]?.data?.main?.[outputIndex] ?? [];
	}

	/** `n8n export:nodes --output=<file>`: the node type descriptions n8n loaded. */
	async exportNodes() {
		const f = this.file('nodes.json');
		this.lastExportNodesFile = f;
		await this.cli(['export:nodes', `--output=${f}`]);
		// export:nodes ends its write stream without awaiting it: wait until the file is complete.
		for (let i = 0; i < 50; i++) {
			try {
				return JSON.parse(fs.readFileSync(f, 'utf8'));
			} catch {
				await sleep(100);
			}
		}
		return JSON.parse(fs.readFileSync(f, 'utf8'));
	}

	/** Major version of this instance's n8n (1 or 2): the two lines differ in a few CLI commands. */
	get n8nMajor() {
		return (
			this.install.n8nMajor ??
			Number(
				String(this.install.n8nVersion ?? this.install.marker?.n8nVersion ?? '2').split('.')[0],
			)
		);
	}

	/**
	 * Publishes (activates) a workflow before start: its production webhooks answer once started.
	 * n8n 2.x: `n8n publish:workflow --id`; n8n 1.x has no publish (no workflow versions):
	 * `n8n update:workflow --id --active=true`.
	 */
	async publishWorkflow(workflowId) {
		if (this.n8nMajor < 2)
			return this.cli(['update:workflow', `--id=${workflowId}`, '--active=true'], {
				label: 'update_workflow',
			});
		return this.cli(['publish:workflow', `--id=${workflowId}`]);
	}

	/** Everything the running (or last) `n8n start` has logged so far. */
	serverOutput() {
		return this.serverLog && fs.existsSync(this.serverLog)
			? fs.readFileSync(this.serverLog, 'utf8')
			: '';
	}

	/**
	 * `n8n start`; resolves when /healthz answers 200 and the REST API is mounted (/healthz answers
	 * a few seconds before the controllers are registered: /rest/settings is the later signal).
	 */
	async start({ timeoutMs = 120_000 } = {}) {
		if (this.server) return;
		if (await portInUse(this.port)) throw new Error(`port ${this.port} is already in use`);
		this.serverLog = this.file('start.log');
		const out = fs.openSync(this.serverLog, 'w');
		const env = this.env();
		const child = track(
			spawn(this.install.nodeBin, [this.install.n8nBin, 'start'], {
				env,
				cwd: this.workDir,
				stdio: ['ignore', out, out],
				detached: true,
			}),
		);
		fs.closeSync(out);
		this.server = child;
		const started = Date.now();
		let exited = null;
		child.once('exit', (code, signal) => {
			exited = code ?? signal;
		});
		while (Date.now() - started < timeoutMs) {
			if (exited !== null) {
				this.server = null;
				throw new Error(
					`n8n start exited (${exited}) before /healthz answered\n${fs.readFileSync(this.serverLog, 'utf8').slice(-4000)}`,
				);
			}
			try {
				const health = await fetch(`${this.baseUrl}/healthz`);
				const res = health.status === 200 ? await fetch(`${this.baseUrl}/rest/settings`) : health;
				if (res.status === 200 && (res.headers.get('content-type') ?? '').includes('json')) {
					this.startMs = Date.now() - started;
					return;
				}
			} catch {
				/* not listening yet */
			}
			await sleep(250);
		}
		await this.stop();
		throw new Error(
			`n8n start: /healthz + /rest/settings not 200 within ${timeoutMs} ms\n${fs.readFileSync(this.serverLog, 'utf8').slice(-4000)}`,
		);
	}

	async stop() {
		const child = this.server;
		this.server = null;
		this.cookie = '';
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const gone = new Promise((r) => child.once('exit', r));
		killGroup(child, 'SIGTERM');
		await Promise.race([gone, sleep(15_000)]);
		killGroup(child, 'SIGKILL');
	}

	/** REST call against the running instance with the session cookie. Returns {status, body}. */
	async rest(method, p, body) {
		const headers = { 'browser-id': this.browserId, accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${this.baseUrl}${p}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await res.text();
		let parsed = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, body: parsed };
	}

	/** Creates the instance owner (first start only) and logs in. */
	async setupOwner({
		email = 'owner@example.com',
		password = 'E2e-test-Passw0rd',
		firstName = 'E2E',
		lastName = 'Owner',
	} = {}) {
		const setup = await this.rest('POST', '/rest/owner/setup', {
			email,
			firstName,
			lastName,
			password,
		});
		if (setup.status !== 200)
			throw new Error(
				`POST /rest/owner/setup: HTTP ${setup.status} ${JSON.stringify(setup.body).slice(0, 500)}`,
			);
		this.cookie = '';
		const login = await this.rest('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		if (login.status !== 200 || !this.cookie)
			throw new Error(
				`POST /rest/login: HTTP ${login.status} ${JSON.stringify(login.body).slice(0, 500)}`,
			);
		return login.body?.data ?? login.body;
	}

	/** Removes the scratch user folder (unless E2E_KEEP is set). */
	async dispose() {
		await this.stop();
		if (!process.env.E2E_KEEP) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}
