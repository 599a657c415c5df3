import { NodeConnectionTypes, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { toolAnswerProperty } from '../bulk/operation';
import { mergeTwinProperties } from './merge-twin-properties';

// One main input and output. Named once here: the two lint rule sets disagree on writing them
// inline (one wants the 'main' literal, the other the NodeConnectionTypes enum).
export const MAIN_CONNECTION = [NodeConnectionTypes.Main];

/** A resource's Operation choice (the first listed is the default), then each operation's fields. */
export function resourceProperties(
	resource: string,
	options: INodePropertyOptions[],
	operations: Record<string, { description: INodeProperties[] }>,
): INodeProperties[] {
	const firstOperation = options[0].value;
	const choice: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: firstOperation,
	};
	return [choice, ...Object.values(operations).flatMap((operation) => operation.description)];
}

/**
 * An action node's subtitle and properties: the notices, the Resource choice, the operations'
 * fields and the tool answer, one property per field (each declared copy costs when the panel
 * opens, issue 27).
 */
export function actionNodePanel(
	resources: INodePropertyOptions[],
	defaultResource: string,
	operationProperties: INodeProperties[],
	notices: INodeProperties[] = [],
) {
	const resource: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources,
		default: defaultResource,
	};
	return {
		subtitle: operationSubtitle(resource, operationProperties),
		properties: mergeTwinProperties([
			...notices,
			resource,
			...operationProperties,
			toolAnswerProperty,
		]),
	};
}

const quoted = (text: string) => JSON.stringify(text);

const optionsOf = (property: INodeProperties) =>
	(property.options ?? []).filter(
		(option): option is INodePropertyOptions => 'value' in option && 'name' in option,
	);

/**
 * The canvas subtitle: the chosen operation's display name ("Enrich and Wait"), not its internal
 * value ("enrich: contact"), with the resource's name when the node has several. An expression of
 * ternaries over the node's own declarations, so it cannot drift from them.
 */
function operationSubtitle(resource: INodeProperties, properties: INodeProperties[]): string {
	const resources = optionsOf(resource);
	const resourceName = new Map(resources.map((option) => [String(option.value), option.name]));
	const branches: string[] = [];
	for (const property of properties) {
		if (property.name !== 'operation' || property.type !== 'options') continue;
		const shownFor = (property.displayOptions?.show?.resource ?? []) as string[];
		for (const resourceValue of shownFor) {
			for (const operation of optionsOf(property)) {
				const label =
					resources.length > 1
						? `${operation.name}: ${resourceName.get(resourceValue) ?? resourceValue}`
						: operation.name;
				const condition = `$parameter["resource"] === ${quoted(resourceValue)} && $parameter["operation"] === ${quoted(String(operation.value))}`;
				branches.push(`${condition} ? ${quoted(label)} : `);
			}
		}
	}
	return `={{ ${branches.join('')}$parameter["operation"] }}`;
}
