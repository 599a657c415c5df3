import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import {
	bulkOptionsCollection,
	OptionValues,
	readSimplify,
	simplifyProperty,
} from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { businessesBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { EXPLORIUM, exploriumApiOf } from '../../adapter/provider';
import { businessIdLabels, businessIdSchema } from '../../adapter/schemas';
import { simplifyFirmographics } from '../../adapter/simplify';
import {
	contactOptionsCollection,
	skipItemsAlreadyHoldingPart,
} from '../../../contact/contact-part';
import { beforeVersion, fromVersion } from '../common.descriptions';

/**
 * From this node version on, Only Enrich Items Missing (a list of contact fields) is not offered for
 * companies. Workflows saved with an older version keep it, and keep skipping what it skipped:
 * dropping it there would make them buy again what they already hold.
 */
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
		{
			...contactOptionsCollection(EXPLORIUM.limits),
			displayOptions: beforeVersion(BUSINESS_OPTIONS_VERSION),
		},
		{
			...bulkOptionsCollection(EXPLORIUM.limits),
			displayOptions: fromVersion(BUSINESS_OPTIONS_VERSION),
		},
	],
);

/** Firmographics of each business (v1 `firmographics/bulk_enrich` or v2 `firmographics/enrich`, by node version). */
export const execute: OperationExecute = async function (items) {
	const simplify = readSimplify(this);
	const options = OptionValues.read(this);
	const keepsOnlyEnrichMissing = this.getNode().typeVersion < BUSINESS_OPTIONS_VERSION;
	const session = await BulkSession.open(
		this,
		items,
		EXPLORIUM,
		keepsOnlyEnrichMissing ? skipItemsAlreadyHoldingPart(options) : undefined,
		options,
	);
	const slots = session.readSlots(
		{ business_id: 'businessId' },
		businessIdSchema,
		businessIdLabels,
		'business_id',
	);
	const outcomes = await session.run(
		businessesBulkEnrichEndpoint('firmographics', exploriumApiOf(this)),
		slots,
	);
	return session.toOutputItems(outcomes, {
		shapeData: simplify ? simplifyFirmographics : undefined,
	});
};
