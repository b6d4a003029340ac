import { describe, expect, it } from 'vitest';
import { counterLabel, formatClock, formatDuration, formatOfficeSatisfaction, formatPercentiles, formatPercentilesIn, formatRate, formatSatisfaction, formatStamp, officeLabel, officialLabel, trendOf } from './ioc-format';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('durations in the unit that suits them', () => {
	it('says minutes under an hour, hours under two days, days beyond, in both languages', () => {
		expect(formatDuration(20_000, 'vi')).toBe('dưới 1 phút');
		expect(formatDuration(20_000, 'en')).toBe('under 1 minute');
		expect(formatDuration(12 * MIN, 'vi')).toBe('12 phút');
		expect(formatDuration(12 * MIN, 'en')).toBe('12 min');
		expect(formatDuration(3.5 * HOUR, 'vi')).toBe('3,5 giờ');
		expect(formatDuration(3.5 * HOUR, 'en')).toBe('3.5 h');
		expect(formatDuration(36 * HOUR, 'vi')).toBe('36 giờ');
		expect(formatDuration(2.5 * DAY, 'vi')).toBe('2,5 ngày');
		expect(formatDuration(12 * DAY, 'en')).toBe('12 days');
	});

	it('says "—" when nothing was measured, never NaN', () => {
		expect(formatDuration(null, 'vi')).toBe('—');
		expect(formatDuration(Number.NaN, 'en')).toBe('—');
		expect(formatPercentiles({ p50Ms: null, p90Ms: null, n: 0 }, 'vi')).toBe('—');
	});

	it('gives the median and the 90th percentile together', () => {
		expect(formatPercentiles({ p50Ms: 45 * MIN, p90Ms: 3 * DAY, n: 12 }, 'vi')).toBe('trung vị 45 phút · 90 % trong 3 ngày');
		expect(formatPercentiles({ p50Ms: 45 * MIN, p90Ms: 3 * DAY, n: 12 }, 'en')).toBe('median 45 min · 90 % within 3 days');
	});
});

describe('rates', () => {
	it('rounds to a whole percentage', () => {
		expect(formatRate(37, 45, 'vi')).toBe('82 %');
		expect(formatRate(37, 45, 'en')).toBe('82%');
		expect(formatRate(45, 45, 'vi')).toBe('100 %');
	});

	it('says "—" out of nothing, not 0 % or NaN', () => {
		expect(formatRate(0, 0, 'vi')).toBe('—');
		expect(formatRate(0, 0, 'en')).toBe('—');
		expect(formatRate(0, 10, 'vi')).toBe('0 %');
	});

	it('shows satisfaction with its sample size, also when no one rated', () => {
		expect(formatSatisfaction(37, 45, 'vi')).toBe('82 % hài lòng (n = 45)');
		expect(formatSatisfaction(37, 45, 'en')).toBe('82% satisfied (n = 45)');
		expect(formatSatisfaction(0, 0, 'vi')).toBe('— hài lòng (n = 0)');
	});
});

describe('the trend against the previous period', () => {
	it('has an arrow for the eye and a sentence for a screen reader', () => {
		expect(trendOf(17, 12, 'vi')).toEqual({ direction: 'up', symbol: '▲ 5', words: 'tăng 5 so với kỳ trước (12)' });
		expect(trendOf(9, 12, 'en')).toEqual({ direction: 'down', symbol: '▼ 3', words: 'down 3 from the previous period (12)' });
		expect(trendOf(4, 4, 'vi').words).toBe('không đổi so với kỳ trước (4)');
		expect(trendOf(4, 4, 'vi').direction).toBe('same');
	});

	it('writes large numbers in the reader’s digits', () => {
		expect(trendOf(2756, 1000, 'vi').symbol).toBe('▲ 1.756');
		expect(trendOf(2756, 1000, 'en').symbol).toBe('▲ 1,756');
	});
});

describe('the "updated at" clock', () => {
	it('is the province’s wall clock, not the device’s', () => {
		expect(formatClock('2026-12-05T07:05:09.000Z', 'Asia/Ho_Chi_Minh', 'vi')).toBe('14:05:09');
		expect(formatClock('2026-12-05T07:05:09.000Z', 'Asia/Ho_Chi_Minh', 'en')).toBe('14:05:09');
	});

	it('gives the province’s day with the time (past midnight there, still the day before in UTC)', () => {
		expect(formatStamp('2026-12-05T18:30:00.000Z', 'Asia/Ho_Chi_Minh', 'vi')).toBe('01:30:00 06/12/2026');
	});
});

describe('the one-stop offices and the dossiers', () => {
	const offices = [{ id: 'mot-cua-lam-vien', nameVi: 'Bộ phận Một cửa phường Lâm Viên', nameEn: 'Lam Vien one-stop office', counters: [{ id: 'quay-2', number: 2 }] }];

	it('says queue waits in minutes and dossier times in days, "—" when none was counted', () => {
		expect(formatPercentilesIn('minutes', { p50Ms: 12 * MIN, p90Ms: 41.4 * MIN, n: 9 }, 'vi')).toBe('trung vị 12 phút · 90 % trong 41 phút');
		expect(formatPercentilesIn('days', { p50Ms: 2.5 * DAY, p90Ms: 7 * DAY, n: 3 }, 'en')).toBe('median 2.5 days · 90 % within 7 days');
		expect(formatPercentilesIn('minutes', { p50Ms: null, p90Ms: null, n: 0 }, 'vi')).toBe('—');
	});

	it('counts very satisfied and satisfied as satisfied, out of the rated, with the sample', () => {
		expect(formatOfficeSatisfaction({ verySatisfied: 3, satisfied: 1, rated: 5 }, 'vi')).toBe('80 % (n = 5)');
		expect(formatOfficeSatisfaction({ verySatisfied: 0, satisfied: 0, rated: 0 }, 'en')).toBe('— (n = 0)');
	});

	it('names offices, counters and officials from the config and the account', () => {
		expect(officeLabel('mot-cua-lam-vien', offices, 'en')).toBe('Lam Vien one-stop office');
		expect(officeLabel('gone', offices, 'vi')).toBe('gone');
		expect(counterLabel('mot-cua-lam-vien/quay-2', offices, 'vi')).toBe('Bộ phận Một cửa phường Lâm Viên — quầy 2');
		expect(counterLabel('mot-cua-lam-vien/quay-2', offices, 'en')).toBe('Lam Vien one-stop office — counter 2');
		expect(officialLabel('staff:ubnd-lam-vien')).toBe('ubnd-lam-vien');
		expect(officialLabel('staff:ubnd-lam-vien', 'Nguyễn Văn A')).toBe('Nguyễn Văn A');
	});
});
