/**
 * A resident contests an "invalid" decision (không đồng ý với kết luận) against the real server:
 * once, with a reason; the report waits for a leader, whose decision is final — uphold (invalid,
 * no second contest) or reopen to the units. The public sees that it was contested, not the words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, call, fileReport, makeEvent, pullAll, push, reportAs, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

let srv: TestServer;
let ana: DeviceSession;
let binh: DeviceSession;
let lamVien: Session; // handler of the routed ward unit
let leader: Session;
let volunteer: Session;

beforeAll(async () => {
	srv = await startServer();
	[ana, binh, lamVien, leader, volunteer] = await signIn(srv.url, 'device', 'device', 'ubnd-lam-vien', 'lanhdao', 'tcns-lang-biang');
});
afterAll(() => srv?.close());

const REASON = 'Rác vẫn còn nguyên ở đầu hẻm, mời cán bộ xuống xem lại';

async function invalidReport(author: Session = ana) {
	const report = await fileReport(srv.url, author, author === volunteer ? { assistedBy: volunteer.user.sub } : {});
	await act(srv.url, lamVien, report, 'rejected_invalid', { unitId: 'ubnd-lam-vien', note: 'Không thấy rác khi kiểm tra' });
	expect((await reportAs(srv.url, lamVien, report.id))?.status).toBe('invalid');
	return report;
}

const refusal = async (s: Session, report: { id: string }, type: string, extra: Record<string, unknown> = {}) =>
	(await push(srv.url, s.token, 'events', [makeEvent(s, report, type, extra)])).body.rejected;

describe('contesting an invalid decision', () => {
	it('the author contests with a reason: the leader and the units see it contested with the reason; units wait; the public sees no reason', async () => {
		const report = await invalidReport();
		const c = await act(srv.url, ana, report, 'contested', { note: REASON });

		expect(await reportAs(srv.url, leader, report.id)).toMatchObject({ status: 'contested' });
		expect(await reportAs(srv.url, ana, report.id)).toMatchObject({ status: 'contested' });
		const events = (await pullAll(srv.url, leader.token, 'events')).docs.filter((e) => e.reportId === report.id);
		expect(events.find((e) => e.id === c.id)).toMatchObject({ type: 'contested', actorRole: 'resident', note: REASON });

		expect(await refusal(lamVien, report, 'accepted', { unitId: 'ubnd-lam-vien' })).toMatchObject([{ code: 'contest_pending' }]);
		expect(await refusal(ana, report, 'contested', { note: 'Lần nữa' })).toMatchObject([{ code: 'already_contested' }]);

		const pub = await call<{ report: { status: string }; events: { type: string }[] }>(`${srv.url}/api/public/reports/${report.id}`);
		expect(pub.body.report.status).toBe('contested');
		expect(pub.body.events).toContainEqual(expect.objectContaining({ type: 'contested', actorRole: 'resident' }));
		expect(JSON.stringify(pub.body)).not.toContain('đầu hẻm');
	});

	it('the leader upholds: invalid again, closed, and no second contest', async () => {
		const report = await invalidReport();
		await act(srv.url, ana, report, 'contested', { note: REASON });
		await act(srv.url, leader, report, 'rejected_invalid', { note: 'Đã kiểm tra lại: không có rác' });
		expect((await reportAs(srv.url, ana, report.id))?.status).toBe('invalid');
		expect(await refusal(ana, report, 'contested', { note: REASON })).toMatchObject([{ code: 'already_contested' }]);
		expect(await refusal(lamVien, report, 'accepted', { unitId: 'ubnd-lam-vien' })).toMatchObject([{ code: 'report_closed' }]);
	});

	it('the leader reopens: the units handle it again; their next "invalid" is final', async () => {
		const report = await invalidReport();
		await act(srv.url, ana, report, 'contested', { note: REASON });
		// Only a leader decides: the unit's handler may not reopen it.
		expect(await refusal(lamVien, report, 'reopened', { unitId: 'ubnd-lam-vien' })).toMatchObject([{ code: 'forbidden_scope' }]);
		await act(srv.url, leader, report, 'reopened', { note: 'Giao phường kiểm tra lại' });
		const reopened = await reportAs(srv.url, lamVien, report.id);
		expect(reopened).toMatchObject({ status: 'reopened' });
		expect(Date.parse(reopened!.dueAt!)).toBeGreaterThan(Date.parse(report.dueAt!));
		await act(srv.url, lamVien, report, 'accepted', { unitId: 'ubnd-lam-vien' });
		await act(srv.url, lamVien, report, 'rejected_invalid', { unitId: 'ubnd-lam-vien', note: 'Vẫn không có' });
		expect(await refusal(ana, report, 'contested', { note: REASON })).toMatchObject([{ code: 'already_contested' }]);
	});

	it('refuses a contest without a reason, of an open report, by another resident; two in one batch count once', async () => {
		const report = await invalidReport();
		expect(await refusal(ana, report, 'contested')).toMatchObject([{ code: 'validation_failed' }]);
		expect(await refusal(binh, report, 'contested', { note: REASON })).toMatchObject([{ code: 'forbidden_scope' }]);
		const open = await fileReport(srv.url, ana);
		expect(await refusal(ana, open, 'contested', { note: REASON })).toMatchObject([{ code: 'transition_forbidden' }]);
		expect(await refusal(leader, open, 'reopened')).toMatchObject([{ code: 'forbidden_scope' }]);

		const twice = await push(srv.url, ana.token, 'events', [makeEvent(ana, report, 'contested', { note: REASON }), makeEvent(ana, report, 'contested', { note: 'Hai' })]);
		expect(twice.body.rejected).toMatchObject([{ code: 'already_contested' }]);
	});

	it('the volunteer who filed a villager’s report may contest its decision', async () => {
		const report = await invalidReport(volunteer);
		await act(srv.url, volunteer, report, 'contested', { note: 'Bà con nói rác vẫn còn' });
		expect((await reportAs(srv.url, leader, report.id))?.status).toBe('contested');
	});
});
