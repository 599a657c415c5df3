#!/usr/bin/env node
// End-to-end level: this package, packed and installed into a real n8n 2.40.7 (Node 24), talking to
// the provider simulator. Runs every test/e2e/scenarios/*.e2e.mjs (or those whose file name
// contains one of the arguments), one line per check, and ends with `e2e: N passed, M failed`.
//
//   npm run test:e2e                 # build, then all scenarios
//   node test/e2e/run.mjs explorium  # only scenarios whose file name contains "explorium"
//
// A scenario file exports `default async function (t)` (and optionally `title`). For each scenario
// the runner provides a fresh scratch n8n with the package installed (`t.n8n`, see
// lib/n8n-instance.mjs) and a fresh simulator (`t.sim`); `t.check(name, fn)` records one check,
// `t.must(name, fn)` also stops the scenario when it fails. Env: E2E_KEEP=1 keeps scratch folders,
// E2E_SCENARIO_TIMEOUT_MS (default 600000), E2E_TARBALL=<file.tgz> tests that tarball instead of
// packing the repository.
//
// Queue mode: scenarios whose file name contains "queue-mode" run only with E2E_QUEUE_MODE=1 (CI
// sets it: they start Redis, PostgreSQL and several n8n processes, installing the first two with
// apt-get) or when named on the command line. A scenario may also export `ownN8n = true` (no
// scratch n8n made for it), `timeoutMs` (its own limit unless E2E_SCENARIO_TIMEOUT_MS is set), and
// register clean-ups with `t.defer(async ({failed}) => …)`, run after it even when it timed out.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as assertLib from './lib/assert.mjs';
import { fmtMs, Reporter } from './lib/assert.mjs';
import * as fixtures from './lib/fixtures.mjs';
import { ensureN8n } from './lib/n8n-install.mjs';
import {
	installCleanupHandlers,
	killAllChildren,
	makeTempDir,
	N8nInstance,
	packRepo,
	REPO_ROOT,
	SIMULATOR_CLI,
	startSimulator,
} from './lib/n8n-instance.mjs';

const SCENARIO_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'scenarios');
const SCENARIO_TIMEOUT_MS = Number(process.env.E2E_SCENARIO_TIMEOUT_MS || 600_000);
const rep = new Reporter();
const info = (s) => rep.line(`# ${s}`);

class Abort extends Error {}

let interrupted = false;

/** Temp folders of this run, removed on an interrupt (unless E2E_KEEP). */
const scratchDirs = new Set();

async function timed(fn) {
	const t0 = Date.now();
	const value = await fn();
	return { value, ms: Date.now() - t0 };
}

/** Queue-mode scenarios need E2E_QUEUE_MODE=1, or their name among the filters. */
const QUEUE_MODE = /queue-mode/;
const queueModeWanted = (f, filters) =>
	process.env.E2E_QUEUE_MODE === '1' || filters.some((x) => QUEUE_MODE.test(x) && f.includes(x));

function scenarioFiles(filters) {
	if (!fs.existsSync(SCENARIO_DIR)) return [];
	return fs
		.readdirSync(SCENARIO_DIR)
		.filter((f) => f.endsWith('.e2e.mjs'))
		.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
		.filter((f) => {
			if (!QUEUE_MODE.test(f) || queueModeWanted(f, filters)) return true;
			info(`skipped ${f} (queue mode: set E2E_QUEUE_MODE=1 or name it)`);
			return false;
		})
		.sort()
		.map((f) => path.join(SCENARIO_DIR, f));
}

async function runScenario(file, shared) {
	const rel = path.relative(REPO_ROOT, file);
	const mod = await import(pathToFileURL(file).href);
	const title = mod.title ?? path.basename(file, '.e2e.mjs');
	rep.line(`${title} (${rel})`);
	const failedBefore = rep.failed;
	let n8n;
	let sim;
	const scratch = [];
	const deferred = [];
	// Lines logged inside a check are printed under that check's result line.
	let pending = null;
	const flush = () => {
		for (const s of pending ?? []) rep.line(`        ${s}`);
		pending = null;
	};
	const runCheck = async (name, fn, abort) => {
		const t0 = Date.now();
		pending = [];
		try {
			const v = await fn();
			rep.pass(name, Date.now() - t0);
			flush();
			return v;
		} catch (e) {
			rep.fail(name, Date.now() - t0, e, title);
			flush();
			if (abort) throw new Abort(`"${name}" failed: rest of ${title} skipped`);
			return undefined;
		}
	};
	const t = {
		...shared,
		assert: assertLib,
		fixtures,
		log: (s) => (pending ? pending.push(s) : rep.line(`        ${s}`)),
		/** One check: a line "ok"/"FAIL"; returns fn's value (undefined on failure). */
		check: (name, fn) => runCheck(name, fn, false),
		/** Like check, and the scenario stops here when it fails (later checks depend on it). */
		must: (name, fn) => runCheck(name, fn, true),
		/** A clean-up run after the scenario (last registered first), told whether it failed. */
		defer: (fn) => deferred.push(fn),
		/** Another scratch n8n with the package installed (disposed after the scenario). */
		async newN8n(opts = {}) {
			const inst = await N8nInstance.create({
				install: shared.install,
				tarball: shared.tarball,
				...opts,
			});
			scratch.push(inst);
			scratchDirs.add(inst.userFolder);
			return inst;
		},
	};
	let timer;
	try {
		const setup = await timed(async () => {
			sim = await startSimulator({
				logFile: path.join(shared.workDir, `${path.basename(file, '.e2e.mjs')}.simulator.log`),
			});
			if (!mod.ownN8n) n8n = await t.newN8n();
		});
		info(
			`${n8n ? `scratch n8n in ${n8n.userFolder} (port ${n8n.port}), ` : ''}simulator ${sim.url}, set up in ${fmtMs(setup.ms)}`,
		);
		t.n8n = n8n;
		t.sim = sim;
		await Promise.race([
			mod.default(t),
			new Promise((_, reject) => {
				const limitMs = process.env.E2E_SCENARIO_TIMEOUT_MS
					? SCENARIO_TIMEOUT_MS
					: (mod.timeoutMs ?? SCENARIO_TIMEOUT_MS);
				timer = setTimeout(
					() => reject(new Error(`scenario timed out after ${fmtMs(limitMs)}`)),
					limitMs,
				);
			}),
		]);
	} catch (e) {
		if (e instanceof Abort) rep.line(`        (${e.message})`);
		else rep.fail(`${title}: scenario error`, 0, e, title);
	} finally {
		clearTimeout(timer);
		const failed = rep.failed > failedBefore;
		for (const fn of deferred.reverse()) {
			try {
				await fn({ failed });
			} catch (e) {
				rep.line(`        (clean-up failed: ${e.message})`);
			}
		}
		for (const inst of scratch) {
			if (failed) {
				await inst.stop();
				info(`kept for inspection: ${inst.userFolder} (n8n output in e2e-work/)`);
			} else await inst.dispose();
		}
		if (sim) await sim.stop();
	}
}

async function main() {
	const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	installCleanupHandlers({
		onSignal: async (sig) => {
			rep.line(`\n# ${sig}: stopping n8n and the simulator`);
			interrupted = true;
			rep.muted = true; // checks failing because their n8n was just killed are not news
			killAllChildren('SIGKILL');
			await new Promise((r) => setTimeout(r, 300));
			if (!process.env.E2E_KEEP)
				for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
			rep.failed++;
			rep.out.write(`${rep.summary()} (interrupted by ${sig})\n`);
		},
	});
	const t0 = Date.now();

	const files = scenarioFiles(filters);
	if (files.length === 0) {
		rep.line(`no scenarios matched in ${path.relative(REPO_ROOT, SCENARIO_DIR)}`);
		rep.failed++;
		return;
	}

	const workDir = makeTempDir('n8n-e2e-run');
	scratchDirs.add(workDir);
	let install;
	let tarball;
	try {
		const inst = await timed(() => ensureN8n({ log: (s) => info(`install: ${s}`) }));
		install = inst.value;
		info(
			`n8n ${install.marker.n8nVersion} on Node ${install.marker.node} ready in ${fmtMs(inst.ms)} (cache ${install.cacheDir})`,
		);
		if (process.env.E2E_TARBALL) {
			tarball = path.resolve(process.env.E2E_TARBALL);
			info(`using E2E_TARBALL ${tarball}`);
		} else {
			const packed = await timed(() => packRepo(workDir));
			tarball = packed.value.tarball;
			info(
				`packed ${path.basename(tarball)} (${packed.value.files.length} files) in ${fmtMs(packed.ms)}`,
			);
		}
		if (!fs.existsSync(SIMULATOR_CLI))
			throw new Error(`provider simulator missing: ${path.relative(REPO_ROOT, SIMULATOR_CLI)}`);
	} catch (e) {
		rep.fail('e2e setup (n8n install, npm pack, simulator)', Date.now() - t0, e, 'setup');
		return;
	}

	const shared = { install, tarball, workDir, repoRoot: REPO_ROOT };
	for (const file of files) {
		if (interrupted) break;
		await runScenario(file, shared);
	}
	if (!process.env.E2E_KEEP && rep.failed === 0)
		fs.rmSync(workDir, { recursive: true, force: true });
	info(`total ${fmtMs(Date.now() - t0)}`);
}

main()
	.catch((e) => {
		rep.fail('e2e runner', 0, e, 'runner');
	})
	.finally(() => {
		if (interrupted) return; // the signal handler reports and exits
		killAllChildren('SIGKILL');
		rep.line(rep.summary());
		process.exit(rep.failed === 0 ? 0 : 1);
	});
