import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { bulkOptionsCollection, readOperationNumberOption } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import type { PollSchedule } from '../../../bulk/poll-until-settled';
import { contactPart } from '../../../contact/contact-part';
import { contactResultPoll, singleEnrichEndpoint } from '../../adapter/endpoints';
import { PRONTO } from '../../adapter/provider';
import { prontoStandardFields } from '../../adapter/pronto-result';
import {
	contactFields,
	phoneCountryCodesOption,
	readContacts,
	readEnrichmentType,
	readPhoneCountryCodes,
} from './contact-fields';
import { runIdentity } from './run-identity';

const DEFAULT_MAX_WAIT_SECONDS = 300;
const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** Pauses between polls grow from the interval up to this (also the longest Poll Interval). */
const MAX_POLL_PAUSE_MS = 30_000;
/** The longest Max Wait: an execution waiting longer should use Bulk Enrich and a Pronto Trigger. */
const MAX_WAIT_SECONDS = 3600;

const properties: INodeProperties[] = [
	...contactFields,
	bulkOptionsCollection({ ...PRONTO.limits, maxBatchSize: 1, minBatchSize: 1 }, [
		phoneCountryCodesOption,
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_WAIT_SECONDS },
			default: DEFAULT_MAX_WAIT_SECONDS,
			description:
				'How long to wait for results. Contacts still being enriched then are output as "pending" with their enrichment_id, to read later with Get.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_POLL_PAUSE_MS / 1000 },
			default: DEFAULT_POLL_INTERVAL_SECONDS,
			description:
				'The first pause before asking Pronto for results; later pauses double, up to 30 seconds',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['enrich'] } },
	properties,
);

/**
 * Enriches each contact on its own (POST /contacts/single_enrich) and waits for the results in this
 * execution by polling GET /contacts/{id}: for small volumes, without a Pronto Trigger.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const enrichmentType = readEnrichmentType(this);
	const phoneCountryCodes = readPhoneCountryCodes(this);
	const schedule = readPollSchedule(this);
	const session = await BulkSession.open(this, items, PRONTO, contactPart(prontoStandardFields));
	const slots = readContacts(session, enrichmentType);
	const submitted = await session.run(
		singleEnrichEndpoint({ enrichmentType, phoneCountryCodes, ...runIdentity(this) }),
		slots,
	);
	const outcomes = await session.poll(contactResultPoll, submitted, schedule);
	return session.toOutputItems(outcomes);
}

/** Options › Max Wait and Poll Interval as the poll's schedule. */
function readPollSchedule(context: IExecuteFunctions): PollSchedule {
	const maxWaitSeconds = readOperationNumberOption(
		context,
		'maxWaitSeconds',
		'Max Wait (Seconds)',
		DEFAULT_MAX_WAIT_SECONDS,
		{
			min: 1,
			max: MAX_WAIT_SECONDS,
			whole: false,
		},
	);
	const pollIntervalSeconds = readOperationNumberOption(
		context,
		'pollIntervalSeconds',
		'Poll Interval (Seconds)',
		DEFAULT_POLL_INTERVAL_SECONDS,
		{
			min: 1,
			max: MAX_POLL_PAUSE_MS / 1000,
			whole: false,
		},
	);
	const pollIntervalMs = pollIntervalSeconds * 1000;
	return {
		timeoutMs: maxWaitSeconds * 1000,
		firstDelayMs: pollIntervalMs,
		maxDelayMs: Math.max(pollIntervalMs, MAX_POLL_PAUSE_MS),
	};
}
