/**
 * The kiosk forgets its visitor after a while without a touch: a timer that every touch restarts.
 * Pure (the clock and timers are given), so the rule is tested without a browser.
 */

export const IDLE_DEFAULT_SECONDS = 60;

/**
 * The idle timeout from the page's `?idle=` (seconds): it may only shorten the default (a test, a
 * busy office), never lengthen it or turn it off; anything else gives the default.
 */
export function idleSeconds(param: string | null, fallback = IDLE_DEFAULT_SECONDS): number {
	if (param === null || !/^\d+$/.test(param)) return fallback;
	const n = Number(param);
	return n >= 1 && n < fallback ? n : fallback;
}

export interface Timers {
	set(fn: () => void, ms: number): unknown;
	clear(handle: unknown): void;
}

const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

export interface IdleTimer {
	/** A touch: the countdown starts again (and runs, if it was stopped). */
	touch(): void;
	/** No countdown (nothing of a visitor on screen). */
	stop(): void;
	readonly running: boolean;
}

export function createIdleTimer(timeoutMs: number, onIdle: () => void, timers: Timers = realTimers): IdleTimer {
	let handle: unknown = null;
	const stop = () => {
		if (handle !== null) timers.clear(handle);
		handle = null;
	};
	return {
		touch() {
			stop();
			handle = timers.set(() => {
				handle = null;
				onIdle();
			}, timeoutMs);
		},
		stop,
		get running() {
			return handle !== null;
		}
	};
}
