#!/usr/bin/env node
// N separate n8n processes enriching on ONE API key whose real rate is below the documented one:
// queue-mode workers (each its own n8n process, `--concurrency=1` so each takes one job), one
// Explorium Enrich Contacts job per worker, all posted at once. The simulator allows the key a tenth
// of Explorium's documented 200 requests a minute (20 per sliding minute, 429 + Retry-After past
// it) and answers in 300 ms. The processes share nothing: each learns its share from the 429s.
//
// Per run: items enriched (found in each execution's output), requests accepted, 429s (and their
// share of the accepted), wall time from the first post to the last answer, against the bound the
// provider sets: accepted requests ÷ its real rate.
//
//   npm run build && node bench/shared-key.mjs
//   BENCH_WORKERS=2,4        the runs: how many processes (one job each)
//   BENCH_REQUESTS=120       requests per run in all (items per job = 50 × requests ÷ workers): 6 windows
//   BENCH_RATE=20            the key's real requests per minute
//   BENCH_NOTE='…'           what else ran on the machine meanwhile (written to the results file)
//   BENCH_OUT=bench/results/shared-key.md
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { simulatorCredentials } from '../test/e2e/lib/fixtures.mjs';
import { N8nCluster } from '../test/e2e/lib/n8n-cluster.mjs';
import { ensureN8n, N8N_VERSION } from '../test/e2e/lib/n8n-install.mjs';
import { installCleanupHandlers, killAllChildren, makeTempDir, packRepo, REPO_ROOT, startSimulator } from '../test/e2e/lib/n8n-instance.mjs';
import {
	EXPLORIUM_BULK_PATH,
	exploriumJobWorkflow,
	listExecutions,
	nodeOutput,
	postJson,
	rateFigures,
	readExecution,
	waitForExecutions,
} from '../test/e2e/lib/queue-mode-workflows.mjs';

const require = createRequire(import.meta.url);
const fake = require('../test/simulator/fake-data.cjs');

const env = process.env;
const WORKER_COUNTS = (env.BENCH_WORKERS ?? '2,4').split(',').map(Number);
const REQUESTS = Number(env.BENCH_REQUESTS ?? 120);
const RATE = { limit: Number(env.BENCH_RATE ?? 20), windowMs: 60_000 };
const LATENCY_MS = 300;
const BATCH = 50;
const OUT = path.resolve(REPO_ROOT, env.BENCH_OUT ?? 'bench/results/shared-key.md');
const WF = { workflow: 'benchSharedKey01', path: 'bench-shared-key-job' };

const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function admin(sim, p, body) {
	const res = await fetch(`${sim.url}/__admin/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (!res.ok) throw new Error(`simulator ${p}: ${res.status}`);
}

async function oneRun({ cluster, sim, flatted, workers }) {
	// One job per worker: every worker --concurrency=1.
	for (const w of [...cluster.workers]) await cluster.removeWorker(w);
	await Promise.all(Array.from({ length: workers }, () => cluster.addWorker({ concurrency: 1 })));
	await sim.reset();
	await admin(sim, 'rate-limit', { provider: 'explorium', ...RATE });
	await admin(sim, 'faults', { kind: 'latency', ms: LATENCY_MS, times: -1, provider: 'explorium' });
	const itemsEach = (REQUESTS / workers) * BATCH;
	const before = (await listExecutions(cluster.main, WF.workflow)).results.map((e) => String(e.id));
	log(`${workers} processes × ${itemsEach} items on one key at ${RATE.limit}/min…`);
	const t0 = Date.now();
	const answers = await Promise.all(
		Array.from({ length: workers }, async (_, job) => {
			const answer = await postJson(cluster.webhookUrl(WF.path), { count: itemsEach, offset: job * itemsEach });
			return { ...answer, at: Date.now() };
		}),
	);
	const wallMs = Math.max(...answers.map((a) => a.at)) - t0;
	const all = await waitForExecutions(cluster.main, WF.workflow, before.length + workers, 120_000);
	const executions = all.filter((e) => !before.includes(String(e.id)));
	const runBy = cluster.executionsRunBy();
	const requests = (await sim.requests()).filter((r) => r.provider === 'explorium' && r.path === EXPLORIUM_BULK_PATH);
	const jobOf = new Map();
	for (let job = 0; job < workers; job++) {
		for (let n = job * itemsEach; n < (job + 1) * itemsEach; n++) jobOf.set(fake.prospectIdFor({ email: `bench${n}@example.com` }), job);
	}
	let enriched = 0;
	const perExecution = [];
	for (const e of executions) {
		const full = await readExecution(cluster.main, e.id, flatted);
		const items = nodeOutput(full, 'Explorium');
		const found = items.filter((item) => item.json?.enrichment_status === 'found').length;
		enriched += found;
		perExecution.push({ id: e.id, status: e.status, items: items.length, found, worker: (runBy.get(String(e.id)) ?? []).join(',') });
	}
	const accepted = requests.filter((r) => r.status === 200).length;
	const tooMany = requests.filter((r) => r.status === 429).length;
	const jobs = Array.from({ length: workers }, (_, job) => {
		const own = requests.filter((r) => jobOf.get(r.body?.prospect_ids?.[0]) === job);
		const times = own.map((r) => r.receivedAt);
		return { job, accepted: own.filter((r) => r.status === 200).length, tooMany: own.filter((r) => r.status === 429).length, lastMs: times.length ? Math.max(...times) - t0 : 0 };
	});
	const boundMs = (accepted / RATE.limit) * RATE.windowMs;
	const row = {
		workers,
		itemsEach,
		items: workers * itemsEach,
		enriched,
		statuses: perExecution.map((p) => p.status),
		accepted,
		tooMany,
		wallMs,
		boundMs,
		window: rateFigures(requests, RATE.windowMs),
		jobs,
		perExecution,
		answers: answers.map((a) => a.status),
	};
	log(JSON.stringify(row));
	return row;
}

async function main() {
	installCleanupHandlers();
	const install = await ensureN8n({ log });
	const flatted = createRequire(path.join(install.n8nPkgDir, 'package.json'))('flatted');
	const scratch = makeTempDir('n8n-bench-shared-key');
	process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
	const { tarball } = packRepo(scratch);
	const sim = await startSimulator({ logFile: path.join(scratch, 'simulator.log') });
	const cluster = await N8nCluster.create({ install, tarball, workers: 1, webhookProcessors: 1, workerConcurrency: 1, log });
	const rows = [];
	let failed = false;
	const startedAt = new Date();
	const load = os.loadavg();
	try {
		await cluster.startServices();
		await cluster.main.importCredentials(simulatorCredentials(sim));
		const wf = exploriumJobWorkflow({ id: WF.workflow, webhookPath: WF.path, simulatorUrl: sim.url });
		await cluster.main.importWorkflow(wf);
		await cluster.main.publishWorkflow(wf.id);
		await cluster.start();
		await cluster.main.setupOwner();
		log(`cluster up: ${JSON.stringify(cluster.timings)}`);
		// The webhook is registered once a probe runs the workflow (a 1-item job, no rate limit yet).
		for (let i = 0; i < 120; i++) {
			const probe = await postJson(cluster.webhookUrl(WF.path), { count: 1, offset: 0 });
			if (probe.status === 200) break;
			await sleep(500);
		}
		for (const workers of WORKER_COUNTS) rows.push(await oneRun({ cluster, sim, flatted, workers }));
	} catch (error) {
		failed = true;
		throw error;
	} finally {
		await cluster.dispose({ keep: failed });
		if (failed) log(`cluster kept: ${cluster.dir}`);
		await sim.stop();
		fs.rmSync(scratch, { recursive: true, force: true });
		killAllChildren();
	}

	const s = (ms) => (ms / 1000).toFixed(0);
	const pct = (a, b) => (b ? `${Math.round((100 * a) / b)} %` : '-');
	const lines = [
		`n8n ${install.n8nVersion ?? install.marker?.n8nVersion ?? N8N_VERSION} in queue mode: main + N workers (each its own n8n process, --concurrency=1, one job each) + 1 webhook processor, PostgreSQL and Redis, on one ${os.cpus().length}-core machine; ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; load average at the start ${load.map((l) => l.toFixed(1)).join(' / ')}${env.BENCH_NOTE ? `; also running: ${env.BENCH_NOTE}` : ''}.`,
		'',
		`One Explorium API key that the simulator allows **${RATE.limit} requests per sliding minute** (a tenth of the documented 200; 429 + Retry-After past it), ${LATENCY_MS} ms per answer. N Explorium Enrich Contacts jobs (default options: batches of ${BATCH}, 10 requests in flight) posted at once, ${REQUESTS} requests in all. *Bound*: accepted requests ÷ the key's real rate. *Wall*: first post to last answer.`,
		'',
		'| processes | items (each) | enriched | executions | requests accepted | 429s (share of accepted) | most accepted in any 60 s | wall s (bound) | wall / bound | per process: accepted / 429s / last request at s |',
		'|---|---|---|---|---|---|---|---|---|---|',
		...rows.map(
			(r) =>
				`| ${r.workers} | ${r.items} (${r.itemsEach}) | ${r.enriched} | ${r.statuses.join(' / ')} | ${r.accepted} | ${r.tooMany} (${pct(r.tooMany, r.accepted)}) | ${r.window.maxAcceptedPerWindow} (limit ${RATE.limit}) | ${s(r.wallMs)} (${s(r.boundMs)}) | ${(r.wallMs / r.boundMs).toFixed(2)} | ${r.jobs.map((j) => `${j.accepted} / ${j.tooMany} / ${s(j.lastMs)}`).join('; ')} |`,
		),
		'',
	];
	const text = lines.join('\n');
	fs.mkdirSync(path.dirname(OUT), { recursive: true });
	fs.writeFileSync(OUT, text);
	process.stdout.write(`${text}\nwritten to ${path.relative(REPO_ROOT, OUT)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	killAllChildren();
	process.exit(1);
});
