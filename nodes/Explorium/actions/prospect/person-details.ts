import type { IDisplayOptions, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readInputSlots } from '../../../bulk/read-input-slots';
import type { InputSlot } from '../../../bulk/types';
import { prospectMatchLabels, prospectMatchSchema, type ProspectMatchInput } from '../../adapter/schemas';
import { mappedTextField } from '../common.descriptions';

/** The person fields Explorium matches on; each may be mapped from the input item. */
export function personDetailsFields(displayOptions: IDisplayOptions): INodeProperties[] {
	const field = (displayName: string, name: string, description: string, placeholder: string) =>
		mappedTextField(displayOptions, displayName, name, description, placeholder);
	return [
		field('Email', 'email', 'Email address of the person, e.g. mapped from your CRM record', 'name@email.com'),
		field('Phone', 'phone', 'Phone number of the person', '+14155550100'),
		field('LinkedIn URL', 'linkedinUrl', 'LinkedIn profile URL of the person', 'https://www.linkedin.com/in/jane-doe'),
		field('Full Name', 'fullName', 'Full name of the person; needs Company Name too', 'Jane Doe'),
		field('Company Name', 'companyName', 'Company the person works for', 'Acme Inc'),
		field('Business ID', 'businessId', 'Explorium business ID of the company, if known, to narrow the match', ''),
	];
}

/** Reads and validates the person details of every item. */
export function readPersonDetails(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
): Array<InputSlot<ProspectMatchInput>> {
	return readInputSlots(
		context,
		items,
		{
			email: 'email',
			phone_number: 'phone',
			linkedin: 'linkedinUrl',
			full_name: 'fullName',
			company_name: 'companyName',
			business_id: 'businessId',
		},
		prospectMatchSchema,
		prospectMatchLabels,
	);
}
