/**
 * CPU of this package's own code per 1 000 items, without HTTP: reading the Prospect ID parameter
 * through the fast path, zod validation, dedupe, chunking, mapping answers back and building output
 * items, with an in-memory Explorium responder. Run: `npm run bench`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { prospectsBulkEnrichEndpoint } from '../nodes/Explorium/adapter/endpoints';
import { prospectIdLabels, prospectIdSchema } from '../nodes/Explorium/adapter/schemas';
import { buildOutputItems, readInputSlots } from '../nodes/bulk/operation';
import { runBulk } from '../nodes/bulk/run-bulk';
import {
	exploriumResponder,
	FakeApi,
	FakeClock,
	NODE,
	paced,
	prospectId,
	settings,
} from '../test/unit/bulk/helpers';
import { measure, report } from './lib/measure.cjs';

const SIZES = [1_000, 10_000, 20_000];

/** Just enough of IExecuteFunctions for the parameter reader. */
function fakeContext(): IExecuteFunctions {
	const parameters = { prospectId: '={{ $json.prospect_id }}' };
	return {
		getNode: () => ({ ...NODE, parameters }),
		getNodeParameter: () => {
			throw new Error('the fast path should not evaluate expressions');
		},
	} as unknown as IExecuteFunctions;
}

it('engine only: CPU per 1 000 items', async () => {
	report('| items | CPU ms (median of 5) | CPU ms / 1 000 items |');
	report('|---|---|---|');
	for (const size of SIZES) {
		const items: INodeExecutionData[] = Array.from({ length: size }, (_, n) => ({
			json: { id: n, email: `person${n}@example.com`, prospect_id: prospectId(n) } as IDataObject,
		}));
		const runs: number[] = [];
		for (let repeat = 0; repeat < 5; repeat++) {
			const api = new FakeApi(exploriumResponder());
			const clock = new FakeClock();
			const { result, cpuMs } = await measure(async () => {
				const slots = readInputSlots(
					fakeContext(),
					items,
					{ prospect_id: 'prospectId' },
					prospectIdSchema,
					prospectIdLabels,
				);
				const endpoint = prospectsBulkEnrichEndpoint('contacts_information');
				const run = await runBulk(endpoint, slots, settings(), {
					send: api.send,
					clock,
					isCancelled: () => false,
					...paced(endpoint.provider.limits),
				});
				return buildOutputItems(NODE, items, run.outcomes, {
					includeInputFields: true,
					secrets: [],
					useErrorOutput: false,
				});
			});
			expect(result).toHaveLength(size);
			runs.push(cpuMs);
		}
		runs.sort((a, b) => a - b);
		report(`| ${size} | ${runs[2].toFixed(1)} | ${((runs[2] / size) * 1000).toFixed(1)} |`);
	}
});
