#!/usr/bin/env node
// `npm run bench`: throughput, CPU and memory of each bulk node in a REAL n8n (the e2e level's
// n8n 2.40.7 on Node 24, the packed package installed as a user installs it), against the simulator
// on loopback with a latency on every answer and the providers' documented limits switched on:
// Explorium 200 *queries* per sliding minute where each id of a bulk request is one query (so 200
// ids a minute: four requests of 50), with X-RateLimit-Limit/-Remaining/-Reset on every answer and
// 429 + Retry-After past it; ExactBuyer 200 requests per sliding minute (HTML 429, no headers);
// Pronto 5 requests at once per key.
//
// Each workflow is Webhook → HTTP Request (the simulator's sample inputs, one item per row) → node.
// The same workflow with a No Op in place of the node is run at the same size: the node's CPU and wall
// time are the first run's minus the second's (n8n's own cost for the items, the webhook and the
// source request). Two concurrent runs are timed whole, source and all. Executions are not saved (EXECUTIONS_DATA_SAVE_ON_SUCCESS=none), so the
// figure is the node's, not sqlite's.
//
//   npm run bench                                  # 1 000, 10 000, 100 000 items (Explorium: 1 000, 2 000)
//   BENCH_SIZES=1000,10000 BENCH_NODES=pronto npm run bench
//   BENCH_EXPLORIUM_SIZES=1000,2000 (default; BENCH_SIZES when that is set): Explorium's window admits
//     200 ids a minute, so 10 000 items take at least 50 minutes and 100 000 at least 8 hours
//   BENCH_EXPLORIUM_CONCURRENT=300 (default): items per run of Explorium's two concurrent runs (issue
//     25's target: two runs of 300 ids on one key, at most one 429, within 1.15 × the entity bound)
//   BENCH_LATENCY_MS=300 (default)  BENCH_OUT=bench/results/real-n8n.md (default)
//   BENCH_CONCURRENT=10000 (default; 0 skips): two runs of that size at once on the same API key
//     (Pronto and ExactBuyer; Explorium: BENCH_EXPLORIUM_CONCURRENT)
//   BENCH_DUPLICATE_EVERY=10: every 10th input row repeats the row before it (10 % duplicates; default none)
//   BENCH_PACKAGE_DIR=<dir>: bench the package built in another checkout (e.g. an older commit's worktree)
//   BENCH_CPU_PROFILE=<dir>: n8n writes a V8 CPU profile there on exit; `node bench/profile-summary.mjs <dir>`
//   says where the time went (this package, n8n's request path, the engine, GC).
//
// Prints a markdown table and writes it to BENCH_OUT. Needs the e2e n8n cache (installed on first use).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { ensureN8n } from '../test/e2e/lib/n8n-install.mjs';
import {
	installCleanupHandlers,
	killAllChildren,
	makeTempDir,
	N8nInstance,
	packRepo,
	REPO_ROOT,
	startSimulator,
} from '../test/e2e/lib/n8n-instance.mjs';
import { simulatorCredentials, credentialRef } from '../test/e2e/lib/fixtures.mjs';
import { EXPLORIUM_BULK_PATH, exploriumEntities } from '../test/e2e/lib/queue-mode-workflows.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000')
	.split(',')
	.filter(Boolean)
	.map(Number);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 300);
const OUT = path.resolve(REPO_ROOT, process.env.BENCH_OUT ?? 'bench/results/real-n8n.md');
const ONLY = (process.env.BENCH_NODES ?? '').split(',').filter(Boolean);
/** Items per run of the two concurrent runs on one key (0 skips them). */
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 10_000);
const EXPLORIUM_SIZES = (
	process.env.BENCH_EXPLORIUM_SIZES ??
	process.env.BENCH_SIZES ??
	'1000,2000'
)
	.split(',')
	.filter(Boolean)
	.map(Number);
const EXPLORIUM_CONCURRENT = Number(process.env.BENCH_EXPLORIUM_CONCURRENT ?? 300);
const CLOCK_TICKS_PER_SECOND = 100;
const DUPLICATE_EVERY = Number(process.env.BENCH_DUPLICATE_EVERY ?? 0);
const PACKAGE_DIR = path.resolve(process.env.BENCH_PACKAGE_DIR ?? REPO_ROOT);

/** The bulk operation of each node, its provider's limits, and the input rows the simulator serves. */
const NODES = [
	{
		key: 'explorium',
		label: 'Explorium · Enrich Contacts',
		type: 'n8n-nodes-bulk-enrichment.explorium',
		// Version 3, as a node added today: Explorium's v2 API. Ids from the sample rows (its default is Person Details).
		typeVersion: 3,
		parameters: { resource: 'prospect', operation: 'enrichContacts', identifyBy: 'prospectId' },
		credential: 'bulkEnrichmentExploriumApi',
		sampleKind: 'explorium-prospect-ids',
		provider: 'explorium',
		// v1 `/v1/prospects/contacts_information/bulk_enrich` or v2 `/v2/prospects/contact_information/enrich`.
		bulkPath: EXPLORIUM_BULK_PATH,
		maxBatch: 50,
		concurrency: 4,
		maxInFlightPerKey: 20,
		// The documented rule: 200 queries per sliding minute, one per id; headers on every answer.
		rate: { limit: 200, windowMs: 60_000, unit: 'entities', headers: true },
		sizes: EXPLORIUM_SIZES,
		concurrent: EXPLORIUM_CONCURRENT,
	},
	{
		key: 'pronto',
		label: 'Pronto · Bulk Enrich',
		type: 'n8n-nodes-bulk-enrichment.pronto',
		parameters: {
			resource: 'contact',
			operation: 'bulkEnrich',
			webhookUrl: 'http://127.0.0.1:9/pronto-callback',
			custom: '{}',
		},
		credential: 'bulkEnrichmentProntoApi',
		sampleKind: 'pronto-contacts',
		provider: 'pronto',
		bulkPath: '/contacts/bulk_enrich',
		maxBatch: 100,
		concurrency: 5,
		maxInFlightPerKey: 5,
	},
	{
		key: 'exactbuyer',
		label: 'ExactBuyer · Bulk Enrich',
		type: 'n8n-nodes-bulk-enrichment.exactBuyer',
		parameters: {
			resource: 'contact',
			operation: 'bulkEnrich',
			fieldType: 'email',
			value: '={{ $json.email }}',
		},
		credential: 'bulkEnrichmentExactBuyerApi',
		sampleKind: 'exactbuyer-emails',
		provider: 'exactbuyer',
		bulkPath: '/v1/bulk-enrich',
		maxBatch: 1000,
		concurrency: 10,
		maxInFlightPerKey: 10,
		// 200 requests per sliding minute; no X-RateLimit headers are documented for ExactBuyer.
		rate: { limit: 200, windowMs: 60_000, unit: 'requests', headers: false },
	},
];

const log = (line) => process.stderr.write(`[bench] ${line}\n`);

/** A request to the node's bulk endpoint (a string path, or Explorium's v1-or-v2 pattern). */
const isBulkRequest = (node, r) =>
	r.provider === node.provider &&
	(node.bulkPath instanceof RegExp ? node.bulkPath.test(r.path) : r.path === node.bulkPath);
/** What accepted requests used of the node's window: entities (Explorium) or requests. */
const unitsUsed = (node, requests) =>
	requests
		.filter((r) => r.status !== 429)
		.reduce((sum, r) => sum + (node.rate?.unit === 'entities' ? exploriumEntities(r) : 1), 0);
/** What a run of `items` will use of the node's window. */
const unitsFor = (node, items) =>
	node.rate?.unit === 'entities' ? items : Math.ceil(items / node.maxBatch);
const sizesOf = (node) => node.sizes ?? SIZES;
const concurrentOf = (node) => (CONCURRENT > 0 ? (node.concurrent ?? CONCURRENT) : 0);

const PACKAGE = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
const packagedNodeTypes = () =>
	new Set(PACKAGE.n8n.nodes.map((file) => path.basename(file, '.node.js').toLowerCase()));
/** The package's name for a credential type (838abe9's had no `bulkEnrichment` prefix). */
function packageCredential(type) {
	const own = PACKAGE.n8n.credentials
		.map((file) => path.basename(file, '.credentials.js'))
		.find((name) => type.toLowerCase().endsWith(name.toLowerCase()));
	return own ? own[0].toLowerCase() + own.slice(1) : type;
}

function workflow(node, simulatorUrl, withNode) {
	const id = `bench${node.key.slice(0, 6)}${withNode ? 'Node' : 'NoOp'}`.padEnd(16, '0');
	const nodes = [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: `bench-${node.key}-${withNode ? 'node' : 'noop'}`,
			parameters: {
				httpMethod: 'POST',
				path: `bench-${node.key}-${withNode ? 'node' : 'noop'}`,
				responseMode: 'lastNode',
				responseData: 'firstEntryJson',
				options: {},
			},
		},
		{
			name: 'Inputs',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url: `=${simulatorUrl}/__admin/sample-inputs?kind=${node.sampleKind}&count={{ $json.body.count }}&duplicateEvery=${DUPLICATE_EVERY}`,
				options: {},
			},
		},
		withNode
			? {
					name: 'Under Test',
					type: node.type,
					typeVersion: node.typeVersion ?? 1,
					parameters: node.parameters,
					credentials: {
						[packageCredential(node.credential)]: credentialRef(node.credential)[node.credential],
					},
					onError: 'continueRegularOutput',
				}
			: { name: 'Under Test', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	].map((n, i) => ({ id: `${id}-${i}`, position: [i * 220, 0], ...n }));
	return {
		id,
		name: `bench ${node.key} ${withNode ? 'node' : 'no-op'}`,
		active: false,
		nodes,
		connections: {
			Webhook: { main: [[{ node: 'Inputs', type: 'main', index: 0 }]] },
			Inputs: { main: [[{ node: 'Under Test', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** utime + stime of a process, in ms. */
function cpuMsOf(pid) {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function rssMbOf(pid) {
	const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) / 1024 : 0;
}

/** POST without a client timeout (a 100 000-item Explorium run takes ten minutes). */
function post(url, body) {
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{ method: 'POST', headers: { 'content-type': 'application/json' } },
			(response) => {
				let text = '';
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode, text }));
			},
		);
		request.on('error', reject);
		request.end(JSON.stringify(body));
	});
}

/** Runs one published workflow at one size; returns wall, n8n CPU and the peak RSS seen meanwhile. */
async function runOnce(n8n, webhookPath, count) {
	const pid = n8n.server.pid;
	const cpuBefore = cpuMsOf(pid);
	let peakRssMb = rssMbOf(pid);
	const sampler = setInterval(() => {
		peakRssMb = Math.max(peakRssMb, rssMbOf(pid));
	}, 100);
	const started = Date.now();
	try {
		const answer = await post(`${n8n.baseUrl}/webhook/${webhookPath}`, { count });
		if (answer.status !== 200)
			throw new Error(
				`webhook ${webhookPath} answered ${answer.status}: ${answer.text.slice(0, 500)}`,
			);
		return {
			wallMs: Date.now() - started,
			cpuMs: cpuMsOf(pid) - cpuBefore,
			peakRssMb,
			first: JSON.parse(answer.text || '{}'),
		};
	} finally {
		clearInterval(sampler);
	}
}

/**
 * The least wall time the provider allows: every request takes the latency, at most `concurrency`
 * run at once, and a rate window admits `limit` units per window — requests, or entities when the
 * window counts entities (Explorium: a request of 50 ids uses 50 of its 200, so four requests fit a
 * window) — and a request counts until a window after its answer, so each further window starts one
 * latency later.
 */
function wallBoundMs(node, requests, entitiesPerRequest = 1) {
	const byConcurrency = Math.ceil(requests / node.concurrency) * LATENCY_MS;
	if (!node.rate) return byConcurrency;
	const weight = node.rate.unit === 'entities' ? entitiesPerRequest : 1;
	const perWindow = Math.max(1, Math.floor(node.rate.limit / weight));
	const windows = Math.ceil(requests / perWindow);
	const lastWindow = requests - (windows - 1) * perWindow;
	return (
		(windows - 1) * (node.rate.windowMs + LATENCY_MS) +
		Math.ceil(lastWindow / node.concurrency) * LATENCY_MS
	);
}

/** One request per item, as nodes without bulk support do: the same limits bound it. */
const perItemBoundMs = (node, items) => wallBoundMs(node, items, 1);

const seconds = (ms) => (ms / 1000).toFixed(1);

async function main() {
	installCleanupHandlers();
	const available = packagedNodeTypes();
	const nodes = NODES.filter(
		(node) =>
			available.has(node.type.split('.')[1].toLowerCase()) &&
			(ONLY.length === 0 || ONLY.includes(node.key)),
	);
	const install = await ensureN8n({ log });
	const scratch = makeTempDir('n8n-bench-pack');
	const { tarball } = packRepo(scratch, PACKAGE_DIR);
	const sim = await startSimulator();
	const admin = async (p, body) => {
		const res = await fetch(`${sim.url}/__admin/${p}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (!res.ok) throw new Error(`simulator ${p}: ${res.status} ${await res.text()}`);
	};
	const n8n = await N8nInstance.create({
		install,
		tarball,
		log,
		env: {
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'none',
			N8N_LOG_LEVEL: 'warn',
			...(process.env.BENCH_CPU_PROFILE
				? {
						NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`,
					}
				: {}),
		},
	});
	const rows = [];
	const concurrentRows = [];
	try {
		await n8n.importCredentials(
			simulatorCredentials(sim).map((c) => ({ ...c, type: packageCredential(c.type) })),
		);
		for (const node of nodes) {
			for (const withNode of [true, false]) {
				const wf = workflow(node, sim.url, withNode);
				await n8n.importWorkflow(wf);
				await n8n.publishWorkflow(wf.id);
			}
		}
		await n8n.start();
		// Published webhooks answer a few seconds after start.
		for (let i = 0; i < 60; i++) {
			const probe = await post(`${n8n.baseUrl}/webhook/bench-${nodes[0].key}-noop`, {
				count: 1,
			}).catch(() => ({ status: 0 }));
			if (probe.status === 200) break;
			await new Promise((r) => setTimeout(r, 1000));
		}
		for (const node of nodes) {
			const sizes = sizesOf(node);
			const concurrent = concurrentOf(node);
			for (const size of sizes) {
				await sim.reset();
				await admin('faults', {
					kind: 'latency',
					ms: LATENCY_MS,
					times: -1,
					provider: node.provider,
				});
				if (node.rate) await admin('rate-limit', { provider: node.provider, ...node.rate });
				log(`${node.label}: ${size} items…`);
				const measured = await runOnce(n8n, `bench-${node.key}-node`, size);
				const requests = (await sim.requests()).filter((r) => isBulkRequest(node, r));
				await sim.reset();
				const baseline = await runOnce(n8n, `bench-${node.key}-noop`, size);
				const minimum = Math.ceil(size / node.maxBatch);
				const bound = wallBoundMs(node, minimum, Math.min(node.maxBatch, size));
				const nodeCpuMs = Math.max(0, measured.cpuMs - baseline.cpuMs);
				rows.push({
					label: node.label,
					size,
					requests: requests.length,
					minimum,
					tooMany: requests.filter((r) => r.status === 429).length,
					// The no-op run's wall is the workflow around the node (webhook, fetching the inputs, answering).
					wallMs: Math.max(0, measured.wallMs - baseline.wallMs),
					boundMs: bound,
					nodeCpuPer1000: (nodeCpuMs * 1000) / size,
					n8nCpuPer1000: (baseline.cpuMs * 1000) / size,
					peakRssMb: measured.peakRssMb,
					perItemMs: perItemBoundMs(node, size),
				});
				log(JSON.stringify(rows.at(-1)));
				// The key's window outlives a run (in the provider and in n8n's shared limiter): when the
				// next size would run into what this one left, wait it out so each row is measured alone.
				const next = sizes[sizes.indexOf(size) + 1];
				if (
					node.rate &&
					(next || concurrent || node !== nodes.at(-1)) &&
					unitsUsed(node, requests) + unitsFor(node, next ?? 2 * concurrent) > node.rate.limit
				) {
					await new Promise((r) => setTimeout(r, node.rate.windowMs + LATENCY_MS));
				}
			}
			if (concurrent > 0) {
				// Two executions at once on the same key: together they must stay within its limits.
				await sim.reset();
				await admin('faults', {
					kind: 'latency',
					ms: LATENCY_MS,
					times: -1,
					provider: node.provider,
				});
				if (node.rate) await admin('rate-limit', { provider: node.provider, ...node.rate });
				log(`${node.label}: two concurrent runs of ${concurrent} items…`);
				const started = Date.now();
				await Promise.all(
					[0, 1].map(() =>
						post(`${n8n.baseUrl}/webhook/bench-${node.key}-node`, { count: concurrent }),
					),
				);
				const wallMs = Date.now() - started;
				const requests = (await sim.requests()).filter((r) => isBulkRequest(node, r));
				const minimum = 2 * Math.ceil(concurrent / node.maxBatch);
				// Both runs' workers together, within what the key allows in flight.
				const together = {
					...node,
					concurrency: Math.min(2 * node.concurrency, node.maxInFlightPerKey),
				};
				concurrentRows.push({
					label: node.label,
					items: concurrent,
					requests: requests.length,
					minimum,
					tooMany: requests.filter((r) => r.status === 429).length,
					wallMs,
					boundMs: wallBoundMs(together, minimum, Math.min(node.maxBatch, concurrent)),
				});
				log(JSON.stringify(concurrentRows.at(-1)));
				if (node.rate && node !== nodes.at(-1))
					await new Promise((r) => setTimeout(r, node.rate.windowMs + LATENCY_MS));
			}
		}
	} finally {
		await n8n.dispose();
		await sim.stop();
		fs.rmSync(scratch, { recursive: true, force: true });
		killAllChildren();
	}

	const table = [
		`Real n8n ${install.n8nVersion} (Node ${install.nodeMajor}), ${LATENCY_MS} ms latency per answer, provider limits on (Explorium 200 ids per sliding minute with X-RateLimit headers, ExactBuyer 200 requests per sliding minute, Pronto 5 at once); ${new Date().toISOString().slice(0, 10)}, ${process.env.BENCH_MACHINE ?? '2-core machine'}.`,
		'',
		...(rows.length > 0
			? [
					'| node | items | requests (min) | 429s | node wall s (bound) | wall / bound | node CPU ms / 1 000 items | n8n CPU ms / 1 000 items (no-op run) | n8n peak RSS MB | one request per item: bound s |',
					'|---|---|---|---|---|---|---|---|---|---|',
					...rows.map(
						(r) =>
							`| ${r.label} | ${r.size} | ${r.requests} (${r.minimum}) | ${r.tooMany} | ${seconds(r.wallMs)} (${seconds(r.boundMs)}) | ${(r.wallMs / r.boundMs).toFixed(2)} | ${r.nodeCpuPer1000.toFixed(1)} | ${r.n8nCpuPer1000.toFixed(1)} | ${Math.round(r.peakRssMb)} | ${seconds(r.perItemMs)} |`,
					),
					'',
				]
			: []),
		...(concurrentRows.length > 0
			? [
					'Two runs at once on the same API key (one n8n process):',
					'',
					'| node | items per run | requests (min) | 429s | wall s (bound for both) | wall / bound |',
					'|---|---|---|---|---|---|',
					...concurrentRows.map(
						(r) =>
							`| ${r.label} | ${r.items} | ${r.requests} (${r.minimum}) | ${r.tooMany} | ${seconds(r.wallMs)} (${seconds(r.boundMs)}) | ${(r.wallMs / r.boundMs).toFixed(2)} |`,
					),
					'',
				]
			: []),
	].join('\n');
	fs.mkdirSync(path.dirname(OUT), { recursive: true });
	fs.writeFileSync(OUT, table);
	process.stdout.write(`${table}\nwritten to ${path.relative(REPO_ROOT, OUT)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	killAllChildren();
	process.exit(1);
});
