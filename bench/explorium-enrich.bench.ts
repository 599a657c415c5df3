/**
 * CPU the Explorium node spends per 1 000 items, in a real n8n-core execution against the simulator
 * (a separate process). Run: `npm run bench`. Prints figures; asserts only that every item came back.
 */
import { createHash } from 'crypto';

import { Explorium } from '../nodes/Explorium/Explorium.node';
import { runWorkflow, START_NODE_TYPE, toItems } from '../test/workflow/harness';
import { measure, report, setting, startSimulatorProcess } from './lib/measure.cjs';

jest.setTimeout(600_000);

// 20 000 items are 400 requests: more than Explorium's 200 per minute, so that run waits a minute.
const SIZES = setting('BENCH_SIZES', '1000,10000,20000').split(',').map(Number);
const REPEATS = 3;

/** The mapping users write, resolved straight from the item, and one that needs n8n's expression engine. */
const MAPPINGS = {
	'field mapping {{ $json.prospect_id }}': '={{ $json.prospect_id }}',
	'expression {{ $json.prospect_id.trim() }}': '={{ $json.prospect_id.trim() }}',
};

/** `BENCH_MAPPING=field npm run bench` runs only the mappings whose label contains the word. */
const MAPPING_FILTER = setting('BENCH_MAPPING', '');

const prospectId = (n: number) => createHash('sha1').update(`bench-${n}`).digest('hex');

it('Explorium · Enrich Contacts: node CPU per 1 000 items', async () => {
	const simulator = await startSimulatorProcess();
	try {
		report(
			'| mapping | items | requests | CPU ms (median of 3) | CPU ms / 1 000 items | wall ms |',
		);
		report('|---|---|---|---|---|---|');
		// The same execution with a pass-through node in place of Explorium: n8n-core's own share.
		for (const size of SIZES) {
			const items = toItems(
				Array.from({ length: size }, (_, n) => ({ id: n, prospect_id: prospectId(n) })),
			);
			const runs: Array<{ cpuMs: number; wallMs: number }> = [];
			for (let repeat = 0; repeat < REPEATS; repeat++) {
				const { result, cpuMs, wallMs } = await measure(
					async () => await runWorkflow({ inputItems: items, node: { type: START_NODE_TYPE } }),
				);
				expect(result.outputs[0]).toHaveLength(size);
				runs.push({ cpuMs, wallMs });
			}
			runs.sort((a, b) => a.cpuMs - b.cpuMs);
			report(
				`| baseline: pass-through node | ${size} | 0 | ${runs[1].cpuMs.toFixed(0)} | ${((runs[1].cpuMs / size) * 1000).toFixed(1)} | ${runs[1].wallMs.toFixed(0)} |`,
			);
		}
		for (const [label, mapping] of Object.entries(MAPPINGS).filter(([name]) =>
			name.includes(MAPPING_FILTER),
		)) {
			for (const size of SIZES) {
				const items = toItems(
					Array.from({ length: size }, (_, n) => ({ id: n, prospect_id: prospectId(n) })),
				);
				const runs: Array<{ cpuMs: number; wallMs: number }> = [];
				for (let repeat = 0; repeat < REPEATS; repeat++) {
					const { result, cpuMs, wallMs } = await measure(
						async () =>
							await runWorkflow({
								nodeTypes: [new Explorium()],
								credentials: {
									bulkEnrichmentExploriumApi: {
										apiKey: simulator.info.apiKeys.explorium,
										baseUrl: simulator.info.baseUrls.explorium,
									},
								},
								inputItems: items,
								node: {
									type: 'explorium',
									parameters: {
										resource: 'prospect',
										operation: 'enrichContacts',
										prospectId: mapping,
										options: { concurrency: 10 },
									},
								},
							}),
					);
					expect(result.outputs[0]).toHaveLength(size);
					runs.push({ cpuMs, wallMs });
				}
				runs.sort((a, b) => a.cpuMs - b.cpuMs);
				const median = runs[1];
				report(
					`| ${label} | ${size} | ${Math.ceil(size / 50)} | ${median.cpuMs.toFixed(0)} | ${((median.cpuMs / size) * 1000).toFixed(1)} | ${median.wallMs.toFixed(0)} |`,
				);
			}
		}
	} finally {
		simulator.stop();
	}
});
