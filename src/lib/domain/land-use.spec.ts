import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLandUseCsv } from './land-use';

describe('land-use codes', () => {
	it('reads the national list with both names, names with commas whole', () => {
		const rows = parseLandUseCsv(readFileSync(new URL('../../../data/land-use-codes.csv', import.meta.url), 'utf8'));
		expect(rows.length).toBeGreaterThanOrEqual(40);
		expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
		for (const r of rows) expect(r.nameEn, r.code).not.toBe('');
		expect(rows.find((r) => r.code === 'ODT')).toMatchObject({ nameVi: 'Đất ở tại đô thị', group: 'residential' });
		expect(rows.find((r) => r.code === 'DCT')?.nameVi).toBe('Đất công trình cấp nước, thoát nước');
	});

	it('refuses a file without an English column, rather than showing blanks', () => {
		expect(() => parseLandUseCsv('code,group,name_vi\nODT,residential,Đất ở tại đô thị\n')).toThrow(/name_en/);
	});
});
