import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';

describe('CSV as one-stop systems export it', () => {
	it('reads quoted fields with commas, doubled quotes and line breaks, CRLF, and a BOM', () => {
		const t = parseCsv('\ufeffcode,note\r\nA-1,"Thiếu bản sao, ""giấy"" khai sinh"\r\nA-2,"hai\ndòng"\r\n\r\n');
		expect(t.header).toEqual(['code', 'note']);
		expect(t.rows.map((r) => r.fields)).toEqual([
			{ code: 'A-1', note: 'Thiếu bản sao, "giấy" khai sinh' },
			{ code: 'A-2', note: 'hai\ndòng' }
		]);
		expect(t.rows.map((r) => r.line)).toEqual([2, 3]);
	});

	it('keeps a row of the wrong width as it is, with its line, for the import to refuse', () => {
		const t = parseCsv('a,b\n1,2,3\n4');
		expect(t.rows.map((r) => [r.line, r.width])).toEqual([
			[2, 3],
			[3, 1]
		]);
	});
});
