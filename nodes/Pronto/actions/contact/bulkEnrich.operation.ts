import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { isToolCall, type OperationExecute } from '../../../bulk/operation';
import { contactOptionsCollection, openContactSession } from '../../../contact/contact-part';
import { bulkEnrichEndpoint } from '../../adapter/endpoints';
import { CORRELATION_FIELDS, PRONTO } from '../../adapter/provider';
import { prontoStandardFields } from '../../adapter/pronto-result';
import {
	contactFields,
	phoneCountryCodesOption,
	readContacts,
	readSubmission,
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

/** Each output item says `submitted`, with the enrichment_id and the fields its callback will carry. */
export const execute: OperationExecute = async function (items) {
	if (isToolCall(this)) {
		// Its results reach another workflow later: an agent would pay and never read them.
		throw new NodeOperationError(
			this.getNode(),
			'Pronto Bulk Enrich cannot answer an AI agent: its results arrive later at a Pronto Trigger workflow. Nothing was sent. As a tool, use the operation Enrich and Wait, which answers with the result.',
		);
	}
	const { options, submission } = readSubmission(this);
	const session = await openContactSession(this, items, PRONTO, prontoStandardFields, options);
	const webhookUrl = readWebhookUrl(this, session);
	const slots = readContacts(session, submission);
	const contacts = slots.flatMap((slot) => (slot.kind === 'valid' ? [slot.value] : []));
	if (contacts.length > 0) {
		// Once per run, after the checks that cost nothing and before anything is sent.
		await checkWebhookReachesTrigger(this, webhookUrl);
		// Callbacks arrive in another execution: without a Custom value they carry only this run's
		// execution and item index, which a CRM cannot join on. Said once per run, before results arrive.
		if (!contacts.some((contact) => Object.keys(contact.custom ?? {}).length > 0)) {
			this.addExecutionHints?.({
				message: `Custom is empty, so Pronto's callbacks will carry only ${CORRELATION_FIELDS.executionId} and ${CORRELATION_FIELDS.itemIndex} to join results by. To match them to your records, put your CRM record ID in Custom, e.g. {{ { crm_id: $json.id } }}: each callback brings it back under custom.`,
				type: 'info',
				location: 'outputPane',
			});
		}
	}
	const outcomes = await session.run(bulkEnrichEndpoint({ ...submission, webhookUrl }), slots);
	return session.toOutputItems(outcomes);
};
