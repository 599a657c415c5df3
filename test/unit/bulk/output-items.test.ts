import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import { buildOutputItems, errorForOutcome, firstItemError } from '../../../nodes/bulk/operation';
import { runBulk } from '../../../nodes/bulk/run-bulk';
import { redactBody, redactSecrets } from '../../../nodes/bulk/transport';
import type { ItemOutcome } from '../../../nodes/bulk/types';
import { prospectsBulkEnrichEndpoint } from '../../../nodes/Explorium/adapter/endpoints';
import { EXPLORIUM } from '../../../nodes/Explorium/adapter/provider';
import {
	FakeApi,
	FakeClock,
	NODE,
	contactsDataFor,
	fakeApiKey,
	idsOf,
	prospectId,
	prospectSlots,
	response,
	settings,
	paced,
} from './helpers';

const id = (n: number) => prospectId(n);
const items: INodeExecutionData[] = [0, 1, 2, 3, 4, 5].map((n) => ({
	json: { row: n, prospect_id: id(n) },
}));

const outcomes: ItemOutcome[] = [
	{ kind: 'found', data: { prospect_id: id(0), ...contactsDataFor(id(0)) } },
	{
		kind: 'notFound',
		reason: 'Explorium returned no data for this prospect',
		data: { prospect_id: id(1) },
	},
	{
		kind: 'error',
		cause: 'request',
		message: 'Explorium request failed (HTTP 401): Not authenticated',
		description: 'The API key was refused. Attempts: 1.',
		httpCode: '401',
	},
	{
		kind: 'error',
		cause: 'invalidInput',
		field: 'prospect_id',
		message: 'Prospect ID: must be a text prospect id (got null)',
	},
	{
		kind: 'error',
		cause: 'rejectedInput',
		message: 'Explorium rejected this input: none is not an allowed value',
		httpCode: '422',
	},
	{ kind: 'error', cause: 'notSent', message: 'Not sent: an earlier request to Explorium failed' },
];

const plain = { includeInputFields: true, secrets: [], useErrorOutput: false };

/** What a 401 says under any On Error setting: which credential to open, and to save it (n8n then tests it). */
const AUTH_ADVICE =
	"The API key was refused. Attempts: 1. Open this node's credential, check its API Key and save it: n8n then tests the connection.";

describe('buildOutputItems', () => {
	const output = buildOutputItems(NODE, items, outcomes, plain);

	it('gives exactly one item per input, paired to it, in order', () => {
		expect(output).toHaveLength(6);
		expect(output.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4, 5].map((item) => ({ item })),
		);
		expect(output.map((item) => item.json.row)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(output.map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'not_found',
			'error',
			'error',
			'error',
			'error',
		]);
	});

	it('keeps the input fields and adds the enrichment beside them', () => {
		expect(output[0]).toEqual({
			json: { row: 0, prospect_id: id(0), ...contactsDataFor(id(0)), enrichment_status: 'found' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({
			json: {
				row: 1,
				prospect_id: id(1),
				enrichment_status: 'not_found',
				enrichment_note: 'Explorium returned no data for this prospect',
			},
			pairedItem: { item: 1 },
		});
	});

	it('error items keep the input fields and carry the message, and what to do about it in the note (no `error` property, which n8n would let replace the JSON)', () => {
		expect(output.slice(2)).toEqual([
			{
				json: {
					row: 2,
					prospect_id: id(2),
					enrichment_status: 'error',
					error: 'Explorium request failed (HTTP 401): Not authenticated [item 2]',
					enrichment_note: AUTH_ADVICE,
				},
				pairedItem: { item: 2 },
			},
			{
				json: {
					row: 3,
					prospect_id: id(3),
					enrichment_status: 'error',
					error: 'Prospect ID: must be a text prospect id (got null) [item 3]',
					enrichment_note: 'Fix this field in the input item.',
				},
				pairedItem: { item: 3 },
			},
			{
				json: {
					row: 4,
					prospect_id: id(4),
					enrichment_status: 'error',
					error: 'Explorium rejected this input: none is not an allowed value [item 4]',
				},
				pairedItem: { item: 4 },
			},
			{
				json: {
					row: 5,
					prospect_id: id(5),
					enrichment_status: 'error',
					error: 'Not sent: an earlier request to Explorium failed [item 5]',
				},
				pairedItem: { item: 5 },
			},
		]);
	});

	it('outputs only the enrichment when input fields are not wanted', () => {
		const only = buildOutputItems(NODE, items, outcomes, { ...plain, includeInputFields: false });
		expect(only[0].json).toEqual({
			prospect_id: id(0),
			...contactsDataFor(id(0)),
			enrichment_status: 'found',
		});
		expect(only[1].json).toEqual({
			prospect_id: id(1),
			enrichment_status: 'not_found',
			enrichment_note: 'Explorium returned no data for this prospect',
		});
		expect(only[2].json).toEqual({
			enrichment_status: 'error',
			error: 'Explorium request failed (HTTP 401): Not authenticated [item 2]',
			enrichment_note: AUTH_ADVICE,
		});
		expect(only.map((item) => item.json.row)).toEqual([
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
		]);
	});

	it('with the error output, error items are n8n error items: only error and details', () => {
		const routed = buildOutputItems(NODE, items, outcomes, { ...plain, useErrorOutput: true });
		expect(routed[0].json.enrichment_status).toBe('found');
		expect(routed[2]).toEqual({
			json: {
				error: 'Explorium request failed (HTTP 401): Not authenticated [item 2]',
				details: AUTH_ADVICE,
			},
			pairedItem: { item: 2 },
		});
		expect(routed[5]).toEqual({
			json: { error: 'Not sent: an earlier request to Explorium failed [item 5]' },
			pairedItem: { item: 5 },
		});
	});

	it('shapes only found data', () => {
		const shaped = buildOutputItems(NODE, items, outcomes, {
			...plain,
			includeInputFields: false,
			shapeData: (data: IDataObject) => ({ only: data.prospect_id }),
		});
		expect(shaped[0].json).toEqual({ only: id(0), enrichment_status: 'found' });
		expect(shaped[1].json.prospect_id).toBe(id(1));
	});

	it('refuses a count mismatch instead of misaligning items', () => {
		expect(() => buildOutputItems(NODE, items, outcomes.slice(1), plain)).toThrow(
			'Internal error: 5 results for 6 items',
		);
	});
});

describe('errorForOutcome', () => {
	const errorAt = (index: number) =>
		errorForOutcome(NODE, outcomes[index] as Extract<ItemOutcome, { kind: 'error' }>, index, []);

	it('a request failure is a NodeApiError with the status and the item index', () => {
		const error = errorAt(2);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Explorium request failed (HTTP 401): Not authenticated [item 2]');
		expect(error.description).toBe(AUTH_ADVICE);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(2);
	});

	it('an invalid input is a NodeOperationError with the item index and a hint', () => {
		const error = errorAt(3);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).not.toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Prospect ID: must be a text prospect id (got null) [item 3]');
		// Alone (under Continue), no advice about On Error: the node already continues.
		expect(error.description).toBe('Fix this field in the input item.');
		expect(error.context.itemIndex).toBe(3);
	});

	it('a rejected input is a NodeApiError with 422; a "not sent" item a NodeOperationError', () => {
		expect(errorAt(4)).toBeInstanceOf(NodeApiError);
		expect((errorAt(4) as NodeApiError).httpCode).toBe('422');
		expect(errorAt(4).message).toBe(
			'Explorium rejected this input: none is not an allowed value [item 4]',
		);
		expect(errorAt(4).context.itemIndex).toBe(4);
		expect(errorAt(5)).toBeInstanceOf(NodeOperationError);
		expect(errorAt(5).message).toBe('Not sent: an earlier request to Explorium failed [item 5]');
		expect(errorAt(5).description).toBeUndefined();
		expect(errorAt(5).context.itemIndex).toBe(5);
	});
});

describe('firstItemError: the error thrown under On Error "Stop Workflow"', () => {
	const invalid: ItemOutcome = {
		kind: 'error',
		cause: 'invalidInput',
		field: 'prospect_id',
		message: 'Prospect ID: must be a text prospect id (got null)',
	};
	const notSentBecauseInvalid: ItemOutcome = {
		kind: 'error',
		cause: 'notSent',
		message: 'Not sent: an input item is invalid, so nothing was sent',
	};
	// 150 items, two of them invalid (items 3 and 140): nothing was sent.
	const oneRun = Array.from(
		{ length: 150 },
		(_, index): ItemOutcome =>
			index === 3 || index === 140 ? { ...invalid } : notSentBecauseInvalid,
	);
	const onError = (setting: INode['onError']): INode => ({ ...NODE, onError: setting });

	it('says how many items are valid, that nothing was sent, and which setting lets the run go on', () => {
		const error = firstItemError(onError('stopWorkflow'), oneRun, []);
		expect(error?.message).toBe('Prospect ID: must be a text prospect id (got null) [item 3]');
		expect(error?.description).toBe(
			'Fix this field in the input item. 148 of 150 items are valid; nothing was sent (invalid: items 3, 140). To send the valid items and pass the invalid ones through as errors, set Settings › On Error to "Continue" or "Continue (using error output)".',
		);
	});

	it("says the same when On Error was never set (n8n's default is to stop)", () => {
		expect(firstItemError(NODE, oneRun, [])?.description).toContain(
			'set Settings › On Error to "Continue" or "Continue (using error output)"',
		);
	});

	it.each<[INode['onError']]>([['continueRegularOutput'], ['continueErrorOutput']])(
		'under %s gives no advice to change On Error',
		(setting) => {
			const error = firstItemError(onError(setting), oneRun, []);
			expect(error?.description).toBe(
				'Fix this field in the input item. 148 of 150 items are valid; nothing was sent (invalid: items 3, 140).',
			);
		},
	);

	it('an item whose field got no value points at the mapping, not at the input', () => {
		const empty: ItemOutcome = {
			...invalid,
			message: 'Email: give at least one of Email, Phone (got "")',
			description: 'Nothing reached Email for this item. (mapping)',
		};
		const error = firstItemError(NODE, [empty, notSentBecauseInvalid], []);
		expect(error?.description).toMatch(
			/^Nothing reached Email for this item\. \(mapping\) 1 of 2 items is valid; nothing was sent \(invalid: item 0\)\./,
		);
		expect(error?.description).not.toContain('Fix this field in the input item');
	});

	it('a failed request keeps its own description (no count of valid items: inputs were fine)', () => {
		const failed: ItemOutcome = {
			kind: 'error',
			cause: 'request',
			message: 'Explorium request failed (no answer): reset',
			description: 'The provider kept failing.',
		};
		expect(firstItemError(NODE, [failed, failed], [])?.description).toBe(
			'The provider kept failing.',
		);
	});
});

describe('a refused key (HTTP 401) names the credential to open and test', () => {
	const unauthorized: Extract<ItemOutcome, { kind: 'error' }> = {
		kind: 'error',
		cause: 'request',
		message: 'Explorium request failed (HTTP 401): Not authenticated',
		description: 'The API key was refused. Attempts: 1.',
		httpCode: '401',
	};

	it('by its name when the node has one credential', () => {
		const node: INode = {
			...NODE,
			credentials: { bulkEnrichmentExploriumApi: { id: 'c1', name: 'Explorium (sandbox)' } },
		};
		expect(errorForOutcome(node, unauthorized, 0, []).description).toBe(
			'The API key was refused. Attempts: 1. Open the credential "Explorium (sandbox)", check its API Key and save it: n8n then tests the connection.',
		);
	});

	it('also in the item under On Error "Continue" (its note), where no error description is shown', () => {
		const node: INode = {
			...NODE,
			onError: 'continueRegularOutput',
			credentials: { bulkEnrichmentExploriumApi: { id: 'c1', name: 'Explorium (sandbox)' } },
		};
		const [item] = buildOutputItems(node, [{ json: { row: 0 } }], [unauthorized], plain);
		expect(item.json.enrichment_note).toContain('Open the credential "Explorium (sandbox)"');
	});

	it('other HTTP errors do not mention the credential', () => {
		const refused = {
			...unauthorized,
			httpCode: '400',
			message: 'Explorium request failed (HTTP 400): bad',
		};
		expect(errorForOutcome(NODE, refused, 0, []).description).toBe(
			'The API key was refused. Attempts: 1.',
		);
	});
});

describe('the API key never reaches an output item or error', () => {
	const apiKey = fakeApiKey();

	/** Everything of an error a user or a log could see. */
	function visible(error: unknown): string {
		const e = error as NodeApiError;
		return JSON.stringify({
			message: e.message,
			description: e.description,
			messages: e.messages,
			stack: e.stack,
			context: e.context,
		});
	}

	it('redacts a key the provider echoed in its error body (401 and 422)', async () => {
		const ids = [id(0), id(1), id(2)];
		const clock = new FakeClock();
		const api = new FakeApi((request, index) => {
			if (index === 0) {
				return response(422, {
					detail: [{ loc: ['body', 'prospect_ids', 1], msg: `value rejected for key ${apiKey}` }],
				});
			}
			return response(401, {
				message: `Invalid API key: ${apiKey}`,
				key: apiKey,
				sent: idsOf(request),
			});
		}, clock);
		const { outcomes: result } = await runBulk(
			prospectsBulkEnrichEndpoint('contacts_information'),
			prospectSlots(ids),
			settings(),
			{
				send: api.send,
				clock,
				isCancelled: () => false,
				...paced(EXPLORIUM.limits),
			},
		);
		// The engine keeps the provider's words; output redacts them.
		expect(JSON.stringify(result)).toContain(apiKey);

		const inputs = ids.map((prospect_id) => ({ json: { prospect_id } }));
		const output = buildOutputItems(NODE, inputs, result, { ...plain, secrets: [apiKey] });
		const routed = buildOutputItems(NODE, inputs, result, {
			...plain,
			secrets: [apiKey],
			useErrorOutput: true,
		});
		expect(output.map((item) => item.json.enrichment_status)).toEqual(['error', 'error', 'error']);
		expect(output[0].json.error).toBe(
			'Explorium request failed (HTTP 401): Invalid API key: [redacted] [item 0]',
		);
		expect(output[1].json.error).toBe(
			'Explorium rejected this input: value rejected for key [redacted] [item 1]',
		);
		expect(JSON.stringify([output, routed])).not.toContain(apiKey);
		expect(JSON.stringify(routed)).toContain('[redacted]');
		result.forEach((outcome, index) => {
			if (outcome.kind === 'error')
				expect(visible(errorForOutcome(NODE, outcome, index, [apiKey]))).not.toContain(apiKey);
		});
		const thrown = firstItemError(NODE, result, [apiKey]);
		expect(thrown?.message).toBe(
			'Explorium request failed (HTTP 401): Invalid API key: [redacted] [items 0, 2]',
		);
		expect(visible(thrown)).not.toContain(apiKey);
	});

	it('redacts the description too, for every error class', () => {
		for (const cause of ['request', 'rejectedInput', 'invalidInput', 'notSent'] as const) {
			const error = errorForOutcome(
				NODE,
				{
					kind: 'error',
					cause,
					message: `bad ${apiKey}`,
					description: `hint ${apiKey} again ${apiKey}`,
					httpCode: '400',
				},
				9,
				[apiKey],
			);
			expect(error.message).toBe('bad [redacted] [item 9]');
			expect(error.description).toBe('hint [redacted] again [redacted]');
			expect(visible(error)).not.toContain(apiKey);
		}
	});

	it('redactSecrets replaces every occurrence of every secret of a usable length', () => {
		expect(redactSecrets('a KEY-ONE-1 b KEY-ONE-1 c KEY-TWO-2', ['KEY-ONE-1', 'KEY-TWO-2'])).toBe(
			'a [redacted] b [redacted] c [redacted]',
		);
		expect(redactSecrets('nothing here', [])).toBe('nothing here');
		// 1–3 characters are too short to be secret: replacing them would corrupt ordinary text.
		expect(redactSecrets('the email is null', ['e', 'nu', 'ull'])).toBe('the email is null');
	});

	it('redactBody redacts values holding a secret, and keeps everything else as it is', () => {
		const secret = 'sim-"quoted\\secret';
		const body = {
			email: 'ada@example.com',
			nested: [{ note: `echo ${secret} and ${secret}` }, null, 3, true],
			untouched: { deep: 'value' },
		};
		const redacted = redactBody(body, [secret, 'ema']) as typeof body;
		expect(Object.keys(redacted)).toEqual(Object.keys(body));
		expect(redacted.email).toBe('ada@example.com');
		expect(redacted.nested).toEqual([{ note: 'echo [redacted] and [redacted]' }, null, 3, true]);
		expect(redacted.untouched).toBe(body.untouched);
		expect(redactBody('<p>key sim-"quoted\\secret</p>', [secret])).toBe('<p>key [redacted]</p>');
		expect(redactBody(body, ['ema'])).toBe(body);
	});
});

describe('errors of requests that got no answer', () => {
	it('keep their own message: the network code goes to the description, where n8n leaves it', () => {
		const outcome: ItemOutcome = {
			kind: 'error',
			cause: 'request',
			message:
				'Explorium request failed (no answer): the connection was closed before an answer (gave up after 5 attempts)',
			description:
				'The provider or the network kept failing. Detail: ECONNRESET: socket hang up. Attempts: 5.',
		};
		const error = errorForOutcome(NODE, outcome as Extract<ItemOutcome, { kind: 'error' }>, 4, []);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`${outcome.message} [item 4]`);
		expect(error.description).toBe(outcome.description);
	});
});
