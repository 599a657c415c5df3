// @ts-check
'use strict';
/**
 * Process CPU and wall time of an async function, and the simulator as a separate process so its
 * CPU is not counted against the node. Plain .cjs: it needs `process` and child_process, which the
 * n8n scanner forbids in .ts files.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

/**
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ result: T, cpuMs: number, wallMs: number }>}
 */
async function measure(fn) {
	const cpuBefore = process.cpuUsage();
	const wallBefore = process.hrtime.bigint();
	const result = await fn();
	const cpu = process.cpuUsage(cpuBefore);
	const wallMs = Number(process.hrtime.bigint() - wallBefore) / 1e6;
	return { result, cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

/**
 * Starts `test/simulator/cli.cjs` on a random port in a child process.
 * @returns {Promise<{ info: { url: string, baseUrls: Record<string, string>, apiKeys: Record<string, string> }, stop: () => void }>}
 */
function startSimulatorProcess() {
	const cli = path.join(__dirname, '..', '..', 'test', 'simulator', 'cli.cjs');
	const child = spawn(process.execPath, [cli, '--port', '0', '--quiet'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return new Promise((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += String(chunk);
			const newline = buffer.indexOf('\n');
			if (newline < 0) return;
			resolve({ info: JSON.parse(buffer.slice(0, newline)), stop: () => child.kill('SIGTERM') });
		});
		child.on('error', reject);
		child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
	});
}

/** @param {string} line */
function report(line) {
	process.stdout.write(`${line}\n`);
}

/**
 * A bench setting from the environment, e.g. BENCH_SIZES=10000.
 * @param {string} name
 * @param {string} fallback
 */
function setting(name, fallback) {
	return process.env[name] ?? fallback;
}

/**
 * The package files (under nodes/) in which a function ran while `fn` ran, by V8's precise
 * coverage. A module's own body (the function at offset 0) runs when it loads: it is not counted.
 * @param {() => Promise<unknown>} fn
 * @returns {Promise<string[]>} paths from the repository root, sorted
 */
async function filesRunDuring(fn) {
	const { Session } = require('node:inspector/promises');
	const session = new Session();
	session.connect();
	try {
		await session.post('Profiler.enable');
		await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
		await session.post('Profiler.takePreciseCoverage'); // counting starts here
		await fn();
		const { result } = await session.post('Profiler.takePreciseCoverage');
		const root = path.join(__dirname, '..', '..');
		return result
			.filter((script) => /\/nodes\/.*\.ts$/.test(script.url))
			.filter((script) =>
				script.functions.some((fn) => fn.ranges[0].startOffset > 0 && fn.ranges[0].count > 0),
			)
			.map((script) => path.relative(root, script.url.replace(/^file:\/\//, '')))
			.sort();
	} finally {
		session.disconnect();
	}
}

module.exports = { measure, startSimulatorProcess, report, setting, filesRunDuring };
