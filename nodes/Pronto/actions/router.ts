import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeToOperation } from '../../bulk/operation';
import * as contact from './contact/contact.resource';

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeToOperation(this, { contact: contact.operations });
}
