import {
	isSafeObjectProperty,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

type ParameterReader = (itemIndex: number) => unknown;

/** One `$json` path between `||` (surrounding spaces allowed); group 1: its steps. */
const JSON_PATH =
	/^\s*\$json((?:\s*(?:\.[A-Za-z_$][\w$]*|\[\s*(?:\d+|'[^'\\]*'|"[^"\\]*")\s*\]))+)\s*$/;
const PATH_SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:(\d+)|'([^'\\]*)'|"([^"\\]*)")\s*\]/g;
/** n8n refuses any expression with `.constructor` in its text (`.constructorName` too). */
const CONSTRUCTOR_ACCESS = /\.\s*constructor/;

/**
 * A reader that avoids n8n's expression engine where it can: n8n spends ~0.4 ms evaluating
 * `{{ $json.x }}` per item, more than all else this node does. A fixed value is read once, `$json`
 * paths straight from the item, anything else by `getNodeParameter` per item (n8n's semantics).
 */
export function createParameterReader(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	parameterPath: string,
	fallbackValue?: unknown,
): ParameterReader {
	const evaluate: ParameterReader = (itemIndex) =>
		context.getNodeParameter(parameterPath, itemIndex, fallbackValue as never) as unknown;
	const raw = valueAtPath(context.getNode().parameters, parameterPath);
	if (raw === undefined) return evaluate;
	if (!containsExpression(raw)) {
		const fixedValue = evaluate(0);
		return () => fixedValue;
	}
	const paths = typeof raw === 'string' ? parseJsonPathAlternatives(raw) : undefined;
	if (!paths) return evaluate;
	return (itemIndex) => {
		// `a || b`: the first truthy value, else the last one, as JavaScript has it.
		let value: unknown;
		for (const path of paths) {
			value = readPath(items[itemIndex]?.json, path);
			if (value === NEEDS_EXPRESSION_ENGINE) return evaluate(itemIndex);
			if (value) return value;
		}
		return value;
	};
}

/**
 * The paths of `={{ $json.a }}` or `={{ $json.a || $json.b }}` (defaults that read our standard
 * field or a CRM's usual name); undefined for anything else, or for a property n8n's sandbox
 * refuses (`prototype`, `caller`…): n8n then says why. Text outside the braces (even a space)
 * makes n8n return a string, so it is not one.
 */
export function parseJsonPathAlternatives(expression: string): string[][] | undefined {
	const framed = expression.startsWith('={{') && expression.endsWith('}}');
	if (!framed || CONSTRUCTOR_ACCESS.test(expression)) return undefined;
	// Each part between `||` must be a whole path: `$json["a||b"]` goes to n8n.
	const parts = expression.slice(3, -2).split('||');
	const steps = parts.map((part) => JSON_PATH.exec(part)?.[1]);
	if (!steps.every((step) => step !== undefined)) return undefined;
	const paths = steps.map((step) =>
		[...step.matchAll(PATH_SEGMENT)].map((p) => p[1] ?? p[2] ?? p[3] ?? p[4]),
	);
	return paths.flat().every(isReadableBySandbox) ? paths : undefined;
}

export function parseSimpleJsonPath(expression: string): string[] | undefined {
	const paths = parseJsonPathAlternatives(expression);
	return paths?.length === 1 ? paths[0] : undefined;
}

/** The running n8n's list of refused properties; an n8n too old to export it: the plain rule. */
function isReadableBySandbox(segment: string): boolean {
	if (segment.startsWith('__')) return false;
	return typeof isSafeObjectProperty === 'function' ? isSafeObjectProperty(segment) : true;
}

/** A path step plain property reads cannot answer like JavaScript (`.length` of a string). */
export const NEEDS_EXPRESSION_ENGINE = Symbol('needs the expression engine');

/**
 * Reads a path of own properties. A missing field or a null on the way gives undefined (the
 * validation then names the field); a step into a string, number or inherited member gives
 * NEEDS_EXPRESSION_ENGINE, so n8n evaluates that item with its full semantics.
 */
export function readPath(json: IDataObject | undefined, path: string[]): unknown {
	let current: unknown = json;
	for (const segment of path) {
		if (current === null || current === undefined) return undefined;
		if (typeof current !== 'object') return NEEDS_EXPRESSION_ENGINE;
		if (!Object.prototype.hasOwnProperty.call(current, segment))
			return segment in current ? NEEDS_EXPRESSION_ENGINE : undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

/** The value at a dotted path (`response_context.request_status`) or list of steps. */
export function valueAtPath(value: unknown, path: string | Array<string | number>): unknown {
	let current: unknown = value;
	for (const segment of typeof path === 'string' ? path.split('.') : path) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	return typeof value === 'object' && Object.values(value ?? {}).some(containsExpression);
}
