import { describe, expect, it } from 'vitest';
import { csvFileName, deviceOffset, periodProblem, queryString, readFilter, toQuery } from './ioc-query';

const cal = { utcOffset: '+07:00' };
/** 5 December 2026, 10:00 in the province. */
const now = new Date('2026-12-05T03:00:00Z');

describe('the filter in the address', () => {
	it('comes back the same after a reload', () => {
		const f = readFilter(new URLSearchParams('period=custom&from=2026-11-01&to=2026-11-30&ward=24778&category=environment'));
		expect(queryString(toQuery(f))).toBe('period=custom&from=2026-11-01&to=2026-11-30&ward=24778&category=environment');
	});

	it('defaults to the last 7 days, and drops dates that only a custom period uses', () => {
		expect(queryString(toQuery(readFilter(new URLSearchParams('period=nonsense'))))).toBe('period=week');
		expect(queryString(toQuery(readFilter(new URLSearchParams('period=month&from=2026-01-01'))))).toBe('period=month');
	});
});

describe('a custom period checked before asking the server', () => {
	const custom = (from: string, to: string) => toQuery(readFilter(new URLSearchParams({ period: 'custom', from, to })));

	it('names the problem', () => {
		expect(periodProblem(custom('', '2026-12-01'), cal, now)).toBe('bad_date');
		// The shape of a day, but no day: month 13, day 32 (an address typed or cut by hand).
		expect(periodProblem(custom('2026-01-01', '2026-13-01'), cal, now)).toBe('bad_date');
		expect(periodProblem(custom('2026-01-32', '2026-02-01'), cal, now)).toBe('bad_date');
		expect(periodProblem(custom('2026-12-03', '2026-12-01'), cal, now)).toBe('period_reversed');
		expect(periodProblem(custom('2026-12-06', '2026-12-09'), cal, now)).toBe('period_in_future');
		expect(periodProblem(custom('2024-01-01', '2026-12-01'), cal, now)).toBe('period_too_long');
	});

	it('lets a good period through', () => {
		expect(periodProblem(custom('2026-11-01', '2026-11-30'), cal, now)).toBeNull();
		expect(periodProblem(toQuery(readFilter(new URLSearchParams('period=today'))), cal, now)).toBeNull();
	});
});

describe('helpers', () => {
	it('names the CSV after the table and the period', () => {
		expect(csvFileName('wards', { from: '2026-11-29', to: '2026-12-05' })).toBe('ioc-wards-2026-11-29-2026-12-05.csv');
	});

	it('writes the device offset as the calendar does', () => {
		expect(deviceOffset(now)).toMatch(/^[+-]\d{2}:\d{2}$/);
	});
});
