/**
 * The IWorkflowExecuteAdditionalData an execution needs: the credentials helper, lifecycle hooks,
 * absolute base URLs, and stubs for what these tests never reach (sub-workflows, task runners).
 */
import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
	ICredentialsHelper,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

/** Base URL of the (non-existent) n8n instance the execution pretends to run in. */
export const INSTANCE_URL = 'http://localhost:5678/';

function notAvailable(what: string): never {
	throw new Error(`${what} is not available in the workflow test harness`);
}

export interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	/** Lifecycle hooks of the execution; omit for a run without a workflow (credential tests). */
	hooks?: ExecutionLifecycleHooks;
	executionId?: string;
	workflowId?: string;
}

export function createAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: options.credentialsHelper,
		externalSecretsProxy: new ExternalSecretsProxy(),
		hooks: options.hooks,
		executionId: options.executionId,
		workflowId: options.workflowId,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${INSTANCE_URL}rest`,
		instanceBaseUrl: INSTANCE_URL,
		formBaseUrl: `${INSTANCE_URL}form`,
		formWaitingBaseUrl: `${INSTANCE_URL}form-waiting`,
		formTestBaseUrl: `${INSTANCE_URL}form-test`,
		webhookBaseUrl: `${INSTANCE_URL}webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_URL}webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_URL}webhook-test`,
		mcpBaseUrl: `${INSTANCE_URL}mcp`,
		mcpTestBaseUrl: `${INSTANCE_URL}mcp-test`,
		executeWorkflow: async () => notAvailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => notAvailable('startRunnerTask (Code node task runners)'),
	};
}

/** Lifecycle hooks for a manual execution of `workflowData`, with nothing attached. */
export function createHooks(
	executionId: string,
	workflowData: IWorkflowBase,
): ExecutionLifecycleHooks {
	return new ExecutionLifecycleHooks('manual', executionId, workflowData);
}
