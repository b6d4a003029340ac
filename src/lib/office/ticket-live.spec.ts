import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './board-live';
import { counterServing } from './ticket-live';

/** A busy office sends a board every 40 ms: the ticket page refetches at most once a second, and never misses the last change. */
describe('refetching on board messages', () => {
	afterEach(() => vi.useRealTimers());

	it('the first message refetches at once; a burst within the second gives one more refetch at its end', () => {
		vi.useFakeTimers();
		const fn = vi.fn();
		const th = throttle(fn, 1_000);
		th();
		expect(fn).toHaveBeenCalledTimes(1);
		for (let i = 0; i < 20; i++) {
			vi.advanceTimersByTime(40);
			th();
		}
		expect(fn).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1_000);
		expect(fn).toHaveBeenCalledTimes(2);
		vi.advanceTimersByTime(5_000);
		expect(fn).toHaveBeenCalledTimes(2);
		th();
		expect(fn).toHaveBeenCalledTimes(3);
	});

	it('a cancelled follower refetches no more', () => {
		vi.useFakeTimers();
		const fn = vi.fn();
		const th = throttle(fn, 1_000);
		th();
		th();
		th.cancel();
		vi.advanceTimersByTime(2_000);
		expect(fn).toHaveBeenCalledTimes(1);
	});
});

describe('a call read from the board', () => {
	const board = {
		day: '2026-03-02',
		counters: [
			{ id: 'quay-1', number: 1, serving: { number: '1001', calledAt: '2026-03-02T01:00:00Z' } },
			{ id: 'quay-2', number: 2, serving: null }
		]
	};
	it('names the counter serving the number, and nothing for a number not served', () => {
		expect(counterServing(board, '1001')).toBe(1);
		expect(counterServing(board, '4001')).toBeUndefined();
		expect(counterServing(null, '1001')).toBeUndefined();
	});
});
