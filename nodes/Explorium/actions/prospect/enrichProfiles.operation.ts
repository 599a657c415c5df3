import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection, openContactSession } from '../../../contact/contact-part';
import { readSimplify, simplifyProperty } from '../../../bulk/bulk-options';
import { EXPLORIUM } from '../../adapter/provider';
import { simplifyProfile } from '../../adapter/endpoints';
import { exploriumProfileStandardFields } from '../../adapter/standard-fields';
import { enrichProspects, prospectIdentityFields } from './person-details';

export const description = updateDisplayOptions(
	{ show: { resource: ['prospect'], operation: ['enrichProfiles'] } },
	[...prospectIdentityFields, simplifyProperty, contactOptionsCollection(EXPLORIUM.limits)],
);

/** Professional profile of each prospect (v1 `profiles/bulk_enrich` or v2 `profiles/enrich`). */
export const execute: OperationExecute = async function (items) {
	const simplify = readSimplify(this);
	const session = await openContactSession(this, items, EXPLORIUM, exploriumProfileStandardFields);
	const outcomes = await enrichProspects(this, session, 'profiles');
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyProfile : undefined });
};
