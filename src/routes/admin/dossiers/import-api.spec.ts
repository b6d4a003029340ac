import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../sync-server/dossiers/csv';
import { CSV_COLUMNS, dossiersFromCsv } from '../../../../sync-server/dossiers/dossier-import';
import { TEMPLATE_REQUIRED, fileKind, templateCsv } from './import-api';

describe('the CSV template the admin downloads', () => {
	it('has the columns the server reads, and its example dossier is read without a problem', () => {
		expect([...TEMPLATE_REQUIRED].sort()).toEqual([...CSV_COLUMNS].sort());
		const rows = dossiersFromCsv(parseCsv(templateCsv()), { utcOffset: '+07:00' });
		expect('missing' in rows).toBe(false);
		if ('missing' in rows) return;
		expect(rows).toHaveLength(1);
		expect(rows[0].problem).toBeUndefined();
		expect(rows[0].value).toMatchObject({ status: 'processing', applicantPhone: '0912345678', steps: [{ noteVi: 'Đã tiếp nhận' }, { noteVi: 'Đang xử lý, chờ ký' }] });
	});

	it('sends a file as CSV or JSON by its name or type, and nothing else', () => {
		expect(fileKind({ name: 'HoSo.CSV', type: '' })).toBe('csv');
		expect(fileKind({ name: 'feed.json', type: '' })).toBe('json');
		expect(fileKind({ name: 'export', type: 'text/csv' })).toBe('csv');
		expect(fileKind({ name: 'report.xlsx', type: 'application/vnd.ms-excel' })).toBeNull();
	});
});
