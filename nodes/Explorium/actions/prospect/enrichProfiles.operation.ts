import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { bulkOptionsCollection, onErrorNotice, retryOnFailNotice } from '../../../bulk/bulk-options';
import { BulkSession } from '../../../bulk/bulk-session';
import { contactPart } from '../../../contact/contact-part';
import { readBooleanParameter } from '../../../shared/option-reader';
import { prospectsBulkEnrichEndpoint } from '../../adapter/enrich-endpoints';
import { EXPLORIUM } from '../../adapter/provider';
import { simplifyProfile } from '../../adapter/simplify';
import { exploriumProfileStandardFields } from '../../adapter/standard-fields';
import { simplifyToggle } from '../common.descriptions';
import { enrichProspects, prospectIdentityFields } from './enrich-prospects';

const properties: INodeProperties[] = [
	retryOnFailNotice(),
	onErrorNotice(),
	...prospectIdentityFields,
	simplifyToggle,
	bulkOptionsCollection(EXPLORIUM.limits),
];

export const description = updateDisplayOptions({ show: { resource: ['prospect'], operation: ['enrichProfiles'] } }, properties);

/** Professional profile of each prospect (POST /v1/prospects/profiles/bulk_enrich). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const simplify = readBooleanParameter(this, 'simplify', 'Simplify', true);
	const endpoint = prospectsBulkEnrichEndpoint('profiles');
	const session = await BulkSession.open(this, items, EXPLORIUM, contactPart(exploriumProfileStandardFields));
	const outcomes = await enrichProspects(this, items, session, endpoint);
	return session.toOutputItems(outcomes, { shapeData: simplify ? simplifyProfile : undefined });
}
