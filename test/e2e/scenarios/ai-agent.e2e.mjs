// The nodes as AI-agent tools in a real n8n: an AI Agent whose OpenAI Chat Model is a scripted
// OpenAI-compatible stub on loopback (lib/chat-model-stub.mjs) calls each provider's tool
// (`explorium Tool`, `exactBuyerTool`, `prontoTool`, parameters filled by `$fromAI`) against the
// simulator. Asserts the tool the model was offered (name, description, argument schema), the
// arguments reaching the provider, the compact answer the model read, failures answered as
// sentences, and that no provider key ever reaches the model. Then the example
// examples/ai-agent-enrich-lead-to-hubspot.json runs as imported, with the chat message, the model
// and HubSpot swapped for stand-ins: the model enriches the lead with Explorium, then saves what it
// found through the HubSpot tool's own $fromAI arguments.
import fs from 'node:fs';
import path from 'node:path';

import { startChatModelStub } from '../lib/chat-model-stub.mjs';
import { N8nInstance, REPO_ROOT } from '../lib/n8n-instance.mjs';
import { runImportedWorkflow } from '../lib/run-imported-workflow.mjs';

export const title = 'ai-agent';

const PACKAGE = 'n8n-nodes-bulk-enrichment';
const OPENAI_CREDENTIAL = { id: 'e2eCredChatStub01', name: 'Chat model (stub)' };
const WRONG_KEY_CREDENTIAL = { id: 'e2eCredExplWrong1', name: 'Explorium (refused key)' };
/** What a found contact answer may hold: status, the standard fields, the source. */
const ANSWER_KEYS = new Set([
	'enrichment_status',
	'enrichment_note',
	'enrichment_warnings',
	'error',
	'source',
	'email',
	'email_status',
	'personal_email',
	'phone',
	'mobile_phone',
	'linkedin_url',
	'full_name',
	'first_name',
	'last_name',
	'job_title',
	'company_name',
	'company_domain',
]);

/** Manual Trigger → AI Agent, with the stub as its chat model and one of our nodes as its tool. */
function agentWorkflow({ id, prompt, tool }) {
	const nodes = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			parameters: { promptType: 'define', text: prompt, options: {} },
		},
		{
			name: 'Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			credentials: { openAiApi: OPENAI_CREDENTIAL },
			parameters: {
				model: { __rl: true, mode: 'id', value: 'stub-model' },
				responsesApiEnabled: false,
				options: {},
			},
		},
		{ typeVersion: 1, ...tool },
	].map((node, i) => ({ id: `${id}-${i}`, position: [i * 220, 0], ...node }));
	return {
		id,
		name: `e2e: ${id}`,
		active: false,
		nodes,
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			[tool.name]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const fromAI = (key, description) => `={{ $fromAI('${key}', \`${description}\`, 'string') }}`;

/** Explorium Enrich Contacts by person details: the model gives the name and company. */
const exploriumTool = (credentials) => ({
	name: 'Explorium Enrich Contacts',
	type: `${PACKAGE}.exploriumTool`,
	credentials,
	parameters: {
		resource: 'prospect',
		operation: 'enrichContacts',
		identifyBy: 'personDetails',
		fullName: fromAI('fullName', 'Full name of the person'),
		companyName: fromAI('companyName', 'Company the person works for'),
		email: '',
		phone: '',
		linkedinUrl: '',
		businessId: '',
	},
});

/** ExactBuyer Enrich by email: the model gives the email. */
const exactBuyerTool = (t) => ({
	name: 'ExactBuyer Enrich',
	type: `${PACKAGE}.exactBuyerTool`,
	credentials: t.fixtures.credentialRef('bulkEnrichmentExactBuyerApi'),
	parameters: {
		resource: 'contact',
		operation: 'enrich',
		fieldType: 'email',
		value: fromAI('email', 'Email address of the person'),
	},
});

/** A Pronto operation for a work email: the model gives first and last name and the domain. */
const prontoTool = (t, name, operation, extra = {}) => ({
	name,
	type: `${PACKAGE}.prontoTool`,
	credentials: t.fixtures.credentialRef('bulkEnrichmentProntoApi'),
	parameters: {
		resource: 'contact',
		operation,
		enrichmentType: 'email',
		firstName: fromAI('firstName', 'First name of the person'),
		lastName: fromAI('lastName', 'Last name of the person'),
		domain: fromAI('domain', 'Domain of the company the person works for'),
		companyName: '',
		linkedinUrl: '',
		...extra,
	},
});

const ADA = { fullName: 'Ada Lovelace', companyName: 'Analytical Engines Ltd' };
const ALAN = { firstName: 'Alan', lastName: 'Turing', domain: 'bletchley.example' };

/** The cases: one tool each, what the model calls it with, and what must come back. */
function cases(t) {
	return [
		{
			id: 'e2eAgentExplorium1',
			provider: 'explorium',
			prompt: 'Find the work email of Ada Lovelace at Analytical Engines Ltd',
			tool: exploriumTool(t.fixtures.credentialRef('bulkEnrichmentExploriumApi')),
			call: ADA,
			expect: 'found',
			findsEmail: true,
			providerPaths: ['/v1/prospects/match', '/v1/prospects/contacts_information/bulk_enrich'],
			sentArgument: (requests) =>
				requests.some((r) => JSON.stringify(r.body).includes('Ada Lovelace')),
		},
		{
			id: 'e2eAgentExactBuyer1',
			provider: 'exactbuyer',
			prompt: 'What is the phone number of the person with the email grace.hopper@example.com?',
			tool: exactBuyerTool(t),
			call: { email: 'grace.hopper@example.com' },
			expect: 'found',
			providerPaths: ['/v1/enrich'],
			sentArgument: (requests) =>
				requests.some((r) => r.query?.email === 'grace.hopper@example.com'),
		},
		{
			id: 'e2eAgentPronto01',
			provider: 'pronto',
			prompt: 'Find the work email of Alan Turing at bletchley.example',
			tool: prontoTool(t, 'Pronto Enrich and Wait', 'enrich'),
			call: ALAN,
			expect: 'found',
			findsEmail: true,
			providerPaths: ['/contacts/single_enrich'],
			sentArgument: (requests) => requests.some((r) => JSON.stringify(r.body).includes('Turing')),
		},
		{
			id: 'e2eAgentBadEmail1',
			provider: 'exactbuyer',
			prompt: 'Enrich the person with the email not-an-email',
			tool: exactBuyerTool(t),
			call: { email: 'not-an-email' },
			expect: 'error',
			errorMentions: /email/i,
			providerPaths: [],
		},
		{
			id: 'e2eAgentBadKey01',
			provider: 'explorium',
			prompt: 'Find the work email of Ada Lovelace at Analytical Engines Ltd',
			tool: exploriumTool({ bulkEnrichmentExploriumApi: WRONG_KEY_CREDENTIAL }),
			call: ADA,
			expect: 'error',
			errorMentions: /401|key/i,
			providerPaths: ['/v1/prospects/match'],
		},
		{
			id: 'e2eAgentProntoBulk1',
			provider: 'pronto',
			prompt: 'Submit Alan Turing for bulk enrichment',
			tool: prontoTool(t, 'Pronto Bulk Enrich', 'bulkEnrich', {
				webhookUrl: 'http://127.0.0.1:9/webhook/never/callback',
			}),
			call: ALAN,
			expect: 'error',
			errorMentions: /Enrich and Wait/,
			providerPaths: [],
		},
	];
}

function toolAnswer(completions) {
	const toolMessage = completions
		.flatMap((c) => c.body?.messages ?? [])
		.find((m) => m.role === 'tool');
	if (!toolMessage) return undefined;
	const text =
		typeof toolMessage.content === 'string'
			? toolMessage.content
			: JSON.stringify(toolMessage.content);
	return { text, parsed: JSON.parse(text) };
}

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'ai-agent-enrich-lead-to-hubspot.json');
const HUBSPOT_TOOL = 'HubSpot: Save Lead';

/** Every expression in a node's parameters, as [path, expression]. */
function expressionsOf(value, at = '') {
	if (typeof value === 'string') return value.startsWith('=') ? [[at, value]] : [];
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([k, v]) => expressionsOf(v, at ? `${at}.${k}` : k));
	return [];
}

/**
 * The example as imported, with stand-ins: the chat message from an Edit Fields node after a manual
 * trigger, the chat model at the stub (Chat Completions), Explorium at the simulator, and the HubSpot tool an HTTP
 * Request tool posting its own $fromAI arguments (same keys, same descriptions) to the stub.
 */
function exampleWithStandIns(t, stub, chatInput) {
	const wf = {
		...JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')),
		id: 'e2eAgentExample01',
		active: false,
	};
	const chat = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger');
	Object.assign(chat, {
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			mode: 'raw',
			jsonOutput: JSON.stringify({ sessionId: 'e2e', action: 'sendMessage', chatInput }),
			options: {},
		},
	});
	delete chat.webhookId;
	wf.nodes.push({
		id: 'e2e-agent-start',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [-220, 0],
		parameters: {},
	});
	wf.connections.Start = { main: [[{ node: chat.name, type: 'main', index: 0 }]] };
	const model = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi');
	// The stub speaks Chat Completions, not the Responses API the node uses by default with OpenAI.
	Object.assign(model, {
		credentials: { openAiApi: OPENAI_CREDENTIAL },
		parameters: { ...model.parameters, responsesApiEnabled: false },
	});
	wf.nodes.find((n) => n.type === 'n8n-nodes-bulk-enrichment.exploriumTool').credentials =
		t.fixtures.credentialRef('bulkEnrichmentExploriumApi');
	const hubspot = wf.nodes.find((n) => n.name === HUBSPOT_TOOL);
	const fields = expressionsOf(hubspot.parameters).map(
		([at, expression]) => `${JSON.stringify(at)}: ${expression.replace(/^=\{\{\s*|\s*\}\}$/g, '')}`,
	);
	Object.assign(hubspot, {
		type: 'n8n-nodes-base.httpRequestTool',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${stub.baseUrl.replace(/\/v1$/, '')}/record/hubspot`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ ${fields.join(', ')} }) }}`,
			options: {},
		},
	});
	delete hubspot.credentials;
	delete hubspot.disabled; // the example ships it disabled until HubSpot is connected
	return wf;
}

export default async function aiAgent(t) {
	const { n8n, sim } = t;
	const { equal, ok } = t.assert;
	if ((n8n.n8nMajor ?? 2) < 2) {
		t.log(`not run on n8n ${n8n.n8nMajor}.x: the AI Agent v3.1 it drives is n8n 2.x only`);
		return;
	}
	let plan;
	/** @type {(results: string[]) => import('../lib/chat-model-stub.mjs').ToolPlan | undefined} */
	let nextToolCall = (results) => (results.length === 0 ? plan : undefined); // one tool call per case, then the answer
	const stub = await startChatModelStub({ nextToolCall: (results) => nextToolCall(results) });
	t.defer(() => stub.close());

	await t.must(
		'n8n import:credentials (the providers at the simulator, the chat model at the stub)',
		async () => {
			await n8n.importCredentials([
				...t.fixtures.simulatorCredentials(sim),
				{
					...OPENAI_CREDENTIAL,
					type: 'openAiApi',
					data: { apiKey: 'stub-chat-model-placeholder', url: stub.baseUrl },
				},
				{
					...WRONG_KEY_CREDENTIAL,
					type: 'bulkEnrichmentExploriumApi',
					data: { apiKey: 'refused-placeholder-value', baseUrl: sim.baseUrls.explorium },
				},
			]);
		},
	);

	for (const c of cases(t)) {
		plan = { tool: c.tool.name.replace(/ /g, '_'), args: c.call };
		const before = stub.requests.length;
		const run = await t.must(`${c.tool.name}: the agent calls the tool (${c.expect})`, async () =>
			runImportedWorkflow(t, agentWorkflow({ id: c.id, prompt: c.prompt, tool: c.tool })),
		);
		const completions = stub
			.completions()
			.slice(stub.completions().length - (stub.requests.length - before));
		const offered = completions[0]?.body?.tools?.map((x) => x.function) ?? [];
		const tool = offered.find((f) => f.name === plan.tool);

		await t.check(
			`${c.tool.name}: offered to the model as ${plan.tool}, its arguments the $fromAI keys, described`,
			async () => {
				ok(tool, `tool ${plan.tool} not offered`, JSON.stringify(offered).slice(0, 800));
				equal(
					Object.keys(tool.parameters?.properties ?? {})
						.sort()
						.join(','),
					Object.keys(c.call).sort().join(','),
					'argument names',
				);
				ok(
					typeof tool.description === 'string' && tool.description.length > 10,
					'a description',
					tool.description,
				);
				t.log(`tool description: ${tool.description}`);
			},
		);

		const answer = toolAnswer(completions);
		await t.check(`${c.tool.name}: the model read a compact answer (${c.expect})`, async () => {
			ok(answer, 'no tool message reached the model');
			t.log(`answer (${answer.text.length} chars): ${answer.text}`);
			const [item] = answer.parsed;
			equal(answer.parsed.length, 1, 'one answer item');
			equal(item.enrichment_status, c.expect, 'enrichment_status');
			const extra = Object.keys(item).filter((k) => !ANSWER_KEYS.has(k));
			equal(extra.join(','), '', 'keys beyond status, standard fields and source');
			ok(answer.text.length < 700, `answer of ${answer.text.length} characters`);
			if (c.expect === 'found') {
				equal(item.source.toLowerCase(), c.provider, 'source');
				ok(
					Object.keys(item).some((k) => ['email', 'phone', 'mobile_phone'].includes(k)),
					'an email or phone found',
					answer.text,
				);
				// The top-level email is the provider's, never the agent's own argument echoed back.
				if (c.findsEmail)
					ok(
						item.email && !Object.values(c.call).includes(item.email),
						'the email is the one found',
						answer.text,
					);
			} else {
				ok(
					c.errorMentions.test(item.error ?? ''),
					`error names the cause (${c.errorMentions})`,
					item.error,
				);
				ok(!/\[item/.test(item.error), 'no workflow item numbers in the error', item.error);
			}
		});

		await t.check(`${c.tool.name}: what reached the provider`, async () => {
			const mine = run.requests.filter((r) => r.provider === c.provider);
			for (const p of c.providerPaths)
				ok(
					mine.some((r) => (r.path ?? '').startsWith(p)),
					`a request to ${p}`,
					JSON.stringify(mine.map((r) => r.path)),
				);
			if (c.providerPaths.length === 0) equal(mine.length, 0, 'requests sent for a refused call');
			if (c.sentArgument) ok(c.sentArgument(mine), "the model's argument reached the provider");
		});

		await t.check(
			`${c.tool.name}: the agent answered with the tool's result; no provider key reached the model`,
			async () => {
				const out = N8nInstance.outputItems(run.ex.runData, 'AI Agent');
				ok(
					String(out[0]?.json?.output ?? '').startsWith('Tool answered:'),
					'agent output',
					JSON.stringify(out[0]?.json).slice(0, 300),
				);
				const seen = JSON.stringify(stub.requests.slice(before));
				for (const [provider, key] of Object.entries(sim.apiKeys))
					ok(!seen.includes(key), `${provider} key sent to the model`);
			},
		);
	}

	await runExample(t, stub, (fn) => (nextToolCall = fn));
}

/** The example workflow: the lead enriched by Explorium, then saved through the HubSpot tool. */
async function runExample(t, stub, scriptModel) {
	const { equal, ok } = t.assert;
	const lead = { ...ADA, email: '', linkedinUrl: '' };
	scriptModel((results) => {
		if (results.length === 0) return { tool: 'Explorium_Find_Email_and_Phone', args: lead };
		if (results.length === 1) {
			const [found] = JSON.parse(results[0]);
			if (found?.enrichment_status !== 'found') return undefined;
			return {
				tool: 'HubSpot_Save_Lead',
				args: {
					email: found.email,
					firstName: 'Ada',
					lastName: 'Lovelace',
					companyName: lead.companyName,
					jobTitle: found.job_title ?? '',
					phone: found.phone ?? '',
				},
			};
		}
		return undefined;
	});
	const before = stub.requests.length;
	const run = await t.must(
		'examples/ai-agent-enrich-lead-to-hubspot.json: a chat message about a lead → Explorium → HubSpot',
		async () =>
			runImportedWorkflow(
				t,
				exampleWithStandIns(
					t,
					stub,
					`New lead: ${lead.fullName} at ${lead.companyName}, please add to HubSpot`,
				),
			),
	);
	await t.check(
		'the example: the model was offered both tools, Explorium answered compactly, HubSpot got the email Explorium found',
		async () => {
			const completions = stub.completions().filter((c) => stub.requests.indexOf(c) >= before);
			const offered = (completions[0]?.body?.tools ?? []).map((x) => x.function.name).sort();
			t.log(`tools offered: ${offered.join(', ')}`);
			equal(offered.join(','), 'Explorium_Find_Email_and_Phone,HubSpot_Save_Lead', 'tools offered');
			const explorium = completions.flatMap((c) => c.body.messages).find((m) => m.role === 'tool');
			const [found] = JSON.parse(explorium.content);
			equal(found.enrichment_status, 'found', 'Explorium answer');
			const saved = stub.recorded('hubspot');
			equal(saved.length, 1, 'HubSpot writes');
			t.log(`HubSpot got: ${JSON.stringify(saved[0])}`);
			equal(saved[0].email, found.email, 'email saved');
			equal(saved[0]['additionalFields.firstName'], 'Ada', 'first name saved');
			ok(
				run.requests.some(
					(r) => r.provider === 'explorium' && JSON.stringify(r.body).includes('Ada Lovelace'),
				),
				'the lead reached Explorium',
			);
			const seen = JSON.stringify(stub.requests.slice(before));
			for (const [provider, key] of Object.entries(t.sim.apiKeys))
				ok(!seen.includes(key), `${provider} key sent to the model`);
		},
	);
}
