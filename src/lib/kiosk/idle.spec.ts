import { describe, expect, it, vi } from 'vitest';
import { afterTry, LOCK_MS, lockedFor, MAX_WRONG, OPEN, parseGuard } from './exit-guard';
import { createIdleTimer, IDLE_DEFAULT_SECONDS, idleSeconds } from './idle';

describe('the idle reset', () => {
	it('fires once after the timeout without a touch; each touch starts it again', () => {
		vi.useFakeTimers();
		try {
			const onIdle = vi.fn();
			const timer = createIdleTimer(60_000, onIdle);
			timer.touch();
			vi.advanceTimersByTime(59_000);
			timer.touch();
			vi.advanceTimersByTime(59_000);
			expect(onIdle).not.toHaveBeenCalled();
			vi.advanceTimersByTime(1_000);
			expect(onIdle).toHaveBeenCalledTimes(1);
			expect(timer.running).toBe(false);
			vi.advanceTimersByTime(600_000);
			expect(onIdle).toHaveBeenCalledTimes(1);
		} finally {
			vi.useRealTimers();
		}
	});

	it('does nothing once stopped, until touched again', () => {
		vi.useFakeTimers();
		try {
			const onIdle = vi.fn();
			const timer = createIdleTimer(1_000, onIdle);
			timer.touch();
			timer.stop();
			vi.advanceTimersByTime(5_000);
			expect(onIdle).not.toHaveBeenCalled();
			timer.touch();
			vi.advanceTimersByTime(1_000);
			expect(onIdle).toHaveBeenCalledTimes(1);
		} finally {
			vi.useRealTimers();
		}
	});

	it('takes ?idle= only to shorten the default', () => {
		expect(idleSeconds(null)).toBe(IDLE_DEFAULT_SECONDS);
		expect(idleSeconds('2')).toBe(2);
		expect(idleSeconds('59')).toBe(59);
		for (const v of ['0', '60', '600', '-5', '1.5', 'abc', '', '1e3']) expect(idleSeconds(v)).toBe(IDLE_DEFAULT_SECONDS);
	});
});

describe('the exit PIN guard', () => {
	const t0 = 1_000_000;

	it('locks for 5 minutes after 5 wrong PINs in a row; a right one clears the count', () => {
		let s = OPEN;
		for (let i = 1; i < MAX_WRONG; i++) {
			s = afterTry(s, false, t0);
			expect(s.wrong).toBe(i);
			expect(lockedFor(s, t0)).toBe(0);
		}
		expect(afterTry(s, true, t0)).toEqual(OPEN);
		s = afterTry(s, false, t0);
		expect(lockedFor(s, t0)).toBe(LOCK_MS);
		expect(lockedFor(s, t0 + LOCK_MS - 1)).toBe(1);
		expect(lockedFor(s, t0 + LOCK_MS)).toBe(0);
		// After the lock, a fresh count of 5.
		s = afterTry(s, false, t0 + LOCK_MS);
		expect(s).toEqual({ wrong: 1, lockedUntil: 0 });
	});

	it('reads a stored state back, a damaged one as open', () => {
		expect(parseGuard(JSON.stringify({ wrong: 3, lockedUntil: 0 }))).toEqual({ wrong: 3, lockedUntil: 0 });
		expect(parseGuard(null)).toEqual(OPEN);
		expect(parseGuard('{"wrong":"x"}')).toEqual(OPEN);
		expect(parseGuard('not json')).toEqual(OPEN);
	});
});
