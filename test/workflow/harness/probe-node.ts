/**
 * An n8n-core-only node for testing the harness itself: for each item it reads the Explorium
 * credit balance with `httpRequestWithAuthentication` (so the credential's generic `authenticate`
 * applies), and fails on items whose `fail` field is true — per item, honouring continueOnFail.
 * Error items are `{json: {error, failedId}, error, pairedItem}`, or with `attachError: false`
 * `{json: {error}, pairedItem}` (no `error` property: see the harness tests for why it matters).
 * With the `waitForCancel` parameter it instead waits until the execution is cancelled.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

export const PROBE_NODE_TYPE = 'harnessProbe';

export class ProbeNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Probe',
		name: PROBE_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Calls GET {baseUrl}/v1/credits with the Explorium credential for each item',
		defaults: { name: 'Harness Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bulkEnrichmentExploriumApi', required: true }],
		usableAsTool: true,
		properties: [
			{ displayName: 'Path', name: 'path', type: 'string', default: '/v1/credits' },
			{ displayName: 'Wait for Cancel', name: 'waitForCancel', type: 'boolean', default: false },
			{ displayName: 'Attach Error', name: 'attachError', type: 'boolean', default: true },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('waitForCancel', 0) === true) {
			const signal = this.getExecutionCancelSignal();
			await new Promise<void>((resolve) => {
				if (!signal || signal.aborted) return resolve();
				signal.addEventListener('abort', () => resolve(), { once: true });
			});
			return [[]];
		}

		const items = this.getInputData();
		const credentials = await this.getCredentials<{ baseUrl: string }>(
			'bulkEnrichmentExploriumApi',
		);
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (items[i].json.fail === true) {
					throw new NodeOperationError(this.getNode(), `Item ${i} asked to fail`, { itemIndex: i });
				}
				const path = this.getNodeParameter('path', i) as string;
				const response = await this.helpers.httpRequestWithAuthentication.call(
					this,
					'bulkEnrichmentExploriumApi',
					{
						method: 'GET',
						url: `${credentials.baseUrl.replace(/\/+$/, '')}${path}`,
						json: true,
					},
				);
				returnData.push({ json: { ...items[i].json, response }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					const message = (error as Error).message;
					returnData.push(
						this.getNodeParameter('attachError', i) === false
							? { json: { error: message }, pairedItem: { item: i } }
							: {
									json: { error: message, failedId: items[i].json.id },
									error: error as NodeOperationError,
									pairedItem: { item: i },
								},
					);
					continue;
				}
				const nodeError =
					error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
				throw nodeError;
			}
		}
		return [returnData];
	}
}
