import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection, openContactSession } from '../../../contact/contact-part';
import { numberProperty, numberRange, type NumberOption } from '../../../bulk/bulk-options';
import { contactResultPoll, singleEnrichEndpoint } from '../../adapter/endpoints';
import { PRONTO } from '../../adapter/provider';
import { prontoStandardFields } from '../../adapter/pronto-result';
import {
	contactFields,
	phoneCountryCodesOption,
	readContacts,
	readSubmission,
} from './contact-fields';

/** Pauses between polls grow from the interval up to this (also the longest Poll Interval). */
const MAX_POLL_PAUSE_MS = 30_000;

/** The longest Max Wait: an execution waiting longer should use Bulk Enrich and a Pronto Trigger. */
export const maxWaitOption: NumberOption = {
	displayName: 'Max Wait (Seconds)',
	name: 'maxWaitSeconds',
	default: 300,
	...numberRange(1, 3600, false),
	description:
		'How long to wait for results. Contacts still being enriched then are output as "pending" with their enrichment_id, to read later with Get.',
};
export const pollIntervalOption: NumberOption = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollIntervalSeconds',
	default: 5,
	...numberRange(1, MAX_POLL_PAUSE_MS / 1000, false),
	description:
		'The first pause before asking Pronto for results; later pauses double, up to 30 seconds',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['enrich'] } },
	[
		...contactFields,
		contactOptionsCollection({ ...PRONTO.limits, maxBatchSize: 1, minBatchSize: 1 }, [
			phoneCountryCodesOption,
			numberProperty(maxWaitOption),
			numberProperty(pollIntervalOption),
		]),
	],
);

/** For small volumes, without a Pronto Trigger: each contact on its own, polled in this execution. */
export const execute: OperationExecute = async function (items) {
	const { options, submission } = readSubmission(this);
	const timeoutMs = options.number(maxWaitOption) * 1000;
	const firstDelayMs = options.number(pollIntervalOption) * 1000;
	const maxDelayMs = Math.max(firstDelayMs, MAX_POLL_PAUSE_MS);
	const session = await openContactSession(this, items, PRONTO, prontoStandardFields, options);
	const slots = readContacts(session, submission);
	const submitted = await session.run(singleEnrichEndpoint(submission), slots);
	const schedule = { timeoutMs, firstDelayMs, maxDelayMs };
	const outcomes = await session.poll(contactResultPoll, submitted, schedule);
	return session.toOutputItems(outcomes);
};
