import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, retryOnFailNotice } from '../../../bulk/bulk-options';
import { openBulkSession } from '../../../bulk/bulk-session';
import { contactResultPoll, singleEnrichEndpoint } from '../../adapter/endpoints';
import { PRONTO } from '../../adapter/provider';
import { prontoStandardFields } from '../../adapter/standard-fields';
import { phoneCountryCodesOption, readPhoneCountryCodes } from './bulkEnrich.operation';
import { contactFields, readContacts, readEnrichmentType } from './contact-fields';
import { runIdentity } from './run-identity';

const showOnlyFor = { show: { resource: ['contact'], operation: ['enrich'] } };

const DEFAULT_MAX_WAIT_SECONDS = 300;
const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** Pauses between polls grow from the interval up to this. */
const MAX_POLL_PAUSE_MS = 30_000;

export const description: INodeProperties[] = [
	retryOnFailNotice(showOnlyFor),
	...contactFields(showOnlyFor),
	bulkOptionsCollection({ ...PRONTO.limits, maxBatchSize: 1, minBatchSize: 1 }, showOnlyFor, [
		phoneCountryCodesOption,
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_WAIT_SECONDS,
			description:
				'How long to wait for results. Contacts still being enriched then are output as "pending" with their enrichment_id, to read later with Get.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_POLL_INTERVAL_SECONDS,
			description: 'The first pause before asking Pronto for results; later pauses double, up to 30 seconds',
		},
	]),
];

/**
 * Enriches each contact on its own (POST /contacts/single_enrich) and waits for the results in this
 * execution by polling GET /contacts/{id}: for small volumes, without a Pronto Trigger.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const enrichmentType = readEnrichmentType(this);
	const phoneCountryCodes = readPhoneCountryCodes(this);
	const options = this.getNodeParameter('options', 0, {}) as { maxWaitSeconds?: number; pollIntervalSeconds?: number };
	const slots = readContacts(this, items, enrichmentType);
	const session = await openBulkSession(this, items, PRONTO);
	const submitted = await session.run(
		singleEnrichEndpoint({ enrichmentType, phoneCountryCodes, ...runIdentity(this) }),
		slots,
	);
	const pollIntervalMs = (options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
	const outcomes = await session.poll(contactResultPoll, submitted, {
		timeoutMs: (options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS) * 1000,
		firstDelayMs: pollIntervalMs,
		maxDelayMs: Math.max(pollIntervalMs, MAX_POLL_PAUSE_MS),
	});
	return session.toOutputItems(outcomes, { standardFields: prontoStandardFields });
}
