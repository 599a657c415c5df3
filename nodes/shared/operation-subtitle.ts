import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

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
export function operationSubtitle(
	resource: INodeProperties,
	properties: INodeProperties[],
): string {
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
