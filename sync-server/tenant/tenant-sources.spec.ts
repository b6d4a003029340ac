import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_DIR } from '../config';

/**
 * The category names in tenant.json are the reference list's, read with a real CSV parser: names
 * hold commas ("Environment (waste dumping, pollution)"), and a split on "," once cut them.
 */

const TENANTS_DIR = path.dirname(DEFAULT_TENANT_DIR);
/** The reference list is kept with Lâm Đồng's sources; Đắk Lắk took its categories from it (its SOURCES.md). */
const CSV = path.join(TENANTS_DIR, 'lam-dong', 'sources', 'report-categories.csv');

interface Row {
	code: string;
	name_vi: string;
	name_en: string;
}

async function referenceRows(): Promise<Map<string, Row>> {
	// Throws on a row with more (or fewer) fields than the header: an unquoted comma.
	const rows = parse(await readFile(CSV, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Row[];
	return new Map(rows.map((r) => [r.code, r]));
}

async function categoriesOf(id: string): Promise<{ code: string; nameVi: string; nameEn: string }[]> {
	return JSON.parse(await readFile(path.join(TENANTS_DIR, id, 'tenant.json'), 'utf8')).categories;
}

describe('category names come whole from the reference CSV', () => {
	it('every Lâm Đồng category is a row of the CSV, with the same Vietnamese and English names', async () => {
		const rows = await referenceRows();
		const categories = await categoriesOf('lam-dong');
		expect(categories.map((c) => c.code)).toEqual([...rows.keys()]);
		for (const c of categories) expect({ code: c.code, nameVi: c.nameVi, nameEn: c.nameEn }).toEqual({ code: c.code, nameVi: rows.get(c.code)!.name_vi, nameEn: rows.get(c.code)!.name_en });
	});

	it('Đắk Lắk names its categories taken from the list exactly as the CSV does', async () => {
		const rows = await referenceRows();
		const shared = (await categoriesOf('dak-lak')).filter((c) => rows.has(c.code));
		expect(shared.length).toBe(rows.size);
		for (const c of shared) expect({ nameVi: c.nameVi, nameEn: c.nameEn }).toEqual({ nameVi: rows.get(c.code)!.name_vi, nameEn: rows.get(c.code)!.name_en });
	});

	it('a name with a comma survives (the row that was cut at its first comma)', async () => {
		const rows = await referenceRows();
		expect(rows.get('environment')!.name_en).toBe('Environment (waste dumping, pollution)');
	});
});
