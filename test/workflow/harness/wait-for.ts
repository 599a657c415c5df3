/** Polls a condition (e.g. "the simulator has seen the request") without Node timers in .ts. */
import { sleep } from 'n8n-workflow';

export async function waitFor(
	condition: () => boolean,
	timeoutMs = 2000,
	what = 'condition',
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`);
		await sleep(5);
	}
}
