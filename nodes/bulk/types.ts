import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/** What a provider allows per request and per minute. */
export interface ProviderLimits {
	/** Most identifiers one request may carry. */
	maxBatchSize: number;
	/** Fewest identifiers one request may carry; smaller remainders are rebalanced. */
	minBatchSize?: number;
	/** Requests in flight at once when the user sets nothing. */
	defaultConcurrency: number;
	/** Upper bound a user may choose. */
	maxConcurrency: number;
	/** The provider's documented request window (per API key). */
	rateLimit?: { requests: number; windowMs: number };
}

/** A provider's answer as the engine sees it, whatever its status. */
export interface ProviderResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** What the provider said about one identifier of a request. */
export type Answer =
	| { kind: 'found'; data: IDataObject }
	| { kind: 'notFound'; reason: string; data?: IDataObject }
	| { kind: 'error'; message: string };

/** Elements the provider named when it rejected a whole request (e.g. Explorium's 422 `loc`). */
export interface RejectedElement {
	position: number;
	reason: string;
}

/**
 * One bulk endpoint of a provider: how to send a chunk of distinct inputs and read the answer.
 * The engine owns everything else (validation, dedupe, chunking, concurrency, retry, mapping back).
 */
export interface BulkEndpoint<TInput> {
	/** Provider name for messages, e.g. "Explorium". */
	provider: string;
	limits: ProviderLimits;
	/** Inputs with the same identity are sent once and share the answer. */
	identityOf(input: TInput): string;
	/** The request for one chunk; `url` is relative to the credential's base URL. */
	buildRequest(chunk: TInput[]): IHttpRequestOptions;
	/** One answer per chunk element, aligned with `chunk`. Only called for 2xx responses. */
	readAnswers(response: ProviderResponse, chunk: TInput[]): Answer[];
	/** Elements named by a whole-request rejection, so the rest can be sent again. */
	findRejectedElements?(response: ProviderResponse, chunk: TInput[]): RejectedElement[];
}

/** Why an item ended in error: its own input, the provider's request, or a request never sent. */
export type ErrorCause = 'invalidInput' | 'rejectedInput' | 'request' | 'notSent';

/** The fate of one input item after a bulk run. */
export type ItemOutcome =
	| { kind: 'found'; data: IDataObject }
	| { kind: 'notFound'; reason: string; data?: IDataObject }
	| {
			kind: 'error';
			cause: ErrorCause;
			message: string;
			description?: string;
			httpCode?: string;
			/** The input field at fault, for invalid inputs. */
			field?: string;
	  };

/** Per-item input after reading and validation. */
export type InputSlot<TInput> =
	| { kind: 'valid'; value: TInput }
	| { kind: 'invalid'; message: string; field: string }
	| { kind: 'skipped'; outcome: ItemOutcome };
