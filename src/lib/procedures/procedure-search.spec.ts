import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProcedureCatalogue, type Procedure } from '../domain/procedure';
import { createProcedureSearch } from './procedure-search';
import { queryTerms } from './vi-terms';

const catalogue = ProcedureCatalogue.parse(JSON.parse(readFileSync(new URL('../../../data/tenants/lam-dong/procedures.json', import.meta.url), 'utf8')));
const queries = JSON.parse(readFileSync(new URL('../../../tests/fixtures/procedure-queries.json', import.meta.url), 'utf8')) as { q: string; code: string; kind: string }[];
const search = createProcedureSearch(catalogue.procedures);

/** The procedure whose Vietnamese name matches `re` (the test's way to name what it expects). */
function named(re: RegExp): Procedure {
	const found = catalogue.procedures.filter((p) => re.test(p.nameVi));
	if (found.length !== 1) throw new Error(`${re} names ${found.length} procedures`);
	return found[0];
}
const top = (q: string, n = 3) => search.search(q).slice(0, n);

describe('the Vietnamese a search box gets', () => {
	it('folds accents and đ, keeps syllables apart, expands the usual abbreviations', () => {
		expect(queryTerms('Đăng ký  GIẤY phép')).toEqual(['dang', 'ky', 'giay', 'phep']);
		expect(queryTerms('cấp phép xd')).toEqual(['cap', 'phep', 'xay', 'dung']);
		expect(queryTerms('Đăng ký'.normalize('NFD'))).toEqual(['dang', 'ky']);
		expect(queryTerms('  ,. ')).toEqual([]);
	});
});

describe('procedure search', () => {
	const permit = named(/^Cấp giấy phép xây dựng.*nhà ở riêng lẻ/i);

	it('finds a procedure with or without accents, in any word order, with a typo or an abbreviation', () => {
		for (const q of ['giấy phép xây dựng nhà ở', 'giay phep xay dung nha o', 'xay dung giay phep nha o', 'giay pehp xay dung nha o', 'cap phep xd nha o'])
			expect(top(q), q).toContain(permit.code);
	});

	it('ranks the procedure named by the whole query first', () => {
		for (const p of catalogue.procedures.slice(0, 20)) expect(search.search(p.nameVi)[0], p.nameVi).toBe(p.code);
	});

	it('answers as the resident types: the last syllable may be unfinished', () => {
		const birth = named(/^Đăng ký khai sinh$/i);
		expect(top('dang ky khai si')).toContain(birth.code);
	});

	it('gives nothing for a blank query, and nothing unrelated for gibberish', () => {
		expect(search.search('   ')).toEqual([]);
		expect(search.search('xyzw qqq')).toEqual([]);
	});

	it(`puts the expected procedure in the first three for >= 95 % of ${queries.length} real queries, every kind`, () => {
		const misses = queries.filter(({ q, code }) => !top(q).includes(code));
		const rate = 1 - misses.length / queries.length;
		expect(rate, `missed: ${misses.map((m) => `${m.q} → ${m.code}`).join('; ')}`).toBeGreaterThanOrEqual(0.95);
		for (const kind of new Set(queries.map((q) => q.kind))) {
			const ofKind = queries.filter((q) => q.kind === kind);
			const missed = ofKind.filter((q) => misses.includes(q)).length;
			expect(missed / ofKind.length, `${kind}: ${missed} of ${ofKind.length} missed`).toBeLessThanOrEqual(0.15);
		}
	});
});
