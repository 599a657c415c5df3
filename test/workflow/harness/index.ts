/** The workflow test harness: run real n8n-core executions and credential tests over HTTP. */
export {
	runWorkflow,
	startWorkflow,
	toItems,
	START_NODE_NAME,
	DEFAULT_NODE_NAME,
} from './run-workflow';
export type {
	NodeUnderTest,
	RunWorkflowOptions,
	WorkflowRunHandle,
	WorkflowRunResult,
} from './run-workflow';
export { testCredential } from './credential-test';
export type { TestCredentials } from './credentials-helper';
export { TestCredentialsHelper } from './credentials-helper';
export { packageCredentialTypes, CredentialTypeRegistry } from './credential-types';
export { TestNodeTypes, PassThroughStart, PACKAGE_NAME, START_NODE_TYPE } from './node-types';
export { createAdditionalData, createHooks } from './additional-data';
export { waitFor } from './wait-for';
export { runPackageNodes } from './run-package-nodes';
