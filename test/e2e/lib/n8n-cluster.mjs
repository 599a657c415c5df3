// n8n in queue mode on loopback, as a scaled-out installation runs it: PostgreSQL and Redis
// (lib/queue-services.mjs), one main (`n8n start`: editor, REST API, activates the published
// workflows; no production webhooks), workers (`n8n worker`: run every execution) and webhook processors
// (`n8n webhook`: take production webhook calls and put them on the queue). Each n8n process has
// its own user folder with this package installed in `.n8n/nodes` (as each machine or container of
// a real deployment would), its own ports (HTTP or health check, task broker), and the shared
// settings: queue mode, the Redis and PostgreSQL addresses and one encryption key.
//
//   const cluster = await N8nCluster.create({ install, tarball, workers: 2, webhookProcessors: 1 });
//   await cluster.main.importCredentials(...); await cluster.main.importWorkflow(...); await cluster.main.publishWorkflow(id);
//   await cluster.start();                    // services, main, then workers and webhook processors
//   cluster.webhookUrl('path')                // http://127.0.0.1:<webhook processor>/webhook/path
//   cluster.executionsRunBy()                 // Map executionId → names of the workers whose log started it
//   await cluster.dispose({ keep })           // stops everything; removes the folder unless keep / E2E_KEEP
//
// Everything started here is killed when this process exits (also on a signal or failure).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
	freePort,
	installPackageInto,
	killGroup,
	makeTempDir,
	N8nInstance,
	portInUse,
} from './n8n-instance.mjs';
import {
	ensureQueueServices,
	killTrackedChildren,
	startPostgres,
	startRedis,
	trackChild,
} from './queue-services.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Not a secret: a throw-away key every process of one test cluster shares. */
const ENCRYPTION_KEY = 'e2e-queue-mode-shared-encryption-key-not-a-secret';

/** Clusters not disposed yet: on exit (a signal, a crash) their processes are killed and their folders removed. */
const live = new Set();
let exitHandler = false;
function onExit() {
	killTrackedChildren('SIGKILL');
	for (const cluster of live) {
		if (cluster.main.server) killGroup(cluster.main.server, 'SIGKILL');
		if (!process.env.E2E_KEEP) {
			try {
				fs.rmSync(cluster.dir, { recursive: true, force: true, maxRetries: 3 });
			} catch {
				/* a server was still writing: left in the temp folder */
			}
		}
	}
}

/** One `n8n worker` or `n8n webhook` process (the main is an N8nInstance with its `start`). */
class QueueProcess {
	constructor({ name, command, args = [], instance, readyPath = '/healthz/readiness', env = {} }) {
		this.name = name;
		this.command = command;
		this.args = args;
		this.instance = instance;
		this.readyPath = readyPath;
		this.extraEnv = env;
		this.child = null;
		this.logFile = path.join(instance.workDir, `${command}.log`);
	}

	get port() {
		return this.instance.port;
	}

	get baseUrl() {
		return this.instance.baseUrl;
	}

	get pid() {
		return this.child?.pid;
	}

	output() {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	async start({ timeoutMs = 180_000 } = {}) {
		if (this.child) return;
		if (await portInUse(this.port))
			throw new Error(`${this.name}: port ${this.port} is already in use`);
		const out = fs.openSync(this.logFile, 'a');
		const { install } = this.instance;
		const env = { ...this.instance.env(), ...this.extraEnv };
		const child = trackChild(
			spawn(install.nodeBin, [install.n8nBin, this.command, ...this.args], {
				env,
				cwd: this.instance.workDir,
				stdio: ['ignore', out, out],
				detached: true,
			}),
		);
		fs.closeSync(out);
		this.child = child;
		let exited = null;
		child.once('exit', (code, signal) => {
			exited = code ?? signal;
		});
		const started = Date.now();
		while (Date.now() - started < timeoutMs) {
			if (exited !== null) {
				this.child = null;
				throw new Error(
					`${this.name} (n8n ${this.command}) exited (${exited}) before it was ready\n${this.output().slice(-4000)}`,
				);
			}
			try {
				const res = await fetch(`${this.baseUrl}${this.readyPath}`);
				if (res.status === 200) {
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
			`${this.name} (n8n ${this.command}): ${this.readyPath} not 200 within ${timeoutMs} ms\n${this.output().slice(-4000)}`,
		);
	}

	/** SIGTERM (n8n finishes or hands back its running jobs), SIGKILL after `graceMs`. */
	async stop({ graceMs = 20_000 } = {}) {
		const child = this.child;
		this.child = null;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const gone = new Promise((r) => child.once('exit', r));
		killGroup(child, 'SIGTERM');
		await Promise.race([gone, sleep(graceMs)]);
		killGroup(child, 'SIGKILL');
	}
}

export class N8nCluster {
	/**
	 * Allocates folders and ports and installs the package into every process's user folder; starts nothing.
	 * @param {object} o
	 * @param {object} o.install ensureN8n() result
	 * @param {string} o.tarball the packed package
	 * @param {number} [o.workers] number of `n8n worker` processes (2)
	 * @param {number} [o.webhookProcessors] number of `n8n webhook` processes (1)
	 * @param {number} [o.workerConcurrency] `n8n worker --concurrency` (n8n's default: 10)
	 * @param {object} [o.env] extra environment for every n8n process
	 * @param {{main?: object, worker?: object, webhook?: object}} [o.roleEnv] extra environment by role
	 */
	static async create({
		install,
		tarball,
		workers = 2,
		webhookProcessors = 1,
		workerConcurrency = 10,
		env = {},
		roleEnv = {},
		log = () => {},
	}) {
		const cluster = new N8nCluster({ install, tarball, log, workerConcurrency, env, roleEnv });
		const t0 = Date.now();
		const taken = [];
		const port = async () => {
			const p = await freePort(taken);
			taken.push(p);
			return p;
		};
		cluster.redisPort = await port();
		cluster.postgresPort = await port();
		const instance = async (name) => {
			const userFolder = path.join(cluster.dir, name);
			fs.mkdirSync(userFolder, { recursive: true });
			const inst = new N8nInstance({
				install,
				userFolder,
				port: await port(),
				brokerPort: await port(),
				log,
				env: {},
			});
			inst.installed = installPackageInto(userFolder, tarball);
			return inst;
		};
		cluster.main = await instance('main');
		for (let i = 1; i <= webhookProcessors; i++) {
			const inst = await instance(`webhook-${i}`);
			cluster.webhookProcessors.push(
				new QueueProcess({ name: `webhook-${i}`, command: 'webhook', instance: inst }),
			);
		}
		for (let i = 1; i <= workers; i++) cluster.workers.push(await cluster.newWorker(instance));
		cluster.instanceFn = instance;
		// Every process's environment: the shared part, then its own.
		cluster.main.extraEnv = { ...cluster.sharedEnv(), ...cluster.mainEnv(), ...roleEnv.main };
		for (const p of cluster.webhookProcessors)
			p.instance.extraEnv = { ...cluster.sharedEnv(), ...roleEnv.webhook };
		cluster.prepareMs = Date.now() - t0;
		return cluster;
	}

	constructor({ install, tarball, log, workerConcurrency, env, roleEnv }) {
		this.install = install;
		this.tarball = tarball;
		this.roleEnv = roleEnv;
		this.log = log;
		this.workerConcurrency = workerConcurrency;
		this.userEnv = env;
		this.dir = makeTempDir('n8n-e2e-cluster');
		this.workers = [];
		this.workerSeq = 0;
		/** Workers removed while the cluster ran (their logs still count in executionsRunBy). */
		this.retired = [];
		this.webhookProcessors = [];
		this.redis = null;
		this.postgres = null;
		this.timings = {};
		live.add(this);
		if (!exitHandler) {
			exitHandler = true;
			process.on('exit', onExit);
		}
	}

	async newWorker(instance = this.instanceFn, { concurrency = this.workerConcurrency } = {}) {
		const name = `worker-${++this.workerSeq}`;
		const inst = await instance(name);
		// The worker's HTTP server only serves its health check, on its "port".
		inst.extraEnv = {
			...this.sharedEnv(),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(inst.port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			...this.roleEnv.worker,
		};
		return new QueueProcess({
			name,
			command: 'worker',
			args: [`--concurrency=${concurrency}`],
			instance: inst,
		});
	}

	/** Adds (and starts, when the cluster runs) one more worker (`n8n worker --concurrency`). */
	async addWorker({ concurrency } = {}) {
		const worker = await this.newWorker(this.instanceFn, { concurrency });
		this.workers.push(worker);
		if (this.running) await worker.start();
		return worker;
	}

	/** Adds (and starts, when the cluster runs) one more webhook processor (`n8n webhook`); a load balancer would spread calls over them. */
	async addWebhookProcessor() {
		const name = `webhook-${this.webhookProcessors.length + 1}`;
		const inst = await this.instanceFn(name);
		inst.extraEnv = { ...this.sharedEnv(), ...this.roleEnv.webhook };
		const processor = new QueueProcess({ name, command: 'webhook', instance: inst });
		this.webhookProcessors.push(processor);
		if (this.running) await processor.start();
		return processor;
	}

	/** Stops a worker (graceful: n8n lets its running jobs finish) and takes it out of `workers`. */
	async removeWorker(worker) {
		await worker.stop();
		this.workers = this.workers.filter((w) => w !== worker);
		this.retired.push(worker);
	}

	get n8nMajor() {
		return (
			this.install.n8nMajor ??
			Number(
				String(this.install.n8nVersion ?? this.install.marker?.n8nVersion ?? '2').split('.')[0],
			)
		);
	}

	/** What every n8n process of the cluster shares. */
	sharedEnv() {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgresPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			// Trust authentication on loopback (a throw-away database): no password.
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			// Production webhook URLs (the editor's, and $execution.resumeUrl) name the webhook processor.
			N8N_WEBHOOK_URL: this.webhookProcessors[0]
				? `${this.webhookProcessors[0].baseUrl}/`
				: undefined,
			// n8n 1.x's name for it (2.x warns that it is deprecated).
			...(this.n8nMajor < 2
				? {
						WEBHOOK_URL: this.webhookProcessors[0]
							? `${this.webhookProcessors[0].baseUrl}/`
							: undefined,
					}
				: {}),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
			...this.userEnv,
		};
	}

	mainEnv() {
		return {
			// Production webhooks are the webhook processors' job only.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			// n8n 3's behaviour (manual executions on workers too), recommended for queue mode now.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
	}

	/** Production URL of a webhook path on the (first) webhook processor. */
	webhookUrl(webhookPath, processor = 0) {
		return `${this.webhookProcessors[processor].baseUrl}/webhook/${webhookPath}`;
	}

	get processes() {
		return [
			{
				name: 'main',
				pid: this.main.server?.pid,
				port: this.main.port,
				brokerPort: this.main.brokerPort,
				userFolder: this.main.userFolder,
			},
		].concat(
			[...this.workers, ...this.webhookProcessors].map((p) => ({
				name: p.name,
				pid: p.pid,
				port: p.port,
				brokerPort: p.instance.brokerPort,
				userFolder: p.instance.userFolder,
			})),
		);
	}

	/** The environment each n8n process gets beyond the defaults of N8nInstance, for reports. */
	describeEnv() {
		const out = { main: this.main.extraEnv };
		for (const p of [...this.webhookProcessors, ...this.workers])
			out[p.name] = {
				...p.instance.extraEnv,
				N8N_PORT: String(p.port),
				N8N_RUNNERS_BROKER_PORT: String(p.instance.brokerPort),
				command: `n8n ${p.command} ${p.args.join(' ')}`.trim(),
			};
		out.main = {
			...out.main,
			N8N_PORT: String(this.main.port),
			N8N_RUNNERS_BROKER_PORT: String(this.main.brokerPort),
			command: 'n8n start',
		};
		return out;
	}

	/** Redis and PostgreSQL (installed with apt-get when missing). Called by start(); the CLI needs PostgreSQL before it. */
	async startServices() {
		if (this.redis && this.postgres) return;
		const t0 = Date.now();
		const bins = await ensureQueueServices({ log: this.log });
		this.timings.aptInstallMs = bins.installMs;
		this.timings.aptInstalled = bins.installed;
		const t1 = Date.now();
		[this.redis, this.postgres] = await Promise.all([
			startRedis({
				bin: bins.redisServer,
				dir: path.join(this.dir, 'redis'),
				port: this.redisPort,
			}),
			startPostgres({
				binDir: bins.pgBin,
				dir: path.join(this.dir, 'postgres'),
				port: this.postgresPort,
			}),
		]);
		this.timings.servicesMs = Date.now() - t1;
		this.timings.servicesTotalMs = Date.now() - t0;
	}

	/**
	 * Services, then the main (it runs the database migrations: the others wait for it), then the
	 * workers and webhook processors together.
	 */
	async start({ timeoutMs = 240_000 } = {}) {
		await this.startServices();
		const t0 = Date.now();
		await this.main.start({ timeoutMs });
		this.timings.mainMs = Date.now() - t0;
		const t1 = Date.now();
		await Promise.all(
			[...this.workers, ...this.webhookProcessors].map((p) => p.start({ timeoutMs })),
		);
		this.timings.othersMs = Date.now() - t1;
		this.timings.startMs = Date.now() - t0;
		this.running = true;
		// For inspection: what each process was started with (beyond N8nInstance's defaults).
		fs.writeFileSync(
			path.join(this.dir, 'cluster-env.json'),
			`${JSON.stringify(this.describeEnv(), null, 2)}\n`,
		);
	}

	/** Map executionId → names of the processes whose log says "Worker started execution <id>". */
	executionsRunBy() {
		const byExecution = new Map();
		for (const p of [
			{ name: 'main', output: () => this.main.serverOutput() },
			...this.workers,
			...this.retired,
			...this.webhookProcessors,
		]) {
			for (const m of p.output().matchAll(/Worker started execution (\d+) \(job/g)) {
				const list = byExecution.get(m[1]) ?? [];
				list.push(p.name);
				byExecution.set(m[1], list);
			}
		}
		return byExecution;
	}

	/** Each n8n process's log, by name. */
	logs() {
		return {
			main: this.main.serverOutput(),
			...Object.fromEntries(
				[...this.workers, ...this.retired, ...this.webhookProcessors].map((p) => [
					p.name,
					p.output(),
				]),
			),
		};
	}

	async stop() {
		this.running = false;
		await Promise.all([...this.webhookProcessors, ...this.workers].map((p) => p.stop()));
		await this.main.stop();
		await Promise.all([this.redis?.stop(), this.postgres?.stop()]);
	}

	/** Stops everything; removes the cluster folder unless `keep` or E2E_KEEP (then prints nothing: the caller says where). */
	async dispose({ keep = false } = {}) {
		await this.stop();
		live.delete(this);
		if (!keep && !process.env.E2E_KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
	}
}
