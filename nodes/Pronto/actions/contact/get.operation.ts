import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import type { OperationExecute } from '../../../bulk/operation';
import { bulkOptionsCollection, FREE_LOOKUP } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { contactPart } from '../../../contact/contact-part';
import { getContactEndpoint } from '../../adapter/endpoints';
import { PRONTO } from '../../adapter/provider';
import { prontoStandardFields } from '../../adapter/pronto-result';
import { blankToUndefined } from '../../../shared/field-schemas';

/** An enrichment id as Pronto returns it (a UUID); ids are used in URL paths, so nothing else passes. */
const enrichmentIdSchema = z.object({
	enrichment_id: z.preprocess(
		blankToUndefined,
		z
			.string({
				required_error: 'is required (the enrichment_id Pronto returned)',
				invalid_type_error: 'must be text',
			})
			.trim()
			.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a Pronto enrichment id (letters, digits and dashes)'),
	),
});

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
		{ enrichment_id: 'Enrichment ID' },
		'enrichment_id',
	);
	const outcomes = await session.run(getContactEndpoint, slots);
	return session.toOutputItems(outcomes);
};
