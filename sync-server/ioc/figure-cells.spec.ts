import { describe, expect, it } from 'vitest';
import { splitRange } from './figure-cells';

describe('a period as whole months and edge days', () => {
	it('takes the months it covers whole and the days at either end', () => {
		const s = splitRange({ from: '2026-10-20', to: '2026-12-03' });
		expect(s.months).toEqual(['2026-11']);
		expect(s.days).toEqual([...Array.from({ length: 12 }, (_, i) => `2026-10-${20 + i}`), '2026-12-01', '2026-12-02', '2026-12-03']);
	});

	it('reads a year as twelve months, February of a leap year included, and a month cut short as days', () => {
		expect(splitRange({ from: '2028-01-01', to: '2028-12-31' })).toEqual({ days: [], months: Array.from({ length: 12 }, (_, i) => `2028-${String(i + 1).padStart(2, '0')}`) });
		expect(splitRange({ from: '2028-02-01', to: '2028-02-29' })).toEqual({ days: [], months: ['2028-02'] });
		expect(splitRange({ from: '2028-02-01', to: '2028-02-28' }).months).toEqual([]);
		expect(splitRange({ from: '2026-12-05', to: '2026-12-05' })).toEqual({ days: ['2026-12-05'], months: [] });
	});
});
