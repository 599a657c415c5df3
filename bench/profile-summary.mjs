#!/usr/bin/env node
// Where n8n spent its CPU during a benchmark, from the V8 CPU profiles that
// `BENCH_CPU_PROFILE=<dir> npm run bench` leaves (the largest file in a folder is `n8n start`'s):
// self time summed by owner (this package, zod, n8n's request path, n8n's engine, GC, …). Boot time
// is removed by subtracting a baseline profile of the same setup run on 1 item.
//
//   BENCH_CPU_PROFILE=/tmp/run  BENCH_SIZES=10000 BENCH_NODES=explorium npm run bench
//   BENCH_CPU_PROFILE=/tmp/boot BENCH_SIZES=1     BENCH_NODES=explorium npm run bench
//   node bench/profile-summary.mjs /tmp/run /tmp/boot 10000
import fs from 'node:fs';
import path from 'node:path';

const [runPath, baselinePath, itemsArg] = process.argv.slice(2);
if (!runPath) {
	process.stderr.write(
		'usage: node bench/profile-summary.mjs <run profile or dir> [<baseline profile or dir>] [<items>]\n',
	);
	process.exit(2);
}

/** A profile file, or the largest one in a folder (n8n start runs longest). */
function profileFile(p) {
	if (!fs.statSync(p).isDirectory()) return p;
	const files = fs.readdirSync(p).filter((f) => f.endsWith('.cpuprofile'));
	files.sort((a, b) => fs.statSync(path.join(p, b)).size - fs.statSync(path.join(p, a)).size);
	return path.join(p, files[0]);
}

/** The npm package a script belongs to: the segment after its last `node_modules/`. */
function packageOf(url) {
	const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
	return match ? match[1] : undefined;
}

const REQUEST_PATH = new Set([
	'@n8n/backend-network',
	'axios',
	'follow-redirects',
	'form-data',
	'proxy-from-env',
	'http-proxy-agent',
	'https-proxy-agent',
	'agent-base',
]);

function ownerOf(node) {
	const { functionName, url } = node.callFrame;
	if (functionName === '(garbage collector)') return 'garbage collection';
	if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)')
		return functionName;
	if (!url) return 'native code (JSON, regexps, builtins)';
	if (url.startsWith('node:'))
		return /^node:(_http|http|net|stream|internal\/(streams|http))/.test(url)
			? 'node: http, net, streams'
			: 'node: other internals';
	const pkg = packageOf(url);
	if (pkg === 'n8n-nodes-bulk-enrichment') return 'this package';
	if (pkg === 'zod') return "zod (this package's validation)";
	if (pkg && REQUEST_PATH.has(pkg)) return "n8n's HTTP request path (backend-network, axios)";
	if (pkg === 'n8n-core') return 'n8n-core (execution engine, request helpers, credentials)';
	if (pkg === 'n8n-workflow' || pkg?.startsWith('@n8n/'))
		return 'n8n-workflow and @n8n/* (expressions, helpers)';
	if (pkg === 'n8n') return 'n8n server (webhooks, executions, database)';
	return 'other packages';
}

function totalsOf(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const totals = new Map();
	profile.samples.forEach((id, index) => {
		const owner = ownerOf(byId.get(id));
		if (owner === '(idle)') return;
		totals.set(owner, (totals.get(owner) ?? 0) + (profile.timeDeltas[index + 1] ?? 0) / 1000);
	});
	return totals;
}

const run = totalsOf(profileFile(runPath));
const baseline = baselinePath ? totalsOf(profileFile(baselinePath)) : new Map();
const items = Number(itemsArg ?? 0);
const rows = [...run]
	.map(([owner, ms]) => [owner, ms - (baseline.get(owner) ?? 0)])
	.sort((a, b) => b[1] - a[1]);
const busy = rows.reduce((sum, [, ms]) => sum + Math.max(0, ms), 0);
process.stdout.write(
	`| where | CPU ms${baselinePath ? ' (run − baseline)' : ''} |${items ? ' ms per 1 000 items |' : ''} share |\n|---|---|${items ? '---|' : ''}---|\n`,
);
for (const [owner, ms] of rows) {
	const per = items ? ` ${((ms * 1000) / items).toFixed(1)} |` : '';
	process.stdout.write(
		`| ${owner} | ${ms.toFixed(0)} |${per} ${((Math.max(0, ms) / busy) * 100).toFixed(1)} % |\n`,
	);
}
process.stdout.write(
	`| total | ${busy.toFixed(0)} |${items ? ` ${((busy * 1000) / items).toFixed(1)} |` : ''} |\n`,
);
