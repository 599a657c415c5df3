import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import {
	BUSINESS_ENRICHMENT,
	bulkOptionsCollection,
	FREE_LOOKUP,
	readBulkSettings,
	OptionValues,
} from '../../../nodes/bulk/bulk-options';
import { description as enrichFirmographicsDescription } from '../../../nodes/Explorium/actions/business/enrichFirmographics.operation';
import { description as businessMatchDescription } from '../../../nodes/Explorium/actions/business/match.operation';
import { description as prospectMatchDescription } from '../../../nodes/Explorium/actions/prospect/match.operation';
import { description as enrichContactsDescription } from '../../../nodes/Explorium/actions/prospect/enrichContacts.operation';
import { EXPLORIUM } from '../../../nodes/Explorium/adapter/provider';
import { description as prontoGetDescription } from '../../../nodes/Pronto/actions/contact/get.operation';
import {
	contactOptionsCollection,
	readOnlyEnrichMissing,
} from '../../../nodes/contact/contact-part';
import { STANDARD_CONTACT_FIELDS } from '../../../nodes/contact/standard-contact';
import { NODE } from './helpers';

function contextWith(options: Record<string, unknown>): IExecuteFunctions {
	return {
		getNode: () => NODE,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name === 'options' ? options : fallback,
		continueOnFail: () => false,
	} as unknown as IExecuteFunctions;
}

/** The shared settings and, read by the contact part, Only Enrich Items Missing. */
function read(options: Record<string, unknown>) {
	const context = contextWith(options);
	const settings = readBulkSettings(context, EXPLORIUM.limits);
	return { ...settings, onlyEnrichMissing: readOnlyEnrichMissing(OptionValues.read(context)) };
}

function errorOf(options: Record<string, unknown>): NodeOperationError {
	try {
		read(options);
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error(`no error for ${JSON.stringify(options)}`);
}

describe('readBulkSettings: Only Enrich Items Missing', () => {
	it('is empty when not set', () => {
		expect(read({}).onlyEnrichMissing).toEqual([]);
		expect(read({ onlyEnrichMissing: [] }).onlyEnrichMissing).toEqual([]);
		expect(read({ onlyEnrichMissing: null }).onlyEnrichMissing).toEqual([]);
		expect(read({ onlyEnrichMissing: '' }).onlyEnrichMissing).toEqual([]);
	});

	it('reads the list the UI gives, once per field', () => {
		expect(read({ onlyEnrichMissing: ['email', 'phone', 'email'] }).onlyEnrichMissing).toEqual([
			'email',
			'phone',
		]);
		expect(read({ onlyEnrichMissing: [...STANDARD_CONTACT_FIELDS] }).onlyEnrichMissing).toEqual([
			...STANDARD_CONTACT_FIELDS,
		]);
	});

	it('reads one field or several separated by commas from an expression', () => {
		expect(read({ onlyEnrichMissing: 'email' }).onlyEnrichMissing).toEqual(['email']);
		expect(
			read({ onlyEnrichMissing: ' email , linkedin_url,,job_title ' }).onlyEnrichMissing,
		).toEqual(['email', 'linkedin_url', 'job_title']);
	});

	it.each<[string, unknown]>([
		['an unknown field in a list', ['email', 'fax']],
		['an unknown field in text', 'email, fax'],
		['a display name instead of the field', ['Email']],
		['a number', 5],
		['an object', { email: true }],
		['a list holding a non-text', ['email', 3]],
	])('%s is an error naming the option, before anything is sent', (_, value) => {
		const error = errorOf({ onlyEnrichMissing: value });
		expect(error.message.startsWith('Options › Only Enrich Items Missing:')).toBe(true);
		expect(error.message).toContain(`(got ${JSON.stringify(value)})`);
		expect(error.message).toContain(STANDARD_CONTACT_FIELDS.join(', '));
		expect(error.description).toBe('Nothing was sent. Fix the option and run again.');
	});
});

describe('readBulkSettings: Max Records per Run', () => {
	it('defaults to 0 (no limit)', () => {
		expect(read({}).run.maxRecordsPerRun).toBe(0);
		expect(read({ maxRecordsPerRun: '' }).run.maxRecordsPerRun).toBe(0);
	});

	it('reads a whole number, also as text from an expression', () => {
		expect(read({ maxRecordsPerRun: 250 }).run.maxRecordsPerRun).toBe(250);
		expect(read({ maxRecordsPerRun: '1000' }).run.maxRecordsPerRun).toBe(1000);
		expect(read({ maxRecordsPerRun: 0 }).run.maxRecordsPerRun).toBe(0);
	});

	it.each<[string, unknown]>([
		['negative', -1],
		['fractional', 2.5],
		['not a number', 'lots'],
		['infinite', Number.POSITIVE_INFINITY],
	])('%s is an error naming Max Records per Run', (_, value) => {
		const error = errorOf({ maxRecordsPerRun: value });
		expect(error.message).toMatch(
			/^Options › Max Records per Run: must be a whole number from 0 to \d+ \(got .*\)$/,
		);
		expect(error.description).toBe('Nothing was sent. Fix the option and run again.');
	});
});

describe('bulkOptionsCollection: the credit options', () => {
	const namesOf = (collection: INodeProperties) =>
		(collection.options as INodeProperties[]).map((option) => option.name);

	it('an operation that spends credits offers both, Only Enrich Items Missing listing every standard field', () => {
		const options = contactOptionsCollection(EXPLORIUM.limits).options as INodeProperties[];
		const onlyEnrichMissing = options.find((option) => option.name === 'onlyEnrichMissing');
		expect(onlyEnrichMissing?.type).toBe('multiOptions');
		const choices = (onlyEnrichMissing?.options ?? []) as Array<{ name: string; value: string }>;
		expect(choices.map((choice) => choice.value)).toEqual([...STANDARD_CONTACT_FIELDS]);
		expect(choices.find((choice) => choice.value === 'linkedin_url')?.name).toBe('LinkedIn URL');
		expect(options.find((option) => option.name === 'maxRecordsPerRun')).toMatchObject({
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
		});
	});

	it('one that spends none has neither', () => {
		const names = namesOf(bulkOptionsCollection(EXPLORIUM.limits, [], FREE_LOOKUP));
		expect(names).not.toContain('onlyEnrichMissing');
		expect(names).not.toContain('maxRecordsPerRun');
		expect(names).toEqual([
			'batchSize',
			'concurrency',
			'deduplicate',
			'maxRateLimitWaitMinutes',
			'maxRetries',
			'maxRetryWaitSeconds',
			'output',
			'requestTimeoutSeconds',
		]);
	});

	it('extra options still come in, sorted by display name', () => {
		const extra: INodeProperties = {
			displayName: 'Aardvark',
			name: 'aardvark',
			type: 'boolean',
			default: false,
		};
		expect(namesOf(bulkOptionsCollection(EXPLORIUM.limits, [extra], FREE_LOOKUP))[0]).toBe(
			'aardvark',
		);
	});

	it('a business enrichment caps what it buys but offers no contact fields to skip on', () => {
		const names = namesOf(bulkOptionsCollection(EXPLORIUM.limits, [], BUSINESS_ENRICHMENT));
		expect(names).toContain('maxRecordsPerRun');
		expect(names).not.toContain('onlyEnrichMissing');
	});

	it.each<[string, INodeProperties[], { maxRecordsPerRun: boolean; onlyEnrichMissing: boolean }]>([
		// Explorium's Match spends credits (its credit page lists it): it is capped like an enrichment.
		[
			'Explorium business Match',
			businessMatchDescription,
			{ maxRecordsPerRun: true, onlyEnrichMissing: false },
		],
		[
			'Explorium Enrich Firmographics',
			enrichFirmographicsDescription,
			{ maxRecordsPerRun: true, onlyEnrichMissing: false },
		],
		[
			'Explorium prospect Match',
			prospectMatchDescription,
			{ maxRecordsPerRun: true, onlyEnrichMissing: false },
		],
		['Pronto Get', prontoGetDescription, { maxRecordsPerRun: false, onlyEnrichMissing: false }],
		[
			'Explorium Enrich Contacts',
			enrichContactsDescription,
			{ maxRecordsPerRun: true, onlyEnrichMissing: true },
		],
	])('%s: credit options %p', (_, description, offered) => {
		// The newest node version's Options (a changed collection is declared again, last, for it).
		const collection = description.filter((property) => property.name === 'options').pop();
		expect(collection).toBeDefined();
		const names = namesOf(collection as INodeProperties);
		expect(names.includes('maxRecordsPerRun')).toBe(offered.maxRecordsPerRun);
		expect(names.includes('onlyEnrichMissing')).toBe(offered.onlyEnrichMissing);
	});
});

describe('readBulkSettings: what a business operation reads', () => {
	it('Only Enrich Items Missing is empty for a business enrichment, even when a saved workflow still holds one', () => {
		const settings = readBulkSettings(
			contextWith({ onlyEnrichMissing: ['company_domain'], maxRecordsPerRun: 7 }),
			EXPLORIUM.limits,
		);
		// The engine reads no contact option; a business operation plugs in no part that skips.
		expect(settings).not.toHaveProperty('onlyEnrichMissing');
		expect(settings.run.maxRecordsPerRun).toBe(7);
	});

	it('Explorium Enrich Firmographics version 1 (saved workflows) still offers Only Enrich Items Missing', () => {
		const collections = enrichFirmographicsDescription.filter(
			(property) => property.name === 'options',
		);
		expect(collections).toHaveLength(2);
		expect(collections[0].displayOptions?.show?.['@version']).toEqual([{ _cnd: { lt: 2 } }]);
		const names = (collection: INodeProperties) =>
			(collection.options as INodeProperties[]).map((option) => option.name);
		expect(names(collections[0])).toContain('onlyEnrichMissing');
		expect(names(collections[1])).not.toContain('onlyEnrichMissing');
	});
});
