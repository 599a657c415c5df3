/**
 * Runs a two-node workflow, Start → node under test, through n8n-core's real engine
 * (WorkflowExecute.processRunExecutionData, execution order v1, mode 'manual') and returns what
 * the node under test produced.
 */
import { WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	ExecutionError,
	ExecutionStatus,
	IDataObject,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import './quiet-logs.cjs';

import { createAdditionalData, createHooks } from './additional-data';
import { packageCredentialTypes } from './credential-types';
import { TestCredentialsHelper, type TestCredentials } from './credentials-helper';
import { START_NODE_TYPE, TestNodeTypes } from './node-types';

export const START_NODE_NAME = 'Start';
export const DEFAULT_NODE_NAME = 'Node Under Test';

/** The node under test: its type and parameters, plus any INode setting (onError, retryOnFail…). */
export type NodeUnderTest = Partial<Omit<INode, 'parameters'>> & {
	/** Node type name; may be omitted when exactly one node type is registered. */
	type?: string;
	parameters?: INodeParameters;
};

export interface RunWorkflowOptions {
	/** Node classes to register, e.g. `[new Explorium()]` (the start node is always there). */
	nodeTypes?: Array<INodeType | IVersionedNodeType>;
	/** Test credential data by credential type, e.g. `{ bulkEnrichmentExploriumApi: { apiKey, baseUrl } }`. */
	credentials?: TestCredentials;
	/** Items the start node emits (default: one empty item). */
	inputItems?: INodeExecutionData[];
	node: NodeUnderTest;
	/**
	 * Nodes chained after `node`, main output 0 to the next one's input (each needs a distinct
	 * `name`). The result's `outputs`, `taskData` and `nodeName` are then the last node's.
	 */
	then?: NodeUnderTest[];
}

export interface WorkflowRunResult {
	/** Items of the node under test per output index (index 1 = error output under continueErrorOutput). */
	outputs: INodeExecutionData[][];
	/** The node's run error if it failed, else the execution's error (undefined on success). */
	error?: ExecutionError;
	/** The node's own task data (undefined if it never ran). */
	taskData?: ITaskData;
	/** Run data of every node that ran, by node name. */
	runData: IRunData;
	/** Execution status: 'success', 'error', 'canceled'… */
	status: ExecutionStatus;
	/** The whole IRun returned by the engine. */
	run: IRun;
	nodeName: string;
}

export interface WorkflowRunHandle {
	/** Settles when the engine has finished (also after `cancel()`: the engine then resolves with status 'canceled'). */
	result: Promise<WorkflowRunResult>;
	/** Resolves when the node under test starts executing. */
	nodeStarted: Promise<void>;
	/**
	 * Cancels the execution as the editor's "stop" button does: PCancelable.cancel() on the
	 * engine's promise, which aborts the execution's AbortSignal (seen by nodes through
	 * `this.getExecutionCancelSignal()` and by in-flight `httpRequest*` calls).
	 */
	cancel(): void;
}

let executionCounter = 0;

/** Wraps plain JSON objects as input items. */
export function toItems(jsons: IDataObject[]): INodeExecutionData[] {
	return jsons.map((json) => ({ json }));
}

function resolveNodeType(options: RunWorkflowOptions, node: NodeUnderTest): string {
	if (node.type) return node.type;
	const types = options.nodeTypes ?? [];
	if (types.length !== 1)
		throw new Error('runWorkflow: node.type is required unless exactly one node type is given');
	return types[0].description.name;
}

/** Starts the run and returns at once with a handle (result, nodeStarted, cancel). */
export function startWorkflow(options: RunWorkflowOptions): WorkflowRunHandle {
	const nodeTypes = new TestNodeTypes(options.nodeTypes ?? []);
	const credentials = options.credentials ?? {};
	const credentialsHelper = new TestCredentialsHelper(packageCredentialTypes(), credentials);

	const toWorkflowNode = (node: NodeUnderTest, position: number, defaultName: string): INode => {
		const type = resolveNodeType(options, node);
		const { parameters, ...settings } = node;
		const typeVersion = settings.typeVersion ?? nodeTypes.latestVersion(type);
		// Attach a credential for each type the node declares and the test gave data for.
		const nodeCredentials: INodeCredentials = {};
		for (const credentialType of nodeTypes.declaredCredentials(type, typeVersion)) {
			if (credentials[credentialType] !== undefined) {
				nodeCredentials[credentialType] = {
					id: `${credentialType}-id`,
					name: `${credentialType} (test)`,
				};
			}
		}
		return {
			id: `node-${position}`,
			position: [200 * position, 0],
			...settings,
			name: settings.name ?? defaultName,
			type,
			typeVersion,
			parameters: parameters ?? {},
			credentials: { ...nodeCredentials, ...settings.credentials },
		};
	};

	const startNode: INode = {
		id: 'start-node',
		name: START_NODE_NAME,
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const chain = [options.node, ...(options.then ?? [])].map((node, index) =>
		toWorkflowNode(node, index + 1, index === 0 ? DEFAULT_NODE_NAME : `Node ${index + 1}`),
	);
	const type = chain[0].type;
	const nodeName = chain[chain.length - 1].name;
	const connections: IConnections = {};
	[startNode, ...chain].forEach((node, index, all) => {
		const next = all[index + 1];
		if (next)
			connections[node.name] = {
				[NodeConnectionTypes.Main]: [
					[{ node: next.name, type: NodeConnectionTypes.Main, index: 0 }],
				],
			};
	});

	executionCounter += 1;
	const executionId = `harness-${executionCounter}`;
	const workflowData: IWorkflowBase = {
		id: 'harness-workflow',
		name: `Harness workflow for ${type}`,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [startNode, ...chain],
		connections,
		settings: { executionOrder: 'v1' },
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings: workflowData.settings,
	});

	const hooks = createHooks(executionId, workflowData);
	let markStarted: () => void = () => {};
	const nodeStarted = new Promise<void>((resolve) => {
		markStarted = resolve;
	});
	hooks.addHandler('nodeExecuteBefore', (name) => {
		if (name === chain[0].name) markStarted();
	});

	const additionalData = createAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId: workflowData.id,
	});
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { [NodeConnectionTypes.Main]: [options.inputItems ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	});

	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	const result = (async (): Promise<WorkflowRunResult> => {
		const run = await execution;
		const runData = run.data.resultData.runData;
		const taskData = runData[nodeName]?.[0];
		const outputs = (taskData?.data?.[NodeConnectionTypes.Main] ?? []).map((items) => items ?? []);
		return {
			outputs,
			error: taskData?.error ?? run.data.resultData.error,
			taskData,
			runData,
			status: run.status,
			run,
			nodeName,
		};
	})();

	return { result, nodeStarted, cancel: () => execution.cancel() };
}

/** Runs Start → node under test to the end and returns what the node produced. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	return await startWorkflow(options).result;
}
