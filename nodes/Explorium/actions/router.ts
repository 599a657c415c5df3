import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeToOperation } from '../../bulk/operation';
import { exploriumApiOf, V1_END_NOTICE } from '../adapter/provider';
import * as business from './business/business.resource';
import * as prospect from './prospect/prospect.resource';

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Each run of a node version that calls v1 says so beside its summary: the editor notice is only
	// seen by whoever opens the node, the run's hint by whoever reads its output.
	if (exploriumApiOf(this) === 'v1') {
		this.addExecutionHints?.({ message: V1_END_NOTICE, type: 'warning', location: 'outputPane' });
	}
	return await routeToOperation(this, {
		prospect: prospect.operations,
		business: business.operations,
	});
}
