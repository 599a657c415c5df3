import type { INodeExecutionData } from 'n8n-workflow';

import { ExactBuyer } from '../../../nodes/ExactBuyer/ExactBuyer.node';
import { Explorium } from '../../../nodes/Explorium/Explorium.node';
import { Pronto } from '../../../nodes/Pronto/Pronto.node';
import { runWorkflow, type NodeUnderTest } from './run-workflow';

/** What a running simulator (test/simulator/server.cjs) tells a test about itself. */
interface SimulatorAddresses {
	apiKeys: { explorium: string; exactbuyer: string; pronto: string };
	baseUrls: { explorium: string; exactbuyer: string; pronto: string };
}

/** A node of this package (and the ones chained after it) run with all three providers' credentials at the simulator. */
export async function runPackageNodes(
	simulator: SimulatorAddresses,
	node: NodeUnderTest,
	inputItems: INodeExecutionData[],
	then: NodeUnderTest[] = [],
) {
	return await runWorkflow({
		nodeTypes: [new Explorium(), new ExactBuyer(), new Pronto()],
		credentials: {
			bulkEnrichmentExploriumApi: {
				apiKey: simulator.apiKeys.explorium,
				baseUrl: simulator.baseUrls.explorium,
			},
			bulkEnrichmentExactBuyerApi: {
				apiKey: simulator.apiKeys.exactbuyer,
				baseUrl: simulator.baseUrls.exactbuyer,
			},
			bulkEnrichmentProntoApi: {
				apiKey: simulator.apiKeys.pronto,
				baseUrl: simulator.baseUrls.pronto,
			},
		},
		inputItems,
		node,
		then,
	});
}
