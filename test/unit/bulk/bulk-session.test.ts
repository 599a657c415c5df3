import {
	NodeApiError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { readBulkSettings, OptionValues } from '../../../nodes/bulk/bulk-options';
import { BulkSession } from '../../../nodes/bulk/bulk-session';
import {
	contactOptionsCollection,
	contactPart,
	readOnlyEnrichMissing,
} from '../../../nodes/contact/contact-part';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/bulk/send-with-retry';
import type { ProviderResponse } from '../../../nodes/bulk/types';
import { prospectsBulkEnrichEndpoint } from '../../../nodes/Explorium/adapter/endpoints';
import { EXPLORIUM } from '../../../nodes/Explorium/adapter/provider';
import { exploriumContactsStandardFields } from '../../../nodes/Explorium/adapter/standard-fields';
import {
	NODE,
	contactsDataFor,
	exploriumEnrichAnswer,
	fakeApiKey,
	idsOf,
	prospectId,
	prospectSlots,
} from './helpers';

interface FakeContextOptions {
	options?: Record<string, unknown>;
	continueOnFail?: boolean;
	answer?: (request: IHttpRequestOptions) => ProviderResponse;
}

let contexts = 0;

/** The parts of IExecuteFunctions the engine uses, with the authenticated HTTP helper faked. */
function fakeContext({ options = {}, continueOnFail = false, answer }: FakeContextOptions = {}) {
	const calls: Array<{ credentialType: string; request: IHttpRequestOptions }> = [];
	// A key of its own per context: runs on one key share its window across tests (limitsForKey in in-flight-limiter.ts).
	const apiKey = fakeApiKey(String(++contexts));
	const getCredentials = jest.fn(async () => ({ apiKey, baseUrl: 'https://api.explorium.test//' }));
	const context = {
		getNode: () => NODE,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name === 'options' ? options : fallback,
		continueOnFail: () => continueOnFail,
		getCredentials,
		getExecutionCancelSignal: () => new AbortController().signal,
		helpers: {
			httpRequestWithAuthentication: async (
				credentialType: string,
				request: IHttpRequestOptions,
			) => {
				calls.push({ credentialType, request });
				const body = request.body as { prospect_ids: string[] };
				return answer ? answer(request) : exploriumEnrichAnswer(body.prospect_ids);
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, calls, getCredentials, apiKey };
}

const ids = Array.from({ length: 120 }, (_, n) => prospectId(n));
const items: INodeExecutionData[] = ids.map((prospect_id, row) => ({ json: { row, prospect_id } }));
/** An operation as the nodes write it: open a session, run an endpoint, turn outcomes into items. */
async function enrichContacts(context: IExecuteFunctions, inputItems: INodeExecutionData[]) {
	const session = await BulkSession.open(
		context,
		inputItems,
		EXPLORIUM,
		contactPart(exploriumContactsStandardFields),
	);
	const outcomes = await session.run(
		prospectsBulkEnrichEndpoint('contacts_information'),
		prospectSlots(ids.slice(0, inputItems.length)),
	);
	return session.toOutputItems(outcomes);
}

/** The shared settings and, read by the contact part, Only Enrich Items Missing. */
const readSettings = (context: IExecuteFunctions) => ({
	...readBulkSettings(context, EXPLORIUM.limits),
	onlyEnrichMissing: readOnlyEnrichMissing(OptionValues.read(context)),
});

describe('readBulkSettings', () => {
	it.each([0, 1441, 'soon', -5])(
		'a Max Rate-Limit Wait of %p is an error naming the option, before anything is sent',
		(value) => {
			const { context, calls } = fakeContext({ options: { maxRateLimitWaitMinutes: value } });
			expect(() => readBulkSettings(context, EXPLORIUM.limits)).toThrow(
				/^Options › Max Rate-Limit Wait \(Minutes\): must be a number from 1 to 1440 \(got .*\)$/,
			);
			expect(calls).toHaveLength(0);
		},
	);

	it('defaults to the provider limits and stops on the first failure without continue on fail', () => {
		expect(readSettings(fakeContext().context)).toEqual({
			run: {
				batchSize: 50,
				concurrency: 4,
				deduplicate: true,
				retry: DEFAULT_RETRY_POLICY,
				stopOnFirstFailure: true,
				maxRecordsPerRun: 0,
			},
			onlyEnrichMissing: [],
			includeInputFields: true,
			requestTimeoutMs: 60_000,
		});
	});

	it('reads every option', () => {
		const options = {
			batchSize: 20,
			concurrency: 2,
			deduplicate: false,
			maxRetries: 1,
			maxRetryWaitSeconds: 10,
			maxRateLimitWaitMinutes: 5,
			output: 'enrichmentOnly',
			requestTimeoutSeconds: 5,
			onlyEnrichMissing: ['email', 'phone'],
			maxRecordsPerRun: 500,
		};
		expect(readSettings(fakeContext({ options, continueOnFail: true }).context)).toEqual({
			run: {
				batchSize: 20,
				concurrency: 2,
				deduplicate: false,
				retry: {
					...DEFAULT_RETRY_POLICY,
					maxRetries: 1,
					maxTotalWaitMs: 10_000,
					maxRateLimitWaitMs: 300_000,
				},
				stopOnFirstFailure: false,
				maxRecordsPerRun: 500,
			},
			onlyEnrichMissing: ['email', 'phone'],
			includeInputFields: false,
			requestTimeoutMs: 5000,
		});
	});
});

describe('bulkOptionsCollection', () => {
	it('bounds the options by the provider limits and sorts them by name', () => {
		const collection = contactOptionsCollection(EXPLORIUM.limits);
		const options = collection.options as Array<{
			displayName: string;
			name: string;
			default: unknown;
			typeOptions?: unknown;
		}>;
		expect(options.map((option) => option.displayName)).toEqual([
			'Batch Size',
			'Concurrent Requests',
			'Deduplicate Inputs',
			'Max Rate-Limit Wait (Minutes)',
			'Max Records per Run',
			'Max Retries per Request',
			'Max Retry Wait (Seconds)',
			'Only Enrich Items Missing',
			'Output',
			'Request Timeout (Seconds)',
		]);
		const byName = Object.fromEntries(options.map((option) => [option.name, option]));
		expect(byName.batchSize).toMatchObject({
			default: 50,
			typeOptions: { minValue: 1, maxValue: 50 },
		});
		expect(byName.concurrency).toMatchObject({
			default: 4,
			typeOptions: { minValue: 1, maxValue: 20 },
		});
		expect(byName.maxRetries.default).toBe(4);
		expect(byName.maxRetryWaitSeconds.default).toBe(120);
		expect(byName.maxRateLimitWaitMinutes).toMatchObject({
			default: 60,
			typeOptions: { minValue: 1, maxValue: 1440 },
		});
		expect(byName.maxRecordsPerRun).toMatchObject({ default: 0, typeOptions: { minValue: 0 } });
		expect(byName.onlyEnrichMissing.default).toEqual([]);
		// Shown per operation by the operation's updateDisplayOptions, not by the factory.
		expect(collection.displayOptions).toBeUndefined();
	});
});

describe('BulkSession', () => {
	it('sends each chunk through the credential helper and returns one item per input', async () => {
		const { context, calls } = fakeContext({ options: { concurrency: 1 } });
		const output = await enrichContacts(context, items);

		expect(calls).toHaveLength(3);
		expect(calls.map(({ credentialType }) => credentialType)).toEqual([
			'bulkEnrichmentExploriumApi',
			'bulkEnrichmentExploriumApi',
			'bulkEnrichmentExploriumApi',
		]);
		expect(calls[0].request).toEqual({
			json: true,
			method: 'POST',
			url: 'https://api.explorium.test/v1/prospects/contacts_information/bulk_enrich',
			headers: { 'credit-usage': 'true' },
			body: { prospect_ids: ids.slice(0, 40) },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			encoding: 'stream',
			timeout: 60_000,
			abortSignal: expect.any(AbortSignal),
		});
		expect(calls.map(({ request }) => idsOf(request)).flat()).toEqual(ids);
		expect(output).toHaveLength(120);
		const run = {
			provider: 'Explorium',
			items_found: 120,
			items_not_found: 0,
			items_submitted: 0,
			items_pending: 0,
			items_error: 0,
			items_skipped: 0,
			items_not_sent: 0,
			records_sent: 120,
			records_sent_free: 0,
			duplicates_sent_once: 0,
			requests: 3,
			credits_used: null,
		};
		output.forEach((item, row) => {
			expect(item).toEqual({
				json: {
					row,
					prospect_id: ids[row],
					...contactsDataFor(ids[row]),
					// The standard fields, read from the provider's data; the input had none of them.
					email: `${ids[row].slice(0, 8)}@example.com`,
					mobile_phone: `+1415${ids[row].slice(0, 7)}`,
					enrichment_source: { email: 'Explorium', mobile_phone: 'Explorium' },
					enrichment_status: 'found',
					// The run's summary once, on the first item.
					...(row === 0 ? { enrichment_run: run } : {}),
				},
				pairedItem: { item: row },
			});
		});
	});

	it('without continue on fail, a 401 throws the first item error, redacted, and starts no other chunk', async () => {
		let apiKey = '';
		const {
			context,
			calls,
			apiKey: contextKey,
		} = fakeContext({
			options: { concurrency: 1 },
			answer: () => ({
				statusCode: 401,
				headers: {},
				body: { message: `Invalid API key ${apiKey}` },
			}),
		});
		apiKey = contextKey;
		const failure = enrichContacts(context, items);
		await expect(failure).rejects.toBeInstanceOf(NodeApiError);
		await expect(failure).rejects.toMatchObject({
			message: 'Explorium request failed (HTTP 401): Invalid API key [redacted] [items 0-39]',
			httpCode: '401',
		});
		expect(calls).toHaveLength(1);
	});

	it('with continue on fail, failed chunks become error items and the rest is enriched', async () => {
		const { context, calls } = fakeContext({
			options: { concurrency: 1 },
			continueOnFail: true,
			answer: (request) =>
				idsOf(request)[0] === ids[40]
					? { statusCode: 400, headers: {}, body: { detail: 'Bad request' } }
					: exploriumEnrichAnswer(idsOf(request)),
		});
		const output = await enrichContacts(context, items);
		expect(calls).toHaveLength(3);
		expect(output.map((item) => item.json.enrichment_status)).toEqual([
			...Array.from({ length: 40 }, () => 'found'),
			...Array.from({ length: 40 }, () => 'error'),
			...Array.from({ length: 40 }, () => 'found'),
		]);
		expect(output[41].json.error).toBe(
			'Explorium request failed (HTTP 400): Bad request [item 41]',
		);
	});

	it('no items: no request, no output', async () => {
		const { context, calls } = fakeContext();
		expect(await enrichContacts(context, [])).toEqual([]);
		expect(calls).toHaveLength(0);
	});
});
