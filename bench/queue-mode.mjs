#!/usr/bin/env node
// Queue mode figures: how many Pronto callbacks per second n8n's webhook processor takes in, how
// long a callback takes to become a finished execution, and how both change from one worker to two
// (and with a second webhook processor). For comparison, the same callbacks into n8n's own Webhook
// node (no auth, and Header Auth, which reads a credential per call as the Pronto Trigger does).
// Also two 10 000-item Explorium jobs at once on one API key on two workers (one each) under the
// provider's 200 requests per minute: the 429s and the request rates (the package shares a key's
// window only inside one n8n process).
//
// The cluster is the e2e level's (test/e2e/lib/n8n-cluster.mjs): PostgreSQL and Redis from Debian's
// packages (installed with apt-get when missing: needs root), n8n 2.40.7 as main + workers + one
// webhook processor, the packed package in every process's user folder. The published receiver
// workflow is Pronto Trigger → HTTP Request to a loopback "CRM": a callback is done when its CRM
// update arrives (end-to-end latency = CRM arrival − callback sent). Callbacks are genuine
// Pronto-shaped bodies (a template from the simulator) with the token the Pronto node adds, posted
// straight to the webhook processor's production URL.
//
//   npm run build && node bench/queue-mode.mjs
//   BENCH_CALLBACKS=300       callbacks of the burst (posted with BENCH_SENDERS=20 in flight)
//   BENCH_PACED_RATE=4        callbacks per second of the paced run (BENCH_PACED_SECONDS=30)
//   BENCH_CONTROLS=0          skips the same burst into n8n's own Webhook node (no auth, Header Auth)
//   BENCH_N8N_ENV='{"N8N_EXPRESSION_ENGINE":"legacy"}'   extra environment for every n8n process
//   BENCH_WORKER_CONCURRENCY=10   n8n worker --concurrency (n8n's default)
//   BENCH_DB_POOL_SIZE=<n>    DB_POSTGRESDB_POOL_SIZE of every n8n process (n8n's default: 2)
//   BENCH_WORKER_COUNTS=1,2   the worker counts the bursts run with
//   BENCH_PAIR=0              skips the two Explorium jobs
//   BENCH_TWO_PROCESSORS=0    skips the burst over two webhook processors
//   BENCH_OUT=bench/results/queue-mode.md
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

import { simulatorCredentials } from '../test/e2e/lib/fixtures.mjs';
import { N8nCluster } from '../test/e2e/lib/n8n-cluster.mjs';
import { ensureN8n, N8N_VERSION } from '../test/e2e/lib/n8n-install.mjs';
import {
	installCleanupHandlers,
	killAllChildren,
	makeTempDir,
	packRepo,
	REPO_ROOT,
	startSimulator,
} from '../test/e2e/lib/n8n-instance.mjs';
import {
	EXPLORIUM_BULK_PATH,
	firstProspectId,
	exploriumJobWorkflow,
	listExecutions,
	postJson,
	prontoReceiverWorkflow,
	rateFigures,
	waitForExecutions,
} from '../test/e2e/lib/queue-mode-workflows.mjs';

const require = createRequire(import.meta.url);
const { startCallbackReceiver } = require('../test/simulator/callback-receiver.cjs');
const fake = require('../test/simulator/fake-data.cjs');
const { addWebhookToken } = require(
	path.join(REPO_ROOT, 'dist', 'nodes', 'Pronto', 'adapter', 'webhook-token.js'),
);

const env = process.env;
const CALLBACKS = Number(env.BENCH_CALLBACKS ?? 300);
const SENDERS = Number(env.BENCH_SENDERS ?? 20);
const PACED_RATE = Number(env.BENCH_PACED_RATE ?? 4);
const PACED_SECONDS = Number(env.BENCH_PACED_SECONDS ?? 30);
const CONTROLS = env.BENCH_CONTROLS !== '0';
/** Also a burst spread over two webhook processors (round robin, as a load balancer would). */
const TWO_PROCESSORS = env.BENCH_TWO_PROCESSORS !== '0';
/** Extra environment for every n8n process, e.g. '{"N8N_EXPRESSION_ENGINE":"legacy"}'. */
const N8N_ENV = JSON.parse(env.BENCH_N8N_ENV ?? '{}');
const WORKER_CONCURRENCY = Number(env.BENCH_WORKER_CONCURRENCY ?? 10);
const PAIR = env.BENCH_PAIR !== '0';
const WORKER_COUNTS = (env.BENCH_WORKER_COUNTS ?? '1,2').split(',').map(Number);
const PAIR_ITEMS = 10_000;
/**
 * 200 *requests* a minute with no X-RateLimit headers: the older rule this check was built on (two
 * 10 000-item jobs = 400 requests). Explorium's current rule counts entities (200 ids a minute: the
 * same jobs would take 100 minutes); bench/shared-key.mjs measures that one.
 */
const RATE = { limit: 200, windowMs: 60_000, unit: 'requests', headers: false };
const LATENCY_MS = 300;
const OUT = path.resolve(REPO_ROOT, env.BENCH_OUT ?? 'bench/results/queue-mode.md');
const WEBHOOK_SECRET = 'bench-queue-mode-webhook-secret';
const RECEIVER = { workflow: 'benchQmProntoRecv', webhookId: 'bench-qm-pronto-callbacks' };
const HEADER = { name: 'x-bench-auth', value: 'bench-header-auth-value' };
/** n8n's own Webhook node (responds on receipt) → the same CRM update: what n8n costs without the Pronto Trigger. */
const CONTROL_WORKFLOWS = [
	{
		key: 'open',
		id: 'benchQmCtlOpen01',
		path: 'bench-qm-webhook-open',
		label: "n8n's Webhook node, no auth",
	},
	{
		key: 'header',
		id: 'benchQmCtlHead01',
		path: 'bench-qm-webhook-header',
		label: "n8n's Webhook node, Header Auth",
		credential: { id: 'benchCredHeader1', name: 'bench header auth' },
	},
];

function controlWorkflow(c, crmUrl) {
	return {
		id: c.id,
		name: `bench: ${c.label}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${c.id}-0`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: c.path,
				parameters: {
					httpMethod: 'POST',
					path: c.path,
					responseMode: 'onReceived',
					...(c.credential ? { authentication: 'headerAuth' } : {}),
					options: {},
				},
				...(c.credential ? { credentials: { httpHeaderAuth: c.credential } } : {}),
			},
			{
				id: `${c.id}-1`,
				name: 'CRM Update',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `${crmUrl}/crm/update`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json.body) }}',
					options: {},
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'CRM Update', type: 'main', index: 0 }]] } },
	};
}
const PAIR_WF = { workflow: 'benchQmExplPair01', path: 'bench-qm-explorium-pair' };
const CLOCK_TICKS_PER_SECOND = 100;

const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const s1 = (ms) => (ms / 1000).toFixed(1);

function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * CPU ms (user + system) of a process, its process group (n8n's task runner) and its children
 * (PostgreSQL's backends, which leave the group).
 */
function groupCpuMs(pid) {
	let total = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
			if (Number(entry) === pid || Number(fields[1]) === pid || Number(fields[2]) === pid)
				total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
		} catch {
			/* gone meanwhile */
		}
	}
	return total;
}

function cpuSnapshot(cluster) {
	const groups = {
		main: cluster.main.server?.pid,
		postgres: cluster.postgres.process.pid,
		redis: cluster.redis.process.pid,
	};
	for (const p of [...cluster.webhookProcessors, ...cluster.workers]) groups[p.name] = p.pid;
	return Object.fromEntries(
		Object.entries(groups).map(([k, pid]) => [k, pid ? groupCpuMs(pid) : 0]),
	);
}

function cpuShare(before, after, wallMs) {
	return Object.fromEntries(
		Object.keys(after).map((k) => [k, Math.round((100 * (after[k] - (before[k] ?? 0))) / wallMs)]),
	);
}

/** One genuine callback body from the simulator (as Pronto), to vary per post. */
async function callbackTemplate(sim, crm) {
	const res = await fetch(`${sim.baseUrls.pronto}/contacts/single_enrich`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': sim.apiKeys.pronto },
		body: JSON.stringify({
			firstname: 'Ada',
			lastname: 'Bench',
			domain: 'example.com',
			enrichment_type: ['email'],
			webhook_url: `${crm.url}/template`,
			custom: {},
		}),
	});
	if (res.status !== 200) throw new Error(`simulator single_enrich: ${res.status}`);
	const deadline = Date.now() + 10_000;
	for (;;) {
		const hit = crm.received.find((r) => r.path.startsWith('/template'));
		if (hit) return hit.body;
		if (Date.now() > deadline) throw new Error('no template callback from the simulator');
		await sleep(50);
	}
}

/**
 * Posts callbacks to the webhook processor: `count` of them with `senders` in flight (burst), or one
 * every 1000/rate ms (paced). Each carries its phase and number in `custom`. Resolves with one
 * record per callback: {seq, sentAt, answeredAt, status}.
 */
async function postCallbacks({ urls, headers = {}, template, phase, count, senders, rate }) {
	const records = [];
	const postOne = async (seq) => {
		const body = {
			...template,
			enrichment_id: randomUUID(),
			custom: { bench_phase: phase, bench_seq: seq },
		};
		const record = { seq, sentAt: Date.now(), answeredAt: 0, status: 0 };
		records[seq] = record;
		try {
			const res = await fetch(urls[seq % urls.length], {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify(body),
			});
			await res.arrayBuffer();
			record.status = res.status;
		} catch (error) {
			record.error = String(error?.cause?.code ?? error?.message ?? error);
		}
		record.answeredAt = Date.now();
	};
	if (rate) {
		const t0 = Date.now();
		const pending = [];
		for (let seq = 0; seq < count; seq++) {
			const due = t0 + (seq * 1000) / rate;
			if (due > Date.now()) await sleep(due - Date.now());
			pending.push(postOne(seq));
		}
		await Promise.all(pending);
	} else {
		let next = 0;
		await Promise.all(
			Array.from({ length: Math.min(senders, count) }, async () => {
				while (next < count) await postOne(next++);
			}),
		);
	}
	return records;
}

/** Waits until the CRM has an update for every accepted callback of the phase (bounded). */
async function waitForUpdates(crm, phase, expected, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const updates = crm.received.filter((r) => r.body?.custom?.bench_phase === phase);
		if (updates.length >= expected || Date.now() > deadline) return updates;
		await sleep(200);
	}
}

/** Where callbacks go: the Pronto Trigger (with the token), or a control workflow. */
function target(cluster, control) {
	const all = (p) => cluster.webhookProcessors.map((_, i) => cluster.webhookUrl(p, i));
	if (!control)
		return {
			label: 'Pronto Trigger',
			urls: all(`${RECEIVER.webhookId}/callback`).map((u) => addWebhookToken(u, WEBHOOK_SECRET)),
		};
	return {
		label: control.label,
		urls: all(control.path),
		headers: control.credential ? { [HEADER.name]: HEADER.value } : {},
	};
}

async function runPhase({ cluster, crm, template, phase, count, senders, rate, control }) {
	const { label, urls, headers } = target(cluster, control);
	log(
		`${phase}: ${count} callbacks to ${label} ${rate ? `at ${rate}/s` : `with ${senders} in flight`}…`,
	);
	const cpuBefore = cpuSnapshot(cluster);
	const t0 = Date.now();
	const records = await postCallbacks({ urls, headers, template, phase, count, senders, rate });
	const sendMs = Date.now() - t0;
	const accepted = records.filter((r) => r.status === 200);
	const updates = await waitForUpdates(crm, phase, accepted.length, 15 * 60_000);
	const doneMs = Date.now() - t0;
	const cpu = cpuShare(cpuBefore, cpuSnapshot(cluster), doneMs);
	const bySeq = new Map(updates.map((u) => [u.body.custom.bench_seq, u.receivedAt]));
	const latencies = accepted
		.filter((r) => bySeq.has(r.seq))
		.map((r) => bySeq.get(r.seq) - r.sentAt);
	const lastUpdate = Math.max(...updates.map((u) => u.receivedAt));
	const firstSent = Math.min(...records.map((r) => r.sentAt));
	const lastAnswer = Math.max(...records.map((r) => r.answeredAt));
	const failures = {};
	for (const r of records.filter((x) => x.status !== 200))
		failures[r.status || r.error] = (failures[r.status || r.error] ?? 0) + 1;
	const row = {
		phase,
		label,
		workers: cluster.workers.length,
		processors: cluster.webhookProcessors.length,
		count,
		mode: rate ? `paced ${rate}/s` : `burst, ${senders} in flight`,
		accepted: accepted.length,
		failures,
		intakePerS: accepted.length / ((lastAnswer - firstSent) / 1000),
		answerP50: percentile(
			records.map((r) => r.answeredAt - r.sentAt),
			50,
		),
		answerP95: percentile(
			records.map((r) => r.answeredAt - r.sentAt),
			95,
		),
		executed: updates.length,
		donePerS: updates.length / ((lastUpdate - firstSent) / 1000),
		latencyP50: percentile(latencies, 50),
		latencyP95: percentile(latencies, 95),
		latencyMax: Math.max(...latencies),
		sendMs,
		doneMs,
		cpu,
	};
	log(JSON.stringify(row));
	return row;
}

async function explorium429Pair({ cluster, sim }) {
	// One job per worker: workers with --concurrency=1 (a second job goes to the idle one).
	for (const w of [...cluster.workers]) await cluster.removeWorker(w);
	await Promise.all([cluster.addWorker({ concurrency: 1 }), cluster.addWorker({ concurrency: 1 })]);
	await sim.reset();
	const admin = async (p, body) => {
		const res = await fetch(`${sim.url}/__admin/${p}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (!res.ok) throw new Error(`simulator ${p}: ${res.status}`);
	};
	await admin('rate-limit', { provider: 'explorium', ...RATE });
	await admin('faults', { kind: 'latency', ms: LATENCY_MS, times: -1, provider: 'explorium' });
	log(`two Explorium jobs of ${PAIR_ITEMS} items on one key, ${RATE.limit}/min…`);
	const t0 = Date.now();
	const first = postJson(cluster.webhookUrl(PAIR_WF.path), { count: PAIR_ITEMS, offset: 0 });
	while (
		(await listExecutions(cluster.main, PAIR_WF.workflow)).results.filter(
			(e) => e.status === 'running',
		).length < 1
	)
		await sleep(200);
	const second = postJson(cluster.webhookUrl(PAIR_WF.path), {
		count: PAIR_ITEMS,
		offset: PAIR_ITEMS,
	});
	const answers = await Promise.all([first, second]);
	const wallMs = Date.now() - t0;
	// Oldest first: the first job's execution was created before the second was posted.
	const executions = (await waitForExecutions(cluster.main, PAIR_WF.workflow, 2, 60_000)).sort(
		(a, b) => Number(a.id) - Number(b.id),
	);
	const runBy = cluster.executionsRunBy();
	const requests = (await sim.requests()).filter(
		(r) => r.provider === 'explorium' && EXPLORIUM_BULK_PATH.test(r.path),
	);
	const firstIds = new Set(
		Array.from({ length: PAIR_ITEMS }, (_, i) =>
			fake.prospectIdFor({ email: `bench${i}@example.com` }),
		),
	);
	const jobs = [0, PAIR_ITEMS].map((offset) => ({
		offset,
		...rateFigures(
			requests.filter((r) => firstIds.has(firstProspectId(r.body)) === (offset === 0)),
			RATE.windowMs,
		),
	}));
	const result = {
		wallMs,
		answers: answers.map((a) => a.status),
		statuses: executions.map((e) => e.status),
		workers: executions.map((e) => (runBy.get(String(e.id)) ?? []).join(',')),
		all: rateFigures(requests, RATE.windowMs),
		accepted: requests.filter((r) => r.status === 200).length,
		jobs,
	};
	log(JSON.stringify(result));
	return result;
}

async function main() {
	installCleanupHandlers();
	const install = await ensureN8n({ log });
	const scratch = makeTempDir('n8n-bench-queue');
	process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
	const { tarball } = packRepo(scratch);
	const sim = await startSimulator({ logFile: path.join(scratch, 'simulator.log') });
	const crm = await startCallbackReceiver();
	const poolEnv = env.BENCH_DB_POOL_SIZE ? { DB_POSTGRESDB_POOL_SIZE: env.BENCH_DB_POOL_SIZE } : {};
	const cluster = await N8nCluster.create({
		install,
		tarball,
		workers: 1,
		webhookProcessors: 1,
		workerConcurrency: WORKER_CONCURRENCY,
		env: { ...poolEnv, ...N8N_ENV },
		log,
	});
	const rows = [];
	let pair;
	let failed = false;
	try {
		await cluster.startServices();
		const credentials = simulatorCredentials(sim).map((c) =>
			c.type === 'bulkEnrichmentProntoApi'
				? { ...c, data: { ...c.data, webhookSecret: WEBHOOK_SECRET } }
				: c,
		);
		credentials.push({ ...CONTROL_WORKFLOWS[1].credential, type: 'httpHeaderAuth', data: HEADER });
		await cluster.main.importCredentials(credentials);
		const workflows = [
			prontoReceiverWorkflow({
				id: RECEIVER.workflow,
				webhookId: RECEIVER.webhookId,
				crmUrl: crm.url,
			}),
		];
		if (CONTROLS) workflows.push(...CONTROL_WORKFLOWS.map((c) => controlWorkflow(c, crm.url)));
		if (PAIR)
			workflows.push(
				exploriumJobWorkflow({
					id: PAIR_WF.workflow,
					webhookPath: PAIR_WF.path,
					simulatorUrl: sim.url,
				}),
			);
		for (const wf of workflows) {
			await cluster.main.importWorkflow(wf);
			await cluster.main.publishWorkflow(wf.id);
		}
		await cluster.start();
		await cluster.main.setupOwner();
		log(`cluster up: ${JSON.stringify(cluster.timings)}`);
		const template = await callbackTemplate(sim, crm);
		// Webhooks registered (a refused probe: no token → 401).
		for (let i = 0; i < 120; i++) {
			const probe = await postJson(cluster.webhookUrl(`${RECEIVER.webhookId}/callback`), {});
			if (probe.status === 401) break;
			await sleep(500);
		}
		for (const workers of WORKER_COUNTS) {
			while (cluster.workers.length < workers) await cluster.addWorker();
			await runPhase({ cluster, crm, template, phase: `w${workers}-warmup`, count: 50, rate: 10 });
			rows.push(
				await runPhase({
					cluster,
					crm,
					template,
					phase: `w${workers}-burst`,
					count: CALLBACKS,
					senders: SENDERS,
				}),
			);
			rows.push(
				await runPhase({
					cluster,
					crm,
					template,
					phase: `w${workers}-paced`,
					count: PACED_RATE * PACED_SECONDS,
					rate: PACED_RATE,
				}),
			);
			if (CONTROLS) {
				for (const control of CONTROL_WORKFLOWS) {
					await runPhase({
						cluster,
						crm,
						template,
						phase: `w${workers}-ctl-${control.key}-warmup`,
						count: 50,
						rate: 10,
						control,
					});
					rows.push(
						await runPhase({
							cluster,
							crm,
							template,
							phase: `w${workers}-ctl-${control.key}-burst`,
							count: CALLBACKS,
							senders: SENDERS,
							control,
						}),
					);
				}
			}
		}
		if (TWO_PROCESSORS) {
			await cluster.addWebhookProcessor();
			await runPhase({ cluster, crm, template, phase: 'p2-warmup', count: 50, rate: 10 });
			rows.push(
				await runPhase({
					cluster,
					crm,
					template,
					phase: 'p2-burst',
					count: CALLBACKS,
					senders: SENDERS,
				}),
			);
		}
		if (PAIR) pair = await explorium429Pair({ cluster, sim });
	} catch (error) {
		failed = true;
		throw error;
	} finally {
		await cluster.dispose({ keep: failed });
		if (failed) log(`cluster kept: ${cluster.dir}`);
		await crm.close();
		await sim.stop();
		fs.rmSync(scratch, { recursive: true, force: true });
		killAllChildren();
	}

	const cpuText = (cpu) =>
		Object.entries(cpu)
			.filter(([, v]) => v >= 1)
			.map(([k, v]) => `${k} ${v}%`)
			.join(', ');
	const lines = [
		`n8n ${install.n8nVersion ?? install.marker?.n8nVersion ?? N8N_VERSION} in queue mode (main + workers + webhook processors, PostgreSQL ${cluster.postgres?.version?.split(' ')[0] ?? '?'}, Redis ${cluster.redis?.version?.split(' ')[2]?.replace('v=', '') ?? '?'}), all on one ${os.cpus().length}-core machine; ` +
			`workers --concurrency=${WORKER_CONCURRENCY}; DB pool ${env.BENCH_DB_POOL_SIZE ?? '2 (n8n default)'}; ${Object.keys(N8N_ENV).length ? `n8n env ${JSON.stringify(N8N_ENV)}` : "n8n's default settings (expression engine `vm`)"}; ${new Date().toISOString().slice(0, 10)}.`,
		'',
		"Pronto callbacks posted to the webhook processor's production URL (Pronto Trigger → HTTP Request to a loopback CRM). *Taken in*: callbacks answered 200 per second while posting; *done*: CRM updates per second (first post to last update); *latency*: callback posted → its CRM update (the execution's last node) arrived.",
		'',
		'| start node | webhook processors | workers | callbacks | posting | taken in /s | answer p50 / p95 ms | done /s | latency p50 / p95 / max s | not 200 | CPU (share of one core, whole phase) |',
		'|---|---|---|---|---|---|---|---|---|---|---|',
		...rows.map(
			(r) =>
				`| ${r.label} | ${r.processors} | ${r.workers} | ${r.count} | ${r.mode} | ${r.intakePerS.toFixed(1)} | ${r.answerP50} / ${r.answerP95} | ${r.donePerS.toFixed(1)} | ${s1(r.latencyP50)} / ${s1(r.latencyP95)} / ${s1(r.latencyMax)} | ${Object.keys(r.failures).length ? JSON.stringify(r.failures) : 0} | ${cpuText(r.cpu)} |`,
		),
		'',
		...triggerVersusWebhook(rows),
	];
	if (pair) {
		lines.push(
			`Two Explorium Enrich Contacts jobs of ${PAIR_ITEMS} items at once on one API key, one on each of two workers (--concurrency=1), simulator at ${RATE.limit} requests per minute with ${LATENCY_MS} ms answers:`,
			'',
			'| | requests | 429s | most sent in any 60 s | most accepted in any 60 s | span s |',
			'|---|---|---|---|---|---|',
			`| both (${s1(pair.wallMs)} s, ${pair.accepted} accepted, executions ${pair.statuses.join(' / ')}) | ${pair.all.requests} | ${pair.all.tooMany} | ${pair.all.maxPerWindow} (limit ${RATE.limit}) | ${pair.all.maxAcceptedPerWindow} | ${s1(pair.all.spanMs)} |`,
			...pair.jobs.map(
				(j, i) =>
					`| job from row ${j.offset} (${pair.workers[i] ?? '?'}) | ${j.requests} | ${j.tooMany} | ${j.maxPerWindow} | ${j.maxAcceptedPerWindow} | ${s1(j.spanMs)} |`,
			),
			'',
		);
	}
	const text = lines.join('\n');
	fs.mkdirSync(path.dirname(OUT), { recursive: true });
	fs.writeFileSync(OUT, text);
	process.stdout.write(`${text}\nwritten to ${path.relative(REPO_ROOT, OUT)}\n`);
}

/**
 * The Pronto Trigger against n8n's own Webhook node with Header Auth (which also reads a credential
 * per call), same burst, same workflow shape, same workers: the ratio of callbacks done per second.
 */
function triggerVersusWebhook(rows) {
	const lines = [];
	for (const workers of [...new Set(rows.map((r) => r.workers))]) {
		const burst = (label) =>
			rows.find(
				(r) =>
					r.workers === workers &&
					r.processors === 1 &&
					r.label === label &&
					r.mode.startsWith('burst'),
			);
		const trigger = burst('Pronto Trigger');
		const webhook = burst(CONTROL_WORKFLOWS[1].label);
		if (!trigger || !webhook) continue;
		lines.push(
			`Pronto Trigger ÷ n8n's Webhook node with Header Auth, ${workers} worker${workers === 1 ? '' : 's'}: done ${trigger.donePerS.toFixed(1)} / ${webhook.donePerS.toFixed(1)} per second = **${(trigger.donePerS / webhook.donePerS).toFixed(2)}×**; taken in ${trigger.intakePerS.toFixed(1)} / ${webhook.intakePerS.toFixed(1)} = ${(trigger.intakePerS / webhook.intakePerS).toFixed(2)}×.`,
			'',
		);
	}
	return lines;
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	killAllChildren();
	process.exit(1);
});
