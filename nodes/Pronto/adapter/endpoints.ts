import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { PollEndpoint } from '../../bulk/poll-until-settled';
import type {
	Answer,
	BulkEndpoint,
	ChunkCorrelation,
	ProviderResponse,
	RejectedElement,
} from '../../bulk/types';
import { readContactAnswer } from './pronto-result';
import { correlationFields, withCorrelation } from './correlation';
import { PRONTO } from './provider';
import type { EnrichmentIdInput, EnrichmentType, ProntoContact } from './schemas';
import { stableStringify } from '../../bulk/values';

/** What one node run sends with every contact. */
export interface ProntoSubmission {
	enrichmentType: EnrichmentType;
	/** Where Pronto POSTs each result (token already added); none for Enrich and Wait, which polls. */
	webhookUrl?: string;
	phoneCountryCodes?: string[];
	executionId: string;
	/** One id per node run, so callbacks of two runs of one execution are told apart. */
	runId: string;
}

/**
 * Submitting is not idempotent: Pronto enqueues (and charges) every request it accepts, so a request
 * whose outcome is unknown is never sent again.
 */
const SUBMITTING_IS_IDEMPOTENT = false;

/** POST /contacts/bulk_enrich: 2..100 contacts, answered 202 with one enrichment id for the job. */
export function bulkEnrichEndpoint(submission: ProntoSubmission): BulkEndpoint<ProntoContact> {
	return {
		provider: PRONTO,
		idempotent: SUBMITTING_IS_IDEMPOTENT,
		// Same contact and same custom: sent once.
		identityOf: stableStringify,
		buildRequest: (chunk, correlation) => ({
			method: 'POST',
			url: '/contacts/bulk_enrich',
			body: {
				contacts: chunk.map((contact, position) => ({
					...contact,
					custom: withCorrelation(contact.custom, correlationOf(submission, correlation, position)),
				})),
				enrichment_type: [submission.enrichmentType],
				...optionalFields(submission),
			},
		}),
		readAnswers: (response, chunk, correlation) => {
			const job = readJob(response);
			return chunk.map((_, position) => submitted(job, submission, correlation, position));
		},
		findRejectedElements: findContactsNamedIn400,
		smallChunkEndpoint: singleEnrichEndpoint(submission),
	};
}

/** POST /contacts/single_enrich: one contact; its own enrichment id, readable with GET /contacts/{id}. */
export function singleEnrichEndpoint(submission: ProntoSubmission): BulkEndpoint<ProntoContact> {
	return {
		provider: PRONTO,
		batchLimits: { maxBatchSize: 1 },
		idempotent: SUBMITTING_IS_IDEMPOTENT,
		// Same contact and same custom: sent once.
		identityOf: stableStringify,
		buildRequest: ([contact], correlation) => ({
			method: 'POST',
			url: '/contacts/single_enrich',
			body: {
				...contact,
				custom: withCorrelation(contact.custom, correlationOf(submission, correlation, 0)),
				enrichment_type: [submission.enrichmentType],
				...optionalFields(submission),
			},
		}),
		readAnswers: (response, _chunk, correlation) => [
			submitted(readJob(response), submission, correlation, 0),
		],
	};
}

/** GET /contacts/{id}, one id per request: the state and, once finished, the results. */
export const getContactEndpoint: BulkEndpoint<EnrichmentIdInput> = {
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

function optionalFields(submission: ProntoSubmission): IDataObject {
	const fields: IDataObject = {};
	if (submission.webhookUrl) fields.webhook_url = submission.webhookUrl;
	if (submission.phoneCountryCodes) fields.phone_country_codes = submission.phoneCountryCodes;
	return fields;
}

function correlationOf(
	submission: ProntoSubmission,
	correlation: ChunkCorrelation,
	position: number,
) {
	return {
		itemIndexes: correlation.itemIndexesOf[position],
		executionId: submission.executionId,
		runId: submission.runId,
	};
}

/** The 2xx answer to a submission: `{enrichment_id, status?}`; without an id nothing can be followed up. */
function readJob(response: ProviderResponse): IDataObject {
	const body = response.body as IDataObject | null;
	const id = body && typeof body === 'object' ? (body.enrichment_id ?? body.id) : undefined;
	if (typeof id !== 'string' || id === '')
		throw new Error('expected an "enrichment_id" in the answer');
	return {
		enrichment_id: id,
		pronto_status: typeof body?.status === 'string' ? body.status : 'queued',
	};
}

function submitted(
	job: IDataObject,
	submission: ProntoSubmission,
	correlation: ChunkCorrelation,
	position: number,
): Answer {
	return {
		kind: 'submitted',
		data: {
			...job,
			...correlationFields(correlationOf(submission, correlation, position)),
		},
	};
}

/** A 400 names the contacts it refused as `contacts[3].firstname …`; the others can be sent again. */
function findContactsNamedIn400(response: ProviderResponse): RejectedElement[] {
	if (response.statusCode !== 400) return [];
	const body = response.body as { message?: unknown } | null;
	const message = typeof body?.message === 'string' ? body.message : '';
	const rejected = new Map<number, string>();
	for (const match of message.matchAll(/contacts\[(\d+)\]\.?([^,;()]*)/g)) {
		const position = Number(match[1]);
		if (!rejected.has(position)) rejected.set(position, `${match[0].trim()}`);
	}
	return [...rejected].map(([position, reason]) => ({ position, reason }));
}
