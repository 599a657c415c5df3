import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import {
	bulkOptionsCollection,
	OptionValues,
	readSimplify,
	simplifyProperty,
} from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { businessesBulkEnrichEndpoint, simplifyFirmographics } from '../../adapter/endpoints';
import { EXPLORIUM, exploriumApiOf } from '../../adapter/provider';
import { businessIdLabels, businessIdSchema } from '../../adapter/schemas';
import {
	contactOptionsCollection,
	skipItemsAlreadyHoldingPart,
} from '../../../contact/contact-part';
import { versionTwins } from '../common.descriptions';

// From this version on, Only Enrich Items Missing (contact fields) is not offered for companies.
// Older versions keep it and keep skipping what it skipped, so they never buy again what they hold.
const BUSINESS_OPTIONS_VERSION = 2;

export const description = updateDisplayOptions(
	{ show: { resource: ['business'], operation: ['enrichFirmographics'] } },
	[
		{
			displayName: 'Business ID',
			name: 'businessId',
			type: 'string',
			required: true,
			default: '={{ $json.business_id }}',
			description:
				'The Explorium business_id (32 hexadecimal characters) of each item, e.g. from the Match operation',
		},
		simplifyProperty,
		...versionTwins(
			BUSINESS_OPTIONS_VERSION,
			contactOptionsCollection(EXPLORIUM.limits),
			bulkOptionsCollection(EXPLORIUM.limits),
		),
	],
);

/** Firmographics of each business (v1 `firmographics/bulk_enrich` or v2 `firmographics/enrich`). */
export const execute: OperationExecute = async function (items) {
	const simplify = readSimplify(this);
	const options = OptionValues.read(this);
	const keepsOnlyEnrichMissing = this.getNode().typeVersion < BUSINESS_OPTIONS_VERSION;
	const skip = keepsOnlyEnrichMissing ? skipItemsAlreadyHoldingPart(options) : undefined;
	const session = await BulkSession.open(this, items, EXPLORIUM, skip, options);
	const ids = { business_id: 'businessId' };
	const slots = session.readSlots(ids, businessIdSchema, businessIdLabels, 'business_id');
	const endpoint = businessesBulkEnrichEndpoint('firmographics', exploriumApiOf(this));
	const outcomes = await session.run(endpoint, slots);
	return session.toOutputItems(outcomes, {
		shapeData: simplify ? simplifyFirmographics : undefined,
	});
};
