import { sleep } from 'n8n-workflow';

/** Time and chance, injected so tests run without real waits. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
	random(): number;
}

/** Waits in slices so a cancelled execution stops waiting within a second. */
const WAIT_SLICE_MS = 1000;

export function realClock(isCancelled: () => boolean): Clock {
	return {
		now: () => Date.now(),
		random: () => Math.random(),
		async sleep(ms: number) {
			let remaining = ms;
			while (remaining > 0 && !isCancelled()) {
				const slice = Math.min(remaining, WAIT_SLICE_MS);
				await sleep(slice);
				remaining -= slice;
			}
		},
	};
}
