import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { PollEndpoint } from '../../bulk/poll-until-settled';
import type { Answer, BulkEndpoint, ProviderResponse, RejectedElement } from '../../bulk/types';
import { asRecord, stableStringify } from '../../bulk/values';
import { readContactAnswer } from './pronto-result';
import { correlationFields, PRONTO } from './provider';

export const ENRICHMENT_TYPES = ['email', 'phone', 'personal_email'] as const;
export type EnrichmentType = (typeof ENRICHMENT_TYPES)[number];

export type ProntoContact = { firstname: string; lastname: string; custom?: IDataObject } & {
	[field in 'domain' | 'company_name' | 'linkedin_url']?: string;
};

/** What one node run sends with every contact. */
export interface ProntoSubmission {
	enrichmentType: EnrichmentType;
	/** Token already added; none for Enrich and Wait, which polls. */
	webhookUrl?: string;
	phoneCountryCodes?: string[];
	executionId: string;
	runId: string;
}

/** POST /contacts/bulk_enrich: 2..100 contacts, answered 202. */
export const bulkEnrichEndpoint = (submission: ProntoSubmission): BulkEndpoint<ProntoContact> => ({
	...submitEndpoint(submission, '/contacts/bulk_enrich', (contacts) => ({ contacts })),
	findRejectedElements: findContactsNamedIn400,
	smallChunkEndpoint: singleEnrichEndpoint(submission),
});

/** POST /contacts/single_enrich: one contact, readable with GET /contacts/{id}. */
export const singleEnrichEndpoint = (
	submission: ProntoSubmission,
): BulkEndpoint<ProntoContact> => ({
	...submitEndpoint(submission, '/contacts/single_enrich', ([contact]) => contact),
	batchLimits: { maxBatchSize: 1 },
});

/**
 * What both submitting endpoints share. Pronto enqueues (and charges) every request it accepts, so
 * a request whose outcome is unknown is never sent again; the answer is one enrichment id.
 */
function submitEndpoint(
	submission: ProntoSubmission,
	url: string,
	bodyOf: (contacts: IDataObject[]) => IDataObject,
): BulkEndpoint<ProntoContact> {
	const { enrichmentType, webhookUrl, phoneCountryCodes } = submission;
	return {
		provider: PRONTO,
		idempotent: false,
		// Same contact and same custom: sent once.
		identityOf: stableStringify,
		buildRequest: (chunk, { itemIndexesOf }) => {
			const contacts = chunk.map((contact, position) => ({
				...contact,
				custom: { ...contact.custom, ...correlationFields(submission, itemIndexesOf[position]) },
			}));
			return {
				method: 'POST',
				url,
				body: {
					...bodyOf(contacts),
					enrichment_type: [enrichmentType],
					...(webhookUrl && { webhook_url: webhookUrl }),
					...(phoneCountryCodes && { phone_country_codes: phoneCountryCodes }),
				},
			};
		},
		readAnswers: (response, chunk, { itemIndexesOf }) => {
			const job = readJob(response);
			return chunk.map(
				(_, position): Answer => ({
					kind: 'submitted',
					data: { ...job, ...correlationFields(submission, itemIndexesOf[position]) },
				}),
			);
		},
	};
}

/** GET /contacts/{id}, one id per request: the state and, once finished, the results. */
export const getContactEndpoint: BulkEndpoint<{ enrichment_id: string }> = {
	provider: PRONTO,
	batchLimits: { maxBatchSize: 1 },
	idempotent: true,
	// Reading a result costs nothing: the credit was spent when the contact was submitted.
	free: true,
	identityOf: (input) => input.enrichment_id,
	buildRequest: ([input]) => contactRequest(input.enrichment_id),
	readAnswers: (response) => [readContactAnswer(response.body)],
};

/** Polls GET /contacts/{id} for a contact submitted by single_enrich, until Pronto says it is finished. */
export const contactResultPoll: PollEndpoint = {
	provider: PRONTO,
	buildRequest: (submittedData) => contactRequest(String(submittedData.enrichment_id)),
	readState: (response, submittedData) => {
		const answer = readContactAnswer(response.body);
		if (answer.kind === 'pending') return undefined;
		// Keep what the submission showed (correlation fields) beside the results.
		if (answer.kind === 'found' || answer.kind === 'notFound')
			return { ...answer, data: { ...submittedData, ...answer.data } };
		return answer;
	},
};

function contactRequest(enrichmentId: string): IHttpRequestOptions {
	return { method: 'GET', url: `/contacts/${encodeURIComponent(enrichmentId)}` };
}

/** The 2xx answer to a submission: `{enrichment_id, status?}`; without an id nothing can be followed up. */
function readJob(response: ProviderResponse): IDataObject {
	const body = asRecord(response.body);
	const id = body.enrichment_id ?? body.id;
	if (typeof id !== 'string' || id === '')
		throw new Error('expected an "enrichment_id" in the answer');
	return {
		enrichment_id: id,
		pronto_status: typeof body.status === 'string' ? body.status : 'queued',
	};
}

/** A 400 names the contacts it refused as `contacts[3].firstname …`; the others can be sent again. */
function findContactsNamedIn400(response: ProviderResponse): RejectedElement[] {
	if (response.statusCode !== 400) return [];
	const { message } = asRecord(response.body);
	const rejected = new Map<number, string>();
	const named =
		typeof message === 'string' ? message.matchAll(/contacts\[(\d+)\]\.?([^,;()]*)/g) : [];
	for (const match of named) {
		const position = Number(match[1]);
		if (!rejected.has(position)) rejected.set(position, match[0].trim());
	}
	return [...rejected].map(([position, reason]) => ({ position, reason }));
}
