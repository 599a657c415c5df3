import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { normalizeProntoResult } from '../../../nodes/Pronto/adapter/normalize-result';
import { addWebhookToken, isAuthenticToken, webhookTokenFor, WEBHOOK_TOKEN_PARAMETER } from '../../../nodes/Pronto/adapter/webhook-token';
import { ProntoTrigger } from '../../../nodes/Pronto/ProntoTrigger.node';

const SECRET = 'test-webhook-secret-value';
const TOKEN = webhookTokenFor(SECRET);

/** A callback as the Pronto node's contacts come back: the documented result, custom with correlation. */
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
	custom: { hubspot_id: '4447901', n8n_bulk_item_index: 3, n8n_bulk_item_indexes: [3], n8n_bulk_execution_id: '42', n8n_bulk_run_id: 'run-1' },
};

interface Answered {
	status?: number;
	body?: unknown;
}

function callWebhook(body: unknown, query: IDataObject, secret = SECRET) {
	const answered: Answered = {};
	const response = {
		status(code: number) {
			answered.status = code;
			return response;
		},
		json(payload: unknown) {
			answered.body = payload;
			return response;
		},
	};
	const context = {
		getCredentials: async () => ({ apiKey: 'unused', baseUrl: 'https://example.com', webhookSecret: secret }),
		getQueryData: () => query,
		getBodyData: () => body,
		getResponseObject: () => response,
	} as unknown as IWebhookFunctions;
	return { answered, result: new ProntoTrigger().webhook.call(context) };
}

describe('Pronto Trigger · authenticity', () => {
	it('the right token: one item, answered by n8n (no manual response)', async () => {
		const { answered, result } = callWebhook(documented, { [WEBHOOK_TOKEN_PARAMETER]: TOKEN });
		const data = await result;
		expect(answered.status).toBeUndefined();
		expect(data.noWebhookResponse).toBeUndefined();
		expect(data.workflowData).toHaveLength(1);
		expect(data.workflowData![0]).toHaveLength(1);
	});

	it.each([
		['no token', {}],
		['a wrong token', { [WEBHOOK_TOKEN_PARAMETER]: webhookTokenFor('another-secret') }],
		['an empty token', { [WEBHOOK_TOKEN_PARAMETER]: '' }],
		['the secret itself instead of the token', { [WEBHOOK_TOKEN_PARAMETER]: SECRET }],
	])('%s: 401 and no execution', async (_, query) => {
		const { answered, result } = callWebhook(documented, query);
		const data = await result;
		expect(answered.status).toBe(401);
		expect(data).toEqual({ noWebhookResponse: true });
	});

	it('without a Webhook Secret every well-formed callback is taken (the notice says so)', async () => {
		const { result } = callWebhook(documented, {}, '');
		expect((await result).workflowData).toHaveLength(1);
	});

	it('the token is an HMAC of the secret, appended to any URL, compared in constant time', () => {
		expect(TOKEN).toMatch(/^[0-9a-f]{64}$/);
		expect(TOKEN).not.toContain(SECRET);
		const url = new URL(addWebhookToken('https://n8n.example.com/webhook/abc/callback?keep=1', SECRET));
		expect(url.searchParams.get('keep')).toBe('1');
		expect(url.searchParams.get(WEBHOOK_TOKEN_PARAMETER)).toBe(TOKEN);
		expect(isAuthenticToken(TOKEN, SECRET)).toBe(true);
		expect(isAuthenticToken(TOKEN.slice(1), SECRET)).toBe(false);
		expect(isAuthenticToken(undefined, SECRET)).toBe(false);
		expect(isAuthenticToken(['x'], SECRET)).toBe(false);
	});
});

describe('Pronto Trigger · malformed bodies', () => {
	it.each([
		['an array', [documented]],
		['a string', 'hello'],
		['nothing', undefined],
		['an empty object', {}],
		['an object without an enrichment id', { status: 'finished', email: 'a@example.com' }],
	])('%s: 400 and no execution', async (_, body) => {
		const { answered, result } = callWebhook(body, { [WEBHOOK_TOKEN_PARAMETER]: TOKEN });
		expect(await result).toEqual({ noWebhookResponse: true });
		expect(answered.status).toBe(400);
	});
});

describe('Pronto Trigger · the item', () => {
	async function itemFor(body: unknown): Promise<IDataObject> {
		const data = await callWebhook(body, { [WEBHOOK_TOKEN_PARAMETER]: TOKEN }).result;
		const item = data.workflowData![0][0];
		expect(item.pairedItem).toEqual({ item: 0 });
		return item.json;
	}

	it('normalized fields, correlation lifted out of custom, the user\'s custom, and the raw body', async () => {
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
			raw: documented,
		});
	});

	it.each<[string, IDataObject, Partial<IDataObject>]>([
		['`id` instead of `enrichment_id`', { id: 'abc-1', status: 'finished', email: 'a@example.com' }, { enrichment_id: 'abc-1', enrichment_status: 'found' }],
		['`phones` as {number, type}', { id: 'abc-2', status: 'finished', phones: [{ number: '+33 6 12 34 56 78', type: 'mobile' }] }, { phones: ['+33612345678'] }],
		['`phone` as one string', { id: 'abc-3', status: 'finished', phone: '+1 (415) 555-0100' }, { phones: ['+14155550100'] }],
		['a number without country code is kept as its digits', { id: 'abc-4', status: 'finished', phone: ['415 555 0100'] }, { phones: ['4155550100'] }],
		['a finished miss', { enrichment_id: 'abc-5', status: 'finished', email: null, email_status: 'N/A', phone: [] }, { enrichment_status: 'not_found', email: null, email_status: 'N/A', phones: [] }],
		['a pending result', { enrichment_id: 'abc-6', status: 'pending' }, { enrichment_status: 'pending', pronto_status: 'pending' }],
		['no custom at all', { enrichment_id: 'abc-7', status: 'finished', email: 'a@example.com' }, { custom: {} }],
		['custom without correlation (a contact sent by another tool)', { enrichment_id: 'abc-8', status: 'finished', custom: { crm: 1 } }, { custom: { crm: 1 }, n8n_bulk_item_index: null, n8n_bulk_run_id: null }],
	])('%s', async (_, body, expected) => {
		expect(await itemFor(body)).toMatchObject(expected);
	});

	it('normalizeProntoResult reads first/last name in both spellings', () => {
		expect(normalizeProntoResult({ id: 'x', firstname: 'Ada', lastname: 'L', status: 'finished' })).toMatchObject({ first_name: 'Ada', last_name: 'L' });
	});
});

describe('Pronto Trigger · webhook lifecycle over local state', () => {
	it('create remembers the URL, checkExists compares it, delete forgets it', async () => {
		const staticData: IDataObject = {};
		let url = 'https://n8n.example.com/webhook/abc/callback';
		const context = {
			getWorkflowStaticData: () => staticData,
			getNodeWebhookUrl: () => url,
		} as unknown as IHookFunctions;
		const methods = new ProntoTrigger().webhookMethods.default;
		expect(await methods.checkExists.call(context)).toBe(false);
		expect(await methods.create.call(context)).toBe(true);
		expect(await methods.checkExists.call(context)).toBe(true);
		url = 'https://n8n.example.com/webhook/other/callback';
		expect(await methods.checkExists.call(context)).toBe(false);
		expect(await methods.delete.call(context)).toBe(true);
		expect(staticData).toEqual({});
	});

	it('is a trigger, not a tool', () => {
		const { description } = new ProntoTrigger();
		expect(description.usableAsTool).toBeUndefined();
		expect(description.inputs).toEqual([]);
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'callback' }]);
	});
});
