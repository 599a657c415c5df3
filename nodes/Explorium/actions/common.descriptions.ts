import type { INodeProperties } from 'n8n-workflow';

/** An optional text input, usually mapped from the input item (e.g. `{{ $json.email }}`). */
export function mappedTextField(
	displayName: string,
	name: string,
	description: string,
	placeholder: string,
	defaultValue = '',
): INodeProperties {
	return { displayName, name, type: 'string', default: defaultValue, placeholder, description };
}

/**
 * Display options for a node version onwards, and for the versions before it: a changed default
 * is declared twice, so workflows saved with an older version keep the default they were built with.
 */
export const fromVersion = (version: number) => ({
	show: { '@version': [{ _cnd: { gte: version } }] },
});
export const beforeVersion = (version: number) => ({
	show: { '@version': [{ _cnd: { lt: version } }] },
});
