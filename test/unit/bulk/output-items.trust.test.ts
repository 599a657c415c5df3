/**
 * Issue 16, at the output: a value's status travels with the value, a malformed held value counts
 * as missing and is replaced visibly, values left out of a request are named in enrichment_warnings.
 * Each provider's real reader is used on the data shape its adapter produces.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	buildOutputItems,
	CONFLICTS_FIELD,
	type OutputSettings,
} from '../../../nodes/bulk/operation';
import type { ItemOutcome } from '../../../nodes/bulk/types';
import { contactPart } from '../../../nodes/contact/contact-part';
import {
	exactBuyerStandardFields,
	simplifyContact,
} from '../../../nodes/ExactBuyer/adapter/standard-fields';
import { exploriumContactsStandardFields } from '../../../nodes/Explorium/adapter/standard-fields';
import {
	prontoStandardFields,
	readContactAnswer,
} from '../../../nodes/Pronto/adapter/pronto-result';
import { CONFLICTS_FIELD as FILL_CONFLICTS_FIELD } from '../../../nodes/bulk/operation';
import { NODE } from './helpers';

const plain: OutputSettings = { includeInputFields: true, secrets: [], useErrorOutput: false };
const found = (data: IDataObject, warnings?: string[]): ItemOutcome =>
	warnings ? { kind: 'found', data, warnings } : { kind: 'found', data };
const one = (input: IDataObject, outcome: ItemOutcome, settings: OutputSettings): IDataObject =>
	buildOutputItems(NODE, [{ json: input } as INodeExecutionData], [outcome], settings)[0].json;

/** Explorium contacts_information data: its own address rated invalid. */
const exploriumData = {
	emails: [{ address: 'explorium.pick@acme.com', type: 'professional' }],
	professions_email: 'explorium.pick@acme.com',
	professional_email_status: 'invalid',
};
/** What Pronto's adapter answers for a finished contact (GET /contacts/{id}). */
const prontoData = (body: IDataObject): IDataObject => {
	const answer = readContactAnswer({ enrichment_id: 'e-1', status: 'finished', ...body });
	if (answer.kind !== 'found') throw new Error('expected a found answer');
	return answer.data;
};

describe('a status travels with its value', () => {
	it('one conflicts field name for the engine and the standard fields', () => {
		expect(FILL_CONFLICTS_FIELD).toBe(CONFLICTS_FIELD);
	});

	it("Explorium on a CRM row that has an email: the CRM email stays, Explorium's status is not written beside it; both go under enrichment_conflicts", () => {
		const json = one({ email: 'crm.person@acme.com' }, found(exploriumData), {
			...plain,
			part: contactPart(exploriumContactsStandardFields),
		});
		expect(json.email).toBe('crm.person@acme.com');
		expect(json).not.toHaveProperty('email_status');
		expect(json[CONFLICTS_FIELD]).toEqual({
			email: 'explorium.pick@acme.com',
			email_status: 'invalid',
		});
		expect(json.enrichment_source).toBeUndefined();
	});

	it("the CRM's own status stays beside the CRM's email", () => {
		const json = one(
			{ email: 'crm.person@acme.com', email_status: 'valid' },
			found(exploriumData),
			{ ...plain, part: contactPart(exploriumContactsStandardFields) },
		);
		expect(json).toMatchObject({ email: 'crm.person@acme.com', email_status: 'valid' });
		expect(json[CONFLICTS_FIELD]).toEqual({
			email: 'explorium.pick@acme.com',
			email_status: 'invalid',
		});
	});

	it('the same email (case aside): the provider rates that very address, so its status is written', () => {
		const json = one({ email: 'Explorium.Pick@acme.com' }, found(exploriumData), {
			...plain,
			part: contactPart(exploriumContactsStandardFields),
		});
		expect(json).toMatchObject({
			email: 'Explorium.Pick@acme.com',
			email_status: 'invalid',
			enrichment_source: { email_status: 'Explorium' },
		});
		expect(json).not.toHaveProperty(CONFLICTS_FIELD);
	});

	it('a blank email: the value and its status are both written and credited', () => {
		const json = one({ email: '' }, found(exploriumData), {
			...plain,
			part: contactPart(exploriumContactsStandardFields),
		});
		expect(json).toMatchObject({
			email: 'explorium.pick@acme.com',
			email_status: 'invalid',
			enrichment_source: { email: 'Explorium', email_status: 'Explorium' },
		});
	});

	it("Pronto (Enrich and Wait, Get): its own email_status is Pronto data, and still never lands beside the CRM's email", () => {
		const data = prontoData({ email: 'pronto.pick@acme.com', email_status: 'deliverable' });
		const json = one({ email: 'crm.person@acme.com' }, found(data), {
			...plain,
			part: contactPart(prontoStandardFields),
		});
		expect(json.email).toBe('crm.person@acme.com');
		expect(json).not.toHaveProperty('email_status');
		expect(json[CONFLICTS_FIELD]).toEqual({
			email: 'pronto.pick@acme.com',
			email_status: 'deliverable',
		});
	});

	it("Pronto's personal email and its status travel together too", () => {
		const data = prontoData({ personal_email: 'ada@gmail.com', personal_email_status: 'valid' });
		const json = one({ personal_email: 'ada.home@yahoo.com' }, found(data), {
			...plain,
			part: contactPart(prontoStandardFields),
		});
		expect(json.personal_email).toBe('ada.home@yahoo.com');
		expect(json).not.toHaveProperty('personal_email_status');
		expect(json[CONFLICTS_FIELD]).toEqual({
			personal_email: 'ada@gmail.com',
			personal_email_status: 'valid',
		});
	});

	it('a Pronto miss on a CRM row that has an email: Pronto\'s "N/A" is not written beside the CRM\'s email', () => {
		const answer = readContactAnswer({
			enrichment_id: 'e-2',
			status: 'finished',
			email: null,
			email_status: 'N/A',
			personal_email: null,
			personal_email_status: 'N/A',
		});
		expect(answer.kind).toBe('notFound');
		const outcome: ItemOutcome = {
			kind: 'notFound',
			reason: 'none',
			data: (answer as { data: IDataObject }).data,
		};
		const json = one({ email: 'crm.person@acme.com' }, outcome, {
			...plain,
			part: contactPart(prontoStandardFields),
		});
		expect(json.email).toBe('crm.person@acme.com');
		expect(json.email_status ?? null).toBeNull();
		expect(json.personal_email_status ?? null).toBeNull();
	});

	it('a stale status beside no email: the provider email comes with its own status, the old one is kept under enrichment_replaced', () => {
		const data = prontoData({ email: 'pronto.pick@acme.com', email_status: 'deliverable' });
		const json = one({ email: '', email_status: 'bounced' }, found(data), {
			...plain,
			part: contactPart(prontoStandardFields),
		});
		expect(json).toMatchObject({
			email: 'pronto.pick@acme.com',
			email_status: 'deliverable',
			enrichment_replaced: { email_status: 'bounced' },
		});
		expect(json).not.toHaveProperty(CONFLICTS_FIELD);
	});

	it('a provider without statuses (ExactBuyer) never leaves a stale status beside its email', () => {
		const json = one(
			{ email: '', email_status: 'invalid' },
			found({ current_work_email: 'eb.pick@acme.com' }),
			{ ...plain, part: contactPart(exactBuyerStandardFields) },
		);
		expect(json).toMatchObject({
			email: 'eb.pick@acme.com',
			email_status: null,
			enrichment_replaced: { email_status: 'invalid' },
		});
	});

	it('with Output: Enrichment Only the provider values and statuses are all written', () => {
		const json = one({ email: 'crm.person@acme.com' }, found(exploriumData), {
			...plain,
			includeInputFields: false,
			part: contactPart(exploriumContactsStandardFields),
		});
		expect(json).toMatchObject({ email: 'explorium.pick@acme.com', email_status: 'invalid' });
	});

	it('a phone kept from the input does not take the mobile with it: each is decided on its own value', () => {
		const data = {
			current_work_email: 'a@acme.com',
			phone_numbers: [{ E164: '+14155550100', type: 'mobile' }],
		};
		const json = one({ phone: '+33123456789' }, found(data), {
			...plain,
			part: contactPart(exactBuyerStandardFields),
		});
		expect(json).toMatchObject({
			phone: '+33123456789',
			mobile_phone: '+14155550100',
			[CONFLICTS_FIELD]: { phone: '+14155550100' },
		});
	});
});

describe('a malformed held value counts as missing, and is replaced visibly', () => {
	it.each(['@@', 'company page@acme.com', 12345])(
		'an email %p is replaced by the provider email, the original kept under enrichment_replaced',
		(held) => {
			const json = one({ email: held }, found({ current_work_email: 'eb.pick@acme.com' }), {
				...plain,
				part: contactPart(exactBuyerStandardFields),
			});
			expect(json).toMatchObject({
				email: 'eb.pick@acme.com',
				enrichment_source: { email: 'ExactBuyer' },
				enrichment_replaced: { email: held },
			});
			expect(json).not.toHaveProperty(CONFLICTS_FIELD);
		},
	);

	it('a provider value that landed in conflicts (same-named data, Pronto) and then replaced the malformed one is no longer a conflict', () => {
		const data = prontoData({ email: 'Pronto.Pick@acme.com', email_status: 'deliverable' });
		const json = one({ email: '@@', email_status: 'unknown' }, found(data), {
			...plain,
			part: contactPart(prontoStandardFields),
		});
		expect(json).toMatchObject({
			email: 'pronto.pick@acme.com',
			email_status: 'deliverable',
			enrichment_replaced: { email: '@@', email_status: 'unknown' },
		});
		expect(json).not.toHaveProperty(CONFLICTS_FIELD);
	});

	it('a valid held value is still never replaced', () => {
		const json = one({ email: 'crm@acme.com' }, found({ current_work_email: 'eb.pick@acme.com' }), {
			...plain,
			part: contactPart(exactBuyerStandardFields),
		});
		expect(json).toMatchObject({
			email: 'crm@acme.com',
			[CONFLICTS_FIELD]: { email: 'eb.pick@acme.com' },
		});
		expect(json).not.toHaveProperty('enrichment_replaced');
	});

	it('not found: the malformed value stays as it was', () => {
		const [item] = buildOutputItems(
			NODE,
			[{ json: { email: '@@' } }],
			[{ kind: 'notFound', reason: 'no match' }],
			{ ...plain, part: contactPart(exactBuyerStandardFields) },
		);
		expect(item.json).toMatchObject({ email: '@@', enrichment_status: 'not_found' });
	});
});

describe("ExactBuyer Simplify keeps ExactBuyer's own record", () => {
	it('the record beside the simplified fields, the standard email from current_work_email', () => {
		const contact = { current_work_email: 'eb.pick@acme.com', unknown_field: { kept: true } };
		const json = one({}, found(contact), {
			...plain,
			shapeData: simplifyContact,
			part: contactPart(exactBuyerStandardFields),
		});
		expect(json).toMatchObject({
			email: 'eb.pick@acme.com',
			work_email: 'eb.pick@acme.com',
			exactbuyer_contact: contact,
		});
	});
});

describe('values left out of the request are named on the item', () => {
	const warnings = [
		'LinkedIn URL left out: must be a LinkedIn profile URL (linkedin.com/in/…) (got "not a url")',
	];

	it.each<[string, ItemOutcome]>([
		['found', found({ a: 1 }, warnings)],
		['not found', { kind: 'notFound', reason: 'none', warnings }],
		['submitted', { kind: 'submitted', data: { enrichment_id: 'x' }, warnings }],
		['pending', { kind: 'pending', reason: 'later', data: {}, warnings }],
	])('%s: enrichment_warnings', (_, outcome) => {
		expect(one({ row: 1 }, outcome, plain).enrichment_warnings).toEqual(warnings);
	});

	it('Simplify does not drop them', () => {
		expect(
			one({}, found({ a: 1 }, warnings), { ...plain, shapeData: () => ({ simplified: true }) })
				.enrichment_warnings,
		).toEqual(warnings);
	});
});
