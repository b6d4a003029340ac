/**
 * Leaving kiosk mode needs the staff PIN; 5 wrong PINs in a row lock the exit for 5 minutes. The
 * state is kept on the device (localStorage, by the page), so reloading the page does not unlock it.
 * Pure: the clock is given.
 */

export const MAX_WRONG = 5;
export const LOCK_MS = 5 * 60_000;

export interface GuardState {
	wrong: number;
	/** Epoch ms until which the exit is locked; 0: not locked. */
	lockedUntil: number;
}

export const OPEN: GuardState = { wrong: 0, lockedUntil: 0 };

/** Milliseconds left of a lock, 0 when not locked. */
export function lockedFor(s: GuardState, now: number): number {
	return Math.max(0, s.lockedUntil - now);
}

/** The state after one PIN tried (a try during a lock is not counted: it is refused before). */
export function afterTry(s: GuardState, right: boolean, now: number): GuardState {
	if (right) return OPEN;
	// A lock that ran out starts a fresh count.
	const wrong = (s.lockedUntil && s.lockedUntil <= now ? 0 : s.wrong) + 1;
	return wrong >= MAX_WRONG ? { wrong: 0, lockedUntil: now + LOCK_MS } : { wrong, lockedUntil: 0 };
}

/** A stored state read back, or OPEN when it is missing or damaged. */
export function parseGuard(raw: string | null): GuardState {
	try {
		const v = JSON.parse(raw ?? 'null') as Partial<GuardState> | null;
		if (v && Number.isFinite(v.wrong) && Number.isFinite(v.lockedUntil)) return { wrong: v.wrong!, lockedUntil: v.lockedUntil! };
	} catch {
		// damaged: open
	}
	return OPEN;
}
