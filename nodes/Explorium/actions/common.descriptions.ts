import type { INodeProperties } from 'n8n-workflow';

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
