import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import type { RateWindow } from './window-pacer';

/** What a provider allows per request, per minute and at once. */
export interface ProviderLimits {
	/** Most identifiers one request may carry. */
	maxBatchSize: number;
	/** Fewest identifiers one request may carry; smaller remainders are rebalanced. */
	minBatchSize?: number;
	/** Requests in flight at once when the user sets nothing. */
	defaultConcurrency: number;
	/** Upper bound a user may choose (for Pronto, its documented 5 concurrent requests). */
	maxConcurrency: number;
	/** The provider's documented window per API key, in requests or in the records they carry. */
	rateLimit?: RateWindow;
	/** How long one request may take by default: a full batch of 1000 takes longer than one of 50. */
	requestTimeoutMs: number;
}

/** One provider: its name for messages, the credential that reaches it, and its limits. */
export interface Provider {
	name: string;
	credentialType: string;
	limits: ProviderLimits;
	/** What to do about a failed request (e.g. "buy credits"), or undefined for the engine's hint. */
	explainFailure?(failure: { statusCode?: number; providerMessage: string }): string | undefined;
	/** The dotted path (`response_context.request_status`) where a failure status makes a 2xx an error. */
	answerStatusField?: string;
	/**
	 * The credential's secret fields, API key first (it names the limits its runs share): redacted.
	 * A field the credential lacks is an error, never a secret silently left unredacted.
	 */
	secretFields: readonly [string, ...string[]];
	/** Values derived from the credential, as secret as the key (Pronto's callback token): redacted too. */
	secretsDerivedFrom?(credentials: Record<string, unknown>): string[];
	/**
	 * Fields the package writes under its own names (an enrichment id, a job status) that a later
	 * node of it may update (Get after Enrich and Wait). Any other field that would replace an input
	 * value goes to `enrichment_conflicts`: a provider's `enrichment_id` never replaces ours.
	 */
	ownFields?: readonly string[];
}

/** A provider's answer as the engine sees it, whatever its status. */
export interface ProviderResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Elements the provider named when it rejected a whole request (e.g. Explorium's 422 `loc`). */
export interface RejectedElement {
	position: ChunkPosition;
	reason: string;
}

/** n8n's itemIndex: what outcomes and output items align with. */
export type ItemIndex = number;
/** A distinct input's index once identical inputs are grouped (each distinct input is sent once). */
export type DistinctIndex = number;
/** An element's position in one chunk (one request): what a provider's answers align with. */
export type ChunkPosition = number;

/** Which input items each element of a chunk stands for (identical inputs are sent once). */
export interface ChunkCorrelation {
	/** By ChunkPosition: the input item indexes of each element, ascending. */
	itemIndexesOf: ItemIndex[][];
}

/** How to send a chunk of distinct inputs to one endpoint and read the answer; the engine does the rest. */
export interface BulkEndpoint<TInput> {
	provider: Provider;
	/** Chunk sizes that differ from the provider's (e.g. a single-record endpoint). */
	batchLimits?: { maxBatchSize: number; minBatchSize?: number };
	/** When false, a request of unknown outcome (timeout, reset, 5xx) is never re-sent: it may have been charged. */
	idempotent: boolean;
	/** Inputs with the same identity are sent once and share the answer. */
	identityOf(input: TInput): string;
	/** The request for one chunk; `url` is relative to the credential's base URL. */
	buildRequest(chunk: TInput[], correlation: ChunkCorrelation): IHttpRequestOptions;
	/** One answer per chunk element, aligned with `chunk`. Only called for 2xx responses. */
	readAnswers(response: ProviderResponse, chunk: TInput[], correlation: ChunkCorrelation): Answer[];
	/** Elements named by a whole-request rejection, so the rest can be sent again. */
	findRejectedElements?(response: ProviderResponse, chunk: TInput[]): RejectedElement[];
	/**
	 * Whether a non-2xx answer means "nothing found" for every element (a look-up's 404 in the
	 * provider's words). A 404 it does not recognise (a proxy's page) stays an error naming the Base URL.
	 */
	isMissAnswer?(response: ProviderResponse): boolean;
	/**
	 * A free request, sent once per run when a 404 reads as a miss, whose answer (anything but a 404)
	 * shows the address exists: many APIs answer a wrong Base URL with the same 404 as a miss.
	 */
	addressProbe?: IHttpRequestOptions;
	/** Costs nothing (e.g. reading a Pronto result): Max Records per Run does not count what it sends. */
	free?: boolean;
	/** The credits a 2xx answer says it used (e.g. ExactBuyer's `records_enriched`). */
	creditsUsedIn?(response: ProviderResponse): number | undefined;
	/** Takes one by one what is left below `minBatchSize`; without it, such elements are not sent. */
	smallChunkEndpoint?: BulkEndpoint<TInput>;
}

/** Input values left out of the request (malformed and not needed), each naming its field. */
interface Warned {
	warnings?: string[];
}

/** The fate of one input item after a bulk run; its first four kinds are what a provider answers. */
export type ItemOutcome =
	| ({ kind: 'found'; data: IDataObject } & Warned)
	| ({ kind: 'notFound'; reason: string; data?: IDataObject } & Warned)
	/** Accepted for asynchronous processing: results come later (a callback, or a poll). */
	| ({ kind: 'submitted'; data: IDataObject } & Warned)
	/** Known to the provider, still not finished (when the node stopped waiting). */
	| ({ kind: 'pending'; reason: string; data: IDataObject } & Warned)
	/**
	 * Not sent on purpose, the item passes through: it already has what is wanted, or it has no
	 * identifier (`missingIdentifier` names the field, e.g. a row Match did not find).
	 */
	| {
			kind: 'skipped';
			reason: string;
			missingIdentifier?: string;
			/** Another way to identify items (e.g. "Identify Prospects By › Person Details"), named when no item has the identifier. */
			otherWay?: string;
	  }
	/** Held back by Max Records per Run (under "continue on fail"): never sent, to run again later. */
	| { kind: 'overLimit'; reason: string }
	| {
			kind: 'error';
			/** Its own input, the provider's answer about it, the request, or a request never sent. */
			cause: 'invalidInput' | 'rejectedInput' | 'request' | 'notSent';
			message: string;
			description?: string;
			httpCode?: string;
			/** The input field at fault, for invalid inputs. */
			field?: string;
	  };

/**
 * What the provider said about one identifier of a request: an outcome it can give, or an error
 * about that identifier alone (an outcome of cause `rejectedInput`).
 */
export type Answer =
	| Extract<ItemOutcome, { kind: 'found' | 'notFound' | 'submitted' | 'pending' }>
	| { kind: 'error'; message: string };

/** Field names as the user sees them in the node, keyed by the schema's field names. */
export type FieldLabels = Record<string, string>;

/** Per-item input after reading and validation. */
export type InputSlot<TInput> =
	/** `warnings`: malformed values not needed, left out of `value`. */
	| { kind: 'valid'; value: TInput; warnings?: string[] }
	/** `description`: what to do, when more is known than the field's problem (e.g. it got no value). */
	| { kind: 'invalid'; message: string; field: string; description?: string }
	| { kind: 'skipped'; outcome: ItemOutcome };

/** What a model reads of a tool call: short, what was found, not its own arguments or the run's bookkeeping. */
export type ToolAnswerMode = 'foundFields' | 'foundFieldsAndRecord';

/**
 * Hooks an operation plugs into its session for the kind of record it enriches (contacts:
 * nodes/contact/contact-part.ts); the engine knows nothing of the fields behind them.
 */
export interface SessionPart {
	/** Fields the part writes on output items: provider data of the same name goes to enrichment_conflicts. */
	readonly reservedFields?: readonly string[];
	/** Marks as skipped the slots whose item needs no request (Options › Only Enrich Items Missing). */
	skipSlots?<T>(items: INodeExecutionData[], slots: Array<InputSlot<T>>): Array<InputSlot<T>>;
	/**
	 * Completes a found item's output JSON. `input` is what the output keeps of the input item,
	 * `found` the provider's data as answered, `data` as merged into `json` (shaped, e.g. Simplify).
	 */
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
