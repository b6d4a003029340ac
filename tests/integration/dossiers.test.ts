/**
 * Dossiers (issue 13) on the real server: an admin imports them from the province's one-stop system
 * (JSON or CSV), idempotently, row by row with reasons; anyone with a code reads the public status,
 * the applicant masked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deviceSession, login, startServer, type Session, type TestServer } from './harness';

let srv: TestServer;
let admin: Session;

interface Report {
	imported: number;
	unchanged: number;
	rejected: { row: number; code?: string; reason: string }[];
}

const BIRTH = '1.001193'; // Đăng ký khai sinh, 0 or more working days in data/tenants/lam-dong/procedures.json
const good = (code: string, extra: Record<string, unknown> = {}) => ({
	code,
	procedureCode: BIRTH,
	applicantName: 'Nguyễn Thị Lan',
	applicantPhone: '0912345678',
	receivedAt: '2026-12-07T09:00:00+07:00',
	status: 'submitted',
	...extra
});
const importJson = (body: unknown, token = admin.token) => call<Report & { error?: { code: string } }>(`${srv.url}/api/dossiers/import`, { token, body });
const importCsv = async (csv: string) => {
	const res = await fetch(`${srv.url}/api/dossiers/import`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' }, body: csv });
	return { status: res.status, body: (await res.json()) as Report & { error?: { code: string; message: string } } };
};
const lookUp = (code: string) =>
	call<{ code: string; applicant: string; status: string; dueAt: string; timeliness: string; steps: unknown[]; error?: { code: string } }>(
		`${srv.url}/api/public/dossiers/${encodeURIComponent(code)}`
	);

beforeAll(async () => {
	srv = await startServer();
	admin = await login(srv.url, 'admin');
});
afterAll(() => srv?.close());

describe('importing dossiers', () => {
	it('imports the good ones, refuses the others with their row and reason, and counts nothing twice', async () => {
		const body = {
			dossiers: [
				good('H38-251207-0001'),
				good('h38-251207-0002', { status: 'needs_documents', steps: [{ at: '2026-12-07T09:00:00+07:00', status: 'submitted' }, { at: '2026-12-08T10:00:00+07:00', status: 'needs_documents', noteVi: 'Thiếu bản sao giấy chứng sinh' }] }),
				good('H38-251207-0003', { procedureCode: '9.999999' }),
				good('H38/bad'),
				good('H38-251207-0001')
			]
		};
		const first = await importJson(body);
		expect(first.status).toBe(200);
		expect(first.body.imported).toBe(2);
		expect(first.body.rejected.map((r) => [r.row, r.reason.split(':')[0]])).toEqual([
			[3, 'procedureCode'],
			[4, 'code'],
			[5, 'code']
		]);
		// The same file again changes nothing.
		const again = await importJson(body);
		expect(again.body).toMatchObject({ imported: 0, unchanged: 2 });
		// A changed dossier is written again.
		const changed = await importJson({ dossiers: [good('H38-251207-0001', { status: 'accepted', steps: [{ at: '2026-12-07T09:00:00+07:00', status: 'submitted' }, { at: '2026-12-07T10:00:00+07:00', status: 'accepted' }] })] });
		expect(changed.body).toMatchObject({ imported: 1, unchanged: 0, rejected: [] });
	});

	it('reads a CSV export: a row per step, local dates, and refuses a file without its columns', async () => {
		const csv = [
			'code,procedureCode,applicantName,applicantPhone,receivedAt,dueAt,status,at,noteVi',
			'H38-251207-0101,1.001193,Trần Văn Bình,,07/12/2026 08:30,,submitted,07/12/2026 08:30,',
			'H38-251207-0101,1.001193,Trần Văn Bình,,07/12/2026 08:30,,processing,07/12/2026 14:00,"Đang xử lý, chờ ký"',
			'H38-251207-0102,1.001193,Lê Thị Hoa,,31/02/2026 08:30,,submitted,31/02/2026 08:30,'
		].join('\r\n');
		const res = await importCsv(csv);
		expect(res.status).toBe(200);
		expect(res.body.imported).toBe(1);
		expect(res.body.rejected).toEqual([expect.objectContaining({ row: 4, reason: expect.stringContaining('receivedAt "31/02/2026 08:30" is not a date') })]);
		const seen = await lookUp('H38-251207-0101');
		expect(seen.body.status).toBe('processing');
		expect(seen.body.steps).toHaveLength(2);

		const wrong = await importCsv('ma_ho_so,ten\nX,Y');
		expect(wrong.status).toBe(400);
		expect(wrong.body.error?.code).toBe('import_invalid');
		expect(wrong.body.error?.message).toContain('procedureCode');
	});

	it('is for an admin only, and a stranger is refused before the body is read', async () => {
		const handler = await login(srv.url, 'ubnd-lam-vien');
		expect((await importJson({ dossiers: [good('H38-251207-0201')] }, handler.token)).status).toBe(403);
		const resident = await deviceSession(srv.url);
		expect((await importJson({ dossiers: [good('H38-251207-0201')] }, resident.token)).status).toBe(403);
		expect((await call(`${srv.url}/api/dossiers/import`, { body: { dossiers: [] } })).status).toBe(401);
	});
});

describe('looking a dossier up by its code', () => {
	it('answers the public status as typed (any case, spaces), the applicant masked, nothing private', async () => {
		const res = await lookUp(' h38-251207-0002 ');
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ code: 'H38-251207-0002', applicant: 'N***** T** L**', status: 'needs_documents' });
		// Due from the procedure's working days when the feed gave none.
		expect(Date.parse(res.body.dueAt)).toBeGreaterThan(Date.parse('2026-12-07T02:00:00Z'));
		const text = JSON.stringify(res.body);
		for (const secret of ['Nguyễn', '0912345678', 'applicantPhone', 'tenantId']) expect(text).not.toContain(secret);
	});

	it('says what is wrong with a code that cannot be one, and one nobody has', async () => {
		expect((await lookUp('ab')).body.error?.code).toBe('dossier_code_invalid');
		const unknown = await lookUp('H38-000000-9999');
		expect(unknown.status).toBe(404);
		expect(unknown.body.error?.code).toBe('dossier_unknown');
	});
});
