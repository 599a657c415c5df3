import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import type { OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection, openContactSession } from '../../../contact/contact-part';
import { OptionValues } from '../../../bulk/bulk-options';
import { EXPLORIUM } from '../../adapter/provider';
import { exploriumContactsStandardFields } from '../../adapter/standard-fields';
import { enrichProspects, prospectIdentityFields } from './person-details';

const contactTypesOption: INodeProperties = {
	displayName: 'Contact Types',
	name: 'contactTypes',
	type: 'options',
	options: [
		{
			name: 'Email and Phone',
			value: 'emailAndPhone',
			description: '5 Explorium credits per prospect',
		},
		{
			name: 'Email Only',
			value: 'email',
			description: '2 Explorium credits per prospect: cheaper when phones are not needed',
		},
	],
	default: 'emailAndPhone',
	description: "Which contact details to ask for, at Explorium's contact information prices",
};

export const description = updateDisplayOptions(
	{ show: { resource: ['prospect'], operation: ['enrichContacts'] } },
	[...prospectIdentityFields, contactOptionsCollection(EXPLORIUM.limits, [contactTypesOption])],
);

/** Emails and phones of each prospect (v1 `contacts_information/bulk_enrich` or v2 `contact_information/enrich`). */
export const execute: OperationExecute = async function (items) {
	const options = OptionValues.read(this);
	// An expression may give anything: a value that is not one of the options (e.g. "Email") is an
	// error, not a silent purchase of emails and phones.
	const emailOnly = options.choice(contactTypesOption) === 'email';
	const standardFields = exploriumContactsStandardFields;
	const session = await openContactSession(this, items, EXPLORIUM, standardFields, options);
	const parameters = emailOnly ? { contact_types: ['email'] } : undefined;
	const outcomes = await enrichProspects(this, session, 'contacts_information', parameters);
	return session.toOutputItems(outcomes);
};
