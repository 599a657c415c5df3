import { sleep } from 'n8n-workflow';

/** Time and chance, injected so tests run without real waits. */
export interface Clock {
	now(): number;
	/** Waits `ms`, or less once `stopEarly` says so (within a slice): a wait raced against an event ends soon after it. */
	sleep(ms: number, stopEarly?: () => boolean): Promise<void>;
	random(): number;
}

/** Waits in slices so a cancelled execution stops waiting within a second. */
const WAIT_SLICE_MS = 1000;

export function realClock(isCancelled: () => boolean): Clock {
	return {
		now: () => Date.now(),
		random: () => Math.random(),
		async sleep(ms: number, stopEarly?: () => boolean) {
			let remaining = ms;
			while (remaining > 0 && !isCancelled() && stopEarly?.() !== true) {
				const slice = Math.min(remaining, WAIT_SLICE_MS);
				await sleep(slice);
				remaining -= slice;
			}
		},
	};
}
