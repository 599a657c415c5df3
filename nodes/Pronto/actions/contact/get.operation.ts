import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { bulkOptionsCollection, FREE_LOOKUP } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { contactPart } from '../../../contact/contact-part';
import { getContactEndpoint } from '../../adapter/endpoints';
import { PRONTO } from '../../adapter/provider';
import { prontoStandardFields } from '../../adapter/pronto-result';
import { enrichmentIdLabels, enrichmentIdSchema } from '../../adapter/schemas';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['get'] } },
	[
		{
			displayName: 'Enrichment ID',
			name: 'enrichmentId',
			type: 'string',
			required: true,
			default: '={{ $json.enrichment_id }}',
			description:
				'The enrichment_id of a contact, as returned by Enrich and Wait (pending items) or a Pronto Trigger callback',
		},
		bulkOptionsCollection({ ...PRONTO.limits, maxBatchSize: 1, minBatchSize: 1 }, [], FREE_LOOKUP),
	],
);

/** Reads one contact enrichment per item (GET /contacts/{id}): pending, or finished with its results. */
export const execute: OperationExecute = async function (items) {
	const session = await BulkSession.open(this, items, PRONTO, contactPart(prontoStandardFields));
	const slots = session.readSlots(
		{ enrichment_id: 'enrichmentId' },
		enrichmentIdSchema,
		enrichmentIdLabels,
		'enrichment_id',
	);
	const outcomes = await session.run(getContactEndpoint, slots);
	return session.toOutputItems(outcomes);
};
