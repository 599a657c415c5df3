/**
 * Figures, not a check: how often two processes × 300 ids on one Explorium key meet issue 25's target
 * (at most one 429, wall ≤ 1.15 × bound) per latency shape, jitter and start-up gap, over seeded runs
 * of the fake-clock key of test/unit/bulk/shared-key-sim.ts.
 * `npm run bench:shared-key-sweep` (BENCH_RUNS=runs per case, default 200).
 */
import {
	EXPLORIUM_CONCURRENCY,
	EXPLORIUM_KEY,
	runProcesses,
} from '../test/unit/bulk/shared-key-sim';
import { report, setting } from './lib/measure.cjs';

const LEGS: Array<[number, number]> = [
	[150, 150],
	[300, 10], // the simulator in a real n8n: it counts after its 300 ms and answers at once
	[300, 100],
];

it('two processes × 300 ids on one key: the share of runs that meet the target', async () => {
	const runs = Number(setting('BENCH_RUNS', '200'));
	const rows: string[] = [];
	for (const legs of LEGS)
		for (const jitterMs of [30, 100])
			for (const gapMs of [150, 1000, 3000, 20_000]) {
				const refused: Record<number, number> = {};
				let met = 0;
				for (let seed = 1; seed <= runs; seed++) {
					const staggerMs = (seed * 977) % gapMs;
					const figures = await runProcesses({
						processes: 2,
						itemsEach: 300,
						rule: EXPLORIUM_KEY,
						staggerMs,
						concurrency: EXPLORIUM_CONCURRENCY,
						jitterMs,
						seed,
						legs,
					});
					refused[figures.refused] = (refused[figures.refused] ?? 0) + 1;
					const inTime = figures.wallMs - staggerMs <= 1.15 * figures.boundMs;
					if (inTime && figures.refused <= 1) met++;
				}
				const counts = Object.entries(refused).map(([n, count]) => `${n}: ${count}`);
				rows.push(
					`| ${legs.join(' / ')} | ±${jitterMs} | 0–${gapMs} | ${met} of ${runs} | ${counts.join(', ')} |`,
				);
			}
	report(
		[
			'| legs ms (to count / to answer) | jitter per leg | start-up gap ms | met | 429s per run: runs |',
			'|---|---|---|---|---|',
			...rows,
		].join('\n'),
	);
}, 3_600_000);
