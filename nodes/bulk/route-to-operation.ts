import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { refusedRunItems } from './output-items';
import { errorAnswers, isToolCall } from './tool-answer';

export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;

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
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	const ran = await chosen.execute.call(context, items).then(
		(output) => ({ output }),
		(error: unknown) => ({ error }),
	);
	if ('output' in ran) return [ran.output];
	// An AI agent reads a failure as the tool's answer and can act on it (fix an argument, tell the
	// user the credits ran out); thrown, it would only see n8n's wrapping of it.
	if (isToolCall(context)) return [errorAnswers(items, ran.error)];
	// Under "continue on fail" only a refusal before sending is thrown (failed requests are items):
	// thrown, n8n would pass the input items on untouched, as if enriched.
	if (context.continueOnFail()) return [refusedRunItems(context.getNode(), items, ran.error)];
	throw ran.error;
}
