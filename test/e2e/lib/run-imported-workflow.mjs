// Imports a workflow into the scenario's n8n, clears the simulator's log, runs it with
// `n8n execute --rawOutput` and returns the execution with the requests the simulator saw.
import { fmtMs, ok } from './assert.mjs';

export async function runImportedWorkflow(t, workflow) {
	await t.n8n.importWorkflow(workflow);
	await t.sim.reset();
	const ex = await t.n8n.execute(workflow.id);
	ok(
		ex.execution,
		`no execution JSON in n8n execute output (exit ${ex.code})`,
		ex.parseError?.message ?? ex.stdout.slice(-1500),
	);
	ok(ex.ok, `execution failed (exit ${ex.code})`, ex.error ?? ex.stdout.slice(-1500));
	t.log(
		`n8n execute took ${fmtMs(ex.ms)}${ex.signal ? ` (n8n then died by ${ex.signal}, after the finished execution)` : ''}`,
	);
	return { ex, requests: await t.sim.requests() };
}
