import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeTrackingCode, TRACKING_ALPHABET, TRACKING_INPUT_MAX } from './tracking-code';

const CODE = 'DLK-261205-6FGD8';

describe('normalizeTrackingCode', () => {
	it.each([
		['dlk-261205-6fgd8', 'lower case'],
		[' DLK 261205 6FGD8 ', 'spaces instead of dashes, padding'],
		['DLK2612056FGD8', 'read aloud: no dashes'],
		['dlk – 261205 — 6fgd8', 'en and em dashes'],
		['DLK.261205.6FGD8', 'dots'],
		['ＤＬＫ－２６１２０５－６ＦＧＤ８', 'full-width (a phone keyboard in CJK mode)'],
		['\u200bDLK-261205-6FGD8\u200e', 'invisible characters pasted from a chat'],
		['DLK-26I2O5-6FGD8', 'I and O in the date'],
		['đlk 261205 6fgđ8', 'Telex turned dd into đ'],
		['DLK-261205-6FGD8'.normalize('NFD'), 'decomposed']
	])('reads %j (%s) as the canonical code', (typed) => {
		expect(normalizeTrackingCode(typed)).toBe(CODE);
	});

	it('reads the letters Crockford base32 leaves out as the characters they look like', () => {
		expect(normalizeTrackingCode('ld-261205-oil2u')).toBe('LD-261205-0112V');
		// A Vietnamese keyboard's lone "w" becomes "ư"; a tone mark typed by mistake decorates a vowel.
		expect(normalizeTrackingCode('LD-261205-ƯÁ2Ẹ9')).toBe('LD-261205-WA2E9');
	});

	it('adds the tenant prefix to a code given without it, and only then', () => {
		expect(normalizeTrackingCode('261205 6fgd8', 'DLK')).toBe(CODE);
		expect(normalizeTrackingCode('261205 6fgd8')).toBeNull();
		// A code that has a prefix keeps its own: the look-up answers "not found" for another province's.
		expect(normalizeTrackingCode('LD-261205-6FGD8', 'DLK')).toBe('LD-261205-6FGD8');
	});

	it.each([
		['', 'empty'],
		['hello', 'words'],
		['DLK-261205-6FGD', 'a character short'],
		['DLK-261205-6FGD8X', 'a character too many'],
		['DLK-261305-6FGD8', 'month 13'],
		['DLK-261200-6FGD8', 'day 0'],
		['DLK-261205-6FG$8', 'a symbol'],
		['D-261205-6FGD8', 'a one-letter prefix'],
		['DLKAB-261205-6FGD8', 'a five-letter prefix'],
		['12-261205-6FGD8', 'a prefix of digits'],
		[`DLK-261205-6FGD8${' '.repeat(TRACKING_INPUT_MAX)}`, 'longer than any code however spaced']
	])('refuses %j (%s)', (typed) => {
		expect(normalizeTrackingCode(typed)).toBeNull();
	});

	it('refuses what is not a string', () => {
		expect(normalizeTrackingCode(undefined)).toBeNull();
		expect(normalizeTrackingCode({ toString: () => CODE })).toBeNull();
	});

	it('gives every spelling of an issued code that one code, and a canonical code itself', () => {
		const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
		const code = fc
			.record({
				prefix: fc.array(letter, { minLength: 2, maxLength: 4 }).map((a) => a.join('')),
				mm: fc.integer({ min: 1, max: 12 }),
				dd: fc.integer({ min: 1, max: 31 }),
				yy: fc.integer({ min: 0, max: 99 }),
				suffix: fc.array(fc.constantFrom(...TRACKING_ALPHABET), { minLength: 5, maxLength: 5 }).map((a) => a.join(''))
			})
			.map(({ prefix, yy, mm, dd, suffix }) => `${prefix}-${[yy, mm, dd].map((n) => String(n).padStart(2, '0')).join('')}-${suffix}`);
		const spacing = fc.array(fc.constantFrom('', ' ', '-', ' - ', '  '), { minLength: 15, maxLength: 15 });
		fc.assert(
			fc.property(code, spacing, fc.boolean(), (c, gaps, lower) => {
				expect(normalizeTrackingCode(c)).toBe(c);
				const chars = [...c.replace(/-/g, '')];
				const typed = chars.map((ch, i) => (gaps[i] ?? '') + (lower ? ch.toLowerCase() : ch)).join('');
				expect(normalizeTrackingCode(typed)).toBe(c);
			})
		);
	});
});
