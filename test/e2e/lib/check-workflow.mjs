// Static check of a workflow JSON against the node type descriptions a real n8n loaded
// (`n8n export:nodes`), with n8n-workflow's own NodeHelpers resolving which parameters a node shows
// for its values and version (displayOptions, `@version`). Returns a list of problems, one string
// each, naming the node: empty means the workflow is one n8n's editor opens without an "unknown
// node", a red parameter or a dangling connection (credentials may be missing: they are the user's).
//
// Checked: node type + typeVersion exist; node keys and onError; every parameter name (recursively
// through collections, fixedCollections, resource locators, resource mappers, filters and
// assignments) is one the node shows for these values; option values, booleans, numbers and their
// bounds; `noDataExpression` parameters hold no expression; expressions parse as JavaScript;
// `NodeHelpers.getNodeParametersIssues` (required values, resource locator rules, filter values);
// credential types are ones the node uses with these parameters; connections name existing nodes,
// outputs and inputs the nodes have, and every node but a trigger has an incoming connection.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { NodeHelpers, Workflow, ExpressionParser } = require('n8n-workflow');

const NODE_KEYS = new Set([
	'id',
	'name',
	'type',
	'typeVersion',
	'position',
	'parameters',
	'credentials',
	'notes',
	'notesInFlow',
	'disabled',
	'webhookId',
	'onError',
	'continueOnFail',
	'alwaysOutputData',
	'executeOnce',
	'retryOnFail',
	'maxTries',
	'waitBetweenTries',
	'extendsCredential',
	'color',
]);
const ON_ERROR = new Set(['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput']);
const WORKFLOW_KEYS = new Set([
	'id',
	'name',
	'nodes',
	'connections',
	'settings',
	'pinData',
	'meta',
	'active',
	'tags',
	'versionId',
	'staticData',
	'description',
	'isArchived',
]);
/** Parameter types whose value is shown, not stored, or free-form. */
const UNCHECKED_TYPES = new Set([
	'notice',
	'hidden',
	'button',
	'callout',
	'curlImport',
	'credentials',
	'credentialsSelect',
	'json',
	'color',
	'dateTime',
	'cron',
	'workflowSelector',
	'fixedCollection',
	'collection',
]);
const FILTER_OPERATIONS = {
	string: [
		'exists',
		'notExists',
		'empty',
		'notEmpty',
		'equals',
		'notEquals',
		'contains',
		'notContains',
		'startsWith',
		'notStartsWith',
		'endsWith',
		'notEndsWith',
		'regex',
		'notRegex',
	],
	number: [
		'exists',
		'notExists',
		'empty',
		'notEmpty',
		'equals',
		'notEquals',
		'gt',
		'lt',
		'gte',
		'lte',
	],
	dateTime: [
		'exists',
		'notExists',
		'empty',
		'notEmpty',
		'equals',
		'notEquals',
		'after',
		'before',
		'afterOrEquals',
		'beforeOrEquals',
	],
	boolean: ['exists', 'notExists', 'empty', 'notEmpty', 'true', 'false', 'equals', 'notEquals'],
	array: [
		'exists',
		'notExists',
		'empty',
		'notEmpty',
		'contains',
		'notContains',
		'lengthEquals',
		'lengthNotEquals',
		'lengthGt',
		'lengthLt',
		'lengthGte',
		'lengthLte',
	],
	object: ['exists', 'notExists', 'empty', 'notEmpty'],
};
const UNARY_OPERATIONS = new Set(['exists', 'notExists', 'empty', 'notEmpty', 'true', 'false']);
const ASSIGNMENT_TYPES = new Set(['string', 'number', 'boolean', 'array', 'object', 'binary']);

const isExpression = (v) => typeof v === 'string' && v.startsWith('=');
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const versionsOf = (description) => [].concat(description.version);

/** Index of `n8n export:nodes` output: `lookup(type, version)` → description or undefined. */
export function nodeTypeIndex(descriptions) {
	const byType = new Map();
	for (const d of descriptions) {
		if (!byType.has(d.name)) byType.set(d.name, []);
		byType.get(d.name).push(d);
	}
	return {
		has: (type) => byType.has(type),
		versions: (type) => (byType.get(type) ?? []).flatMap(versionsOf).sort((a, b) => a - b),
		lookup: (type, version) =>
			(byType.get(type) ?? []).find((d) => versionsOf(d).includes(version)),
	};
}

/** Syntax errors of the `{{ … }}` parts of an expression (parsed, never run). */
export function expressionSyntaxErrors(value) {
	const errors = [];
	let chunks;
	try {
		chunks = ExpressionParser.splitExpression(value.slice(1));
	} catch (e) {
		return [`cannot split the expression: ${e.message}`];
	}
	for (const chunk of chunks) {
		if (chunk.type !== 'code') continue;
		if (!chunk.hasClosingBrackets) {
			errors.push(`"{{" without "}}"`);
			continue;
		}
		try {
			// Parsing only: the function is never called. `$json` & co. are free variables here.
			new Function(`return (${chunk.text}\n);`);
		} catch (e) {
			errors.push(`{{${chunk.text}}}: ${e.message}`);
		}
	}
	return errors;
}

/**
 * Checks one workflow object. `types` comes from nodeTypeIndex(). Options: `triggerTypes`, extra
 * node types that may have no incoming connection.
 */
export function checkWorkflow(workflow, types) {
	const problems = [];
	const add = (where, message) => problems.push(where ? `${where}: ${message}` : message);

	if (!isObject(workflow)) return ['the file is not a JSON object'];
	for (const key of Object.keys(workflow))
		if (!WORKFLOW_KEYS.has(key)) add('workflow', `unknown key "${key}"`);
	if (typeof workflow.name !== 'string' || !workflow.name) add('workflow', 'has no name');
	if (!Array.isArray(workflow.nodes) || workflow.nodes.length === 0)
		return [...problems, 'workflow: has no nodes'];
	if (!isObject(workflow.connections)) add('workflow', 'connections is not an object');

	const names = new Set();
	const ids = new Set();
	const described = new Map(); // name → {node, description}
	for (const [index, node] of workflow.nodes.entries()) {
		const where = `node "${node?.name ?? `#${index}`}"`;
		if (!isObject(node)) {
			add(where, 'is not an object');
			continue;
		}
		for (const key of Object.keys(node))
			if (!NODE_KEYS.has(key)) add(where, `unknown node key "${key}"`);
		if (typeof node.name !== 'string' || !node.name) add(where, 'has no name');
		else if (names.has(node.name)) add(where, 'name used twice');
		names.add(node.name);
		if (node.id !== undefined) {
			if (ids.has(node.id)) add(where, `id "${node.id}" used twice`);
			ids.add(node.id);
		}
		if (
			!Array.isArray(node.position) ||
			node.position.length !== 2 ||
			!node.position.every(Number.isFinite)
		)
			add(where, 'position is not [x, y]');
		if (node.onError !== undefined && !ON_ERROR.has(node.onError))
			add(where, `onError "${node.onError}" is not one of ${[...ON_ERROR].join(', ')}`);
		if (!isObject(node.parameters)) {
			add(where, 'parameters is not an object');
			continue;
		}
		if (!types.has(node.type)) {
			add(where, `unknown node type "${node.type}"`);
			continue;
		}
		const description = types.lookup(node.type, node.typeVersion);
		if (!description) {
			add(
				where,
				`${node.type} has no typeVersion ${JSON.stringify(node.typeVersion)} (n8n has ${types.versions(node.type).join(', ')})`,
			);
			continue;
		}
		described.set(node.name, { node, description });
		for (const p of checkParameters(node, description)) add(where, p);
		for (const p of checkCredentials(node, description)) add(where, p);
	}

	if (isObject(workflow.connections))
		for (const p of checkConnections(workflow, described, names)) add('', p);
	return problems;
}

// ---------------------------------------------------------------- parameters

function checkParameters(node, description) {
	const problems = [];
	const properties = description.properties ?? [];
	const values = node.parameters;
	// What n8n keeps of these values (displayOptions resolved, defaults filled): a name missing here
	// is one the node does not have, or does not show for these values and this version.
	let resolved;
	try {
		resolved =
			NodeHelpers.getNodeParameters(properties, values, true, false, node, description) ?? {};
	} catch (e) {
		return [`n8n could not resolve the parameters: ${e.message}`];
	}
	for (const name of Object.keys(values)) {
		if (!(name in resolved)) {
			const exists = properties.some((p) => p.name === name);
			problems.push(
				`parameter "${name}" ${exists ? 'is not shown for these values/this version' : `is not a parameter of ${node.type} v${node.typeVersion}`}`,
			);
			continue;
		}
		const property = displayedProperty(properties, name, values, '', node, description);
		if (property) checkValue(property, values[name], name, { node, description, values, problems });
	}
	try {
		const issues = NodeHelpers.getNodeParametersIssues(properties, node, description);
		for (const [name, messages] of Object.entries(issues?.parameters ?? {})) {
			for (const message of [].concat(messages)) problems.push(`parameter "${name}": ${message}`);
		}
	} catch (e) {
		problems.push(`n8n's parameter check failed: ${e.message}`);
	}
	return problems;
}

/** The definition of `name` that is displayed at `path` (several may share a name). */
function displayedProperty(properties, name, values, path, node, description) {
	const candidates = properties.filter((p) => p.name === name);
	return (
		candidates.find((p) => {
			try {
				return NodeHelpers.displayParameterPath(values, p, path, node, description);
			} catch {
				return false;
			}
		}) ?? (candidates.length === 1 ? candidates[0] : undefined)
	);
}

function checkValue(property, value, path, ctx) {
	const { problems } = ctx;
	const bad = (message) => problems.push(`parameter "${path}" ${message}`);
	if (value === undefined) return;

	if (isExpression(value)) {
		if (property.noDataExpression) bad('may not be an expression');
		for (const e of expressionSyntaxErrors(value)) bad(`has an invalid expression: ${e}`);
		return;
	}
	const dynamicOptions = Boolean(
		property.typeOptions?.loadOptionsMethod || property.typeOptions?.loadOptions,
	);
	switch (property.type) {
		case 'string':
			if (typeof value !== 'string') bad(`must be text, got ${JSON.stringify(value)}`);
			return;
		case 'number': {
			if (typeof value !== 'number' || !Number.isFinite(value))
				return bad(`must be a number, got ${JSON.stringify(value)}`);
			const { minValue, maxValue } = property.typeOptions ?? {};
			if (minValue !== undefined && value < minValue)
				bad(`is ${value}, below the minimum ${minValue}`);
			if (maxValue !== undefined && value > maxValue)
				bad(`is ${value}, above the maximum ${maxValue}`);
			return;
		}
		case 'boolean':
			if (typeof value !== 'boolean') bad(`must be true or false, got ${JSON.stringify(value)}`);
			return;
		case 'options':
			if (!dynamicOptions && !(property.options ?? []).some((o) => o.value === value)) {
				bad(
					`has ${JSON.stringify(value)}, not one of ${(property.options ?? []).map((o) => JSON.stringify(o.value)).join(', ')}`,
				);
			}
			return;
		case 'multiOptions':
			if (!Array.isArray(value)) return bad(`must be a list, got ${JSON.stringify(value)}`);
			for (const v of value) {
				if (isExpression(v)) continue;
				if (!dynamicOptions && !(property.options ?? []).some((o) => o.value === v))
					bad(
						`has ${JSON.stringify(v)}, not one of ${(property.options ?? []).map((o) => JSON.stringify(o.value)).join(', ')}`,
					);
			}
			return;
		case 'json':
			if (typeof value === 'string' && value.trim()) {
				try {
					JSON.parse(value);
				} catch (e) {
					bad(`is not valid JSON: ${e.message}`);
				}
			}
			return;
		case 'collection':
			return checkCollection(property, value, path, ctx);
		case 'fixedCollection':
			return checkFixedCollection(property, value, path, ctx);
		case 'resourceLocator':
			return checkResourceLocator(property, value, path, ctx);
		case 'resourceMapper':
			return checkResourceMapper(value, path, ctx);
		case 'filter':
			return checkFilter(value, path, ctx);
		case 'assignmentCollection':
			return checkAssignments(value, path, ctx);
		default:
			if (
				!UNCHECKED_TYPES.has(property.type) &&
				typeof value === 'object' &&
				value !== null &&
				!Array.isArray(value)
			) {
				// An unfamiliar type holding an object: nothing more to say without knowing its shape.
			}
	}
}

function checkCollection(property, value, path, ctx) {
	if (!isObject(value))
		return ctx.problems.push(`parameter "${path}" must be an object, got ${JSON.stringify(value)}`);
	for (const [key, child] of Object.entries(value)) {
		const option = displayedProperty(
			property.options ?? [],
			key,
			ctx.values,
			path,
			ctx.node,
			ctx.description,
		);
		if (!option) {
			const exists = (property.options ?? []).some((o) => o.name === key);
			ctx.problems.push(
				`parameter "${path}.${key}" ${exists ? 'is not shown for these values/this version' : `is not an option of "${path}"`}`,
			);
			continue;
		}
		checkValue(option, child, `${path}.${key}`, ctx);
	}
}

function checkFixedCollection(property, value, path, ctx) {
	if (!isObject(value))
		return ctx.problems.push(`parameter "${path}" must be an object, got ${JSON.stringify(value)}`);
	const multiple = Boolean(property.typeOptions?.multipleValues);
	for (const [key, entries] of Object.entries(value)) {
		const group = (property.options ?? []).find((o) => o.name === key);
		if (!group) {
			ctx.problems.push(
				`parameter "${path}.${key}" is not one of ${(property.options ?? []).map((o) => `"${o.name}"`).join(', ')}`,
			);
			continue;
		}
		if (multiple && !Array.isArray(entries)) {
			ctx.problems.push(`parameter "${path}.${key}" must be a list (multiple values)`);
			continue;
		}
		const list = multiple ? entries : [entries];
		list.forEach((entry, i) => {
			const entryPath = multiple ? `${path}.${key}[${i}]` : `${path}.${key}`;
			if (!isObject(entry)) return ctx.problems.push(`parameter "${entryPath}" must be an object`);
			for (const [field, child] of Object.entries(entry)) {
				const definition = displayedProperty(
					group.values ?? [],
					field,
					ctx.values,
					entryPath,
					ctx.node,
					ctx.description,
				);
				if (!definition) {
					ctx.problems.push(`parameter "${entryPath}.${field}" is not a field of "${path}.${key}"`);
					continue;
				}
				checkValue(definition, child, `${entryPath}.${field}`, ctx);
			}
		});
	}
}

function checkResourceLocator(property, value, path, ctx) {
	const bad = (m) => ctx.problems.push(`parameter "${path}" ${m}`);
	if (typeof value === 'string') return; // a plain value (older workflows) is accepted by n8n
	if (!isObject(value))
		return bad(`must be a resource locator object, got ${JSON.stringify(value)}`);
	const modes = (property.modes ?? []).map((m) => m.name);
	if (value.__rl !== true) bad('lacks "__rl": true');
	if (!modes.includes(value.mode)) bad(`mode "${value.mode}" is not one of ${modes.join(', ')}`);
	for (const key of Object.keys(value)) {
		if (!['__rl', 'mode', 'value', 'cachedResultName', 'cachedResultUrl', '__regex'].includes(key))
			bad(`has an unknown key "${key}"`);
	}
	if (isExpression(value.value))
		for (const e of expressionSyntaxErrors(value.value)) bad(`has an invalid expression: ${e}`);
}

function checkResourceMapper(value, path, ctx) {
	const bad = (m) => ctx.problems.push(`parameter "${path}" ${m}`);
	if (!isObject(value)) return bad('must be an object');
	for (const key of Object.keys(value)) {
		if (
			![
				'mappingMode',
				'value',
				'matchingColumns',
				'schema',
				'attemptToConvertTypes',
				'convertFieldsToString',
				'ignoreTypeMismatchErrors',
			].includes(key)
		)
			bad(`has an unknown key "${key}"`);
	}
	if (!['defineBelow', 'autoMapInputData'].includes(value.mappingMode))
		bad(`mappingMode "${value.mappingMode}" is not defineBelow or autoMapInputData`);
	if (value.value !== null && value.value !== undefined && !isObject(value.value))
		bad('value must be an object');
	const schemaIds = Array.isArray(value.schema) ? value.schema.map((c) => c?.id) : undefined;
	if (value.schema !== undefined && !Array.isArray(value.schema)) bad('schema must be a list');
	for (const column of value.matchingColumns ?? []) {
		if (schemaIds && !schemaIds.includes(column))
			bad(`matches on "${column}", which is not in its schema`);
		if (value.mappingMode === 'defineBelow' && isObject(value.value) && !(column in value.value))
			bad(`matches on "${column}" but maps no value for it`);
	}
	for (const [column, v] of Object.entries(isObject(value.value) ? value.value : {})) {
		if (schemaIds && !schemaIds.includes(column))
			bad(`maps "${column}", which is not in its schema`);
		if (isExpression(v))
			for (const e of expressionSyntaxErrors(v))
				bad(`column "${column}" has an invalid expression: ${e}`);
	}
}

function checkFilter(value, path, ctx) {
	const bad = (m) => ctx.problems.push(`parameter "${path}" ${m}`);
	if (!isObject(value)) return bad('must be a filter object');
	if (!['and', 'or'].includes(value.combinator))
		bad(`combinator "${value.combinator}" is not "and" or "or"`);
	if (!Array.isArray(value.conditions) || value.conditions.length === 0)
		return bad('has no conditions');
	value.conditions.forEach((c, i) => {
		const where = `condition ${i + 1}`;
		const type = c?.operator?.type;
		const operation = c?.operator?.operation;
		if (!FILTER_OPERATIONS[type]?.includes(operation))
			return bad(`${where}: operator ${JSON.stringify(c?.operator)} is not one n8n knows`);
		if (UNARY_OPERATIONS.has(operation) && c.operator.singleValue !== true)
			bad(`${where}: "${operation}" needs "singleValue": true`);
		for (const side of ['leftValue', 'rightValue']) {
			if (isExpression(c[side]))
				for (const e of expressionSyntaxErrors(c[side]))
					bad(`${where} ${side} has an invalid expression: ${e}`);
		}
	});
}

function checkAssignments(value, path, ctx) {
	const bad = (m) => ctx.problems.push(`parameter "${path}" ${m}`);
	if (!isObject(value) || !Array.isArray(value.assignments))
		return bad('must be {assignments: [...]}');
	value.assignments.forEach((a, i) => {
		if (!a?.name) bad(`assignment ${i + 1} has no name`);
		if (!ASSIGNMENT_TYPES.has(a?.type)) bad(`assignment ${i + 1} has type "${a?.type}"`);
		if (isExpression(a?.value))
			for (const e of expressionSyntaxErrors(a.value))
				bad(`assignment "${a.name}" has an invalid expression: ${e}`);
	});
}

// ---------------------------------------------------------------- credentials

function checkCredentials(node, description) {
	if (node.credentials === undefined) return [];
	if (!isObject(node.credentials)) return ['credentials is not an object'];
	const problems = [];
	let active;
	try {
		active = NodeHelpers.getActiveCredentialTypes(node, description);
	} catch {
		active = null;
	}
	const known = new Set(
		[
			...(description.credentials ?? []).map((c) => c.name),
			node.parameters.nodeCredentialType,
			node.parameters.genericAuthType,
		].filter(Boolean),
	);
	for (const [type, reference] of Object.entries(node.credentials)) {
		if (!(active ?? known).has(type))
			problems.push(
				`credential type "${type}" is not one this node uses with these parameters (${[...(active ?? known)].join(', ') || 'none'})`,
			);
		if (!isObject(reference) || typeof reference.name !== 'string' || !reference.name)
			problems.push(`credential "${type}" needs a {name} (an id is optional)`);
	}
	return problems;
}

// ---------------------------------------------------------------- connections

function checkConnections(workflow, described, names) {
	const problems = [];
	const nodeTypes = {
		getByName: (type) => ({ description: undefined, type }),
		getByNameAndVersion: (type, version) => {
			const d = [...described.values()].find(
				(x) => x.node.type === type && x.node.typeVersion === version,
			)?.description;
			return d ? { description: d } : undefined;
		},
		getKnownTypes: () => ({}),
	};
	let wf;
	try {
		wf = new Workflow({
			id: 'check',
			name: workflow.name,
			nodes: [...described.values()].map((x) => x.node),
			connections: {},
			active: false,
			nodeTypes,
			settings: workflow.settings ?? {},
		});
	} catch {
		wf = undefined;
	}
	/** How many inputs or outputs of a connection type the node has (an AI Agent's are an expression n8n evaluates). */
	const portCount = (name, kind, type = 'main') => {
		const entry = described.get(name);
		if (!entry || !wf) return undefined;
		try {
			const ports =
				kind === 'in'
					? NodeHelpers.getNodeInputs(wf, entry.node, entry.description)
					: NodeHelpers.getNodeOutputs(wf, entry.node, entry.description);
			return ports.filter((p) => (typeof p === 'string' ? p : p.type) === type).length;
		} catch {
			return undefined;
		}
	};

	const incoming = new Set();
	for (const [source, byType] of Object.entries(workflow.connections)) {
		if (!names.has(source)) problems.push(`connections: from "${source}", which is no node`);
		if (!isObject(byType)) {
			problems.push(`connections of "${source}" are not an object`);
			continue;
		}
		for (const [type, outputs] of Object.entries(byType)) {
			// main, or a sub-node's connection to an AI node (ai_languageModel, ai_tool, …).
			if (type !== 'main' && !type.startsWith('ai_'))
				problems.push(
					`connections of "${source}": type "${type}" (only main and ai_* connections are expected)`,
				);
			if (!Array.isArray(outputs)) {
				problems.push(`connections of "${source}".${type} are not a list`);
				continue;
			}
			const outputsAvailable = portCount(source, 'out', type);
			const shown = type === 'main' ? 'output(s)' : `${type} output(s)`;
			if (
				outputsAvailable !== undefined &&
				outputs.length > outputsAvailable &&
				outputs.slice(outputsAvailable).some((o) => o?.length)
			) {
				problems.push(
					`connections: "${source}" has ${outputsAvailable} ${shown}, the workflow uses output ${outputs.length}`,
				);
			}
			outputs.forEach((targets, outputIndex) => {
				for (const target of targets ?? []) {
					if (!names.has(target?.node)) {
						problems.push(
							`connections: "${source}" output ${outputIndex} goes to "${target?.node}", which is no node`,
						);
						continue;
					}
					if (target.type !== type)
						problems.push(
							`connections: "${source}" → "${target.node}" has type "${target.type}" on a ${type} output`,
						);
					const inputs = portCount(target.node, 'in', type);
					if (
						inputs !== undefined &&
						!(Number.isInteger(target.index) && target.index >= 0 && target.index < inputs)
					) {
						problems.push(
							`connections: "${source}" → "${target.node}" ${type === 'main' ? '' : `${type} `}input ${target.index}, but it has ${inputs} ${type === 'main' ? 'input(s)' : `${type} input(s)`}`,
						);
					}
					incoming.add(target.node);
				}
			});
		}
	}
	for (const node of workflow.nodes) {
		if (typeof node?.name !== 'string') continue;
		const description = described.get(node.name)?.description;
		// A node of an unknown type is no trigger either: report its missing input too.
		const isTrigger =
			Boolean(description) &&
			((description.group ?? []).includes('trigger') ||
				(Array.isArray(description.inputs) && description.inputs.length === 0));
		if (!isTrigger && !incoming.has(node.name))
			problems.push(
				`node "${node.name}" has no incoming connection (only a trigger may start a workflow)`,
			);
	}
	const triggers = [...described.values()].filter(({ description }) =>
		(description.group ?? []).includes('trigger'),
	);
	if (described.size > 0 && triggers.length === 0) problems.push('workflow: has no trigger node');
	return problems;
}
