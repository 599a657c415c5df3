// A local npm registry for the installer test: verdaccio 6.8.0 on loopback, storage and users in a
// scratch folder, no uplinks (nothing is proxied: n8n's installer strips the package's
// peerDependencies and the package has no dependencies, so it never asks for another package).
//
// verdaccio is not a devDependency of the package: it needs an `overrides` entry (its dependency
// verdaccio-audit asks for `node-fetch@cjs`, a dist-tag this machine's registry mirror lacks) and n8n's
// community lint forbids `overrides` in a community package's package.json. It is installed once into
// the e2e cache instead, next to n8n (`<cache>/verdaccio-6.8.0/`, its own package.json), and reused
// while `ready-verdaccio-6.8.0.json` exists.
//
//   node test/e2e/lib/local-registry.mjs   # install (or reuse) verdaccio, print timings and paths
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { acquireInstallLock, cacheDir } from './n8n-install.mjs';
import { freePort, killGroup, makeTempDir, track } from './n8n-instance.mjs';

export const VERDACCIO_VERSION = '6.8.0';

/** The publishing account created in each scratch registry (a throwaway local login, not a secret). */
const PUBLISHER = {
	name: 'e2e-publisher',
	password: 'local-e2e-publisher',
	email: 'e2e-publisher@example.com',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

export function verdaccioPaths(dir = cacheDir()) {
	const installDir = path.join(dir, `verdaccio-${VERDACCIO_VERSION}`);
	return {
		cacheDir: dir,
		installDir,
		pkgDir: path.join(installDir, 'node_modules', 'verdaccio'),
		bin: path.join(installDir, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
		marker: path.join(dir, `ready-verdaccio-${VERDACCIO_VERSION}.json`),
		lockDir: path.join(dir, '.verdaccio-install.lock'),
	};
}

function installedVersion(p) {
	try {
		return JSON.parse(fs.readFileSync(path.join(p.pkgDir, 'package.json'), 'utf8')).version;
	} catch {
		return null;
	}
}

function run(cmd, args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		const keep = (d) => {
			out = (out + d.toString()).slice(-8000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		child.on('error', reject);
		child.on('close', (code, signal) =>
			code === 0
				? resolve(out)
				: reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code ?? signal}):\n${out}`)),
		);
	});
}

/** Installs verdaccio into the e2e cache unless the ready marker says it is there. Returns the paths. */
export async function ensureVerdaccio({
	log = (s) => process.stderr.write(`[local-registry] ${s}\n`),
} = {}) {
	const p = verdaccioPaths();
	const ready = () =>
		fs.existsSync(p.marker) && fs.existsSync(p.bin) && installedVersion(p) === VERDACCIO_VERSION;
	if (ready()) return { ...p, marker: JSON.parse(fs.readFileSync(p.marker, 'utf8')) };
	fs.mkdirSync(p.cacheDir, { recursive: true });
	const release = await acquireInstallLock(p.lockDir, {
		what: `verdaccio into ${p.installDir}`,
		log,
		timeoutMs: 10 * 60_000,
	});
	try {
		if (ready()) return { ...p, marker: JSON.parse(fs.readFileSync(p.marker, 'utf8')) };
		fs.mkdirSync(p.installDir, { recursive: true });
		const manifest = {
			name: 'e2e-local-registry',
			private: true,
			description:
				'verdaccio for the community-install e2e scenario (installed here, not in the package)',
			dependencies: { verdaccio: VERDACCIO_VERSION },
			// verdaccio-audit depends on `node-fetch@cjs`, a dist-tag the registry mirror does not have.
			overrides: { 'verdaccio-audit': { 'node-fetch': '2.7.0' } },
		};
		fs.writeFileSync(
			path.join(p.installDir, 'package.json'),
			JSON.stringify(manifest, null, 2) + '\n',
		);
		const t0 = Date.now();
		log(`installing verdaccio ${VERDACCIO_VERSION} into ${p.installDir} (about a minute)`);
		await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev'], {
			cwd: p.installDir,
			env: { ...process.env, npm_config_update_notifier: 'false', npm_config_yes: 'true' },
		});
		if (installedVersion(p) !== VERDACCIO_VERSION)
			throw new Error(
				`verdaccio ${VERDACCIO_VERSION} not found in ${p.installDir} after npm install`,
			);
		const marker = {
			verdaccioVersion: VERDACCIO_VERSION,
			node: process.version,
			createdAt: new Date().toISOString(),
			installMs: Date.now() - t0,
		};
		fs.writeFileSync(p.marker, JSON.stringify(marker, null, 2) + '\n');
		log(`verdaccio ready in ${secs(marker.installMs)}`);
		return { ...p, marker };
	} finally {
		release();
	}
}

/** verdaccio's config: local storage, htpasswd logins, no uplinks, every package local. */
function configYaml({ storage, htpasswd, logFile }) {
	return [
		`storage: ${JSON.stringify(storage)}`,
		'auth:',
		'  htpasswd:',
		`    file: ${JSON.stringify(htpasswd)}`,
		'    max_users: 10',
		'uplinks: {}',
		'packages:',
		"  '**':",
		'    access: $all',
		'    publish: $authenticated',
		'    unpublish: $authenticated',
		'web:',
		'  enable: false',
		'log:',
		'  type: file',
		`  path: ${JSON.stringify(logFile)}`,
		'  format: json',
		'  level: http',
		'',
	].join('\n');
}

/**
 * Starts verdaccio on 127.0.0.1 (free port) with its storage in `dir` (a fresh temp folder unless
 * given). Returns {url, port, dir, logFile, publish(tarball), packument(name), stop()}. The process is
 * tracked like n8n's: killed on exit, error or signal by the e2e runner's cleanup.
 */
export async function startLocalRegistry({ dir, log = () => {}, timeoutMs = 60_000 } = {}) {
	const install = await ensureVerdaccio({ log });
	dir ??= makeTempDir('e2e-registry');
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const logFile = path.join(dir, 'verdaccio.log');
	const configFile = path.join(dir, 'config.yaml');
	fs.writeFileSync(
		configFile,
		configYaml({
			storage: path.join(dir, 'storage'),
			htpasswd: path.join(dir, 'htpasswd'),
			logFile,
		}),
	);
	const out = fs.openSync(path.join(dir, 'verdaccio.out'), 'w');
	const child = track(
		spawn(
			process.execPath,
			[install.bin, '--config', configFile, '--listen', `127.0.0.1:${port}`],
			{
				cwd: dir,
				env: { ...process.env, VERDACCIO_HANDLE_KILL_SIGNALS: 'true' },
				stdio: ['ignore', out, out],
				detached: true,
			},
		),
	);
	fs.closeSync(out);
	let exited = null;
	child.once('exit', (code, signal) => {
		exited = code ?? signal;
	});

	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const gone = new Promise((r) => child.once('exit', r));
		killGroup(child, 'SIGTERM');
		await Promise.race([gone, sleep(5000)]);
		killGroup(child, 'SIGKILL');
	};

	const started = Date.now();
	for (;;) {
		if (exited !== null)
			throw new Error(
				`verdaccio exited (${exited}) before answering\n${fs.readFileSync(path.join(dir, 'verdaccio.out'), 'utf8').slice(-3000)}`,
			);
		try {
			const res = await fetch(`${url}/-/ping`);
			if (res.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() - started > timeoutMs) {
			await stop();
			throw new Error(`verdaccio did not answer ${url}/-/ping within ${timeoutMs} ms`);
		}
		await sleep(200);
	}
	const startMs = Date.now() - started;

	// A login to publish with (what `npm adduser` does), and an npm user config holding its token.
	const res = await fetch(`${url}/-/user/org.couchdb.user:${PUBLISHER.name}`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			_id: `org.couchdb.user:${PUBLISHER.name}`,
			type: 'user',
			roles: [],
			date: new Date().toISOString(),
			...PUBLISHER,
		}),
	});
	const body = await res.json().catch(() => ({}));
	if (res.status !== 201 || !body.token) {
		await stop();
		throw new Error(
			`verdaccio refused to create the publishing user: HTTP ${res.status} ${JSON.stringify(body)}`,
		);
	}
	const npmrc = path.join(dir, 'publisher.npmrc');
	fs.writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${body.token}\n`);

	return {
		url,
		port,
		dir,
		logFile,
		startMs,
		process: child,
		/** `npm publish <tarball>` as the publishing user; returns {name, version, integrity}. */
		async publish(tarball) {
			const r = spawnSync(
				'npm',
				[
					'publish',
					tarball,
					'--registry',
					`${url}/`,
					'--userconfig',
					npmrc,
					'--ignore-scripts',
					'--json',
				],
				{
					cwd: dir,
					encoding: 'utf8',
					env: { ...process.env, npm_config_update_notifier: 'false' },
				},
			);
			if (r.status !== 0)
				throw new Error(
					`npm publish ${path.basename(tarball)} to ${url} failed:\n${r.stdout}\n${r.stderr}`,
				);
			// npm 11 keys the summary by package name; older npm printed it bare.
			const out = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
			const info = out.version ? out : Object.values(out)[0];
			return { name: info.name, version: info.version, integrity: info.integrity };
		},
		/** The registry's document for a package (versions, dist-tags), as npm clients read it. */
		async packument(name) {
			const r = await fetch(`${url}/${encodeURIComponent(name)}`);
			if (r.status !== 200) throw new Error(`GET ${url}/${name}: HTTP ${r.status}`);
			return await r.json();
		},
		stop,
	};
}

/**
 * The same package with its version bumped (`npm version <bump>` in an unpacked copy, then `npm pack`):
 * what a maintainer's next release looks like to the registry. Returns {tarball, version}.
 */
export function repackWithNewVersion(tarball, destDir, bump = 'patch') {
	const work = fs.mkdtempSync(path.join(destDir, 'repack-'));
	const tar = spawnSync('tar', ['-xzf', tarball, '-C', work], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`tar -xzf ${tarball}: ${tar.stderr}`);
	const pkgDir = path.join(work, 'package');
	const env = { ...process.env, npm_config_update_notifier: 'false' };
	const v = spawnSync('npm', ['version', bump, '--no-git-tag-version', '--ignore-scripts'], {
		cwd: pkgDir,
		encoding: 'utf8',
		env,
	});
	if (v.status !== 0) throw new Error(`npm version ${bump} failed:\n${v.stdout}\n${v.stderr}`);
	const p = spawnSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', destDir],
		{ cwd: pkgDir, encoding: 'utf8', env },
	);
	if (p.status !== 0) throw new Error(`npm pack of the bumped copy failed:\n${p.stderr}`);
	const info = JSON.parse(p.stdout.slice(p.stdout.indexOf('[')))[0];
	fs.rmSync(work, { recursive: true, force: true });
	return { tarball: path.join(destDir, info.filename), version: info.version };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const t0 = Date.now();
	ensureVerdaccio()
		.then((r) => {
			console.log(
				JSON.stringify(
					{ installDir: r.installDir, bin: r.bin, marker: r.marker, ms: Date.now() - t0 },
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
