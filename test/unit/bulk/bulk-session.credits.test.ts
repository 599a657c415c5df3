import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { BulkSession } from '../../../nodes/bulk/bulk-session';
import { contactPart } from '../../../nodes/contact/contact-part';
import { OptionValues } from '../../../nodes/bulk/bulk-options';
import type { InputSlot } from '../../../nodes/bulk/types';
import { prospectsBulkEnrichEndpoint } from '../../../nodes/Explorium/adapter/endpoints';
import { EXPLORIUM } from '../../../nodes/Explorium/adapter/provider';
import type { ProspectIdInput } from '../../../nodes/Explorium/adapter/schemas';
import { exploriumContactsStandardFields } from '../../../nodes/Explorium/adapter/standard-fields';
import {
	NODE,
	exploriumEnrichAnswer,
	fakeApiKey,
	idsOf,
	prospectId,
	prospectSlots,
} from './helpers';

/** The parts of IExecuteFunctions a session uses, with the authenticated HTTP helper faked. */
function fakeContext(options: Record<string, unknown>, continueOnFail = false) {
	const requests: IHttpRequestOptions[] = [];
	const addExecutionHints = jest.fn();
	const context = {
		getNode: () => NODE,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name === 'options' ? options : fallback,
		continueOnFail: () => continueOnFail,
		getCredentials: async () => ({ apiKey: fakeApiKey(), baseUrl: 'https://api.explorium.test' }),
		getExecutionCancelSignal: () => new AbortController().signal,
		addExecutionHints,
		helpers: {
			httpRequestWithAuthentication: async (
				_credentialType: string,
				request: IHttpRequestOptions,
			) => {
				requests.push(request);
				return exploriumEnrichAnswer(idsOf(request));
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, requests, addExecutionHints };
}

const endpoint = prospectsBulkEnrichEndpoint('contacts_information');
const ids = [0, 1, 2, 3, 4].map(prospectId);
const missingId: InputSlot<ProspectIdInput> = {
	kind: 'skipped',
	outcome: {
		kind: 'skipped',
		reason: 'Prospect ID is empty, so there is nothing to look up: not sent',
		missingIdentifier: 'Prospect ID',
	},
};

async function enrich(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	slots: Array<InputSlot<ProspectIdInput>>,
) {
	const options = OptionValues.read(context);
	const part = contactPart(exploriumContactsStandardFields, options);
	const session = await BulkSession.open(context, items, EXPLORIUM, part, options);
	const outcomes = await session.run(endpoint, slots);
	return session.toOutputItems(outcomes);
}

async function rejectionOf(promise: Promise<unknown>): Promise<NodeOperationError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected the run to fail');
}

describe('a session with Only Enrich Items Missing', () => {
	it('does not send items that already hold the fields; they pass through as skipped and are counted', async () => {
		const items: INodeExecutionData[] = ids.map((prospect_id, row) => ({
			json:
				row % 2 === 1
					? { row, prospect_id, email: `known${row}@example.com` }
					: { row, prospect_id },
		}));
		const { context, requests, addExecutionHints } = fakeContext({ onlyEnrichMissing: ['email'] });
		const output = await enrich(context, items, prospectSlots(ids));

		expect(requests.map(idsOf)).toEqual([[ids[0], ids[2], ids[4]]]);
		expect(output.map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'skipped',
			'found',
			'skipped',
			'found',
		]);
		const run = {
			provider: 'Explorium',
			items_found: 3,
			records_sent: 3,
			requests: 1,
			credits_used: null,
			items_skipped: 2,
			items_not_sent: 0,
		};
		expect(output[1].json).toEqual({
			row: 1,
			prospect_id: ids[1],
			email: 'known1@example.com',
			enrichment_status: 'skipped',
			enrichment_note: 'already has email (Options › Only Enrich Items Missing): not sent',
		});
		expect(output[0].json).toMatchObject({
			email: `${ids[0].slice(0, 8)}@example.com`,
			enrichment_source: { email: 'Explorium' },
			enrichment_run: run,
		});
		expect(addExecutionHints).toHaveBeenCalledWith({
			message: 'Explorium: 3 found, 2 skipped; 3 records sent in 1 request.',
			type: 'info',
			location: 'outputPane',
		});
	});

	it('items without an identifier that are already complete need none: no error, nothing sent', async () => {
		const items: INodeExecutionData[] = [
			{ json: { email: 'a@example.com' } },
			{ json: { email: 'b@example.com' } },
		];
		const { context, requests } = fakeContext({ onlyEnrichMissing: 'email' });
		const output = await enrich(context, items, [missingId, missingId]);
		expect(requests).toHaveLength(0);
		expect(output.map((item) => item.json.enrichment_status)).toEqual(['skipped', 'skipped']);
	});
});

describe('a session where no item has an identifier', () => {
	it('fails before sending, naming the field and the count', async () => {
		const items: INodeExecutionData[] = [{ json: {} }, { json: {} }, { json: {} }];
		const { context, requests } = fakeContext({}, true);
		const error = await rejectionOf(enrich(context, items, [missingId, missingId, missingId]));
		expect(error.message).toBe(
			'No item has a Prospect ID: all 3 were empty, so nothing was sent. The Prospect ID parameter is probably mapped to the wrong field.',
		);
		expect(requests).toHaveLength(0);
	});

	it('one item with an identifier is enough: the others pass through as skipped', async () => {
		const items: INodeExecutionData[] = [
			{ json: { row: 0 } },
			{ json: { row: 1, prospect_id: ids[1] } },
		];
		const { context, requests } = fakeContext({});
		const output = await enrich(context, items, [missingId, ...prospectSlots([ids[1]])]);
		expect(requests.map(idsOf)).toEqual([[ids[1]]]);
		expect(output.map((item) => item.json.enrichment_status)).toEqual(['skipped', 'found']);
		expect(output[0].json.enrichment_note).toBe(
			'Prospect ID is empty, so there is nothing to look up: not sent',
		);
		expect((output[0].json.enrichment_run as IDataObject).items_skipped).toBe(1);
	});
});

describe('a session with Max Records per Run', () => {
	const items: INodeExecutionData[] = ids.map((prospect_id, row) => ({
		json: { row, prospect_id },
	}));

	it('without continue on fail: throws before sending, naming every item, the count and the limit', async () => {
		const { context, requests } = fakeContext({ maxRecordsPerRun: 2 });
		const error = await rejectionOf(enrich(context, items, prospectSlots(ids)));
		expect(error.message).toBe(
			'Not sent: this run would send 5 distinct records to Explorium, more than Options › Max Records per Run (2) [items 0-4]',
		);
		expect(error.description).toMatch(/^Nothing was sent\./);
		expect(requests).toHaveLength(0);
	});

	it('with continue on fail: the first ones are sent, the rest pass through as not_sent', async () => {
		const { context, requests, addExecutionHints } = fakeContext({ maxRecordsPerRun: 2 }, true);
		const output = await enrich(context, items, prospectSlots(ids));
		expect(requests.map(idsOf)).toEqual([[ids[0], ids[1]]]);
		expect(output.map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'found',
			'not_sent',
			'not_sent',
			'not_sent',
		]);
		expect(output[4].json).toEqual({
			row: 4,
			prospect_id: ids[4],
			enrichment_status: 'not_sent',
			enrichment_note:
				'Not sent: this run would send 5 distinct records to Explorium, more than Options › Max Records per Run (2); the first 2 were sent',
		});
		expect(output[0].json.enrichment_run).toMatchObject({
			provider: 'Explorium',
			records_sent: 2,
			requests: 1,
			credits_used: null,
			items_skipped: 0,
			items_not_sent: 3,
		});
		expect(addExecutionHints.mock.calls[0][0].message).toBe(
			'Explorium: 2 found, 3 not sent (Max Records per Run); 2 records sent in 1 request.',
		);
	});

	it('runs of one session add up in the summary', async () => {
		const { context, requests } = fakeContext({ batchSize: 2 });
		const session = await BulkSession.open(context, items, EXPLORIUM);
		await session.run(endpoint, prospectSlots(ids));
		const outcomes = await session.run(endpoint, prospectSlots(ids.slice(0, 3)));
		expect(requests).toHaveLength(5);
		const output = session.toOutputItems([...outcomes, ...outcomes.slice(0, 2)]);
		expect(output[0].json.enrichment_run).toMatchObject({
			provider: 'Explorium',
			items_found: 5,
			records_sent: 8,
			requests: 5,
			credits_used: null,
			items_skipped: 0,
			items_not_sent: 0,
		});
	});
});
