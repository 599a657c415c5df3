/**
 * The node types a test workflow can use: the node classes a test passes in, plus the harness's
 * own pass-through start node.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers } from 'n8n-workflow';

/** The package name n8n prefixes to a community node's `description.name`. */
export const PACKAGE_NAME = 'n8n-nodes-bulk-enrichment';

export const START_NODE_TYPE = 'harness.start';

/** Emits the items put on the execution stack for it: the test's input items. */
export class PassThroughStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Start',
		name: START_NODE_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits the input items of a harness run',
		defaults: { name: 'Start' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
		usableAsTool: true,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

type AnyNodeType = INodeType | IVersionedNodeType;

/**
 * An INodeTypes over the given node classes. Each is known by its `description.name` and, as a
 * community node in real n8n, by `n8n-nodes-bulk-enrichment.<name>`.
 */
export class TestNodeTypes implements INodeTypes {
	private readonly byName = new Map<string, AnyNodeType>();

	constructor(types: AnyNodeType[]) {
		for (const type of [new PassThroughStart(), ...types]) {
			const { name } = type.description;
			this.byName.set(name, type);
			if (!name.includes('.')) this.byName.set(`${PACKAGE_NAME}.${name}`, type);
		}
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.byName.get(nodeType);
		if (!type)
			throw new Error(
				`Unknown node type "${nodeType}" (known: ${[...this.byName.keys()].join(', ')})`,
			);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(
			[...this.byName.keys()].map((name) => [name, { className: name, sourcePath: '' }]),
		);
	}

	/** The version a new node of this type gets in the editor: the default, else the highest. */
	latestVersion(nodeType: string): number {
		const type = this.getByName(nodeType);
		if ('nodeVersions' in type) return type.description.defaultVersion ?? type.currentVersion;
		const { version } = type.description;
		return Array.isArray(version) ? Math.max(...version) : version;
	}

	/** The credential type names the node type's (versioned) description declares. */
	declaredCredentials(nodeType: string, version?: number): string[] {
		const type = this.getByNameAndVersion(nodeType, version);
		return (type.description.credentials ?? []).map((credential) => credential.name);
	}
}
