// The ExactBuyer node in a real n8n, as a user chains it: 1 203 CRM contacts with an email, a phone
// or a LinkedIn URL (the field type chosen per item by an expression) → ExactBuyer · Bulk Enrich.
// Asserts one output item per input item, in order and paired, 2 requests of at most 1000 sent as
// form fields holding JSON, duplicates sent once, invalid values as errors naming the field.
// Then a run refused before sending (Batch Size 0, Retry On Fail on) under both On Error "Continue"
// modes: one paired error item per input item, none passed through to the next node (issue 26, 12).
// Then ExactBuyer · Enrich with a wrong Base URL path (`…/v2`, where the API answers its JSON 404):
// errors naming the Base URL, never "not found" (issue 26, point 4).
import { N8nInstance } from '../lib/n8n-instance.mjs';
import { runImportedWorkflow } from '../lib/run-imported-workflow.mjs';

export const title = 'exactbuyer';

/** 1 203 rows: emails, phones and LinkedIn URLs in turn; 3 invalid; rows 1200+ repeat rows 0-2. */
function contacts() {
	const rows = [];
	for (let n = 0; n < 1200; n++) {
		if (n % 400 === 13) rows.push({ crm_id: n, email: `broken-${n}` });
		else if (n % 3 === 0) rows.push({ crm_id: n, email: `person${n}@example.com` });
		else if (n % 3 === 1) rows.push({ crm_id: n, phone: `+1 415 55${String(n).padStart(5, '0')}` });
		else rows.push({ crm_id: n, linkedin: `https://www.linkedin.com/in/person-${n}` });
	}
	for (let n = 0; n < 3; n++) rows.push({ ...rows[n], crm_id: 1200 + n });
	return rows;
}

function workflow(
	credentials,
	{ people = contacts(), options = {}, id = 'e2eWfExactBuyer1' } = {},
) {
	const nodes = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{
			name: 'CRM Contacts',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ people }) },
		},
		{
			name: 'One Item per Contact',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'people', options: {} },
		},
		{
			name: 'ExactBuyer',
			type: 'n8n-nodes-bulk-enrichment.exactBuyer',
			typeVersion: 1,
			onError: 'continueRegularOutput',
			credentials,
			parameters: {
				resource: 'contact',
				operation: 'bulkEnrich',
				fieldType: "={{ $json.email ? 'email' : $json.phone ? 'phone' : 'social_profile' }}",
				value: '={{ $json.email ?? $json.phone ?? $json.linkedin }}',
				options,
			},
		},
	].map((node, i) => ({ id: `e2e-exactbuyer-${i}`, position: [i * 220, 0], ...node }));
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++)
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return {
		id,
		name: `e2e: ExactBuyer bulk enrich (${id})`,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/** Runs refused before sending, each under one On Error "Continue" mode: [node name, onError, node settings, reason]. */
const REFUSALS = [
	[
		'Batch Size 0 · error output',
		'continueErrorOutput',
		{ options: { batchSize: 0 } },
		/^Options › Batch Size: must be a whole number/,
	],
	[
		'Retry On Fail · error output',
		'continueErrorOutput',
		{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		/^Turn off "Retry On Fail"/,
	],
	[
		'Batch Size 0 · continue',
		'continueRegularOutput',
		{ options: { batchSize: 0 } },
		/^Options › Batch Size: must be a whole number/,
	],
	[
		'Retry On Fail · continue',
		'continueRegularOutput',
		{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		/^Turn off "Retry On Fail"/,
	],
];

/** 3 contacts → one ExactBuyer node per refusal, with a node after each of its outputs: whatever passes reaches them. */
function refusedWorkflow(credentials) {
	const people = [0, 1, 2].map((n) => ({ crm_id: n, email: `person${n}@example.com` }));
	const node = (name, type, position, rest = {}) => ({
		id: `e2e-refused-${name}`,
		name,
		type,
		typeVersion: 1,
		position,
		parameters: {},
		...rest,
	});
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', [0, 0]),
		node('CRM Contacts', 'n8n-nodes-base.set', [220, 0], {
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ people }) },
		}),
		node('One Item per Contact', 'n8n-nodes-base.splitOut', [440, 0], {
			parameters: { fieldToSplitOut: 'people', options: {} },
		}),
	];
	const main = (...names) => ({
		main: names.map((name) => [{ node: name, type: 'main', index: 0 }]),
	});
	const connections = {
		Start: main('CRM Contacts'),
		'CRM Contacts': main('One Item per Contact'),
		'One Item per Contact': {
			main: [REFUSALS.map(([name]) => ({ node: name, type: 'main', index: 0 }))],
		},
	};
	REFUSALS.forEach(([name, onError, { options = {}, ...settings }], i) => {
		const parameters = {
			resource: 'contact',
			operation: 'bulkEnrich',
			fieldType: 'email',
			value: '={{ $json.email }}',
			options,
		};
		nodes.push(
			node(name, 'n8n-nodes-bulk-enrichment.exactBuyer', [660, i * 400], {
				onError,
				credentials,
				...settings,
				parameters,
			}),
		);
		nodes.push(
			node(`${name} › success`, 'n8n-nodes-base.noOp', [880, i * 400]),
			node(`${name} › error`, 'n8n-nodes-base.noOp', [880, i * 400 + 200]),
		);
		connections[name] =
			onError === 'continueErrorOutput'
				? main(`${name} › success`, `${name} › error`)
				: main(`${name} › success`);
	});
	return {
		id: 'e2eWfExactBuyerRefused',
		name: 'e2e: ExactBuyer refused before sending',
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

export default async function exactbuyer(t) {
	const { n8n, sim } = t;
	const { equal, ok, requestsTo } = t.assert;
	const people = contacts();

	await t.must('n8n import:credentials (ExactBuyer pointing at the simulator)', async () => {
		await n8n.importCredentials(t.fixtures.simulatorCredentials(sim));
	});
	const run = await t.must(
		`n8n execute: ${people.length} contacts through ExactBuyer Bulk Enrich`,
		async () =>
			runImportedWorkflow(t, workflow(t.fixtures.credentialRef('bulkEnrichmentExactBuyerApi'))),
	);
	const items = N8nInstance.outputItems(run.ex.runData, 'ExactBuyer');

	await t.check('one output item per input item, same order, pairedItem {item: i}', async () => {
		equal(items.length, people.length, 'output items');
		items.forEach((item, index) => {
			equal(item.json.crm_id, index, `crm_id of output item ${index}`);
			equal(item.pairedItem?.item ?? item.pairedItem, index, `pairedItem of output item ${index}`);
		});
	});

	await t.check(
		'2 requests of at most 1000, form fields holding JSON, duplicates once, the key in X-API-Key',
		async () => {
			const calls = requestsTo(run.requests, 'exactbuyer', '/v1/bulk-enrich');
			equal(calls.length, 2, 'bulk requests');
			const sent = calls.flatMap((call) => JSON.parse(call.body.query_list));
			ok(
				calls.every((call) => JSON.parse(call.body.query_list).length <= 1000),
				'a request carried more than 1000',
			);
			ok(
				calls.every((call) => /^application\/x-www-form-urlencoded/.test(call.contentType)),
				'form-encoded',
			);
			equal(sent.length, 1197, 'values sent (1 200 rows, 3 invalid; the 3 repeats not again)');
			equal(
				new Set(sent.map((q) => `${q.field_type}:${q.value}`)).size,
				sent.length,
				'each value once',
			);
			ok(
				calls.every((call) => call.headers['x-api-key'] === sim.apiKeys.exactbuyer),
				'X-API-Key header',
			);
		},
	);

	await t.check(
		'statuses in place: invalid values name the field, repeats share their original, the key never shows',
		async () => {
			for (const index of [13, 413, 813]) {
				equal(items[index].json.enrichment_status, 'error', `status of item ${index}`);
				ok(
					/^Value: must be an email address/.test(items[index].json.error),
					`error of item ${index}`,
					items[index].json,
				);
			}
			for (let n = 0; n < 3; n++)
				equal(items[1200 + n].json.full_name, items[n].json.full_name, `repeat ${1200 + n}`);
			const found = items.filter((item) => item.json.enrichment_status === 'found');
			ok(found.length > 1000, `found ${found.length}`);
			ok(
				found.every((item) => 'work_email' in item.json && 'linkedin_url' in item.json),
				'simplified fields',
			);
			ok(
				!JSON.stringify(run.ex.runData).includes(sim.apiKeys.exactbuyer),
				'the API key appears in the run data',
			);
		},
	);

	const refused = await t.must(
		'n8n execute: 4 runs refused before sending (Batch Size 0, Retry On Fail) under both Continue modes',
		async () =>
			runImportedWorkflow(
				t,
				refusedWorkflow(t.fixtures.credentialRef('bulkEnrichmentExactBuyerApi')),
			),
	);
	for (const [name, onError, , reason] of REFUSALS) {
		await t.check(
			`${name}: one paired error item per input item, nothing passed through, nothing sent`,
			async () => {
				const { runData } = refused.ex;
				const errorOutput = onError === 'continueErrorOutput';
				const errors = N8nInstance.outputItems(runData, name, errorOutput ? 1 : 0);
				equal(errors.length, 3, 'error items');
				errors.forEach((item, index) => {
					equal(item.json.crm_id, index, `crm_id of error item ${index}`);
					equal(
						item.pairedItem?.item ?? item.pairedItem,
						index,
						`pairedItem of error item ${index}`,
					);
					ok(reason.test(item.json.error), `error of item ${index}`, item.json);
					if (!errorOutput)
						equal(item.json.enrichment_status, 'error', `enrichment_status of item ${index}`);
				});
				if (errorOutput) {
					equal(N8nInstance.outputItems(runData, name, 0).length, 0, 'items on the main output');
					equal(runData[`${name} › success`], undefined, 'the node after the main output ran');
					equal(
						N8nInstance.outputItems(runData, `${name} › error`).length,
						3,
						'items reaching the node after the error output',
					);
				} else {
					ok(
						N8nInstance.outputItems(runData, `${name} › success`).every(
							(item) => item.json.enrichment_status === 'error',
						),
						'an item passed through untouched',
					);
				}
			},
		);
	}
	await t.check('the refused runs sent nothing to ExactBuyer', async () =>
		equal(requestsTo(refused.requests, 'exactbuyer').length, 0, 'requests'),
	);
	const wrongPath = {
		id: 'e2eCredExactBuyV21',
		name: 'ExactBuyer (wrong path)',
		type: 'bulkEnrichmentExactBuyerApi',
	};
	const baseUrl = `${sim.baseUrls.exactbuyer}/v2`;
	await t.must('n8n import:credentials (ExactBuyer with the Base URL …/v2)', async () => {
		await n8n.importCredentials([
			{ ...wrongPath, data: { apiKey: sim.apiKeys.exactbuyer, baseUrl } },
		]);
	});
	const wrong = await t.must('n8n execute: 3 emails through ExactBuyer Enrich at …/v2', async () =>
		runImportedWorkflow(
			t,
			t.fixtures.linearWorkflow({
				id: 'e2eWfExactBuyV2Path',
				nodes: [
					{
						name: 'Emails',
						type: 'n8n-nodes-base.set',
						typeVersion: 3.4,
						parameters: {
							mode: 'raw',
							jsonOutput: JSON.stringify({
								people: [0, 1, 2].map((n) => ({ email: `person${n}@example.com` })),
							}),
						},
					},
					{
						name: 'One Item per Email',
						type: 'n8n-nodes-base.splitOut',
						typeVersion: 1,
						parameters: { fieldToSplitOut: 'people', options: {} },
					},
					{
						name: 'ExactBuyer',
						type: 'n8n-nodes-bulk-enrichment.exactBuyer',
						typeVersion: 1,
						onError: 'continueRegularOutput',
						credentials: {
							bulkEnrichmentExactBuyerApi: { id: wrongPath.id, name: wrongPath.name },
						},
						parameters: {
							resource: 'contact',
							operation: 'enrich',
							fieldType: 'email',
							value: '={{ $json.email }}',
							options: { concurrency: 1 },
						},
					},
				],
			}),
		),
	);
	await t.check(
		'a wrong Base URL path: every item an error naming the Base URL, none not_found, the run stopped',
		async () => {
			const out = N8nInstance.outputItems(wrong.ex.runData, 'ExactBuyer');
			equal(out.length, 3, 'output items');
			ok(
				out.every((item) => item.json.enrichment_status === 'error'),
				'statuses',
				out.map((item) => item.json),
			);
			ok(
				String(out[0].json.enrichment_note).includes(
					`check the Base URL of the ExactBuyer credential (${baseUrl})`,
				),
				'names the Base URL',
				out[0].json,
			);
			equal(
				requestsTo(wrong.requests, 'exactbuyer').length,
				2,
				'requests (one look-up, one free probe of the path)',
			);
		},
	);
	// Issue 26 point 1: a 429 asking for an hour, against Max Rate-Limit Wait 1 min. The run stops at
	// once (the pause alone is more than its budget) and says what was asked and what it waited.
	await t.check(
		'a 429 with Retry-After 3600 and Max Rate-Limit Wait 1 min: the run ends at once, the message true',
		async () => {
			const small = workflow(t.fixtures.credentialRef('bulkEnrichmentExactBuyerApi'), {
				people: people.slice(0, 3),
				options: { maxRateLimitWaitMinutes: 1 },
				id: 'e2eWfExactBuyer429',
			});
			await n8n.importWorkflow(small);
			await sim.reset();
			const fault = {
				provider: 'exactbuyer',
				kind: 'status',
				status: 429,
				headers: { 'Retry-After': '3600' },
			};
			const injected = await fetch(`${sim.url}/__admin/faults`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(fault),
			});
			equal(injected.status, 200, 'fault injected');
			const ex = await n8n.execute(small.id, { timeoutMs: 120_000 });
			ok(ex.ok, `execution failed (exit ${ex.code})`, ex.error ?? ex.stdout.slice(-1500));
			t.log(`n8n execute took ${(ex.ms / 1000).toFixed(1)} s`);
			ok(
				ex.ms < 30_000,
				`took ${ex.ms} ms (n8n's own start included), more than the 1-minute budget allows to be sure`,
			);
			const [first] = N8nInstance.outputItems(ex.runData, 'ExactBuyer');
			ok(
				/^Not sent: the provider asks to wait 10 min more \(Retry-After\), longer than what is left of Options › Max Rate-Limit Wait \(1 min\); the run waited 0 s for the rate limit \(this request was refused once\)/.test(
					first.json.error,
				),
				'the error says what was asked, the budget and the time waited',
				first.json,
			);
			equal(
				requestsTo(await sim.requests(), 'exactbuyer', '/v1/bulk-enrich').length,
				1,
				'bulk requests (the refused one only)',
			);
		},
	);
}
