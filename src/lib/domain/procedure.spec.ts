import { describe, expect, it } from 'vitest';
import { generatedCatalogue } from '../../../bench/support/procedure-catalogue';
import dakLakFile from '../../../data/tenants/dak-lak/procedures.json';
import lamDongFile from '../../../data/tenants/lam-dong/procedures.json';
import queries from '../../../tests/fixtures/procedure-queries.json';
import { ProcedureCatalogue, type ProcedureInput } from './procedure';

const KINDS = ['plain', 'no-diacritics', 'mixed', 'word-order', 'typo', 'abbreviation', 'everyday'];
const lamDong = ProcedureCatalogue.parse(lamDongFile);

describe('the shipped procedure catalogues (tenant data)', () => {
	it.each([
		['lam-dong', lamDongFile],
		['dak-lak', dakLakFile]
	])('%s: loads, and covers both levels and every online level', (_tenant, file) => {
		const { procedures } = ProcedureCatalogue.parse(file);
		expect(procedures.length).toBeGreaterThanOrEqual(45);
		expect(new Set(procedures.map((p) => p.level))).toEqual(new Set(['commune', 'province']));
		expect(new Set(procedures.map((p) => p.online))).toEqual(new Set(['full', 'partial', 'none']));
		// Residents search by everyday words: a procedure nobody can find by them is a gap in the data.
		expect(procedures.filter((p) => p.aliases.length === 0).map((p) => p.code)).toEqual([]);
	});

	it('shares the national procedures between the provinces, each with its own bodies', () => {
		const dakLak = ProcedureCatalogue.parse(dakLakFile).procedures;
		const national = (ps: { code: string }[]) => new Set(ps.map((p) => p.code).filter((c) => /^\d\.\d{6}$/.test(c)));
		expect(national(dakLak)).toEqual(national(lamDong.procedures));
		const where = new Map(dakLak.map((p) => [p.code, p.whereVi]));
		expect(lamDong.procedures.filter((p) => where.get(p.code) === p.whereVi).map((p) => p.code)).toEqual([]);
	});
});

describe('the search test set (tests/fixtures/procedure-queries.json)', () => {
	it('expects only procedures of the Lâm Đồng catalogue, with known kinds and no query twice', () => {
		const codes = new Set(lamDong.procedures.map((p) => p.code));
		expect(queries.filter((q) => !codes.has(q.code))).toEqual([]);
		expect(queries.filter((q) => !KINDS.includes(q.kind))).toEqual([]);
		expect(new Set(queries.map((q) => q.q.trim().toLowerCase())).size).toBe(queries.length);
	});

	it('has enough queries of the hard kinds to measure each', () => {
		expect(queries.length).toBeGreaterThanOrEqual(100);
		for (const kind of ['no-diacritics', 'typo', 'word-order']) {
			expect(queries.filter((q) => q.kind === kind).length, kind).toBeGreaterThanOrEqual(15);
		}
		const noMarks = queries.filter((q) => q.kind === 'no-diacritics');
		expect(noMarks.filter((q) => q.q.normalize('NFD') !== q.q || /đ/i.test(q.q))).toEqual([]);
	});
});

describe('generatedCatalogue (benchmark data)', () => {
	const bytesPer = (ps: unknown[]) => JSON.stringify(ps).length / ps.length;

	it('gives 2,000 valid procedures with unique codes, of about the real entries’ size', () => {
		const generated = ProcedureCatalogue.parse(generatedCatalogue());
		expect(generated.procedures).toHaveLength(2000);
		expect(new Set(generated.procedures.map((p) => p.code)).size).toBe(2000);
		expect(new Set(generated.procedures.map((p) => p.nameVi)).size).toBeGreaterThan(1500);
		const ratio = bytesPer(generated.procedures) / bytesPer(lamDong.procedures);
		expect(ratio).toBeGreaterThan(0.8);
		expect(ratio).toBeLessThan(1.5);
	});

	it('is deterministic for a seed, and another seed gives another catalogue', () => {
		expect(generatedCatalogue(300, 7)).toEqual(generatedCatalogue(300, 7));
		expect(generatedCatalogue(300, 8)).not.toEqual(generatedCatalogue(300, 7));
	});
});

describe('ProcedureCatalogue schema', () => {
	const one = (): ProcedureInput => structuredClone(lamDongFile.procedures[0]) as ProcedureInput;

	it('refuses a catalogue with a code twice, naming the second', () => {
		const r = ProcedureCatalogue.safeParse({ source: 'test', procedures: [one(), one()] });
		expect(r.success).toBe(false);
		expect(r.error?.issues.map((i) => i.path)).toEqual([['procedures', 1, 'code']]);
	});

	it('refuses a procedure without a document to bring', () => {
		const r = ProcedureCatalogue.safeParse({ source: 'test', procedures: [{ ...one(), documents: [] }] });
		expect(r.success).toBe(false);
		expect(r.error?.issues.map((i) => i.path)).toEqual([['procedures', 0, 'documents']]);
	});
});
