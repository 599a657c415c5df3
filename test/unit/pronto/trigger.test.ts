import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CORRELATION_FIELDS } from '../../../nodes/Pronto/adapter/provider';
import {
	authenticateCallbackCached,
	CREDENTIAL_READ_TTL_MS,
	judgeProbeAnswer,
	PROBE_ANSWER,
	webhookTokenFor,
	WEBHOOK_TOKEN_PARAMETER,
} from '../../../nodes/Pronto/adapter/webhook-token';
import { ProntoTrigger } from '../../../nodes/Pronto/ProntoTrigger.node';

const SECRET = 'test-webhook-secret';
const TOKEN = webhookTokenFor(SECRET);
const WITH_TOKEN = { [WEBHOOK_TOKEN_PARAMETER]: TOKEN };

/** A callback for a contact the Pronto node sent: the documented result, custom with correlation. */
const documented = {
	enrichment_id: '123e4567-e89b-12d3-a456-426614174000',
	first_name: 'Mathieu',
	last_name: 'Brun-Picard',
	status: 'finished',
	email: 'mathieu@prontohq.com',
	email_status: 'deliverable',
	personal_email: 'mathieu.bp@gmail.com',
	personal_email_status: 'valid',
	phone: ['+1 201-555-0123'],
	custom: {
		hubspot_id: '4447901',
		n8n_bulk_item_index: 3,
		n8n_bulk_item_indexes: [3],
		n8n_bulk_execution_id: '42',
		n8n_bulk_run_id: 'run-1',
	},
};

interface Call {
	/** What the node wrote on n8n's response object (only for refusals). */
	status?: number;
	body?: unknown;
	/** Whether the node looked at the body at all. */
	bodyRead: boolean;
}

/** How often the fake context's credential was read. */
let credentialReads = 0;

/** Calls `webhook()` with a small fake of n8n's webhook context. */
/** `secret: null` = a credential saved without the Webhook Secret field. */
async function callWebhook(
	body: unknown,
	query: IDataObject,
	secret: string | null = SECRET,
	credentialId = `test-credential-${String(secret)}`,
	webhookName: 'default' | 'setup' = 'default',
) {
	const call: Call = { bodyRead: false };
	const response = {
		status(code: number) {
			call.status = code;
			return response;
		},
		json(payload: unknown) {
			call.body = payload;
			return response;
		},
	};
	const context = {
		getCredentials: async () => {
			credentialReads++;
			return {
				apiKey: 'test-api-key',
				baseUrl: 'https://example.com',
				...(secret === null ? {} : { webhookSecret: secret }),
			};
		},
		getNode: () => ({
			credentials: { bulkEnrichmentProntoApi: { id: credentialId, name: 'Pronto account' } },
		}),
		getQueryData: () => query,
		getBodyData: () => {
			call.bodyRead = true;
			return body;
		},
		getResponseObject: () => response,
		getWebhookName: () => webhookName,
	} as unknown as IWebhookFunctions;
	const result = await new ProntoTrigger().webhook.call(context);
	return { call, result };
}

async function itemFor(body: unknown, query: IDataObject = WITH_TOKEN): Promise<IDataObject> {
	const { call, result } = await callWebhook(body, query);
	expect(call.status).toBeUndefined();
	expect(result.noWebhookResponse).toBeUndefined();
	expect(result.workflowData).toHaveLength(1);
	expect(result.workflowData![0]).toHaveLength(1);
	const item = result.workflowData![0][0];
	expect(item.pairedItem).toEqual({ item: 0 });
	return item.json;
}

describe('Pronto Trigger · authenticity (a Webhook Secret on the credential)', () => {
	it('the right token: exactly one item, and n8n answers (no response written by the node)', async () => {
		await itemFor(documented);
	});

	it('the token repeated in the query (n8n gives a list): the first one is checked', async () => {
		await itemFor(documented, { [WEBHOOK_TOKEN_PARAMETER]: [TOKEN, 'x'] });
	});

	it.each<[string, IDataObject]>([
		['no token', {}],
		['a wrong token', { [WEBHOOK_TOKEN_PARAMETER]: webhookTokenFor('test-other-secret') }],
		['an empty token', { [WEBHOOK_TOKEN_PARAMETER]: '' }],
		['the secret itself instead of the token', { [WEBHOOK_TOKEN_PARAMETER]: SECRET }],
		['the token under another name', { token: TOKEN }],
		['the token as an object (a[b]=c)', { [WEBHOOK_TOKEN_PARAMETER]: { x: TOKEN } }],
	])('%s: 401 with a JSON body, no execution', async (_, query) => {
		const { call, result } = await callWebhook(documented, query);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(call.status).toBe(401);
		expect(call.body).toEqual({ message: expect.stringMatching(/^Unauthorized/) });
	});

	it('the token is checked first: a forged call with a malformed body gets 401, its body unread', async () => {
		const { call, result } = await callWebhook('not json at all', {});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(call.status).toBe(401);
		expect(call.bodyRead).toBe(false);
	});
});

describe("Pronto Trigger · the Pronto node's probe (GET on the same path)", () => {
	it('with the right token: the probe answer, no execution, the body unread', async () => {
		const { call, result } = await callWebhook(
			documented,
			WITH_TOKEN,
			SECRET,
			'test-credential-probe',
			'setup',
		);
		expect(result).toEqual({ webhookResponse: PROBE_ANSWER });
		expect(result.workflowData).toBeUndefined();
		expect(call.status).toBeUndefined();
		expect(call.bodyRead).toBe(false);
		expect(judgeProbeAnswer(200, result.webhookResponse)).toBe('trigger');
	});

	it('without the token: refused as a forged callback is, which the Pronto node reads as another secret', async () => {
		const { call, result } = await callWebhook(
			undefined,
			{},
			SECRET,
			'test-credential-probe',
			'setup',
		);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(call.status).toBe(401);
		expect(judgeProbeAnswer(call.status!, call.body)).toBe('tokenRefused');
	});

	it('without a Webhook Secret on the trigger: answered whatever the token', async () => {
		const { result } = await callWebhook(
			undefined,
			WITH_TOKEN,
			'',
			'test-credential-probe-none',
			'setup',
		);
		expect(result).toEqual({ webhookResponse: PROBE_ANSWER });
	});
});

describe('Pronto Trigger · the credential is read once a minute, not per callback', () => {
	it('20 genuine callbacks on one credential read it once', async () => {
		const before = credentialReads;
		for (let i = 0; i < 20; i++) {
			const { call } = await callWebhook(documented, WITH_TOKEN, SECRET, 'test-credential-burst');
			expect(call.status).toBeUndefined();
		}
		expect(credentialReads - before).toBe(1);
	});

	it('a forged token is checked against a fresh read every time (and refused)', async () => {
		await callWebhook(documented, WITH_TOKEN, SECRET, 'test-credential-forged');
		const before = credentialReads;
		for (let i = 0; i < 3; i++) {
			const { call } = await callWebhook(
				documented,
				{ [WEBHOOK_TOKEN_PARAMETER]: webhookTokenFor('test-forger-guess') },
				SECRET,
				'test-credential-forged',
			);
			expect(call.status).toBe(401);
		}
		expect(credentialReads - before).toBe(3);
	});

	it('a rotated secret: the new token is accepted at once; the old one is refused once the new secret was read', async () => {
		const id = 'test-credential-rotated';
		const rotated = 'test-webhook-secret-rotated';
		expect((await callWebhook(documented, WITH_TOKEN, SECRET, id)).call.status).toBeUndefined();
		expect(
			(
				await callWebhook(
					documented,
					{ [WEBHOOK_TOKEN_PARAMETER]: webhookTokenFor(rotated) },
					rotated,
					id,
				)
			).call.status,
		).toBeUndefined();
		expect((await callWebhook(documented, WITH_TOKEN, rotated, id)).call.status).toBe(401);
	});

	it('what was read is trusted for CREDENTIAL_READ_TTL_MS, then read again', async () => {
		let reads = 0;
		let secret = SECRET;
		const read = async () => {
			reads++;
			return secret;
		};
		const start = 1_000_000;
		expect(await authenticateCallbackCached('test-credential-ttl', read, WITH_TOKEN, start)).toBe(
			'authentic',
		);
		secret = ''; // the secret was removed from the credential
		expect(
			await authenticateCallbackCached(
				'test-credential-ttl',
				read,
				WITH_TOKEN,
				start + CREDENTIAL_READ_TTL_MS - 1,
			),
		).toBe('authentic');
		expect(reads).toBe(1);
		expect(
			await authenticateCallbackCached(
				'test-credential-ttl',
				read,
				{},
				start + CREDENTIAL_READ_TTL_MS,
			),
		).toBe('unchecked');
		expect(reads).toBe(2);
	});

	it('without a credential id (nothing to key on) the credential is read every time', async () => {
		let reads = 0;
		const read = async () => {
			reads++;
			return SECRET;
		};
		await authenticateCallbackCached(undefined, read, WITH_TOKEN, 0);
		await authenticateCallbackCached(undefined, read, WITH_TOKEN, 0);
		expect(reads).toBe(2);
	});
});

describe('Pronto Trigger · without a Webhook Secret (the notice warns)', () => {
	it.each<[string, string | null]>([
		['an empty secret', ''],
		['no secret field at all', null],
	])('%s: a call without a token is taken', async (_, secret) => {
		const { result } = await callWebhook(documented, {}, secret);
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('a token in the URL is ignored (the sender may use a credential with a secret)', async () => {
		const { result } = await callWebhook(documented, WITH_TOKEN, '');
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('a malformed body is still refused with 400', async () => {
		const { call, result } = await callWebhook([documented], {}, '');
		expect(result).toEqual({ noWebhookResponse: true });
		expect(call.status).toBe(400);
	});
});

describe('Pronto Trigger · malformed bodies (as n8n hands them to the node)', () => {
	it.each<[string, unknown]>([
		['a JSON list of results', [documented]],
		['an empty JSON list', []],
		['a text/plain body (n8n passes the string)', JSON.stringify(documented)],
		['an empty request (n8n passes undefined)', undefined],
		['JSON null', null],
		['a JSON number', 42],
		['an empty object', {}],
		[
			'an object without an enrichment id',
			{ status: 'finished', email: 'a@example.com', custom: { crm_id: 1 } },
		],
		['an object whose id is an object', { enrichment_id: { value: 'x' }, status: 'finished' }],
	])('%s: 400 with a JSON body, no execution', async (_, body) => {
		const { call, result } = await callWebhook(body, WITH_TOKEN);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(call.status).toBe(400);
		expect(call.body).toEqual({ message: expect.stringMatching(/^Bad request: /) });
	});
});

describe('Pronto Trigger · the output item', () => {
	it("normalized fields, correlation lifted out of custom, the user's custom, and the raw body", async () => {
		expect(await itemFor(documented)).toEqual({
			enrichment_id: documented.enrichment_id,
			enrichment_status: 'found',
			pronto_status: 'finished',
			first_name: 'Mathieu',
			last_name: 'Brun-Picard',
			email: 'mathieu@prontohq.com',
			email_status: 'deliverable',
			personal_email: 'mathieu.bp@gmail.com',
			personal_email_status: 'valid',
			phones: ['+12015550123'],
			n8n_bulk_item_index: 3,
			n8n_bulk_item_indexes: [3],
			n8n_bulk_execution_id: '42',
			n8n_bulk_run_id: 'run-1',
			custom: { hubspot_id: '4447901' },
			// The standard contact fields, as the action nodes write them.
			phone: '+12015550123',
			enrichment_source: {
				email: 'Pronto',
				email_status: 'Pronto',
				personal_email: 'Pronto',
				phone: 'Pronto',
				first_name: 'Pronto',
				last_name: 'Pronto',
			},
			raw: documented,
		});
	});

	it('the raw body is the body as received (correlation still inside custom)', async () => {
		const item = await itemFor(documented);
		expect((item.raw as IDataObject).custom).toEqual(documented.custom);
	});

	it.each<[string, IDataObject, IDataObject]>([
		[
			'`id` instead of `enrichment_id`',
			{ id: 'abc-1', status: 'finished', email: 'a@example.com' },
			{ enrichment_id: 'abc-1', enrichment_status: 'found' },
		],
		[
			'`phones` as {number, type}',
			{
				id: 'abc-2',
				status: 'finished',
				phones: [{ number: '+33 6 12 34 56 78', type: 'mobile' }],
			},
			{ phones: ['+33612345678'], enrichment_status: 'found' },
		],
		[
			'`phones` as strings',
			{ id: 'abc-2b', status: 'finished', phones: ['+33612345678', '+12015550123'] },
			{ phones: ['+33612345678', '+12015550123'] },
		],
		[
			'`phone` as one string',
			{ id: 'abc-3', status: 'finished', phone: '+1 (415) 555-0100' },
			{ phones: ['+14155550100'] },
		],
		[
			'a number without country code is kept as its digits',
			{ id: 'abc-4', status: 'finished', phone: ['415 555 0100'] },
			{ phones: ['4155550100'], enrichment_status: 'found' },
		],
		// A status describes a value: without an email, Pronto's "N/A" labels nothing (the body keeps it, under raw).
		[
			'a finished miss',
			{ enrichment_id: 'abc-5', status: 'finished', email: null, email_status: 'N/A', phone: [] },
			{
				enrichment_status: 'not_found',
				email: null,
				email_status: null,
				phones: [],
				personal_email: null,
			},
		],
		[
			'a status without its value (personal_email_status beside no personal email) is not kept',
			{
				enrichment_id: 'abc-5b',
				status: 'finished',
				email: 'a@example.com',
				email_status: 'deliverable',
				personal_email: null,
				personal_email_status: 'valid',
			},
			{
				email: 'a@example.com',
				email_status: 'deliverable',
				personal_email: null,
				personal_email_status: null,
			},
		],
		[
			'a pending result',
			{ enrichment_id: 'abc-6', status: 'pending' },
			{ enrichment_status: 'pending', pronto_status: 'pending', email: null, phones: [] },
		],
		[
			'no custom at all',
			{ enrichment_id: 'abc-7', status: 'finished', email: 'a@example.com' },
			{ custom: {}, n8n_bulk_item_index: null },
		],
		[
			'custom: null',
			{ enrichment_id: 'abc-7b', status: 'finished', custom: null },
			{ custom: {}, n8n_bulk_run_id: null },
		],
		[
			'custom without correlation (a contact sent by another tool)',
			{ enrichment_id: 'abc-8', status: 'finished', custom: { crm: 1 } },
			{ custom: { crm: 1 }, n8n_bulk_item_index: null, n8n_bulk_run_id: null },
		],
		[
			'custom with only correlation',
			{
				enrichment_id: 'abc-9',
				status: 'finished',
				custom: { n8n_bulk_item_index: 0, n8n_bulk_run_id: 'r' },
			},
			{ custom: {}, n8n_bulk_item_index: 0, n8n_bulk_run_id: 'r', n8n_bulk_execution_id: null },
		],
		[
			'custom that is not an object',
			{ enrichment_id: 'abc-10', status: 'finished', custom: 'crm-1' },
			{ custom: {}, n8n_bulk_item_index: null },
		],
	])('%s', async (_, body, expected) => {
		const item = await itemFor(body);
		expect(item).toMatchObject({ ...expected, raw: body });
	});

	it('always the same columns: every correlation field, present or null', async () => {
		const item = await itemFor({ enrichment_id: 'abc-11' });
		for (const field of Object.values(CORRELATION_FIELDS))
			expect(item).toHaveProperty([field], null);
	});
});

describe('Pronto Trigger · webhook lifecycle over local state', () => {
	function hookContext(staticData: IDataObject, url: () => string) {
		return {
			getWorkflowStaticData: () => staticData,
			getNodeWebhookUrl: url,
		} as unknown as IHookFunctions;
	}

	it('create remembers the URL, checkExists compares it, delete forgets it', async () => {
		const staticData: IDataObject = {};
		let url = 'https://n8n.example.com/webhook/abc/callback';
		const context = hookContext(staticData, () => url);
		const methods = new ProntoTrigger().webhookMethods.default;
		expect(await methods.checkExists.call(context)).toBe(false);
		expect(await methods.create.call(context)).toBe(true);
		expect(staticData).toEqual({ webhookUrl: url });
		expect(await methods.checkExists.call(context)).toBe(true);
		url = 'https://n8n.example.com/webhook/other/callback';
		expect(await methods.checkExists.call(context)).toBe(false);
		expect(await methods.delete.call(context)).toBe(true);
		expect(staticData).toEqual({});
		expect(await methods.delete.call(context)).toBe(true);
	});

	it('errors are not swallowed', async () => {
		const failing = {
			getWorkflowStaticData: () => {
				throw new Error('static data unavailable');
			},
			getNodeWebhookUrl: () => 'https://n8n.example.com/webhook/abc/callback',
		} as unknown as IHookFunctions;
		const methods = new ProntoTrigger().webhookMethods.default;
		await expect(methods.checkExists.call(failing)).rejects.toThrow('static data unavailable');
		await expect(methods.create.call(failing)).rejects.toThrow('static data unavailable');
		await expect(methods.delete.call(failing)).rejects.toThrow('static data unavailable');
	});
});

describe('Pronto Trigger · description', () => {
	const { description } = new ProntoTrigger();

	it('a POST webhook trigger answered on receipt, not a tool', () => {
		expect(description.name).toBe('prontoTrigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.inputs).toEqual([]);
		expect(description.outputs).toEqual(['main']);
		expect(description.credentials).toEqual([{ name: 'bulkEnrichmentProntoApi', required: true }]);
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'callback' },
			{
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: 'callback',
				ndvHideUrl: true,
			},
		]);
	});

	it('n8n\'s nodes panel lists the trigger by what it is, not as "On new Pronto event" (issue 27)', () => {
		// n8n 2.40.7's node creator: a trigger's actions come from a property named Event, Events or
		// Trigger On (its options' action); without one it is "On new <name> event".
		const event = description.properties.find((p) =>
			['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()),
		);
		const actions = (
			(event?.options ?? []) as Array<{ action?: string; description?: string }>
		).map((option) => option.action);
		expect(actions).toEqual(['On a Bulk Enrich result']);
		expect(description.subtitle).toBe('On Bulk Enrich result');
	});

	it('the panel entry it shares with the Pronto node says what the app does, not "this trigger"', () => {
		// The nodes panel merges prontoTrigger into pronto's entry and shows this description for it.
		expect(description.description).toMatch(/^Find work emails and phones of people with Pronto/);
		expect(description.description).not.toMatch(/this trigger/);
		expect(description.description).toMatch(/Pronto Trigger/);
	});

	it('the notice says what a result carries to join it to the CRM, from Custom', () => {
		const notice = description.properties.find((p) => p.type === 'notice');
		expect(notice?.displayName).toMatch(
			/only the execution and input item that sent it \(the n8n_bulk_\* fields\)/,
		);
		expect(notice?.displayName).toMatch(/Custom/);
		expect(notice?.displayName).toMatch(/CRM record ID/);
	});

	it('the notice names the production URL, the one-call test URL and the risk without a secret', () => {
		const notice = description.properties.find((p) => p.type === 'notice');
		expect(notice?.displayName).toMatch(/Production URL/);
		expect(notice?.displayName).toMatch(/test URL takes only one call/);
		expect(notice?.displayName).toMatch(/without one, anyone who knows the URL can post to it/);
	});
});
