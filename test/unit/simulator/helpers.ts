/** Small HTTP helpers for the simulator's own tests (global fetch only). */
import { createHash } from 'crypto';

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	/** the parsed body: the tests read into any simulator answer they check */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

export interface CallInit {
	method?: string;
	headers?: Record<string, string>;
	/** sent as application/json */
	json?: unknown;
	/** sent as is (FormData, URLSearchParams, string) */
	body?: FormData | URLSearchParams | string;
	signal?: AbortSignal;
}

export async function call(url: string, init: CallInit = {}): Promise<CallResult> {
	const headers: Record<string, string> = { ...(init.headers ?? {}) };
	let body: FormData | URLSearchParams | string | undefined = init.body;
	if (init.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(init.json);
	}
	const response = await fetch(url, {
		method: init.method ?? (body === undefined ? 'GET' : 'POST'),
		headers,
		body,
		signal: init.signal,
	});
	const text = await response.text();
	let json: unknown = undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

/** Deterministic 40-hex (prospect) / 32-hex (business) ids for tests, derived from a label; never ending in `0000` unless that suffix is asked for. */
export function hexId(label: string, length: 40 | 32, suffix = ''): string {
	let out =
		createHash('sha1')
			.update(label)
			.digest('hex')
			.slice(0, length - suffix.length) + suffix;
	if (!suffix && out.endsWith('0000')) out = `${out.slice(0, -1)}1`;
	return out;
}
