import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { bulkOptionsCollection } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { EXPLORIUM, exploriumApiOf } from '../../adapter/provider';
import { matchProspectsEndpoint } from '../../adapter/endpoints';
import { personDetailsFields, readPersonDetails } from './person-details';

export const description = updateDisplayOptions(
	{ show: { resource: ['prospect'], operation: ['match'] } },
	[
		...personDetailsFields,
		// A match spends credits (Explorium lists it among its credit-consuming endpoints).
		bulkOptionsCollection(EXPLORIUM.limits),
	],
);

/** Finds the Explorium prospect_id of each person, 50 people per request (POST /v1 or /v2/prospects/match by node version). */
export const execute: OperationExecute = async function (items) {
	const session = await BulkSession.open(this, items, EXPLORIUM);
	const slots = readPersonDetails(this, session);
	const outcomes = await session.run(matchProspectsEndpoint(exploriumApiOf(this)), slots);
	return session.toOutputItems(outcomes);
};
