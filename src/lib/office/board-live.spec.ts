import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './board-live';

afterEach(() => vi.useRealTimers());

describe('throttle', () => {
	it('runs at once, then once at the end of a burst, never closer than the window', () => {
		vi.useFakeTimers();
		const fn = vi.fn();
		const t = throttle(fn, 300);
		t();
		expect(fn).toHaveBeenCalledTimes(1);
		t();
		t();
		vi.advanceTimersByTime(299);
		expect(fn).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1);
		expect(fn).toHaveBeenCalledTimes(2);
		vi.advanceTimersByTime(1_000);
		t();
		expect(fn).toHaveBeenCalledTimes(3);
		t();
		t.cancel();
		vi.advanceTimersByTime(1_000);
		expect(fn).toHaveBeenCalledTimes(3);
	});
});
