import type { IDataObject } from 'n8n-workflow';
import { MORE_RECORDS_FIELD } from './provider';

/** The fields most workflows use, for the Simplify toggle (n8n's guideline for outputs over 10 fields). */
const PROFILE_FIELDS = ['prospect_id', 'full_name', 'job_title', 'job_seniority_level']
	.concat(['job_department_main', 'company_name', 'company_website', 'linkedin'])
	.concat(['country_name', 'region_name', 'city']);
const FIRMOGRAPHICS_FIELDS = ['business_id', 'name', 'website', 'business_description']
	.concat(['country_name', 'region_name', 'city_name', 'number_of_employees_range'])
	.concat(['yearly_revenue_range', 'linkedin_industry_category', 'linkedin_profile']);

export const simplifyProfile = (data: IDataObject): IDataObject => pick(data, PROFILE_FIELDS);
export const simplifyFirmographics = (data: IDataObject): IDataObject =>
	pick(data, FIRMOGRAPHICS_FIELDS);

/** The chosen fields; records after the first (v2 may answer an id with several) are simplified alike, never dropped. */
function pick(data: IDataObject, fields: string[]): IDataObject {
	const result: IDataObject = {};
	for (const field of fields) if (data[field] !== undefined) result[field] = data[field];
	const more = data[MORE_RECORDS_FIELD];
	if (Array.isArray(more))
		result[MORE_RECORDS_FIELD] = (more as IDataObject[]).map((other) => pick(other, fields));
	return result;
}
