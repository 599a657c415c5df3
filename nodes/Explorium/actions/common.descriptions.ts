import type { INodeProperties } from 'n8n-workflow';

/** Shown where an output would have more than 10 fields. */
export const simplifyToggle: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

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
