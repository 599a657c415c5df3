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

// A changed default is declared twice, so workflows saved with an older version keep theirs.
export const fromVersion = (version: number) => ({
	show: { '@version': [{ _cnd: { gte: version } }] },
});
export const beforeVersion = (version: number) => ({
	show: { '@version': [{ _cnd: { lt: version } }] },
});

/** A field's copy for the versions before `version`, then its copy from `version` on. */
export const versionTwins = (
	version: number,
	before: INodeProperties,
	from: INodeProperties,
): INodeProperties[] => [
	{ ...before, displayOptions: beforeVersion(version) },
	{ ...from, displayOptions: fromVersion(version) },
];
