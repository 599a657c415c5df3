// Redis and PostgreSQL for the queue-mode e2e level (n8n's queue mode needs both), from Debian's
// packages. `ensureQueueServices()` installs them with apt-get when missing (unattended; root, or
// passwordless sudo), `startRedis()` / `startPostgres()` run private servers on loopback, on free
// ports, with data in a temp folder, as child processes of this process (their own process groups,
// killed with everything else the e2e lib tracks on exit, failure or a signal). Nothing here
// touches the system's own services: Debian's packages do not start them inside a container
// (policy-rc.d), and on a machine where they do, ours still use their own ports and folders.
//
//   node test/e2e/lib/queue-services.mjs   # install if needed, start both, print versions, stop
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { freePort, killGroup, makeTempDir } from './n8n-instance.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- child bookkeeping
// The cluster's servers and n8n processes. Each is spawned detached (its own process group: n8n's
// task runner and PostgreSQL's backends live in it) and the whole group is killed when this process
// exits, whatever the reason (the e2e runner's signal handlers end in process.exit). A set of its own:
// the cluster's clean-up must not take the runner's simulator with it.

const children = new Set();

/** Every child still tracked here, SIGKILLed (synchronous: usable from an 'exit' handler). */
export function killTrackedChildren(signal = 'SIGKILL') {
	for (const child of children) killGroup(child, signal);
}

let exitHandler = false;
export function trackChild(child) {
	if (!exitHandler) {
		exitHandler = true;
		process.on('exit', () => killTrackedChildren('SIGKILL'));
	}
	children.add(child);
	child.on('exit', () => {
		killGroup(child, 'SIGKILL');
		children.delete(child);
	});
	return child;
}
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const PACKAGES = ['redis-server', 'postgresql'];

function which(cmd) {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : null;
}

/** The newest Debian PostgreSQL server's bin folder (/usr/lib/postgresql/<ver>/bin), or null. */
export function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return null;
	const versions = fs
		.readdirSync(root)
		.filter(
			(v) =>
				fs.existsSync(path.join(root, v, 'bin', 'postgres')) &&
				fs.existsSync(path.join(root, v, 'bin', 'initdb')),
		)
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : null;
}

function redisServerBin() {
	return (
		which('redis-server') ??
		(fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null)
	);
}

function run(cmd, args, { log, label, env, timeoutMs = 900_000 }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		log(`${label}: ${cmd} ${args.join(' ')}`);
		const child = spawn(cmd, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let tail = '';
		const keep = (d) => {
			tail = (tail + d.toString()).slice(-6000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const ms = Date.now() - started;
			if (code === 0) resolve(ms);
			else
				reject(new Error(`${label} failed (exit ${code ?? signal}) after ${secs(ms)}:\n${tail}`));
		});
	});
}

/**
 * Redis and PostgreSQL binaries; installs `redis-server` and `postgresql` with apt-get when one is
 * missing. Returns `{redisServer, pgBin, installMs, installed}` (`installMs` 0 when nothing was installed).
 */
export async function ensureQueueServices({
	log = (s) => process.stderr.write(`[queue-services] ${s}\n`),
} = {}) {
	let redisServer = redisServerBin();
	let pgBin = postgresBinDir();
	if (redisServer && pgBin) return { redisServer, pgBin, installMs: 0, installed: [] };

	const missing = [...(redisServer ? [] : ['redis-server']), ...(pgBin ? [] : ['postgresql'])];
	if (!which('apt-get'))
		throw new Error(
			`${missing.join(' and ')} missing and no apt-get here: install Redis and PostgreSQL, or leave E2E_QUEUE_MODE unset`,
		);
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	const sudo = root ? [] : ['sudo', '-n'];
	if (!root && spawnSync('sudo', ['-n', 'true']).status !== 0) {
		throw new Error(
			`${missing.join(' and ')} missing: installing them needs root or passwordless sudo (apt-get install ${PACKAGES.join(' ')})`,
		);
	}
	const env = {
		...process.env,
		DEBIAN_FRONTEND: 'noninteractive',
		NEEDRESTART_MODE: 'a',
		APT_LISTCHANGES_FRONTEND: 'none',
	};
	const apt = (args, label) => {
		const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
		return run(cmd, rest, { log, label, env });
	};
	const t0 = Date.now();
	// Waits for another apt/dpkg (an unattended upgrade, a parallel run) instead of failing on its lock.
	const lock = ['-o', 'DPkg::Lock::Timeout=600'];
	await apt([...lock, 'update', '-q'], 'apt-get update');
	await apt(
		[
			...lock,
			'install',
			'-y',
			'-q',
			'--no-install-recommends',
			'-o',
			'Dpkg::Options::=--force-confdef',
			'-o',
			'Dpkg::Options::=--force-confold',
			...PACKAGES,
		],
		`apt-get install ${PACKAGES.join(' ')}`,
	);
	const installMs = Date.now() - t0;
	redisServer = redisServerBin();
	pgBin = postgresBinDir();
	if (!redisServer || !pgBin)
		throw new Error(
			`apt-get install ${PACKAGES.join(' ')} finished but redis-server (${redisServer}) or PostgreSQL (${pgBin}) is still missing`,
		);
	log(`installed ${missing.join(', ')} in ${secs(installMs)}`);
	return { redisServer, pgBin, installMs, installed: missing };
}

function tcpReady(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const sock = net.connect(port, host);
		sock.once('connect', () => {
			sock.destroy();
			resolve(true);
		});
		sock.once('error', () => resolve(false));
	});
}

/** One RESP command over a fresh connection ("PING" → "+PONG"). */
export function redisCommand(port, words, { host = '127.0.0.1', timeoutMs = 3000 } = {}) {
	return new Promise((resolve, reject) => {
		const sock = net.connect(port, host);
		let data = '';
		const timer = setTimeout(() => {
			sock.destroy();
			reject(new Error(`redis ${words[0]}: no answer within ${timeoutMs} ms`));
		}, timeoutMs);
		sock.once('connect', () =>
			sock.write(
				`*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(String(w))}\r\n${w}\r\n`).join('')}`,
			),
		);
		sock.on('data', (d) => {
			data += d.toString();
			if (data.endsWith('\r\n')) {
				clearTimeout(timer);
				sock.destroy();
				resolve(data.trim());
			}
		});
		sock.once('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
	});
}

function spawnServer(cmd, args, { logFile, uid, gid, cwd }) {
	const out = fs.openSync(logFile, 'a');
	const child = trackChild(
		spawn(cmd, args, {
			stdio: ['ignore', out, out],
			detached: true,
			cwd,
			...(uid !== undefined ? { uid, gid } : {}),
		}),
	);
	fs.closeSync(out);
	let exited = null;
	child.once('exit', (code, signal) => {
		exited = code ?? signal;
	});
	return { child, exited: () => exited };
}

async function stopServer(child, signal, graceMs = 10_000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const gone = new Promise((r) => child.once('exit', r));
	try {
		process.kill(child.pid, signal);
	} catch {
		/* already gone */
	}
	await Promise.race([gone, sleep(graceMs)]);
	killGroup(child, 'SIGKILL');
}

/** A private redis-server on 127.0.0.1:<free port>, no persistence. */
export async function startRedis({ bin, dir, port, timeoutMs = 30_000 }) {
	port ??= await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--dir',
		dir,
		'--daemonize',
		'no',
		'--protected-mode',
		'yes',
	];
	const started = Date.now();
	const { child, exited } = spawnServer(bin, args, { logFile, cwd: dir });
	for (;;) {
		if (exited() !== null)
			throw new Error(
				`redis-server exited (${exited()}) at start:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
			);
		if ((await tcpReady(port)) && (await redisCommand(port, ['PING']).catch(() => '')) === '+PONG')
			break;
		if (Date.now() - started > timeoutMs) {
			await stopServer(child, 'SIGTERM');
			throw new Error(
				`redis-server did not answer PING within ${timeoutMs} ms:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
			);
		}
		await sleep(100);
	}
	const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
	return {
		host: '127.0.0.1',
		port,
		version,
		logFile,
		startMs: Date.now() - started,
		process: child,
		stop: () => stopServer(child, 'SIGTERM'),
	};
}

/** uid/gid of the Debian `postgres` user (initdb and postgres refuse to run as root). */
function postgresUser() {
	const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
	const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
	if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0)
		throw new Error("no `postgres` user (Debian's postgresql package creates it)");
	return { uid, gid };
}

/**
 * The postgres user must reach its folders, and scratch folders are mkdtemp's 0700 root folders:
 * adds search (x) permission for others on `dir` and its ancestors inside the temp folder.
 */
function letOthersTraverse(dir) {
	const tmp = fs.realpathSync(os.tmpdir());
	for (let d = fs.realpathSync(dir); d.startsWith(`${tmp}${path.sep}`); d = path.dirname(d)) {
		const mode = fs.statSync(d).mode & 0o777;
		if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o011);
	}
}

/**
 * A private PostgreSQL on 127.0.0.1:<free port>: `initdb` into `<dir>/pgdata` (trust auth on
 * loopback, durability off: a throw-away test database), `postgres` in the foreground, then a
 * database `database` owned by `user`. As root both run as the `postgres` user.
 */
export async function startPostgres({
	binDir,
	dir,
	port,
	user = 'n8n',
	database = 'n8n',
	timeoutMs = 60_000,
}) {
	port ??= await freePort();
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const owner = asRoot ? postgresUser() : undefined;
	fs.mkdirSync(dir, { recursive: true });
	if (asRoot) letOthersTraverse(dir);
	const dataDir = path.join(dir, 'pgdata');
	const socketDir = path.join(dir, 'pgsocket');
	for (const d of [dataDir, socketDir]) {
		fs.mkdirSync(d, { recursive: true, mode: 0o700 });
		if (owner) fs.chownSync(d, owner.uid, owner.gid);
	}
	const logFile = path.join(dir, 'postgres.log');
	fs.writeFileSync(logFile, '');
	if (owner) fs.chownSync(logFile, owner.uid, owner.gid);
	const started = Date.now();
	const init = spawnSync(
		path.join(binDir, 'initdb'),
		['-D', dataDir, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
		{
			encoding: 'utf8',
			cwd: dir,
			timeout: timeoutMs,
			...(owner ?? {}),
		},
	);
	if (init.status !== 0)
		throw new Error(
			`initdb failed (${init.status ?? init.signal}):\n${init.stdout}\n${init.stderr}`,
		);
	const initMs = Date.now() - started;
	const args = [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		socketDir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'max_connections=200',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'logging_collector=off',
	];
	const { child, exited } = spawnServer(path.join(binDir, 'postgres'), args, {
		logFile,
		cwd: dir,
		...(owner ?? {}),
	});
	const psql = (sql, db = 'postgres') =>
		spawnSync(
			path.join(binDir, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				db,
				'-v',
				'ON_ERROR_STOP=1',
				'-Atc',
				sql,
			],
			{ encoding: 'utf8', timeout: 30_000 },
		);
	for (;;) {
		if (exited() !== null)
			throw new Error(
				`postgres exited (${exited()}) at start:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
			);
		if ((await tcpReady(port)) && psql('select 1').status === 0) break;
		if (Date.now() - started > timeoutMs) {
			await stopServer(child, 'SIGINT');
			throw new Error(
				`postgres did not accept connections within ${timeoutMs} ms:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
			);
		}
		await sleep(200);
	}
	const created = psql(`create database ${database} owner ${user}`);
	if (created.status !== 0) throw new Error(`create database ${database}: ${created.stderr}`);
	const version = psql('show server_version').stdout.trim();
	return {
		host: '127.0.0.1',
		port,
		user,
		database,
		version,
		logFile,
		initMs,
		startMs: Date.now() - started,
		process: child,
		/** psql -Atc <sql> against the n8n database: {status, stdout, stderr}. */
		query: (sql) => psql(sql, database),
		// SIGINT: PostgreSQL's "fast" shutdown (SIGTERM would wait for n8n's pooled connections).
		stop: () => stopServer(child, 'SIGINT'),
	};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const dir = makeTempDir('queue-services');
	let redis;
	let pg;
	try {
		const t0 = Date.now();
		const bins = await ensureQueueServices();
		console.log(`binaries ready in ${secs(Date.now() - t0)}: ${JSON.stringify(bins)}`);
		[redis, pg] = await Promise.all([
			startRedis({ bin: bins.redisServer, dir: path.join(dir, 'redis') }),
			startPostgres({ binDir: bins.pgBin, dir: path.join(dir, 'pg') }),
		]);
		console.log(
			`redis ${redis.version.split(' ')[2]} on ${redis.port} in ${secs(redis.startMs)}; postgres ${pg.version} on ${pg.port} in ${secs(pg.startMs)} (initdb ${secs(pg.initMs)})`,
		);
	} finally {
		await Promise.all([redis?.stop(), pg?.stop()]);
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
