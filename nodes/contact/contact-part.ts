import type { SessionPart } from '../bulk/session-part';
import { fillStandardFields } from './fill-standard-fields';
import { SOURCE_FIELD, type StandardFieldsReader } from './standard-contact';
import { answerForTool } from './contact-tool-answer';
import { skipItemsAlreadyHolding } from './skip-already-holding';

/**
 * What an operation that enriches contacts plugs into its session: Only Enrich Items Missing skips
 * items already holding the chosen standard fields, a found item gets the standard contact fields
 * (read from the provider's data by `reader`) and `enrichment_source`, and an AI agent reads a
 * compact answer of those fields.
 */
export function contactPart(reader: StandardFieldsReader): SessionPart {
	return {
		reservedFields: [SOURCE_FIELD],
		skipSlots: skipItemsAlreadyHolding,
		completeFound: (json, input, found, data) =>
			fillStandardFields(json, input, reader.read(found), reader.providerName, data),
		answerForTool,
	};
}

/**
 * Only Enrich Items Missing alone, for an operation that offers the option without returning
 * contacts (Explorium Enrich Firmographics): items holding the chosen fields are still not sent.
 */
export const skipItemsAlreadyHoldingPart: SessionPart = { skipSlots: skipItemsAlreadyHolding };
