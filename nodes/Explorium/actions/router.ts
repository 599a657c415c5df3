import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeToOperation } from '../../bulk/route-to-operation';
import * as business from './business/business.resource';
import * as prospect from './prospect/prospect.resource';

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeToOperation(this, { prospect: prospect.operations, business: business.operations });
}
