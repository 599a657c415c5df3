// Shared e2e fixtures: the package's credential types, credentials pointing at the simulator and
// small workflow builders. Values are placeholders (the simulator's own keys come at run time).

/**
 * The package's credential types. `probe` is the request their own `test` makes (the simulator
 * path is relative to the provider prefix, as `/__admin/requests` reports it).
 */
export const CREDENTIAL_TYPES = [
	{
		type: 'bulkEnrichmentExploriumApi',
		provider: 'explorium',
		displayName: 'Explorium (Bulk Enrichment) API',
		id: 'e2eCredExplorium01',
		name: 'Explorium (simulator)',
		header: 'api_key',
		probe: { path: '/v2/credits' },
		callPath: '/v1/credits',
	},
	{
		type: 'bulkEnrichmentProntoApi',
		provider: 'pronto',
		displayName: 'Pronto (Bulk Enrichment) API',
		id: 'e2eCredPronto00001',
		name: 'Pronto (simulator)',
		header: 'x-api-key',
		probe: { path: '/credits' },
		callPath: '/credits',
	},
	{
		type: 'bulkEnrichmentExactBuyerApi',
		provider: 'exactbuyer',
		displayName: 'ExactBuyer (Bulk Enrichment) API',
		id: 'e2eCredExactBuyer1',
		name: 'ExactBuyer (simulator)',
		header: 'x-api-key',
		probe: { path: '/v1/enrich' },
		callPath: '/v1/enrich?email=someone@example.com',
	},
];

/** Credential objects for `n8n import:credentials` (plain `data`), keyed to a running simulator. */
export function simulatorCredentials(sim, { apiKeys = sim.apiKeys } = {}) {
	return CREDENTIAL_TYPES.map((c) => ({
		id: c.id,
		name: c.name,
		type: c.type,
		data: {
			apiKey: apiKeys[c.provider],
			baseUrl: sim.baseUrls[c.provider],
			...(c.type === 'bulkEnrichmentProntoApi' ? { webhookSecret: '' } : {}),
		},
	}));
}

/** `{credentialType: {id, name}}` reference for a node's `credentials` field. */
export function credentialRef(type) {
	const c = CREDENTIAL_TYPES.find((x) => x.type === type);
	if (!c) throw new Error(`unknown credential type ${type}`);
	return { [type]: { id: c.id, name: c.name } };
}

let nodeSeq = 0;

/**
 * A workflow: Manual Trigger ("Start") → nodes[0] → nodes[1] … (main output 0 to main input 0).
 * Nodes need `name`, `type`, `parameters`; typeVersion/position/id are filled in when missing.
 */
export function linearWorkflow({ id, name = id, nodes, settings = {}, pinData }) {
	const all = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		...nodes,
	].map((n, i) => ({
		id: n.id ?? `e2e-node-${++nodeSeq}`,
		typeVersion: 1,
		position: [i * 220, 0],
		...n,
	}));
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id,
		name,
		active: false,
		nodes: all,
		connections,
		settings: { executionOrder: 'v1', ...settings },
		...(pinData ? { pinData } : {}),
	};
}

/** HTTP Request node (v4.2) authenticated with one of this package's credential types. */
export function httpRequestWithCredential({
	name,
	url,
	credentialType,
	method = 'GET',
	continueOnError = true,
}) {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method,
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: credentialType,
			// Full response, never error: the status is asserted by the test, not by the node.
			options: { response: { response: { fullResponse: true, neverError: true } } },
		},
		credentials: credentialRef(credentialType),
		...(continueOnError ? { onError: 'continueRegularOutput' } : {}),
	};
}
