#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Runs the provider simulator on its own:
 *   node test/simulator/cli.cjs --port 5690          (or: npm run simulator -- --port 5690)
 * Prints ONE JSON line on stdout once listening: {"url":..., "baseUrls":{...}, "apiKeys":{...}};
 * everything else (one line per request) goes to stderr. Stops on SIGINT/SIGTERM.
 *
 * Options: --port N (default 5690; 0 = random), --host H (default 127.0.0.1),
 * --callback-delay-ms N, --pronto-processing-ms N, --explorium-key K, --pronto-key K,
 * --exactbuyer-key K, --quiet (no per-request lines).
 */
const { startSimulator } = require('./server.cjs');

const USAGE =
	'usage: node test/simulator/cli.cjs [--port 5690] [--host 127.0.0.1] [--callback-delay-ms 30] [--pronto-processing-ms 0]\n' +
	'       [--explorium-key K] [--pronto-key K] [--exactbuyer-key K] [--quiet]\n';

/**
 * @param {string[]} argv
 */
function parseArgs(argv) {
	/** @type {Record<string, string | true>} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = /** @type {string} */ (argv[i]);
		if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
		const eq = arg.indexOf('=');
		if (eq > 0) {
			args[arg.slice(2, eq)] = arg.slice(eq + 1);
		} else if (arg === '--quiet' || arg === '--help') {
			args[arg.slice(2)] = true;
		} else {
			const value = argv[i + 1];
			if (value === undefined) throw new Error(`${arg} needs a value`);
			args[arg.slice(2)] = value;
			i++;
		}
	}
	return args;
}

/**
 * @param {string | true | undefined} value
 * @param {string} name
 */
function numberArg(value, name) {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (value === true || !Number.isInteger(n) || n < 0)
		throw new Error(`--${name} must be a whole number >= 0`);
	return n;
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
		if (args.help) {
			process.stderr.write(USAGE);
			return;
		}
		const known = [
			'port',
			'host',
			'callback-delay-ms',
			'pronto-processing-ms',
			'explorium-key',
			'pronto-key',
			'exactbuyer-key',
			'quiet',
		];
		const unknown = Object.keys(args).find((k) => !known.includes(k));
		if (unknown) throw new Error(`unknown option --${unknown}`);
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	/** @type {Record<string, string>} */
	const apiKeys = {};
	for (const provider of ['explorium', 'pronto', 'exactbuyer']) {
		const key = args[`${provider}-key`];
		if (typeof key === 'string') apiKeys[provider] = key;
	}
	const quiet = args.quiet === true;
	const sim = await startSimulator({
		port: numberArg(args.port, 'port') ?? 5690,
		host: typeof args.host === 'string' ? args.host : '127.0.0.1',
		callbackDelayMs: numberArg(args['callback-delay-ms'], 'callback-delay-ms'),
		prontoProcessingMs: numberArg(args['pronto-processing-ms'], 'pronto-processing-ms'),
		apiKeys,
		log: quiet ? undefined : (line) => process.stderr.write(`[simulator] ${line}\n`),
	});
	process.stdout.write(
		`${JSON.stringify({ url: sim.url, baseUrls: sim.baseUrls, apiKeys: sim.apiKeys })}\n`,
	);
	process.stderr.write(`[simulator] listening on ${sim.url}\n`);
	for (const [name, base] of Object.entries(sim.baseUrls))
		process.stderr.write(`[simulator]   ${name.padEnd(10)} ${base}\n`);
	process.stderr.write(
		`[simulator]   admin      ${sim.url}/__admin/requests (see test/simulator/README.md)\n`,
	);
	let stopping = false;
	/** @param {string} signal */
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`[simulator] ${signal}: stopping\n`);
		sim.close().then(
			() => process.exit(0),
			(error) => {
				process.stderr.write(`[simulator] error while stopping: ${String(error)}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	process.stderr.write(`[simulator] ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
