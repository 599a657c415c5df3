import type { IDataObject } from 'n8n-workflow';

import { isBlank, record, SOURCE_FIELD, STANDARD_CONTACT_FIELDS, type StandardContact } from './standard-contact';

/**
 * Writes a provider's standard contact fields into an output item, never over a value the input
 * item already holds (the provider's own value stays in its own fields), and records in
 * `enrichment_source` which provider filled each field, beside what earlier nodes recorded.
 */
export function fillStandardFields(output: IDataObject, input: IDataObject, standard: StandardContact, providerName: string): IDataObject {
	let filled: IDataObject | undefined;
	for (const field of STANDARD_CONTACT_FIELDS) {
		const value = standard[field];
		if (value === undefined || value === null || !isBlank(input[field])) continue;
		output[field] = value;
		filled ??= {};
		filled[field] = providerName;
	}
	if (filled) output[SOURCE_FIELD] = { ...record(output[SOURCE_FIELD]), ...filled };
	return output;
}
