/**
 * The credentials' own `test` requests, run the way n8n's "Test" button runs them (see
 * harness/credential-test.ts), against the provider simulator over real HTTP.
 */
import { startSimulator } from '../simulator/server.cjs';
import { testCredential } from './harness';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type Provider = 'explorium' | 'pronto' | 'exactbuyer';

interface Case {
	credentialType: string;
	provider: Provider;
	/** Header the key travels in, lower-cased as the simulator records it. */
	header: string;
	method: string;
	path: string;
	/** What the simulator answers the test request with a valid key. */
	okStatus: number;
	wrongKeyMessage: string;
}

const cases: Case[] = [
	{
		credentialType: 'bulkEnrichmentExploriumApi',
		provider: 'explorium',
		header: 'api_key',
		method: 'GET',
		path: '/v2/credits',
		okStatus: 200,
		wrongKeyMessage: 'Explorium rejected the API key (401)',
	},
	{
		credentialType: 'bulkEnrichmentProntoApi',
		provider: 'pronto',
		header: 'x-api-key',
		method: 'GET',
		path: '/credits',
		okStatus: 200,
		wrongKeyMessage: 'Pronto rejected the API key (401)',
	},
	{
		// No free endpoint: an enrich call without identifier is 400 with a valid key, and the
		// test request ignores every status but 401.
		credentialType: 'bulkEnrichmentExactBuyerApi',
		provider: 'exactbuyer',
		header: 'x-api-key',
		method: 'GET',
		path: '/v1/enrich',
		okStatus: 400,
		wrongKeyMessage: 'ExactBuyer rejected the API key (401)',
	},
];

let simulator: Simulator;

beforeAll(async () => {
	simulator = await startSimulator();
});
afterAll(async () => {
	await simulator.close();
});
beforeEach(() => simulator.reset());

describe.each(cases)('credential test of $credentialType', (c) => {
	function expectOnlyTestRequests(apiKey: string, status: number) {
		const seen = simulator.requestsTo(c.provider);
		expect(seen.length).toBeGreaterThan(0);
		for (const request of seen) {
			expect(request).toMatchObject({ method: c.method, path: c.path, query: {}, status });
			expect(request.headers[c.header]).toBe(apiKey);
		}
		return seen;
	}

	it('accepts a valid key with exactly one request carrying it', async () => {
		const apiKey = simulator.apiKeys[c.provider];
		const result = await testCredential(c.credentialType, {
			apiKey,
			baseUrl: simulator.baseUrls[c.provider],
		});

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(expectOnlyTestRequests(apiKey, c.okStatus)).toHaveLength(1);
		expect(simulator.requests).toHaveLength(1);
	});

	it('rejects a wrong key with a message naming the provider and the 401', async () => {
		const result = await testCredential(c.credentialType, {
			apiKey: 'not-the-right-key',
			baseUrl: simulator.baseUrls[c.provider],
		});

		expect(result).toEqual({ status: 'Error', message: c.wrongKeyMessage });
		// n8n-core re-sends a request answered 401 once before giving up (the credentials
		// helper's preAuthentication hook gets a chance to refresh a token), as real n8n does.
		expect(expectOnlyTestRequests('not-the-right-key', 401)).toHaveLength(2);
	});

	it('works with a base URL ending in a slash', async () => {
		const apiKey = simulator.apiKeys[c.provider];
		const result = await testCredential(c.credentialType, {
			apiKey,
			baseUrl: `${simulator.baseUrls[c.provider]}/`,
		});

		expect(result.status).toBe('OK');
		expect(expectOnlyTestRequests(apiKey, c.okStatus)).toHaveLength(1);
	});

	it('reports an unreachable server by its network error code', async () => {
		const gone = await startSimulator();
		const baseUrl = gone.baseUrls[c.provider];
		await gone.close();

		const result = await testCredential(c.credentialType, {
			apiKey: simulator.apiKeys[c.provider],
			baseUrl,
		});

		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});
