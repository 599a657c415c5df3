import { logLineToShow } from '../../e2e/lib/dev-log.cjs';

/** Lines as `npm run dev`'s n8n writes them (N8N_LOG_FORMAT=json), offline, with a node error provoked on purpose. */
const LOG = [
	'{"level":"info","message":"Initializing n8n process","metadata":{"file":"start.js"}}',
	'{"level":"warn","message":"Failed to start Python task runner in internal mode.","metadata":{}}',
	'{"level":"error","message":"getaddrinfo ENOTFOUND api.n8n.io\\nError: getaddrinfo ENOTFOUND api.n8n.io\\n    at AxiosError.from (axios.cjs:1355:24)","metadata":{"stack":"Error\\n    at x"}}',
	'Error: getaddrinfo ENOTFOUND api.n8n.io',
	'    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:112:26)',
	'{"level":"error","message":"getaddrinfo ENOTFOUND api.n8n.io","metadata":{}}',
	'{"level":"info","message":"Editor is now accessible via:","metadata":{}}',
	'{"level":"info","message":"Loaded community package n8n-nodes-bulk-enrichment","metadata":{}}',
	'{"level":"error","message":"Value: must be an email address for field type email (got \\"not-an-email\\")","metadata":{"node":"ExactBuyer","stack":"NodeOperationError\\n    at bulkEnrich (/x/n8n-nodes-bulk-enrichment/dist/a.js:1:1)"}}',
	'    at bulkEnrich (/x/node_modules/n8n-nodes-bulk-enrichment/dist/nodes/ExactBuyer/a.js:1:1)',
	'{"level":"error","message":"NodeOperationError\\nNodeOperationError\\n    at errorForOutcome (/x/.n8n/nodes/node_modules/n8n-nodes-bulk-enrichment/nodes/bulk/output-items.ts:64:9)\\n    at run (/x/n8n-core/dist/a.js:1:1)","metadata":{"file":"error-reporter.js"}}',
	'',
];

describe("npm run dev: what it shows of n8n's log", () => {
	it("shows our package's lines and n8n's warnings and errors, first line only, each once; no stack frames, no other info", () => {
		const seen = new Set<string>();
		const shown = LOG.map((line) => logLineToShow(line, seen)).filter((line) => line !== null);
		expect(shown).toEqual([
			'warn: Failed to start Python task runner in internal mode.',
			'error: getaddrinfo ENOTFOUND api.n8n.io',
			'error: Error: getaddrinfo ENOTFOUND api.n8n.io',
			'Loaded community package n8n-nodes-bulk-enrichment',
			'error: Value: must be an email address for field type email (got "not-an-email")',
			'error: NodeOperationError at errorForOutcome (nodes/bulk/output-items.ts:64:9)',
		]);
	});
});
