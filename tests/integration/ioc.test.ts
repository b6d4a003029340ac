/**
 * The operations centre's figures (issue 15) after a scripted history, against values computed by
 * hand: five reports received together, then answered, resolved on time and late, found invalid,
 * rated satisfied and not (a reopening), one left to go overdue. Then: rebuilt from scratch equals
 * kept incrementally; who may see what; bad periods and filters; the CSV; the live stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocAnswer, IocWarning } from '$lib/domain/ioc';
import type { Report } from '$lib/domain/report';
import { localDate } from '$lib/domain/work-calendar';
import { act, call, fileReport, flaggedOverdue, openSse, pullAll, signIn, startServer, STORAGE_MODE, type DeviceSession, type Session, type TestServer } from './harness';

const HOUR = 3_600_000;
let offset = 0;
const now = () => new Date(Date.now() + offset);
const advance = (ms: number) => (offset += ms);

let srv: TestServer;
let ana: DeviceSession;
let lamVien: Session;
let leader: Session;
let admin: Session;
let reports: Report[];

const figures = async (s: Session | DeviceSession, query = '') => call<IocAnswer & { error?: { code: string } }>(`${srv.url}/api/ioc/figures?${query}`, { token: s.token });

beforeAll(async () => {
	srv = await startServer({ now, overdueCheckMs: 50, iocWarningsMs: 50 });
	[ana, lamVien, leader, admin] = await signIn(srv.url, 'device', 'ubnd-lam-vien', 'lanhdao', 'admin');

	// t0: five reports of one category in one ward (due 6 h later).
	reports = [];
	for (let i = 0; i < 5; i++) reports.push(await fileReport(srv.url, ana));
	const [r1, r2, r3, r4, r5] = reports;
	advance(HOUR); // +1 h: R1 accepted, R4 found invalid (first answers after 1 h)
	await act(srv.url, lamVien, r1, 'accepted');
	await act(srv.url, lamVien, r4, 'rejected_invalid', { note: 'Không thuộc thẩm quyền' });
	advance(HOUR); // +2 h: R1 and R3 resolved; R1 rated satisfied, R3 not (it reopens)
	await act(srv.url, lamVien, r1, 'resolved', { note: 'Đã dọn' });
	await act(srv.url, lamVien, r3, 'resolved', { note: 'Đã dọn' });
	await act(srv.url, ana, r1, 'feedback', { satisfied: true });
	await act(srv.url, ana, r3, 'feedback', { satisfied: false, note: 'Vẫn còn rác' });
	advance(5 * HOUR); // +7 h: R2 and R5 past due (6 h); R2 resolved late
	await flaggedOverdue(srv.url, lamVien, r5.id);
	await flaggedOverdue(srv.url, lamVien, r2.id);
	await act(srv.url, lamVien, r2, 'resolved', { note: 'Đã dọn, trễ' });
}, 60_000);
afterAll(() => srv?.close());

/** Polls until the figures show `received` reports (they follow the feed: a moment after a write). */
async function settled(s: Session, received: number, query = ''): Promise<IocAnswer> {
	const until = Date.now() + 10_000;
	for (;;) {
		const a = await figures(s, query);
		expect(a.status).toBe(200);
		if (a.body.totals.received === received && a.body.totals.resolved + a.body.totals.invalid + a.body.totals.open === received) return a.body;
		if (Date.now() > until) return a.body;
		await new Promise((r) => setTimeout(r, 50));
	}
}

const near = (ms: number | null, expected: number) => expect(Math.abs((ms ?? NaN) - expected) / expected).toBeLessThan(0.05);

describe(`operations centre figures (${STORAGE_MODE})`, () => {
	it('equal the hand-computed values of the scripted history', async () => {
		let a = await settled(leader, 5);
		// The last resolution (R2) must be in: wait for its effect as well.
		for (let i = 0; i < 100 && a.totals.resolved < 2; i++) a = await settled(leader, 5);
		expect(a.complete).toBe(true);
		expect(a.totals).toMatchObject({
			received: 5,
			resolved: 2, // R1 on time, R2 late
			onTime: 1,
			invalid: 1, // R4
			open: 2, // R3 reopened, R5
			inProgress: 0,
			overdue: 1, // R5 (R3's new due time is +8 h; R2 is closed)
			withdrawn: 0,
			reopened: 1, // R3: closed but not fixed, apart from the fixed
			rated: 2,
			satisfied: 1
		});
		// First answers: R1 1 h, R4 1 h, R3 2 h, R2 7 h → p50 1 h, p90 7 h; resolutions R1 2 h, R2 7 h.
		expect(a.totals.firstResponse.n).toBe(4);
		near(a.totals.firstResponse.p50Ms, HOUR);
		near(a.totals.firstResponse.p90Ms, 7 * HOUR);
		expect(a.totals.resolution.n).toBe(2);
		near(a.totals.resolution.p50Ms, 2 * HOUR);
		near(a.totals.resolution.p90Ms, 7 * HOUR);
		// Every day of the week, oldest first, adding up to the week.
		expect(a.series.grain).toBe('day');
		expect(a.series.rows.map((d) => d.key)).toEqual(Array.from({ length: 7 }, (_, i) => new Date(Date.parse(`${a.period.from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)));
		expect(a.series.rows.reduce((n, d) => n + d.figures.received, 0)).toBe(5);
		// The previous week had nothing: the trend's baseline.
		expect(a.previousTotals.received).toBe(0);
		expect(a.byCategory).toEqual([{ key: 'environment', figures: a.totals }]);
		expect(a.byWard).toEqual([{ key: '24778', figures: a.totals }]);
		expect(a.byUnit.map((r) => r.key)).toEqual(expect.arrayContaining(reports[0].assignedUnitIds!));
		// The overdue list: R5, seen by nobody, answered by nobody, late by about an hour.
		expect(a.overdueTotal).toBe(1);
		expect(a.overdue[0]).toMatchObject({
			id: reports[4].id,
			trackingCode: reports[4].trackingCode,
			unanswered: true,
			unseenUnitIds: reports[4].assignedUnitIds,
			idleUnitIds: reports[4].assignedUnitIds
		});
		expect(a.overdue[0].lateMs).toBeGreaterThan(0.9 * HOUR);
		expect(JSON.stringify(a)).not.toMatch(/Nguyễn|09\d{8}|description/);
	});

	it('export every report of the period, one row each, with nothing personal', async () => {
		const res = await fetch(`${srv.url}/api/ioc/export.csv?table=reports`, { headers: { authorization: `Bearer ${leader.token}` } });
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const rows = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
		expect(rows[0]).toMatch(/^Mã phản ánh \/ Report id,Ngày nhận \/ Received,/);
		const byId = new Map(rows.slice(1).map((r) => [r.split(',')[0], r]));
		expect(byId.size).toBeGreaterThanOrEqual(5);
		expect(byId.get(reports[3].id)).toContain('Không hợp lệ / Invalid');
		expect(byId.get(reports[0].id)).toMatch(/Đã xử lý \/ Resolved,x,,1\.0,2\.0,x$/);
		expect(rows.join('\n')).not.toMatch(/Nguyễn|09\d{8}|Rác đổ trộm/);
	});

	it('rebuilt from scratch, give the same figures as kept incrementally', async () => {
		const before = await settled(leader, 5);
		const rebuilt = await call<{ reports: number }>(`${srv.url}/api/ioc/rebuild`, { method: 'POST', token: admin.token });
		expect(rebuilt.status).toBe(200);
		expect(rebuilt.body.reports).toBeGreaterThanOrEqual(5);
		const after = (await figures(leader)).body;
		const { asOf: _a, overdue: o1, ...rest1 } = before;
		const { asOf: _b, overdue: o2, ...rest2 } = after;
		expect(rest2).toEqual(rest1);
		expect(o2.map((o) => o.id)).toEqual(o1.map((o) => o.id));
		expect((await call(`${srv.url}/api/ioc/rebuild`, { method: 'POST', token: leader.token })).status).toBe(403);
	});

	it('filter by commune, unit and category, and refuse unknown ones and bad periods with their codes', async () => {
		expect((await figures(leader, 'ward=24778&category=environment')).body.totals.received).toBe(5);
		expect((await figures(leader, `unit=${reports[0].assignedUnitIds![0]}`)).body.totals.received).toBe(5);
		// "Today" is the tenant's local day by the server's clock (7 h ahead here): the reports' day or the next.
		const sameDay = localDate({ utcOffset: '+07:00' }, now()) === localDate({ utcOffset: '+07:00' }, new Date(reports[0].receivedAt!));
		expect((await figures(leader, 'period=today')).body.totals.received).toBe(sameDay ? 5 : 0);
		const bad: [string, string][] = [
			['ward=99999', 'unknown_ward'],
			['unit=no-such-unit', 'unknown_unit'],
			['category=no-such', 'unknown_category'],
			['period=custom&from=2999-01-01&to=2999-01-02', 'validation_failed period_in_future'],
			['period=custom&from=2020-01-01&to=2022-01-01', 'validation_failed period_too_long'],
			['period=custom&from=2025-03-10&to=2025-03-01', 'validation_failed period_reversed'],
			['period=custom&from=2025-02-30&to=2025-03-01', 'validation_failed bad_date']
		];
		for (const [q, code] of bad) {
			const r = await call<{ error: { code: string; details?: { problem?: string } } }>(`${srv.url}/api/ioc/figures?${q}`, { token: leader.token });
			const got = [r.body.error?.code, r.body.error?.details?.problem].filter(Boolean).join(' ');
			expect([q, r.status, got]).toEqual([q, 400, code]);
		}
	});

	it('are for leaders, admins and operators; a unit head sees only a unit of their own; another handler and a resident nothing', async () => {
		expect((await figures(admin)).status).toBe(200);
		// An operations centre operator: the figures, and nothing of the reports themselves.
		const [operator] = await signIn(srv.url, 'dieuhanh');
		expect((await figures(operator)).body.totals.received).toBeGreaterThanOrEqual(5);
		expect((await pullAll(srv.url, leader.token, 'reports')).docs.length).toBeGreaterThanOrEqual(5);
		expect((await pullAll(srv.url, operator.token, 'reports')).docs).toEqual([]);
		const own = await figures(lamVien);
		expect(own.status).toBe(200);
		expect(own.body.byUnit.map((r) => r.key)).toEqual(['ubnd-lam-vien']);
		expect((await figures(lamVien, 'unit=police')).status).toBe(403);
		expect((await figures(ana)).status).toBe(403);
		// A unit's official who does not head it (tenant.json `unitHead`) sees no figures and no warnings.
		const [officer] = await signIn(srv.url, 'ubnd-xuan-huong');
		expect(officer.user).not.toHaveProperty('unitHead');
		expect(lamVien.user).toMatchObject({ unitHead: true });
		expect((await figures(officer)).status).toBe(403);
		expect((await call(`${srv.url}/api/ioc/warnings`, { token: officer.token })).status).toBe(403);
		expect((await call(`${srv.url}/api/ioc/figures`)).status).toBe(401);
	});

	it('export a table as CSV that Excel reads as UTF-8, with Vietnamese names intact', async () => {
		const res = await fetch(`${srv.url}/api/ioc/export.csv?table=categories`, { headers: { authorization: `Bearer ${leader.token}` } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/text\/csv; charset=utf-8/);
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes.slice(3));
		const [header, row, total] = text.trim().split('\r\n');
		expect(header).toMatch(/^Lĩnh vực \/ Category,Tiếp nhận \/ Received,/);
		expect(row).toMatch(/^Môi trường[^,]*,5,2,0,1,2,1,1,0,1,/);
		expect(total).toMatch(/^Tổng \/ Total,5,/);
		const overdue = await (await fetch(`${srv.url}/api/ioc/export.csv?table=overdue`, { headers: { authorization: `Bearer ${leader.token}` } })).text();
		expect(overdue).toContain(reports[4].trackingCode!);
	});

	it('move live: a new report reaches the stream and the figures within a second or two', async () => {
		const stream = await openSse(`${srv.url}/api/ioc/stream?token=${encodeURIComponent(leader.token)}`);
		try {
			await stream.next(5_000); // the first message: the figures' time now
			await fileReport(srv.url, ana, { categoryCode: 'traffic-security' });
			const ping = (await stream.next(5_000)) as { asOf: string };
			expect(Date.parse(ping.asOf)).toBeGreaterThan(0);
			const a = await figures(leader);
			expect(a.body.totals.received).toBe(6);
			expect(a.body.byCategory.find((r) => r.key === 'traffic-security')?.figures.received).toBe(1);
		} finally {
			stream.close();
		}
		const refused = await fetch(`${srv.url}/api/ioc/stream?token=${encodeURIComponent(ana.token)}`);
		expect(refused.status).toBe(403);
	});

	it('rebuilt while reports keep arriving, are exact: the same as kept incrementally, and as a second rebuild', async () => {
		const before = (await figures(leader)).body.totals.received;
		const filing = (async () => {
			for (let i = 0; i < 10; i++) await fileReport(srv.url, ana);
		})();
		const during = await call<{ reports: number }>(`${srv.url}/api/ioc/rebuild`, { method: 'POST', token: admin.token });
		await filing;
		expect(during.status).toBe(200);
		const live = await settled(leader, before + 10);
		await call(`${srv.url}/api/ioc/rebuild`, { method: 'POST', token: admin.token });
		const again = (await figures(leader)).body;
		const { asOf: _a, overdue: _o1, ...a } = live;
		const { asOf: _b, overdue: _o2, ...b } = again;
		expect(a.totals.received).toBe(before + 10);
		expect(b).toEqual(a);
	});
});

describe('operations centre warnings of reports', () => {
	it('warn of an overdue report and of a unit that has not opened its reports for the tenant’s hours', async () => {
		const list = async () => (await call<{ warnings: IocWarning[] }>(`${srv.url}/api/ioc/warnings`, { token: leader.token })).body.warnings;
		const until = Date.now() + 10_000;
		let overdue: IocWarning | undefined;
		while (!(overdue = (await list()).find((w) => w.type === 'report_overdue' && w.reportId === reports[4].id)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
		expect(overdue).toMatchObject({ id: `overdue|${reports[4].id}|${reports[4].dueAt}`, trackingCode: reports[4].trackingCode, unitIds: reports[4].assignedUnitIds });

		advance(2 * HOUR); // +9 h: R3 (reopened) and R5 unopened by their unit for more than 8 h
		const unit = reports[4].assignedUnitIds![0];
		let unseen: IocWarning | undefined;
		const until2 = Date.now() + 10_000;
		while (!(unseen = (await list()).find((w) => w.type === 'unit_unseen' && w.unitIds.includes(unit))) && Date.now() < until2) await new Promise((r) => setTimeout(r, 50));
		expect(unseen!.value).toBeGreaterThanOrEqual(2);
		expect(unseen!.baseline).toBeGreaterThanOrEqual(9);
		expect(JSON.stringify(await list())).not.toMatch(/Nguyễn|09\d{8}|description/);
	});

	it('name, on the overdue list, the units that have not acted: one that opens it and takes a step leaves the list of idle units', async () => {
		const item = async () => (await figures(leader)).body.overdue.find((o) => o.id === reports[4].id);
		const unit = lamVien.user.unitIds[0];
		expect(reports[4].assignedUnitIds).toContain(unit);
		expect((await item())?.idleUnitIds).toContain(unit);
		await act(srv.url, lamVien, reports[4], 'seen');
		await act(srv.url, lamVien, reports[4], 'progress', { note: 'Đang cử người đến' });
		const until = Date.now() + 10_000;
		let o = await item();
		while (o?.idleUnitIds.includes(unit) && Date.now() < until) (await new Promise((r) => setTimeout(r, 50)), (o = await item()));
		// Still overdue (a step is not a result), but answered, seen and acted on by its unit.
		expect(o).toMatchObject({ unanswered: false });
		expect(o!.idleUnitIds).not.toContain(unit);
		expect(o!.unseenUnitIds).not.toContain(unit);
		const csv = await fetch(`${srv.url}/api/ioc/export.csv?table=overdue`, { headers: { authorization: `Bearer ${leader.token}` } });
		expect((await csv.text()).split('\r\n')[0]).toContain('Chưa xử lý / Not acted');
	});
});
