import { describe, expect, it } from 'vitest';
import { fold, foldedIncludes } from './fold';

describe('fold', () => {
	it('strips tone marks and vowel hats', () => {
		expect(fold('Thủ tục hành chính')).toBe('thu tuc hanh chinh');
		expect(fold('Phường Xuân Hương - Đà Lạt')).toBe('phuong xuan huong - da lat');
	});
	it('turns đ and Đ into d', () => {
		expect(fold('Đắk Lắk đường')).toBe('dak lak duong');
	});
	it('handles text typed in decomposed form (NFD) the same as composed', () => {
		expect(fold('Lâm Viên'.normalize('NFD'))).toBe(fold('Lâm Viên'));
	});
	it('collapses spaces and case', () => {
		expect(fold('  LANG   Biang ')).toBe('lang biang');
	});
});

describe('foldedIncludes', () => {
	it('finds "thu tuc" in "thủ tục"', () => {
		expect(foldedIncludes('Thái độ phục vụ, thủ tục hành chính', 'thu tuc')).toBe(true);
	});
	it('matches words in any order', () => {
		expect(foldedIncludes('Phường Lâm Viên - Đà Lạt', 'da lat lam vien')).toBe(true);
	});
	it('does not match a word that is absent', () => {
		expect(foldedIncludes('Phường Cam Ly - Đà Lạt', 'lam vien')).toBe(false);
	});
	it('an empty query matches everything', () => {
		expect(foldedIncludes('Xã Đạ Tẻh', '  ')).toBe(true);
	});
});
