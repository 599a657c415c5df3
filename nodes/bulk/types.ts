import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import type { RateWindow } from './window-pacer';

export interface ProviderLimits {
	maxBatchSize: number;
	minBatchSize?: number; // fewest identifiers per request; smaller remainders are rebalanced
	defaultConcurrency: number;
	maxConcurrency: number; // Pronto documents 5 concurrent requests
	rateLimit?: RateWindow; // per API key, in requests or in the records they carry
	requestTimeoutMs: number; // a full batch of 1000 takes longer than one of 50
}

export interface Provider {
	name: string;
	credentialType: string;
	limits: ProviderLimits;
	/** What to do about a failed request (e.g. "buy credits"); undefined: the engine's hint. */
	explainFailure?(failure: { statusCode?: number; providerMessage: string }): string | undefined;
	/** Dotted path (`response_context.request_status`) whose failure status makes a 2xx an error. */
	answerStatusField?: string;
	/** Redacted; API key first (it keys the shared limits). A field missing is an error. */
	secretFields: readonly [string, ...string[]];
	/** Values derived from the credential, as secret as the key (Pronto's callback token). */
	secretsDerivedFrom?(credentials: Record<string, unknown>): string[];
	/** Ours (an enrichment id, a status), for a later node to update; others go to conflicts. */
	ownFields?: readonly string[];
}

export interface ProviderResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** An element the provider named when it rejected a whole request (e.g. Explorium's 422 `loc`). */
export interface RejectedElement {
	position: number; // in the chunk
	reason: string;
}

/** n8n's itemIndex: what outcomes and output items align with. */
export type ItemIndex = number;
/** A distinct input's index once identical inputs are grouped. */
export type DistinctIndex = number;

export interface ChunkCorrelation {
	itemIndexesOf: ItemIndex[][]; // by position in the chunk, ascending
}

/** How to send a chunk of distinct inputs to one endpoint and read the answer. */
export interface BulkEndpoint<TInput> {
	provider: Provider;
	/** Chunk sizes that differ from the provider's (e.g. a single-record endpoint). */
	batchLimits?: { maxBatchSize: number; minBatchSize?: number };
	/** False: a request of unknown outcome (timeout, reset, 5xx) may be charged, never re-sent. */
	idempotent: boolean;
	identityOf(input: TInput): string;
	/** `url` is relative to the credential's base URL. */
	buildRequest(chunk: TInput[], correlation: ChunkCorrelation): IHttpRequestOptions;
	/** One answer per chunk element, aligned with `chunk`. Only called for 2xx responses. */
	readAnswers(response: ProviderResponse, chunk: TInput[], correlation: ChunkCorrelation): Answer[];
	/** Elements named by a whole-request rejection, so the rest can be sent again. */
	findRejectedElements?(response: ProviderResponse, chunk: TInput[]): RejectedElement[];
	/** A non-2xx saying "nothing found" in the provider's words; a proxy's 404 is an error. */
	isMissAnswer?(response: ProviderResponse): boolean;
	/** Free, sent once per run when a 404 reads as a miss: a wrong Base URL often answers 404 too. */
	addressProbe?: IHttpRequestOptions;
	/** Costs nothing (e.g. reading a Pronto result): Max Records per Run does not count it. */
	free?: boolean;
	/** The credits a 2xx answer says it used (e.g. ExactBuyer's `records_enriched`). */
	creditsUsedIn?(response: ProviderResponse): number | undefined;
	/** Sends one by one what is left below `minBatchSize`; without it, those are not sent. */
	smallChunkEndpoint?: BulkEndpoint<TInput>;
}

/** What a provider answered about one input; `warnings`: its values left out of the request. */
type Answered = (
	| { kind: 'found'; data: IDataObject }
	| { kind: 'notFound'; reason: string; data?: IDataObject }
	| { kind: 'submitted'; data: IDataObject } // accepted: results come later (a callback, a poll)
	| { kind: 'pending'; reason: string; data: IDataObject } // known, not finished when we stopped
) & { warnings?: string[] };

/** What the provider said about one identifier: an outcome, or an error about it alone. */
export type Answer = Answered | { kind: 'error'; message: string };

/** The fate of one input item after a run. */
export type ItemOutcome =
	| Answered
	/** Not sent on purpose: it has what is wanted, or no identifier (`otherWay`: how else to give one). */
	| { kind: 'skipped'; reason: string; missingIdentifier?: string; otherWay?: string }
	| { kind: 'overLimit'; reason: string } // held back by Max Records per Run: never sent
	| {
			kind: 'error';
			/** Its own input, the provider's answer about it, the request, or a request never sent. */
			cause: 'invalidInput' | 'rejectedInput' | 'request' | 'notSent';
			message: string;
			description?: string;
			httpCode?: string;
			field?: string;
	  };

/** Field names as the user sees them in the node, keyed by the schema's field names. */
export type FieldLabels = Record<string, string>;

export type InputSlot<TInput> =
	| { kind: 'valid'; value: TInput; warnings?: string[] }
	/** `description`: what to do, when more is known than the field's problem. */
	| { kind: 'invalid'; message: string; field: string; description?: string }
	| { kind: 'skipped'; outcome: ItemOutcome };

/** What a model reads of a tool call: what was found, not its arguments or the bookkeeping. */
export type ToolAnswerMode = 'foundFields' | 'foundFieldsAndRecord';

/** Hooks for the kind of record an operation enriches (contacts: nodes/contact/contact-part.ts). */
export interface SessionPart {
	/** Fields the part writes: provider data of the same name goes to enrichment_conflicts. */
	readonly reservedFields?: readonly string[];
	/** Skips the slots whose item needs no request (Options › Only Enrich Items Missing). */
	skipSlots?<T>(items: INodeExecutionData[], slots: Array<InputSlot<T>>): Array<InputSlot<T>>;
	/** `input`: what the output keeps; `found`: the data as answered; `data`: as merged (shaped). */
	completeFound?(
		json: IDataObject,
		input: IDataObject,
		found: IDataObject,
		data: IDataObject,
	): void;
	/** The item as an AI agent's tool call reads it (else the item as it is). */
	answerForTool?(
		item: INodeExecutionData,
		mode: ToolAnswerMode,
		providerName: string,
	): INodeExecutionData;
}
