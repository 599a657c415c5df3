import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Shown where an output would have more than 10 fields. */
export function simplifyToggle(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: { show: { resource: [resource], operation: operations } },
		description: 'Whether to return a simplified version of the response instead of the raw data',
	};
}

/** An optional text input, usually mapped from the input item (e.g. `{{ $json.email }}`). */
export function mappedTextField(
	displayOptions: IDisplayOptions,
	displayName: string,
	name: string,
	description: string,
	placeholder: string,
): INodeProperties {
	return { displayName, name, type: 'string', default: '', placeholder, description, displayOptions };
}
