import type { IDataObject } from 'n8n-workflow';

import { holdsUsableValue } from './standard-field-validity';
import {
	domainText,
	emailText,
	isBlank,
	linkedinUrlText,
	phoneText,
	record,
	SOURCE_FIELD,
	STANDARD_CONTACT_FIELDS,
	text,
	type StandardContact,
} from './standard-contact';

/** Provider values the input's own values kept out (the same field as output-items' CONFLICTS_FIELD). */
export const CONFLICTS_FIELD = 'enrichment_conflicts';
/**
 * The input's values a provider's value took the place of: only values that failed their field's
 * validation (an email `@@`), and the statuses that described them. Never silently replaced.
 */
export const REPLACED_FIELD = 'enrichment_replaced';

/**
 * Fields that describe another field's value (its status): they travel with that value. Where the
 * value is not written, neither is its status; where it is, the status beside it is the provider's.
 */
export const DESCRIBING_FIELDS: Readonly<Record<string, readonly string[]>> = {
	email: ['email_status'],
	personal_email: ['personal_email_status'],
};
const DESCRIBED_BY = new Map(Object.entries(DESCRIBING_FIELDS).flatMap(([value, statuses]) => statuses.map((status) => [status, value] as const)));

/** What became of a provider's value for one standard field. */
type Verdict = 'written' | 'kept' | 'same' | 'none';

/**
 * Writes a provider's standard contact fields into an output item and records in
 * `enrichment_source` which provider filled each field, beside what earlier nodes recorded.
 *
 * - A usable value the input item already holds is never overwritten: a different provider value
 *   goes under `enrichment_conflicts`.
 * - A held value that fails its field's validation counts as missing: the provider's value takes
 *   its place and the original is kept under `enrichment_replaced`.
 * - A value's status travels with it (DESCRIBING_FIELDS): never left beside a value it does not
 *   describe. `data` is the provider data already merged into `output` (its own statuses, e.g.
 *   Pronto's `email_status`, are moved with their value too).
 */
export function fillStandardFields(
	output: IDataObject,
	input: IDataObject,
	standard: StandardContact,
	providerName: string,
	data: IDataObject = {},
): IDataObject {
	const filled: IDataObject = {};
	const written = new Set<string>();
	const conflicts: IDataObject = {};
	const replaced: IDataObject = {};
	const verdicts = new Map<string, Verdict>();
	for (const field of STANDARD_CONTACT_FIELDS) {
		if (DESCRIBED_BY.has(field)) continue;
		const value = standard[field];
		const held = input[field];
		let verdict: Verdict;
		if (value === undefined || value === null) verdict = 'none';
		else if (isBlank(held) || !holdsUsableValue(field, held)) verdict = 'written';
		else verdict = sameValue(field, held, value) ? 'same' : 'kept';
		verdicts.set(field, verdict);
		if (verdict === 'written') {
			output[field] = value;
			filled[field] = providerName;
			written.add(field);
			if (!isBlank(held)) replaced[field] = held;
		} else if (verdict === 'kept') {
			output[field] = held;
			conflicts[field] = value;
		}
	}
	for (const [valueField, statuses] of Object.entries(DESCRIBING_FIELDS)) {
		const verdict = verdicts.get(valueField) ?? 'none';
		for (const status of statuses) {
			const providerStatus = text(standard[status as keyof StandardContact] ?? data[status]);
			const heldStatus = input[status];
			const inputHasStatus = !isBlank(heldStatus);
			if (verdict === 'written' || (verdict === 'same' && !inputHasStatus)) {
				// The value beside it is the provider's: so is its status (null when the provider gives none
				// while something else stood there).
				if (providerStatus === null && !inputHasStatus && !(status in output)) continue;
				output[status] = providerStatus;
				written.add(status);
				if (providerStatus !== null && (STANDARD_CONTACT_FIELDS as readonly string[]).includes(status)) filled[status] = providerName;
				if (inputHasStatus && heldStatus !== providerStatus) replaced[status] = heldStatus;
			} else if (verdict === 'kept') {
				// The input's value stays: so does its status (or none); the provider's goes with its value.
				if (inputHasStatus) output[status] = heldStatus;
				else delete output[status];
				if (providerStatus !== null) conflicts[status] = providerStatus;
			} else if (verdict === 'none' && !inputHasStatus && status in output) {
				// A status without a value (e.g. Pronto's "N/A" when no email was asked for) describes nothing.
				output[status] = null;
			} else if (inputHasStatus) {
				// The same value (or none from the provider): the input's status stays; a different one is shown.
				output[status] = heldStatus;
				if (verdict === 'same' && providerStatus !== null && providerStatus !== text(heldStatus)) conflicts[status] = providerStatus;
			}
		}
	}
	const earlierConflicts = record(output[CONFLICTS_FIELD]);
	const mergedConflicts: IDataObject = { ...earlierConflicts, ...conflicts };
	// A provider value that was written after all (it replaced a malformed one) is no conflict.
	for (const field of written) {
		const conflict = mergedConflicts[field];
		if (conflict !== undefined && (conflict === output[field] || (typeof conflict === 'string' && sameValue(field, conflict, String(output[field]))))) {
			delete mergedConflicts[field];
		}
	}
	if (Object.keys(mergedConflicts).length > 0) output[CONFLICTS_FIELD] = mergedConflicts;
	else delete output[CONFLICTS_FIELD];
	if (Object.keys(replaced).length > 0) output[REPLACED_FIELD] = { ...record(output[REPLACED_FIELD]), ...replaced };
	if (Object.keys(filled).length > 0) output[SOURCE_FIELD] = { ...record(output[SOURCE_FIELD]), ...filled };
	return output;
}

/** The same contact value however each side wrote it (case, E.164, URL scheme, "www."). */
function sameValue(field: string, held: unknown, value: string): boolean {
	const normalize = NORMALIZERS[field] ?? ((raw: unknown) => text(raw)?.toLowerCase() ?? null);
	return normalize(held) === normalize(value);
}

const NORMALIZERS: Record<string, (raw: unknown) => string | null> = {
	email: emailText,
	personal_email: emailText,
	phone: phoneText,
	mobile_phone: phoneText,
	linkedin_url: (raw) => linkedinUrlText(raw)?.toLowerCase().replace(/\/+$/, '') ?? null,
	company_domain: domainText,
};
