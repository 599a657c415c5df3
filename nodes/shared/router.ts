import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

export type OperationExecute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

/** resource → operation → its module (each operation file exports `execute`). */
export type OperationsByResource = Record<string, Record<string, { execute: OperationExecute }>>;

/** Sends the whole run to the chosen operation: bulk operations need all items at once. */
export async function routeToOperation(
	context: IExecuteFunctions,
	resources: OperationsByResource,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const chosen = resources[resource]?.[operation];
	if (!chosen) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await chosen.execute.call(context, items)];
}
