/**
 * An ICredentialsHelper that serves plain test credentials by type and authenticates requests the
 * way n8n's own CredentialsHelper (packages/cli/src/credentials-helper.ts) does:
 * - `getDecrypted` returns the test data with the credential type's defaults filled in
 *   (NodeHelpers.getNodeParameters, as applyDefaultsAndOverwrites);
 * - `authenticate` runs a function `authenticate`, or applies a generic one, resolving each key
 *   and value that is an expression (`={{$credentials.apiKey}}`) with the workflow's expression
 *   engine and `$credentials` as additional key;
 * - `preAuthentication` returns undefined unless the type has a hidden `expirable` property —
 *   which matters: n8n-core re-sends a request answered 401 once when a helper has this method.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression, NodeHelpers } from 'n8n-workflow';

import type { CredentialTypeRegistry } from './credential-types';

/** Test credential data by credential type name, e.g. `{ bulkEnrichmentExploriumApi: { apiKey, baseUrl } }`. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: CredentialTypeRegistry,
		private readonly credentials: TestCredentials = {},
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.has(credentialType)) return true;
		const type = this.credentialTypes.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		return (type.supportedNodes ?? []).some(
			(supported) => nodeType === supported || nodeType.endsWith(`.${supported}`),
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (!authenticate) return requestOptions;

		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);

		if (!workflow || !node) {
			throw new Error('Workflow and node are required for declarative credential authentication');
		}
		if (requestOptions.headers === undefined) requestOptions.headers = {};
		if (authenticate.type !== 'generic') return requestOptions;

		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
				const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
				const valueResolved = this.resolveValue(
					value as string,
					{ $credentials: credentials },
					workflow,
					node,
				);
				const bag = target[outerKey] ?? {};
				bag[keyResolved] = valueResolved;
				target[outerKey] = bag;
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined) return undefined;
		// None of this package's credentials has an expirable property; refuse rather than fake it.
		throw new Error(`preAuthentication of "${typeName}" is not supported by the test harness`);
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		throw new Error(
			`getCredentials(${nodeCredentials.name ?? '?'}, ${type}) is not supported by the test harness`,
		);
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (data === undefined)
			throw new Error(`No test credentials of type "${type}" were given to the harness`);
		return this.applyDefaults(type, data);
	}

	/** The credential type's defaults under the given data, as n8n's applyDefaultsAndOverwrites. */
	applyDefaults(
		type: string,
		data: ICredentialDataDecryptedObject,
	): ICredentialDataDecryptedObject {
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			{ ...data } as INodeParameters,
			true,
			false,
			null,
			null,
		);
		return (withDefaults ?? {}) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getByName(type).properties;
	}

	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const value = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!value) return '';
		return String(value);
	}
}
