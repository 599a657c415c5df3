/**
 * Runs a credential type's own `test` (ICredentialTestRequest) the way n8n's CredentialsTester
 * (packages/cli/src/services/credentials-tester.service.ts) does for the editor's "Test" button:
 * 1. defaults of the credential type are filled into the data;
 * 2. a copy of the NoOp node type gets one property whose `routing.request` is `test.request`,
 *    and declares the credential type as required;
 * 3. n8n-core's RoutingNode runs that node through an ExecuteContext, so the request is built
 *    by the routing engine (expressions such as `={{$credentials.baseUrl}}` resolved) and sent
 *    with httpRequestWithAuthentication over real HTTP, authenticated by the credentials helper;
 * 4. on an error with an HTTP response, the first `responseCode` rule matching its status gives
 *    `{status: 'Error', message: rule.message}`; other non-2xx give the status message or
 *    "Received HTTP status code: N"; a network error gives its code (ECONNREFUSED…); anything
 *    else its message; on success, `responseSuccessBody` rules are checked against the body.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	ITaskDataConnections,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import './quiet-logs.cjs';

import { createAdditionalData } from './additional-data';
import { packageCredentialTypes } from './credential-types';
import { TestCredentialsHelper } from './credentials-helper';

/** The node type n8n uses for credential tests defined on the credential: n8n-nodes-base's NoOp. */
const NO_OP_NODE_TYPE: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: 'n8n-nodes-base.noOp',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
};

interface HttpErrorCause {
	code?: string;
	response?: { status: number; statusText?: string };
}

function readValue(source: unknown, path: string): unknown {
	let value: unknown = source;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

export async function testCredential(
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const credentialTypes = packageCredentialTypes();
	const credentialsHelper = new TestCredentialsHelper(credentialTypes);
	const testRequest = credentialTypes.getByName(credentialType).test;
	if (testRequest === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const credentialsDecrypted: ICredentialsDecrypted = {
		id: `${credentialType}-id`,
		name: `${credentialType} (test)`,
		type: credentialType,
		data: credentialsHelper.applyDefaults(credentialType, data),
	};

	const { description } = NO_OP_NODE_TYPE;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: description.name,
		typeVersion: Array.isArray(description.version)
			? description.version.slice(-1)[0]
			: description.version,
		position: [0, 0],
		credentials: {
			[credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...description,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (_type, version) =>
			NodeHelpers.getVersionedNodeType(nodeTypeCopy, version),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		createAdditionalData({ credentialsHelper }),
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		const cause = (error as { cause?: HttpErrorCause }).cause;
		if (cause?.response) {
			const statusCode = cause.response.status;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return {
					status: 'Error',
					message: cause.response.statusText || `Received HTTP status code: ${statusCode}`,
				};
			}
		} else if (cause?.code) {
			return { status: 'Error', message: cause.code };
		}
		return { status: 'Error', message: String((error as Error).message) };
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json;
			if (readValue(body, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
