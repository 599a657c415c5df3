/**
 * Proves the harness runs n8n-core's real engine: a request made by a node through
 * httpRequestWithAuthentication reaches a server over HTTP with the credential's header,
 * pairedItem survives, continueOnFail / error output / run errors / cancellation behave as in n8n.
 */
import { startSimulator } from '../../simulator/server.cjs';
import { runWorkflow, startWorkflow, toItems, waitFor } from './index';
import { PROBE_NODE_TYPE, ProbeNode } from './probe-node';

type Server = Awaited<ReturnType<typeof startSimulator>>;

let server: Server;

beforeAll(async () => {
	server = await startSimulator();
});
afterAll(async () => {
	await server.close();
});
beforeEach(() => server.reset());

function probe(
	options: { apiKey?: string; inputItems?: ReturnType<typeof toItems>; node?: object } = {},
) {
	return runWorkflow({
		nodeTypes: [new ProbeNode()],
		credentials: {
			bulkEnrichmentExploriumApi: {
				apiKey: options.apiKey ?? server.apiKeys.explorium,
				baseUrl: server.baseUrls.explorium,
			},
		},
		inputItems: options.inputItems ?? toItems([{ id: 'a' }, { id: 'b' }]),
		node: { type: PROBE_NODE_TYPE, parameters: {}, ...options.node },
	});
}

describe('workflow harness', () => {
	it('runs Start → node through the engine; the credential header reaches the server over HTTP', async () => {
		const result = await probe();

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(Object.keys(result.runData).sort()).toEqual(['Node Under Test', 'Start']);
		expect(result.outputs).toHaveLength(1);
		expect(result.outputs[0].map((item) => item.json.id)).toEqual(['a', 'b']);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		const seen = server.requestsTo('explorium', '/v1/credits');
		expect(seen).toHaveLength(2);
		for (const request of seen) {
			expect(request.method).toBe('GET');
			expect(request.headers.api_key).toBe(server.apiKeys.explorium);
		}
	});

	it('under continueOnFail, a failing item becomes an error item at its position', async () => {
		const result = await probe({
			inputItems: toItems([{ id: 'a' }, { id: 'b', fail: true }, { id: 'c' }]),
			node: { continueOnFail: true },
		});

		expect(result.error).toBeUndefined();
		const [items] = result.outputs;
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].error?.message).toBe('Item 1 asked to fail');
		// n8n-core's normalizeNodeErrors: an item carrying `error` gets its json replaced by
		// `{error: message}` — the node's `failedId` field is gone.
		expect(items[1].json).toEqual({ error: 'Item 1 asked to fail' });
		expect(items[0].json.response).toBeDefined();
		expect(items[2].json.response).toBeDefined();
	});

	it("with onError 'continueErrorOutput', error items go to output 1 (json collapsed when the item carries `error`)", async () => {
		const result = await probe({
			inputItems: toItems([{ id: 'a' }, { id: 'b', fail: true }, { id: 'c' }]),
			node: { onError: 'continueErrorOutput' },
		});

		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(2);
		const [success, failure] = result.outputs;
		expect(success.map((item) => item.json.id)).toEqual(['a', 'c']);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failure).toHaveLength(1);
		expect(failure[0].pairedItem).toEqual({ item: 1 });
		// handleNodeErrorOutput merges the input item's JSON in, then normalizeNodeErrors replaces
		// the json of every item that has `error` by `{error: message}`.
		expect(failure[0].json).toEqual({ error: 'Item 1 asked to fail' });
	});

	it("with onError 'continueErrorOutput', an error item without `error` keeps its input's JSON", async () => {
		const result = await probe({
			inputItems: toItems([{ id: 'a' }, { id: 'b', fail: true }]),
			node: { onError: 'continueErrorOutput', parameters: { attachError: false } },
		});

		const [success, failure] = result.outputs;
		expect(success.map((item) => item.json.id)).toEqual(['a']);
		expect(failure).toEqual([
			{ json: { id: 'b', fail: true, error: 'Item 1 asked to fail' }, pairedItem: { item: 1 } },
		]);
	});

	it('without continueOnFail, the node error ends the run in error', async () => {
		const result = await probe({ inputItems: toItems([{ id: 'a' }, { id: 'b', fail: true }]) });

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Item 1 asked to fail');
		expect(result.outputs).toEqual([]);
	});

	it('a wrong API key gives a NodeApiError carrying the 401', async () => {
		const result = await probe({ apiKey: 'wrong-key', inputItems: toItems([{ id: 'a' }]) });

		expect(result.status).toBe('error');
		expect(result.error?.name).toBe('NodeApiError');
		expect((result.error as { httpCode?: string }).httpCode).toBe('401');
		// n8n-core re-sends a request answered 401 once (its preAuthentication retry runs for any
		// credential type, refreshing nothing when the type has no expirable property).
		const seen = server.requestsTo('explorium', '/v1/credits');
		expect(seen).toHaveLength(2);
		expect(
			seen.every((request) => request.status === 401 && request.headers.api_key === 'wrong-key'),
		).toBe(true);
	});

	it('cancel() stops the execution: the node sees the abort signal and the run ends canceled', async () => {
		const handle = startWorkflow({
			nodeTypes: [new ProbeNode()],
			credentials: {
				bulkEnrichmentExploriumApi: {
					apiKey: server.apiKeys.explorium,
					baseUrl: server.baseUrls.explorium,
				},
			},
			node: { parameters: { waitForCancel: true } },
		});
		await handle.nodeStarted;
		handle.cancel();
		const result = await handle.result;

		expect(result.status).toBe('canceled');
		expect(server.requests).toHaveLength(0);
	});

	it('cancel() aborts an HTTP request in flight', async () => {
		server.inject({ provider: 'explorium', path: '/v1/credits', kind: 'hang' });
		const handle = startWorkflow({
			nodeTypes: [new ProbeNode()],
			credentials: {
				bulkEnrichmentExploriumApi: {
					apiKey: server.apiKeys.explorium,
					baseUrl: server.baseUrls.explorium,
				},
			},
			inputItems: toItems([{ id: 'a' }]),
			node: { parameters: {} },
		});
		await waitFor(() => server.requests.length === 1, 2000, 'the request reaching the simulator');
		handle.cancel();
		const result = await handle.result;

		expect(result.status).toBe('canceled');
		expect(server.requests).toHaveLength(1);
	});

	it('a node declaring a credential the test gave no data for fails as in n8n', async () => {
		const result = await runWorkflow({ nodeTypes: [new ProbeNode()], node: { parameters: {} } });

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/credentials/i);
	});
});
