import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { buildOutputItems, type OutputSettings } from '../../../nodes/bulk/operation';
import type { ItemOutcome } from '../../../nodes/bulk/types';
import { contactPart } from '../../../nodes/contact/contact-part';
import { exploriumContactsStandardFields } from '../../../nodes/Explorium/adapter/standard-fields';
import {
	emailText,
	phoneText,
	text,
	type StandardFieldsReader,
} from '../../../nodes/contact/standard-contact';
import { NODE, contactsDataFor, prospectId } from './helpers';

const plain: OutputSettings = { includeInputFields: true, secrets: [], useErrorOutput: false };
const runSummary: IDataObject = {
	provider: 'TestProvider',
	records_sent: 2,
	requests: 1,
	credits_used: null,
	items_skipped: 1,
	items_not_sent: 1,
};

/** A provider whose data has `work_email`, `tel` and `name`. */
const reader: StandardFieldsReader = {
	providerName: 'TestProvider',
	read: (data) => ({
		email: emailText(data.work_email),
		phone: phoneText(data.tel),
		full_name: text(data.name),
	}),
};

const SKIP_REASON = 'already has email (Options › Only Enrich Items Missing): not sent';
const OVER_LIMIT_REASON =
	'Not sent: this run would send 3 distinct records to TestProvider, more than Options › Max Records per Run (2); the first 2 were sent';
const skipped: ItemOutcome = { kind: 'skipped', reason: SKIP_REASON };
const overLimit: ItemOutcome = { kind: 'overLimit', reason: OVER_LIMIT_REASON };

describe('buildOutputItems: skipped and over-limit items', () => {
	const items: INodeExecutionData[] = [
		{
			json: { row: 0, email: 'ada@example.com' },
			binary: { file: { data: 'aGVsbG8=', mimeType: 'text/plain' } },
		},
		{ json: { row: 1, id: 'c' } },
	];

	it('a skipped item is the input item unchanged plus enrichment_status "skipped" and the note', () => {
		const output = buildOutputItems(NODE, items, [skipped, overLimit], plain);
		expect(output[0]).toEqual({
			json: {
				row: 0,
				email: 'ada@example.com',
				enrichment_status: 'skipped',
				enrichment_note: SKIP_REASON,
			},
			binary: items[0].binary,
			pairedItem: { item: 0 },
		});
	});

	it('an over-limit item is the input item plus enrichment_status "not_sent" and why', () => {
		const output = buildOutputItems(NODE, items, [skipped, overLimit], plain);
		expect(output[1]).toEqual({
			json: { row: 1, id: 'c', enrichment_status: 'not_sent', enrichment_note: OVER_LIMIT_REASON },
			pairedItem: { item: 1 },
		});
	});

	it('both keep the input fields even when the Output option leaves them out', () => {
		const output = buildOutputItems(NODE, items, [skipped, overLimit], {
			...plain,
			includeInputFields: false,
		});
		expect(output.map((item) => item.json)).toEqual([
			{
				row: 0,
				email: 'ada@example.com',
				enrichment_status: 'skipped',
				enrichment_note: SKIP_REASON,
			},
			{ row: 1, id: 'c', enrichment_status: 'not_sent', enrichment_note: OVER_LIMIT_REASON },
		]);
	});

	it('a skipped item for a missing identifier says so', () => {
		const missing: ItemOutcome = {
			kind: 'skipped',
			reason: 'Prospect ID is empty, so there is nothing to look up: not sent',
			missingIdentifier: 'Prospect ID',
		};
		const [item] = buildOutputItems(NODE, [{ json: { prospect_id: null } }], [missing], plain);
		expect(item.json).toEqual({
			prospect_id: null,
			enrichment_status: 'skipped',
			enrichment_note: 'Prospect ID is empty, so there is nothing to look up: not sent',
		});
	});

	it('the input item itself is not changed', () => {
		const input: INodeExecutionData[] = [{ json: { row: 0 } }];
		buildOutputItems(NODE, input, [skipped], { ...plain, runSummary });
		expect(input[0].json).toEqual({ row: 0 });
	});
});

describe('buildOutputItems: the run summary (enrichment_run)', () => {
	const items: INodeExecutionData[] = [0, 1, 2, 3, 4].map((row) => ({ json: { row } }));
	const outcomes: ItemOutcome[] = [
		{ kind: 'found', data: { name: 'Ada' } },
		{ kind: 'notFound', reason: 'no such thing' },
		skipped,
		overLimit,
		{
			kind: 'error',
			cause: 'request',
			message: 'TestProvider request failed (HTTP 400): bad request',
			httpCode: '400',
		},
	];

	it('is written once, on the first item of the main output, not copied onto every item', () => {
		const output = buildOutputItems(NODE, items, outcomes, { ...plain, runSummary });
		expect(output.map((item) => item.json.enrichment_status)).toEqual([
			'found',
			'not_found',
			'skipped',
			'not_sent',
			'error',
		]);
		expect(output[0].json.enrichment_run).toEqual(runSummary);
		for (const item of output.slice(1)) expect(item.json).not.toHaveProperty('enrichment_run');
	});

	it('goes on the first item whatever its status (a skipped one here)', () => {
		const output = buildOutputItems(NODE, items.slice(2), outcomes.slice(2), {
			...plain,
			runSummary,
		});
		expect(output[0].json).toMatchObject({
			enrichment_status: 'skipped',
			enrichment_run: runSummary,
		});
		for (const item of output.slice(1)) expect(item.json).not.toHaveProperty('enrichment_run');
	});

	it('is on the main output only: an error-output item is only error (and details), so the first main item carries it', () => {
		const errorFirst = [outcomes[4], ...outcomes.slice(0, 4)];
		const output = buildOutputItems(NODE, items, errorFirst, {
			...plain,
			runSummary,
			useErrorOutput: true,
		});
		expect(output[0].json).toEqual({
			error: 'TestProvider request failed (HTTP 400): bad request [item 0]',
		});
		expect(output[1].json.enrichment_run).toEqual(runSummary);
		for (const item of output.slice(2)) expect(item.json).not.toHaveProperty('enrichment_run');
	});

	it('is absent without a summary', () => {
		const output = buildOutputItems(NODE, items, outcomes, plain);
		for (const item of output) expect(item.json).not.toHaveProperty('enrichment_run');
	});

	it("replaces an earlier node's summary on the input (each node reports its own run), wherever the earlier one was", () => {
		const earlier = {
			provider: 'Explorium',
			records_sent: 9,
			requests: 1,
			credits_used: null,
			items_skipped: 0,
			items_not_sent: 0,
		};
		const [found, skippedItem] = buildOutputItems(
			NODE,
			[{ json: { enrichment_run: earlier } }, { json: { enrichment_run: earlier } }],
			[{ kind: 'found', data: { name: 'Ada' } }, skipped],
			{ ...plain, runSummary },
		);
		expect(found.json.enrichment_run).toEqual(runSummary);
		expect(skippedItem.json).not.toHaveProperty('enrichment_run');
	});
});

describe('buildOutputItems: standard contact fields', () => {
	it('fill a found item from the provider data and record the provider in enrichment_source', () => {
		const [item] = buildOutputItems(
			NODE,
			[{ json: { row: 0 } }],
			[
				{
					kind: 'found',
					data: { work_email: 'Ada@Acme.com', tel: '+1 415 555 0100', name: 'Ada' },
				},
			],
			{ ...plain, part: contactPart(reader) },
		);
		expect(item.json).toEqual({
			row: 0,
			work_email: 'Ada@Acme.com',
			tel: '+1 415 555 0100',
			name: 'Ada',
			email: 'ada@acme.com',
			phone: '+14155550100',
			full_name: 'Ada',
			enrichment_source: {
				email: 'TestProvider',
				phone: 'TestProvider',
				full_name: 'TestProvider',
			},
			enrichment_status: 'found',
		});
	});

	it("never replace the input's non-empty values; blank ones are filled", () => {
		const [item] = buildOutputItems(
			NODE,
			[{ json: { email: 'own@example.com', phone: '  ', full_name: 'Ada Lovelace' } }],
			[{ kind: 'found', data: { work_email: 'other@acme.com', tel: '+14155550100', name: 'Ada' } }],
			{ ...plain, part: contactPart(reader) },
		);
		expect(item.json).toMatchObject({
			email: 'own@example.com',
			phone: '+14155550100',
			full_name: 'Ada Lovelace',
		});
		expect(item.json.enrichment_source).toEqual({ phone: 'TestProvider' });
	});

	it('are merged with the enrichment_source an earlier provider left on the input', () => {
		const [item] = buildOutputItems(
			NODE,
			[{ json: { email: 'own@example.com', enrichment_source: { email: 'Explorium' } } }],
			[{ kind: 'found', data: { work_email: 'x@acme.com', tel: '+14155550100' } }],
			{ ...plain, part: contactPart(reader) },
		);
		expect(item.json.enrichment_source).toEqual({ email: 'Explorium', phone: 'TestProvider' });
	});

	it('are read from the provider data before Simplify shapes it', () => {
		const [item] = buildOutputItems(
			NODE,
			[{ json: {} }],
			[{ kind: 'found', data: { work_email: 'ada@acme.com', tel: '+14155550100' } }],
			{ ...plain, part: contactPart(reader), shapeData: () => ({ simplified: true }) },
		);
		expect(item.json).toEqual({
			simplified: true,
			email: 'ada@acme.com',
			phone: '+14155550100',
			enrichment_source: { email: 'TestProvider', phone: 'TestProvider' },
			enrichment_status: 'found',
		});
	});

	it('are filled with the Output option set to the enrichment only', () => {
		const [item] = buildOutputItems(
			NODE,
			[{ json: { row: 0 } }],
			[{ kind: 'found', data: { work_email: 'ada@acme.com' } }],
			{ ...plain, includeInputFields: false, part: contactPart(reader) },
		);
		expect(item.json).toEqual({
			work_email: 'ada@acme.com',
			email: 'ada@acme.com',
			enrichment_source: { email: 'TestProvider' },
			enrichment_status: 'found',
		});
	});

	it('are written on found items only', () => {
		const read = jest.fn(reader.read);
		const data = { work_email: 'ada@acme.com' };
		const outcomes: ItemOutcome[] = [
			{ kind: 'notFound', reason: 'no such thing', data },
			{ kind: 'submitted', data },
			{ kind: 'pending', reason: 'still working', data },
			skipped,
			overLimit,
			{ kind: 'error', cause: 'rejectedInput', message: 'TestProvider rejected this input: bad' },
		];
		const items: INodeExecutionData[] = outcomes.map((_, row) => ({ json: { row } }));
		const output = buildOutputItems(NODE, items, outcomes, {
			...plain,
			part: contactPart({ ...reader, read }),
		});
		expect(read).not.toHaveBeenCalled();
		for (const item of output) {
			expect(item.json).not.toHaveProperty('email');
			expect(item.json).not.toHaveProperty('enrichment_source');
		}
	});

	it('provider fields named enrichment_run or enrichment_source go to enrichment_conflicts', () => {
		const [item] = buildOutputItems(
			NODE,
			[{ json: { row: 0 } }],
			[
				{
					kind: 'found',
					data: {
						tel: '+14155550100',
						enrichment_run: 'provider run 7',
						enrichment_source: 'crm import',
					},
				},
			],
			{ ...plain, part: contactPart(reader), runSummary },
		);
		expect(item.json).toEqual({
			row: 0,
			tel: '+14155550100',
			phone: '+14155550100',
			enrichment_source: { phone: 'TestProvider' },
			enrichment_conflicts: { enrichment_run: 'provider run 7', enrichment_source: 'crm import' },
			enrichment_status: 'found',
			enrichment_run: runSummary,
		});
	});

	it('with the Explorium contacts reader, on what the bulk engine answers', () => {
		const id = prospectId(3);
		const [item] = buildOutputItems(
			NODE,
			[{ json: { prospect_id: id, mobile_phone: '+14155550199' } }],
			[{ kind: 'found', data: { prospect_id: id, ...contactsDataFor(id) } }],
			{ ...plain, part: contactPart(exploriumContactsStandardFields) },
		);
		expect(item.json).toEqual({
			prospect_id: id,
			...contactsDataFor(id),
			// The input's own mobile stays; the provider's goes to conflicts (it differs).
			mobile_phone: '+14155550199',
			enrichment_conflicts: { mobile_phone: contactsDataFor(id).mobile_phone },
			email: `${id.slice(0, 8)}@example.com`,
			enrichment_source: { email: 'Explorium' },
			enrichment_status: 'found',
		});
	});
});

describe("buildOutputItems: in a chain, an earlier node's verdict does not linger", () => {
	const earlierMiss: IDataObject = {
		crm_id: 'c1',
		enrichment_status: 'not_found',
		enrichment_note: 'Explorium returned no data for this prospect',
	};
	const earlierError: IDataObject = {
		crm_id: 'c2',
		enrichment_status: 'error',
		error: 'Value: must be an email address [item 0]',
	};

	it('found replaces the earlier note and the error the earlier node wrote', () => {
		const [afterMiss, afterError] = buildOutputItems(
			NODE,
			[{ json: earlierMiss }, { json: earlierError }],
			[
				{ kind: 'found', data: { work_email: 'a@example.com' } },
				{ kind: 'found', data: { work_email: 'b@example.com' } },
			],
			plain,
		);
		expect(afterMiss.json).toEqual({
			crm_id: 'c1',
			work_email: 'a@example.com',
			enrichment_status: 'found',
		});
		expect(afterError.json).toEqual({
			crm_id: 'c2',
			work_email: 'b@example.com',
			enrichment_status: 'found',
		});
	});

	it("skipped gives its own reason, and an `error` field that is the input's own data stays", () => {
		const own: IDataObject = { crm_id: 'c3', error: 'a CRM column', enrichment_status: 'found' };
		const [item] = buildOutputItems(NODE, [{ json: own }], [skipped], plain);
		expect(item.json).toEqual({
			crm_id: 'c3',
			error: 'a CRM column',
			enrichment_status: 'skipped',
			enrichment_note: SKIP_REASON,
		});
	});
});

describe('buildOutputItems: Enrichment Only', () => {
	const enrichmentOnly: OutputSettings = { ...plain, includeInputFields: false };

	it('shows every standard field the provider gave, even one the input held (the input is not in the output)', () => {
		const id = prospectId(4);
		const [item] = buildOutputItems(
			NODE,
			[{ json: { email: 'crm@example.com' } }],
			[{ kind: 'found', data: contactsDataFor(id) }],
			{
				...enrichmentOnly,
				part: contactPart(exploriumContactsStandardFields),
			},
		);
		expect(item.json.email).toBe(`${id.slice(0, 8)}@example.com`);
		expect(item.json.enrichment_source).toEqual({ email: 'Explorium', mobile_phone: 'Explorium' });
	});

	it('a skipped item passes through whole, binary data included', () => {
		const binary = { file: { data: 'aGVsbG8=', mimeType: 'text/plain' } };
		const [item] = buildOutputItems(
			NODE,
			[{ json: { email: 'crm@example.com' }, binary }],
			[skipped],
			enrichmentOnly,
		);
		expect(item.binary).toBe(binary);
		expect(item.json.email).toBe('crm@example.com');
	});
});

describe('buildOutputItems: only fields the package writes itself may update an input value', () => {
	const earlierProntoStep: IDataObject = {
		crm_id: 7,
		enrichment_id: 'pronto-enrichment-1',
		pronto_status: 'pending',
		enrichment_conflicts: { name: 'Ada L. (kept aside by an earlier node)' },
	};

	it("an ExactBuyer record holding enrichment_id never replaces the user's Pronto id: it goes to enrichment_conflicts", () => {
		const found: ItemOutcome = {
			kind: 'found',
			data: {
				enrichment_id: 'exactbuyer-record-9',
				pronto_status: 'theirs',
				n8n_bulk_run_id: 'x',
				full_name: 'Ada',
			},
		};
		const [item] = buildOutputItems(NODE, [{ json: earlierProntoStep }], [found], plain);
		expect(item.json).toMatchObject({
			enrichment_id: 'pronto-enrichment-1',
			pronto_status: 'pending',
			n8n_bulk_run_id: 'x',
			full_name: 'Ada',
		});
		expect(item.json.enrichment_conflicts).toEqual({
			name: 'Ada L. (kept aside by an earlier node)',
			enrichment_id: 'exactbuyer-record-9',
			pronto_status: 'theirs',
		});
	});

	it("the provider's own fields (Pronto Get after Enrich and Wait) update the earlier values", () => {
		const found: ItemOutcome = {
			kind: 'found',
			data: {
				enrichment_id: 'pronto-enrichment-1',
				pronto_status: 'finished',
				email: 'ada@example.com',
			},
		};
		const [item] = buildOutputItems(NODE, [{ json: earlierProntoStep }], [found], {
			...plain,
			ownFields: ['enrichment_id', 'pronto_status'],
		});
		expect(item.json).toMatchObject({
			enrichment_id: 'pronto-enrichment-1',
			pronto_status: 'finished',
			email: 'ada@example.com',
		});
		expect(item.json.enrichment_conflicts).toEqual(earlierProntoStep.enrichment_conflicts);
	});

	it("a later node's conflicts are merged into the earlier node's enrichment_conflicts, never replacing them", () => {
		const found: ItemOutcome = { kind: 'found', data: { crm_id: 99 } };
		const [item] = buildOutputItems(NODE, [{ json: earlierProntoStep }], [found], plain);
		expect(item.json.crm_id).toBe(7);
		expect(item.json.enrichment_conflicts).toEqual({
			name: 'Ada L. (kept aside by an earlier node)',
			crm_id: 99,
		});
	});
});
