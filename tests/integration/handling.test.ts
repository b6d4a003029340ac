/** Handling a report against the real server: the state machine refuses, the server derives the report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '$lib/domain/report';
import { act, fileReport, makeEvent, pullAll, push, reportAs, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

let srv: TestServer;
let ana: DeviceSession; // the resident who files the reports
let lamVien: Session; // handler of the ward committee (routed)
let environment: Session; // handler of the environment unit (routed)
let police: Session; // handler of a unit the reports are not assigned to

beforeAll(async () => {
	srv = await startServer();
	[ana, lamVien, environment, police] = await signIn(srv.url, 'device', 'ubnd-lam-vien', 'natural-resources-environment', 'police');
});
afterAll(() => srv?.close());

async function resolve(report: Report) {
	await act(srv.url, lamVien, report, 'accepted');
	await act(srv.url, lamVien, report, 'resolved', { note: 'Đã thu gom rác' });
}

describe('handling a report', () => {
	it('accepted then resolved with a note by a routed handler shows resolved to the resident', async () => {
		const report = await fileReport(srv.url, ana);
		expect(report.status).toBe('assigned');
		await resolve(report);
		const mine = await reportAs(srv.url, ana, report.id);
		expect(mine).toMatchObject({ status: 'resolved', assignedUnitIds: report.assignedUnitIds });
		expect(Date.parse(String(mine!.updatedAt))).toBeGreaterThanOrEqual(Date.parse(String(report.updatedAt)));
	});

	it('refuses a handler of an unassigned unit', async () => {
		const report = await fileReport(srv.url, ana);
		const r = await push(srv.url, police.token, 'events', [makeEvent(police, report, 'accepted')]);
		expect(r.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
		expect((await reportAs(srv.url, ana, report.id))?.status).toBe('assigned');
	});

	it('refuses to resolve a report rejected as invalid', async () => {
		const report = await fileReport(srv.url, ana);
		await act(srv.url, lamVien, report, 'rejected_invalid', { note: 'Không thuộc địa bàn' });
		expect((await reportAs(srv.url, ana, report.id))?.status).toBe('invalid');
		const r = await push(srv.url, environment.token, 'events', [makeEvent(environment, report, 'resolved', { note: 'Đã xử lý' })]);
		expect(r.body.rejected).toMatchObject([{ code: 'report_closed' }]);
	});

	it('refuses a resident resolving their own report', async () => {
		const report = await fileReport(srv.url, ana);
		const r = await push(srv.url, ana.token, 'events', [makeEvent(ana, report, 'resolved', { note: 'xong' })]);
		expect(r.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
		expect((await reportAs(srv.url, ana, report.id))?.status).toBe('assigned');
	});

	it('refuses the resident’s feedback before resolution', async () => {
		const report = await fileReport(srv.url, ana);
		const r = await push(srv.url, ana.token, 'events', [makeEvent(ana, report, 'feedback', { satisfied: true })]);
		expect(r.body.rejected).toMatchObject([{ code: 'transition_forbidden' }]);
	});

	it('reopens on unsatisfied feedback after resolution, still in the handler’s list', async () => {
		const report = await fileReport(srv.url, ana);
		await resolve(report);
		await act(srv.url, ana, report, 'feedback', { satisfied: false, note: 'Rác vẫn còn' });
		expect((await reportAs(srv.url, ana, report.id))?.status).toBe('reopened');
		const handlers = await reportAs(srv.url, lamVien, report.id);
		expect(handlers).toMatchObject({ status: 'reopened' });
		expect(Date.parse(String(handlers!.dueAt))).toBeGreaterThan(Date.parse(String(report.dueAt)));
	});

	it('stores two handlers’ events pushed at the same time, and derives from both', async () => {
		const report = await fileReport(srv.url, ana);
		const a = makeEvent(lamVien, report, 'seen');
		const b = makeEvent(environment, report, 'seen');
		const [ra, rb] = await Promise.all([
			push(srv.url, lamVien.token, 'events', [a]),
			push(srv.url, environment.token, 'events', [b])
		]);
		expect(ra.body.rejected).toEqual([]);
		expect(rb.body.rejected).toEqual([]);
		const events = await pullAll(srv.url, lamVien.token, 'events');
		expect(events.docs.filter((e) => e.reportId === report.id).map((e) => e.id)).toEqual(expect.arrayContaining([a.id, b.id]));
		expect((await reportAs(srv.url, ana, report.id))?.seenByUnitIds).toEqual(
			['natural-resources-environment', 'ubnd-lam-vien'].sort()
		);
	});
});
