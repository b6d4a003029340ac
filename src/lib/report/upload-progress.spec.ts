import { describe, expect, it } from 'vitest';
import { uploadProgressText } from './upload-progress';

describe('photo upload progress in words: "1,2/2,9 MB · còn ~20 giây"', () => {
	it('says megabytes with the language\'s decimal mark, and the time left at the measured rate', () => {
		expect(uploadProgressText({ sent: 1_200_000, total: 2_900_000, perSecond: 85_000 }, 'vi')).toBe('1,2/2,9 MB · còn ~20 giây');
		expect(uploadProgressText({ sent: 1_200_000, total: 2_900_000, perSecond: 85_000 }, 'en')).toBe('1.2/2.9 MB · ~20 s left');
	});

	it('counts small photos in tenths of a megabyte, never "0/0"', () => {
		expect(uploadProgressText({ sent: 40_000, total: 250_000 }, 'vi')).toBe('0,04/0,25 MB');
	});

	it('no rate yet (the first second): bytes only; long waits in minutes', () => {
		expect(uploadProgressText({ sent: 0, total: 2_900_000 }, 'vi')).toBe('0/2,9 MB');
		expect(uploadProgressText({ sent: 100_000, total: 9_100_000, perSecond: 20_000 }, 'vi')).toBe('0,1/9,1 MB · còn ~8 phút');
	});

	it('a few seconds left is said as such, rounded up, never "~0"', () => {
		expect(uploadProgressText({ sent: 2_890_000, total: 2_900_000, perSecond: 85_000 }, 'vi')).toBe('2,89/2,9 MB · còn ~1 giây');
	});
});
