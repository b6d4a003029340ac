import { describe, expect, it } from 'vitest';
import { latestCallAt, newCalls, type BoardCall } from './board-calls';

const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 2, 0, s)).toISOString();
const calls: BoardCall[] = [
	{ number: '4002', counter: 2, at: at(50) },
	{ number: '1003', counter: 1, at: at(40) }, // a recall: same ticket, newer `at`
	{ number: '1001', counter: 3, at: at(10) }
];

describe('newCalls', () => {
	it('announces the calls after the last one announced, oldest first', () => {
		expect(newCalls(calls, at(10), at(55)).map((c) => c.number)).toEqual(['1003', '4002']);
		expect(newCalls(calls, at(50), at(55))).toEqual([]);
	});

	it('announces nothing on a board never run (its calls came before it)', () => {
		expect(newCalls(calls, null, at(55))).toEqual([]);
	});

	it('skips calls stale by the server clock (the TV was off), whatever the TV clock says', () => {
		const later = new Date(Date.parse(at(45)) + 60_000).toISOString();
		expect(newCalls(calls, at(0), later).map((c) => c.number)).toEqual(['4002']);
	});
});

describe('latestCallAt', () => {
	it('is the newest call, or what was remembered', () => {
		expect(latestCallAt(calls, null)).toBe(at(50));
		expect(latestCallAt(calls, at(59))).toBe(at(59));
		expect(latestCallAt([], null)).toBeNull();
	});
});
