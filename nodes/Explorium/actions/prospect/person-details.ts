import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';
import { z } from 'zod';

import type { BulkSession } from '../../../bulk/bulk-session';
import type { InputSlot, ItemOutcome } from '../../../bulk/types';
import { readChoiceOption } from '../../../bulk/bulk-options';
import { matchProspectsEndpoint, prospectsBulkEnrichEndpoint } from '../../adapter/endpoints';
import { exploriumApiOf } from '../../adapter/provider';
import {
	prospectIdLabels,
	prospectIdSchema,
	prospectMatchSchema,
	type ProspectIdInput,
	type ProspectMatchInput,
} from '../../adapter/schemas';
import { fromVersion, mappedTextField, versionTwins } from '../common.descriptions';

/** The node version whose person details are pre-mapped to common CRM field names. */
const MAPPED_PERSON_DETAILS_VERSION = 2;

/**
 * The person fields, by the input field each fills (its display name names it in errors). Version 2
 * pre-maps the fields nearly every CRM record has, like Pronto's and ExactBuyer's (the standard field
 * our nodes write first, then the name CRMs commonly use). The others stay empty: a pre-mapped field
 * the input lacks previews as a red "undefined" on a fresh node.
 */
const mappedFields: Record<string, INodeProperties> = {
	email: mappedTextField(
		'Email',
		'email',
		'Email address of the person, e.g. mapped from your CRM record',
		'name@email.com',
		'={{ $json.email || $json.Email }}',
	),
	phone_number: mappedTextField('Phone', 'phone', 'Phone number of the person', '+14155550100'),
	linkedin: mappedTextField(
		'LinkedIn URL',
		'linkedinUrl',
		'LinkedIn profile URL of the person',
		'https://www.linkedin.com/in/jane-doe',
	),
	full_name: mappedTextField(
		'Full Name',
		'fullName',
		'Full name of the person; sent only with Company Name (Explorium needs both). When empty, First Name and Last Name are joined into it.',
		'Jane Doe',
	),
	first_name: mappedTextField(
		'First Name',
		'firstName',
		'First name of the person; joined with Last Name when Full Name is empty',
		'Jane',
		'={{ $json.first_name || $json.firstname }}',
	),
	last_name: mappedTextField(
		'Last Name',
		'lastName',
		'Last name of the person; joined with First Name when Full Name is empty',
		'Doe',
		'={{ $json.last_name || $json.lastname }}',
	),
	company_name: mappedTextField(
		'Company Name',
		'companyName',
		'Company the person works for',
		'Acme Inc',
		'={{ $json.company_name || $json.company }}',
	),
	business_id: mappedTextField(
		'Business ID',
		'businessId',
		'Explorium business ID of the company, if known, to narrow the match',
		'',
	),
};

// The person fields Explorium matches on. Version 1 (kept for workflows saved with it) has every
// field empty, to be mapped by hand, and no First Name or Last Name.
export const personDetailsFields = Object.values(mappedFields).flatMap((field) => {
	if (field.name === 'firstName' || field.name === 'lastName')
		return [{ ...field, displayOptions: fromVersion(MAPPED_PERSON_DETAILS_VERSION) }];
	const description =
		field.name === 'fullName'
			? 'Full name of the person; needs Company Name too'
			: field.description;
	return versionTwins(MAPPED_PERSON_DETAILS_VERSION, { ...field, default: '', description }, field);
});

const isFilledText = (value: unknown): value is string =>
	typeof value === 'string' && value.trim() !== '';

/**
 * Version 2's names: Explorium takes a full name only, and only with a company name (it rejects the
 * whole request otherwise). An empty Full Name becomes First Name and Last Name joined; without a
 * Company Name, the names are left out where an email, phone or LinkedIn URL identifies the person,
 * so the pre-mapped name fields of such a row never break the match of the other rows.
 */
export function namesForMatch(raw: Record<string, unknown>): Record<string, unknown> {
	const { first_name: firstName, last_name: lastName, ...rest } = raw;
	const identifiedOtherwise = [raw.email, raw.phone_number, raw.linkedin].some(isFilledText);
	if (!isFilledText(raw.company_name) && identifiedOtherwise)
		return { ...rest, full_name: undefined };
	if (isFilledText(raw.full_name)) return rest;
	const parts = [firstName, lastName].filter(isFilledText).map((part) => part.trim());
	// Without a company (and nothing else), the joined name makes the error say a company is needed.
	return parts.length > 0 ? { ...rest, full_name: parts.join(' ') } : rest;
}

const mappedPersonDetailsSchema = z
	.record(z.unknown())
	.transform(namesForMatch)
	.pipe(prospectMatchSchema);

/** Each person field's parameter name or display name, by input field. */
const byInputField = (key: 'name' | 'displayName') =>
	Object.fromEntries(
		Object.entries(mappedFields).map(([field, property]) => [field, property[key]]),
	);

export const readPersonDetails = (
	context: IExecuteFunctions,
	session: BulkSession,
): Array<InputSlot<ProspectMatchInput>> =>
	session.readSlots(
		byInputField('name'),
		// Version 1 sends the names as given, as it always did.
		context.getNode().typeVersion >= MAPPED_PERSON_DETAILS_VERSION
			? mappedPersonDetailsSchema
			: prospectMatchSchema,
		byInputField('displayName'),
	);

const IDENTIFY_BY = ['prospectId', 'personDetails'] as const;

const identifyBy: INodeProperties = {
	displayName: 'Identify Prospects By',
	name: 'identifyBy',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Prospect ID',
			value: 'prospectId',
			description: 'An Explorium prospect_id, e.g. from the Match operation',
		},
		{
			name: 'Person Details',
			value: 'personDetails',
			description: 'Email, phone, LinkedIn URL or name and company: matched first, then enriched',
		},
	],
	default: 'personDetails',
};

/** How an enrich operation identifies each person; CRM rows have no prospect ID, so from version 2 Person Details is the default. */
export const prospectIdentityFields: INodeProperties[] = [
	...versionTwins(
		MAPPED_PERSON_DETAILS_VERSION,
		{ ...identifyBy, default: 'prospectId' },
		identifyBy,
	),
	...updateDisplayOptions({ show: { identifyBy: ['prospectId'] } }, [
		{
			displayName: 'Prospect ID',
			name: 'prospectId',
			type: 'string',
			required: true,
			default: '={{ $json.prospect_id }}',
			description: 'The Explorium prospect_id (40 hexadecimal characters) of each item',
		},
	]),
	...updateDisplayOptions({ show: { identifyBy: ['personDetails'] } }, personDetailsFields),
];

// Suggested when no item has a Prospect ID: items with a name, email or company can be matched instead.
const PERSON_DETAILS_WAY = 'Identify Prospects By › Person Details';

/** An enrichment's outcomes for every item, matching person details to prospect ids first when asked. */
export async function enrichProspects(
	context: IExecuteFunctions,
	session: BulkSession,
	enrichment: 'contacts_information' | 'profiles',
	parameters?: IDataObject,
): Promise<ItemOutcome[]> {
	const api = exploriumApiOf(context);
	const endpoint = prospectsBulkEnrichEndpoint(enrichment, parameters, api);
	const identifyBy = readChoiceOption(
		context,
		context.getNodeParameter('identifyBy', 0, 'prospectId'),
		'Identify Prospects By',
		IDENTIFY_BY,
		'prospectId',
	);
	if (identifyBy === 'prospectId') {
		const slots = session.readSlots(
			{ prospect_id: 'prospectId' },
			prospectIdSchema,
			prospectIdLabels,
			'prospect_id',
			PERSON_DETAILS_WAY,
		);
		return await session.run(endpoint, slots);
	}
	const matched = await session.run(
		matchProspectsEndpoint(api),
		readPersonDetails(context, session),
	);
	return await session.run(endpoint, matched.map(matchedSlot));
}

/** A found match is the prospect id to enrich (with its match's warnings); anything else passes through. */
const matchedSlot = (outcome: ItemOutcome): InputSlot<ProspectIdInput> =>
	outcome.kind === 'found'
		? {
				kind: 'valid',
				value: { prospect_id: String(outcome.data.prospect_id) },
				...(outcome.warnings ? { warnings: outcome.warnings } : {}),
			}
		: { kind: 'skipped', outcome };
