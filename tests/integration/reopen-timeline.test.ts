/**
 * A resident's "not satisfied" reopens a resolved report; the server records the reopening as its own
 * `reopened` step, so every timeline (the resident's, the handlers', the public page) and every
 * notice shows it, not only a rating among others. Once per reopening, however often the rating
 * is pushed again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicReportDetail } from '$lib/domain/public';
import type { Report } from '$lib/domain/report';
import { act, call, fileReport, makeEvent, pullAll, push, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

let srv: TestServer;
let ana: DeviceSession;
let lamVien: Session;

beforeAll(async () => {
	srv = await startServer();
	[ana, lamVien] = await signIn(srv.url, 'device', 'ubnd-lam-vien');
});
afterAll(() => srv?.close());

const eventsOf = async (s: Session, report: Report) =>
	(await pullAll(srv.url, s.token, 'events')).docs
		.filter((e) => e.reportId === report.id)
		.sort((a, b) => String(a.serverAt).localeCompare(String(b.serverAt)) || String(a.id).localeCompare(String(b.id)));

describe('a reopening', () => {
	it('is a step of its own after the rating that caused it, for the resident, the handlers and the public', async () => {
		const report = await fileReport(srv.url, ana);
		await act(srv.url, lamVien, report, 'resolved', { note: 'Đã thu gom rác' });
		const rating = await act(srv.url, ana, report, 'feedback', { satisfied: false, note: 'Rác vẫn còn' });

		for (const who of [ana, lamVien]) {
			const types = (await eventsOf(who, report)).map((e) => [e.type, e.actorRole]);
			expect(types.slice(-3)).toEqual([
				['resolved', 'handler'],
				['feedback', 'resident'],
				['reopened', 'system']
			]);
		}
		const reopened = (await eventsOf(ana, report)).at(-1)!;
		expect(Date.parse(String(reopened.serverAt))).toBeGreaterThan(Date.parse(String((await eventsOf(ana, report)).at(-2)!.serverAt)));
		const pub = await call<PublicReportDetail>(`${srv.url}/api/public/reports/${report.id}`);
		expect(pub.body.events.map((e) => e.type)).toContain('reopened');
		expect(pub.body.report.status).toBe('reopened');

		// The same rating pushed again (a retry) records no second reopening.
		expect((await push(srv.url, ana.token, 'events', [rating])).body.rejected).toEqual([]);
		expect((await eventsOf(ana, report)).filter((e) => e.type === 'reopened')).toHaveLength(1);
	});

	it('is recorded again for a second reopening, not for a satisfied rating', async () => {
		const report = await fileReport(srv.url, ana);
		await act(srv.url, lamVien, report, 'resolved', { note: 'lần 1' });
		await act(srv.url, ana, report, 'feedback', { satisfied: false, note: 'chưa xong' });
		await act(srv.url, lamVien, report, 'resolved', { note: 'lần 2' });
		await act(srv.url, ana, report, 'feedback', { satisfied: false, note: 'vẫn chưa xong' });
		await act(srv.url, lamVien, report, 'resolved', { note: 'lần 3' });
		const ok = makeEvent(ana, report, 'feedback', { satisfied: true });
		expect((await push(srv.url, ana.token, 'events', [ok])).body.rejected).toEqual([]);
		const types = (await eventsOf(lamVien, report)).map((e) => e.type).filter((t) => t !== 'received' && t !== 'assigned');
		expect(types).toEqual(['resolved', 'feedback', 'reopened', 'resolved', 'feedback', 'reopened', 'resolved', 'feedback']);
	});
});
