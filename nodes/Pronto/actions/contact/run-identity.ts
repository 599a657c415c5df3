import { randomUUID } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/** The execution and a fresh id for this node run, sent with every contact for correlation. */
export function runIdentity(context: IExecuteFunctions): { executionId: string; runId: string } {
	return { executionId: String(context.getExecutionId() ?? ''), runId: randomUUID() };
}
