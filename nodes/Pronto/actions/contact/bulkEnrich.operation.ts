import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { isToolCall, type OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection, openContactSession } from '../../../contact/contact-part';
import { OptionValues } from '../../../bulk/bulk-options';
import { CORRELATION_FIELDS } from '../../adapter/correlation';
import { bulkEnrichEndpoint } from '../../adapter/endpoints';
import { PRONTO } from '../../adapter/provider';
import { prontoStandardFields } from '../../adapter/pronto-result';
import {
	contactFields,
	phoneCountryCodesOption,
	readContacts,
	readEnrichmentType,
	readPhoneCountryCodes,
	runIdentity,
} from './contact-fields';
import { checkWebhookReachesTrigger, readWebhookUrl } from './webhook-url';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['bulkEnrich'] } },
	[
		{
			displayName:
				'Results arrive later at a Pronto Trigger, one per contact. Map your CRM record ID into Custom, e.g. crm_id, and each result carries it back as custom.crm_id.',
			name: 'customJoinKeyNotice',
			type: 'notice',
			default: '',
			// A tool variant of Bulk Enrich refuses to run (its results would never reach the agent).
			displayOptions: { hide: { '@tool': [true] } },
		},
		...contactFields,
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://your-n8n.example.com/webhook/…/callback',
			description:
				'Where Pronto posts each result: the Production URL of a Pronto Trigger node in a published workflow',
		},
		contactOptionsCollection(PRONTO.limits, [phoneCountryCodesOption]),
	],
);

/**
 * Submits contacts for asynchronous enrichment, 2..100 per request (POST /contacts/bulk_enrich).
 * Results arrive later, one callback per contact, at the Pronto Trigger; each output item says
 * `submitted` with the job's enrichment_id and the correlation fields the callback will carry.
 */
export const execute: OperationExecute = async function (items) {
	if (isToolCall(this)) {
		// Its results reach another workflow later: an agent would pay and never read them.
		throw new NodeOperationError(
			this.getNode(),
			'Pronto Bulk Enrich cannot answer an AI agent: its results arrive later at a Pronto Trigger workflow. Nothing was sent. As a tool, use the operation Enrich and Wait, which answers with the result.',
		);
	}
	const enrichmentType = readEnrichmentType(this);
	const options = OptionValues.read(this);
	const phoneCountryCodes = readPhoneCountryCodes(options);
	const session = await openContactSession(this, items, PRONTO, prontoStandardFields, options);
	const webhookUrl = readWebhookUrl(this, session);
	const slots = readContacts(session, enrichmentType);
	const contacts = slots.flatMap((slot) => (slot.kind === 'valid' ? [slot.value] : []));
	// Once per run, after the checks that cost nothing and before anything is sent.
	if (contacts.length > 0) await checkWebhookReachesTrigger(this, webhookUrl);
	// Callbacks arrive in another execution: without a Custom value they carry only this run's
	// execution and item index, which a CRM cannot join on. Said once per run, before results arrive.
	const anyCustom = contacts.some(
		(contact) => contact.custom !== undefined && Object.keys(contact.custom).length > 0,
	);
	if (contacts.length > 0 && !anyCustom) {
		this.addExecutionHints?.({
			message: `Custom is empty, so Pronto's callbacks will carry only ${CORRELATION_FIELDS.executionId} and ${CORRELATION_FIELDS.itemIndex} to join results by. To match them to your records, put your CRM record ID in Custom, e.g. {{ { crm_id: $json.id } }}: each callback brings it back under custom.`,
			type: 'info',
			location: 'outputPane',
		});
	}

	const endpoint = bulkEnrichEndpoint({
		enrichmentType,
		webhookUrl,
		phoneCountryCodes,
		...runIdentity(this),
	});
	const outcomes = await session.run(endpoint, slots);
	return session.toOutputItems(outcomes);
};
