// Tiny assertion and reporting helpers for the e2e level (no test framework: every check is one line).
import nodeAssert from 'node:assert/strict';

export const assert = nodeAssert;

const short = (v, n = 600) => {
	const s = typeof v === 'string' ? v : JSON.stringify(v);
	return s === undefined ? String(v) : s.length > n ? `${s.slice(0, n)}…` : s;
};

export function fail(message, details) {
	const e = new Error(
		details === undefined ? message : `${message}\n      ${short(details, 2000)}`,
	);
	e.e2e = true;
	throw e;
}

export function equal(actual, expected, what = 'value') {
	if (actual !== expected) fail(`${what}: expected ${short(expected)}, got ${short(actual)}`);
}

export function ok(cond, message, details) {
	if (!cond) fail(message, details);
}

/** The single element of `list` matching `pred`; fails with the list when none matches. */
export function findOne(list, pred, what) {
	const hits = list.filter(pred);
	if (hits.length === 0) fail(`no ${what} found among ${list.length}`, list);
	return hits[0];
}

/** Simulator requests of one provider (optionally one path), oldest first. */
export function requestsTo(requests, provider, path) {
	return requests.filter((r) => r.provider === provider && (path === undefined || r.path === path));
}

// ---------------------------------------------------------------- reporting

export function fmtMs(ms) {
	return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export class Reporter {
	constructor(out = process.stdout) {
		this.out = out;
		this.passed = 0;
		this.failed = 0;
		this.failures = [];
	}

	line(s = '') {
		if (!this.muted) this.out.write(`${s}\n`);
	}

	pass(name, ms) {
		if (this.muted) return;
		this.passed++;
		this.line(`  ok    ${name} (${fmtMs(ms)})`);
	}

	fail(name, ms, error, scenario) {
		if (this.muted) return;
		this.failed++;
		const msg =
			(error && (error.e2e ? error.message : error.stack || error.message)) || String(error);
		this.failures.push({ scenario, name, msg });
		this.line(`  FAIL  ${name} (${fmtMs(ms)})`);
		for (const l of msg.split('\n')) this.line(`        ${l}`);
	}

	summary() {
		return `e2e: ${this.passed} passed, ${this.failed} failed`;
	}
}
