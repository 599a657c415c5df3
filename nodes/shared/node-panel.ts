import { NodeConnectionTypes, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { toolAnswerProperty } from '../bulk/operation';

// Named once: the two lint rule sets disagree on writing it inline ('main' or NodeConnectionTypes).
export const MAIN_CONNECTION = [NodeConnectionTypes.Main];

/** A resource's Operation choice (the first listed is the default), then each operation's fields. */
export function resourceProperties(
	resource: string,
	options: INodePropertyOptions[],
	operations: Record<string, { description: INodeProperties[] }>,
): INodeProperties[] {
	const firstOperation = options[0].value;
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options,
			default: firstOperation,
		},
		...Object.values(operations).flatMap((operation) => operation.description),
	];
}

/** An action node's subtitle and properties, one property per field (each copy costs when the panel opens, issue 27). */
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
		subtitle: operationSubtitle(resources, operationProperties),
		properties: mergeTwinProperties([
			...notices,
			resource,
			...operationProperties,
			toolAnswerProperty,
		]),
	};
}

const json = (value: unknown) => JSON.stringify(value);

const optionsOf = (property: INodeProperties) =>
	(property.options ?? []).filter(
		(option): option is INodePropertyOptions => 'value' in option && 'name' in option,
	);

/**
 * The canvas subtitle: the operation's display name ("Enrich and Wait"), with the resource's when
 * the node has several; ternaries over the node's own declarations, so it cannot drift from them.
 */
function operationSubtitle(
	resources: INodePropertyOptions[],
	properties: INodeProperties[],
): string {
	const branches = properties
		.filter((property) => property.name === 'operation' && property.type === 'options')
		.flatMap((property) =>
			((property.displayOptions?.show?.resource ?? []) as string[]).flatMap((resource) => {
				const name = resources.find((option) => String(option.value) === resource)?.name;
				return optionsOf(property).map((operation) => {
					const label =
						resources.length > 1 ? `${operation.name}: ${name ?? resource}` : operation.name;
					return `$parameter["resource"] === ${json(resource)} && $parameter["operation"] === ${json(String(operation.value))} ? ${json(label)} : `;
				});
			}),
		);
	return `={{ ${branches.join('')}$parameter["operation"] }}`;
}

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

const showOf = (property: INodeProperties): Show => property.displayOptions?.show ?? {};
const withoutShow = (property: INodeProperties) =>
	json({ ...property, displayOptions: property.displayOptions?.hide });

/** The one `show` condition two otherwise identical properties differ in, or undefined. */
function differingCondition(a: INodeProperties, b: INodeProperties): string | undefined {
	if (a.name !== b.name || withoutShow(a) !== withoutShow(b)) return undefined;
	const [showA, showB] = [showOf(a), showOf(b)];
	const keys = Object.keys(showA);
	if (keys.length !== Object.keys(showB).length || !keys.every((key) => key in showB))
		return undefined;
	const differing = keys.filter((key) => json(showA[key]) !== json(showB[key]));
	return differing.length === 1 ? differing[0] : undefined;
}

type Cnd = { _cnd?: { lt?: number; gte?: number } };
/** Two version conditions no version meets both of (`lt` a and `gte` b with a ≤ b). */
const versionsApart = (a: Cnd, b: Cnd) =>
	[a._cnd, b._cnd].every((c) => c && Object.keys(c).length === 1) &&
	((a._cnd?.lt !== undefined && b._cnd?.gte !== undefined && a._cnd.lt <= b._cnd.gte) ||
		(b._cnd?.lt !== undefined && a._cnd?.gte !== undefined && b._cnd.lt <= a._cnd.gte));

/** Whether a condition both show on admits no common value: no panel shows the two together. */
function neverShownTogether(a: INodeProperties, b: INodeProperties): boolean {
	const [showA, showB] = [showOf(a), showOf(b)];
	return Object.keys(showA)
		.filter((key) => key in showB)
		.some((key) =>
			(showA[key] ?? []).every((x) =>
				(showB[key] ?? []).every((y) =>
					key === '@version' ? versionsApart(x as Cnd, y as Cnd) : json(x) !== json(y),
				),
			),
		);
}

/**
 * One property per field that several operations or versions declare alike, shown for any of their
 * values. n8n's editor re-resolves every expression parameter against the input items for each
 * property with display options when the panel opens (issue 27: 500 items made it slow), so every
 * declared copy costs, shown or not. What each operation and version shows stays the same.
 */
export function mergeTwinProperties(properties: INodeProperties[]): INodeProperties[] {
	const merged = mergePass(properties);
	// A merge can make two merged properties twins (one per operation, each over both versions).
	return merged.length === properties.length ? merged : mergeTwinProperties(merged);
}

function mergePass(properties: INodeProperties[]): INodeProperties[] {
	const merged: INodeProperties[] = [];
	for (const property of properties) {
		let key: string | undefined;
		const index = merged.findIndex(
			(earlier) => (key = differingCondition(earlier, property)) !== undefined,
		);
		// Moved up to its twin, it must not pass a property shown with it: the panel's order stays.
		if (
			key === undefined ||
			!merged.slice(index + 1).every((between) => neverShownTogether(between, property))
		) {
			merged.push(property);
			continue;
		}
		const earlier = merged[index];
		const values = [...(showOf(earlier)[key] ?? []), ...(showOf(property)[key] ?? [])];
		const show = {
			...showOf(earlier),
			[key]: values.filter((v, i) => values.findIndex((w) => json(w) === json(v)) === i),
		};
		merged[index] = {
			...earlier,
			displayOptions: { ...earlier.displayOptions, show } as INodeProperties['displayOptions'],
		};
	}
	return merged;
}
