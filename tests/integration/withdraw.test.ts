/**
 * A resident withdraws a report they filed (rút phản ánh) against the real server: the units pull
 * the `withdrawn` event with its reason and the report closed as withdrawn; nobody else may withdraw
 * it, nor a closed one; the public page says it was withdrawn, without the reason. The last test
 * runs the device's own outbox sender (fake-indexeddb), as "Rút phản ánh" does on the phone.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDb } from '$lib/sync/local-db';
import { flushOutbox } from '$lib/sync/outbox-sender';
import { removeFromOutbox, withdrawFromOutbox } from '$lib/report/draft.service';
import { transition } from '$lib/sync/outbox';
import { getDeviceToken } from '$lib/sync/session';
import { act, call, login, fileReport, makeEvent, makeReport, pullAll, push, reportAs, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';
import { queueOutboxReport, readFixtureJpeg } from './outbox-queue';

let srv: TestServer;
let ana: DeviceSession; // files the reports
let binh: DeviceSession; // another resident
let lamVien: Session; // handler of the routed ward unit
let volunteer: Session;
let otherVolunteer: Session;

beforeAll(async () => {
	srv = await startServer();
	[ana, binh, lamVien, volunteer, otherVolunteer] = await signIn(srv.url, 'device', 'device', 'ubnd-lam-vien', 'tcns-lang-biang', 'tcns-xuan-truong');
});
afterAll(() => srv?.close());

const REASON = 'Tổ dân phố đã tự dọn xong, cảm ơn';

describe('withdrawing a report', () => {
	it('the author withdraws with a reason: the units pull the event, the reason and the status; the public sees no reason', async () => {
		const report = await fileReport(srv.url, ana);
		await act(srv.url, lamVien, report, 'accepted');
		const w = await act(srv.url, ana, report, 'withdrawn', { note: REASON });

		expect(await reportAs(srv.url, lamVien, report.id)).toMatchObject({ status: 'withdrawn' });
		const events = (await pullAll(srv.url, lamVien.token, 'events')).docs.filter((e) => e.reportId === report.id);
		expect(events.find((e) => e.id === w.id)).toMatchObject({ type: 'withdrawn', actorRole: 'resident', note: REASON, serverAt: expect.any(String) });
		expect(await reportAs(srv.url, ana, report.id)).toMatchObject({ status: 'withdrawn' });

		// Handling stops: a unit's result is refused as closed.
		const late = await push(srv.url, lamVien.token, 'events', [makeEvent(lamVien, report, 'resolved', { note: 'Đã dọn' })]);
		expect(late.body.rejected).toMatchObject([{ code: 'report_closed' }]);

		const pub = await call<{ report: { status: string }; events: { type: string; actorRole: string }[] }>(
			`${srv.url}/api/public/reports/${report.id}`
		);
		expect(pub.status).toBe(200);
		expect(pub.body.report.status).toBe('withdrawn');
		expect(pub.body.events).toContainEqual(expect.objectContaining({ type: 'withdrawn', actorRole: 'resident' }));
		expect(JSON.stringify(pub.body)).not.toContain('Tổ dân phố');
	});

	it('refuses another resident (forbidden_scope) and a handler (forbidden_scope); the report stays open', async () => {
		const report = await fileReport(srv.url, ana);
		const byStranger = await push(srv.url, binh.token, 'events', [makeEvent(binh, report, 'withdrawn')]);
		expect(byStranger.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
		const byHandler = await push(srv.url, lamVien.token, 'events', [makeEvent(lamVien, report, 'withdrawn', { unitId: 'ubnd-lam-vien' })]);
		expect(byHandler.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
		expect((await reportAs(srv.url, lamVien, report.id))?.status).toBe('assigned');
	});

	it('refuses withdrawing a closed report (report_closed), and a second withdrawal', async () => {
		const resolved = await fileReport(srv.url, ana);
		await act(srv.url, lamVien, resolved, 'resolved', { note: 'Đã thu gom' });
		const r = await push(srv.url, ana.token, 'events', [makeEvent(ana, resolved, 'withdrawn')]);
		expect(r.body.rejected).toMatchObject([{ code: 'report_closed' }]);
		expect((await reportAs(srv.url, ana, resolved.id))?.status).toBe('resolved');

		const once = await fileReport(srv.url, ana);
		await act(srv.url, ana, once, 'withdrawn');
		const again = await push(srv.url, ana.token, 'events', [makeEvent(ana, once, 'withdrawn')]);
		expect(again.body.rejected).toMatchObject([{ code: 'report_closed' }]);
	});

	it('the volunteer who filed a villager’s report may withdraw it; another volunteer may not', async () => {
		const report = makeReport(volunteer.user.sub, { assistedBy: volunteer.user.sub });
		expect((await push(srv.url, volunteer.token, 'reports', [report])).body.rejected).toEqual([]);
		const other = await push(srv.url, otherVolunteer.token, 'events', [makeEvent(otherVolunteer, report, 'withdrawn')]);
		expect(other.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
		await act(srv.url, volunteer, report, 'withdrawn', { note: 'Bà con đã tự xử lý' });
		expect((await reportAs(srv.url, lamVien, report.id))?.status).toBe('withdrawn');
	});

	it('from the outbox: "Xóa" keeps a report whose photo is on its way; the withdrawal goes, and the photo still arrives', async () => {
		const id = await queueOutboxReport({ photos: [await readFixtureJpeg()] });
		// The sender pushed the report, then the phone went away before the photo: as the sender leaves the row.
		const token = await getDeviceToken({ origin: srv.url });
		const row = (await localDb.outbox.get(id))!;
		expect((await push(srv.url, token, 'reports', [row.report])).body.rejected).toEqual([]);
		await localDb.outbox.put(transition(transition(row, { type: 'start' }), { type: 'push_ok', trackingCode: 'LD-x' }));

		expect(await removeFromOutbox(id)).toBe(false);
		expect(await withdrawFromOutbox(id, REASON)).toMatchObject({ withdrawal: { reason: REASON } });
		await flushOutbox({ origin: srv.url, force: true });
		const after = (await localDb.outbox.get(id))!;
		expect(after.state.kind).toBe('delivered');
		expect(after.withdrawal?.sentAt).toEqual(expect.any(Number));

		// The ward of the queued report is Xuân Hương's.
		const xuanHuong = await login(srv.url, 'ubnd-xuan-huong');
		expect(await reportAs(srv.url, xuanHuong, id)).toMatchObject({ status: 'withdrawn' });
		const events = (await pullAll(srv.url, xuanHuong.token, 'events')).docs.filter((e) => e.reportId === id);
		expect(events).toContainEqual(expect.objectContaining({ type: 'withdrawn', note: REASON }));
		const media = (await pullAll(srv.url, xuanHuong.token, 'media')).docs.filter((m) => m.reportId === id);
		expect(media.map((m) => m.status)).toEqual(['ready']);
		// Now nothing is left to send: the row may be hidden.
		expect(await removeFromOutbox(id)).toBe(true);
	});
});
