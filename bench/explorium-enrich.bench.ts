/**
 * CPU the Explorium node spends per 1 000 items, in a real n8n-core execution against the simulator
 * (a separate process). Run: `npm run bench`. Prints figures; asserts only that every item came back.
 */
import { createHash } from 'crypto';

import { Explorium } from '../nodes/Explorium/Explorium.node';
import { runWorkflow, toItems } from '../test/workflow/harness';
import { measure, report, startSimulatorProcess } from './lib/measure.cjs';

jest.setTimeout(600_000);

const SIZES = [1_000, 10_000, 20_000];
const REPEATS = 3;

/** The mapping users write, resolved straight from the item, and one that needs n8n's expression engine. */
const MAPPINGS = {
	'field mapping {{ $json.prospect_id }}': '={{ $json.prospect_id }}',
	'expression {{ $json.prospect_id.trim() }}': '={{ $json.prospect_id.trim() }}',
};

const prospectId = (n: number) => createHash('sha1').update(`bench-${n}`).digest('hex');

it('Explorium · Enrich Contacts: node CPU per 1 000 items', async () => {
	const simulator = await startSimulatorProcess();
	try {
		report('| mapping | items | requests | CPU ms (median of 3) | CPU ms / 1 000 items | wall ms |');
		report('|---|---|---|---|---|---|');
		for (const [label, mapping] of Object.entries(MAPPINGS)) {
			for (const size of SIZES) {
				const items = toItems(Array.from({ length: size }, (_, n) => ({ id: n, prospect_id: prospectId(n) })));
				const runs: Array<{ cpuMs: number; wallMs: number }> = [];
				for (let repeat = 0; repeat < REPEATS; repeat++) {
					const { result, cpuMs, wallMs } = await measure(
						async () =>
							await runWorkflow({
								nodeTypes: [new Explorium()],
								credentials: {
									exploriumApi: { apiKey: simulator.info.apiKeys.explorium, baseUrl: simulator.info.baseUrls.explorium },
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
