import { describe, expect, it } from 'vitest';
import { estimateWait, MAX_SAMPLES, recentServiceMinutes } from './queue-estimate';

const now = new Date('2026-12-07T10:00:00+07:00');
const DAY = 86_400_000;
/** A ticket finished `daysAgo` before now after `minutes` at the counter. */
const finished = (daysAgo: number, minutes: number) => {
	const end = now.getTime() - daysAgo * DAY;
	return { status: 'finished', calledAt: new Date(end - minutes * 60_000).toISOString(), finishedAt: new Date(end).toISOString() };
};

describe('recent service times', () => {
	it('keeps the newest 30 finished tickets of the last 14 days, newest first', () => {
		// 40 tickets over the last 10 days, the newest taking 1 minute, the next 2 … so each is recognisable.
		const recent = Array.from({ length: 40 }, (_, i) => finished(i * 0.25, i + 1));
		const tickets = [
			finished(15, 99), // older than 14 days
			{ status: 'called', calledAt: now.toISOString() }, // still at the counter
			{ status: 'cancelled', calledAt: recent[0].calledAt, finishedAt: recent[0].finishedAt },
			...[...recent].reverse()
		];
		const minutes = recentServiceMinutes(tickets, now);
		expect(minutes).toHaveLength(MAX_SAMPLES);
		expect(minutes).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
	});

	it('has nothing from an office with no finished ticket in 14 days', () => {
		expect(recentServiceMinutes([finished(14.5, 8), finished(20, 6)], now)).toEqual([]);
	});
});

describe('the wait estimate', () => {
	const history = [6, 7, 8, 9, 10, 6, 7, 8, 9, 10];

	it('is zero with nobody ahead', () => {
		expect(estimateWait({ ahead: 0, counters: 2, samples: history, typicalMinutes: 15 })).toMatchObject({ minutes: 0, low: 0, high: 0 });
	});

	it('is ahead × mean ÷ counters from the office’s history, with an 80 % range that widens with the queue', () => {
		const five = estimateWait({ ahead: 5, counters: 2, samples: history, typicalMinutes: 15 });
		// Mean 8 minutes, sample σ = √(20/9) ≈ 1.49: 5 × 8 / 2 = 20, ± 1.28 × √5 × 1.49 / 2 ≈ 2.1.
		expect(five).toEqual({ minutes: 20, low: 17, high: 23, basis: 'history', samples: 10 });
		const ten = estimateWait({ ahead: 10, counters: 2, samples: history, typicalMinutes: 15 });
		expect(ten.minutes).toBe(40);
		expect(ten.low).toBeLessThanOrEqual(ten.minutes);
		expect(ten.high).toBeGreaterThanOrEqual(ten.minutes);
		expect(ten.high - ten.low).toBeGreaterThan(five.high - five.low);
	});

	it('falls back on the service’s typical minutes, with a wider range, under 5 samples', () => {
		const e = estimateWait({ ahead: 4, counters: 1, samples: [6, 7, 8, 9], typicalMinutes: 15 });
		expect(e).toMatchObject({ minutes: 60, basis: 'typical', samples: 4 });
		// σ = 15/2: ± 1.28 × √4 × 7.5 ≈ 19.2.
		expect([e.low, e.high]).toEqual([40, 80]);
	});

	it('never goes below zero minutes', () => {
		// Mean 12.6, σ ≈ 15.9: 12.6 − 1.28 × 15.9 would be negative.
		expect(estimateWait({ ahead: 1, counters: 1, samples: [1, 1, 1, 30, 30], typicalMinutes: 10 }).low).toBe(0);
	});
});
