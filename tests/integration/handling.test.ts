/** Handling a report against the real server: the state machine refuses, the server derives the report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/lib/domain/common';
import type { Report } from '../../src/lib/domain/report';
import {
	deviceSession,
	login,
	makeReport,
	pullAll,
	push,
	startServer,
	type DeviceSession,
	type Session,
	type TestServer
} from './harness';

let srv: TestServer;
let ana: DeviceSession; // the resident who files the reports
let lamVien: Session; // handler of the ward committee (routed)
let environment: Session; // handler of the environment unit (routed)
let police: Session; // handler of a unit the reports are not assigned to

beforeAll(async () => {
	srv = await startServer();
	[ana, lamVien, environment, police] = await Promise.all([
		deviceSession(srv.url),
		login(srv.url, 'ubnd-lam-vien'),
		login(srv.url, 'natural-resources-environment'),
		login(srv.url, 'police')
	]);
});
afterAll(() => srv?.close());

async function fileReport(): Promise<Report> {
	const r = await push(srv.url, ana.token, 'reports', [makeReport(ana.user.sub)]);
	expect(r.body.rejected).toEqual([]);
	return r.body.conflicts[0] as unknown as Report;
}

function handlerEvent(s: Session, report: Report, type: string, extra: Record<string, unknown> = {}) {
	return {
		id: uuidv7(),
		reportId: report.id,
		tenantId: 'lam-dong',
		type,
		actorId: s.user.sub,
		actorRole: 'handler',
		unitId: s.user.unitIds[0],
		at: new Date().toISOString(),
		_deleted: false,
		...extra
	};
}

function residentEvent(report: Report, type: string, extra: Record<string, unknown> = {}) {
	return {
		id: uuidv7(),
		reportId: report.id,
		tenantId: 'lam-dong',
		type,
		actorId: ana.user.sub,
		actorRole: 'resident',
		at: new Date().toISOString(),
		_deleted: false,
		...extra
	};
}

async function reportAs(s: Session, id: string): Promise<Record<string, unknown> | undefined> {
	return (await pullAll(srv.url, s.token, 'reports')).docs.find((d) => d.id === id);
}

async function resolve(report: Report) {
	const accepted = await push(srv.url, lamVien.token, 'events', [handlerEvent(lamVien, report, 'accepted')]);
	expect(accepted.body.rejected).toEqual([]);
	const resolved = await push(srv.url, lamVien.token, 'events', [
		handlerEvent(lamVien, report, 'resolved', { note: 'Đã thu gom rác' })
	]);
	expect(resolved.body.rejected).toEqual([]);
}

describe('handling a report', () => {
	it('accepted then resolved with a note by a routed handler shows resolved to the resident', async () => {
		const report = await fileReport();
		expect(report.status).toBe('assigned');
		await resolve(report);
		const mine = await reportAs(ana, report.id);
		expect(mine).toMatchObject({ status: 'resolved', assignedUnitIds: report.assignedUnitIds });
		expect(Date.parse(String(mine!.updatedAt))).toBeGreaterThanOrEqual(Date.parse(String(report.updatedAt)));
	});

	it('refuses a handler of an unassigned unit', async () => {
		const report = await fileReport();
		const r = await push(srv.url, police.token, 'events', [handlerEvent(police, report, 'accepted')]);
		expect(r.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
		expect((await reportAs(ana, report.id))?.status).toBe('assigned');
	});

	it('refuses to resolve a report rejected as invalid', async () => {
		const report = await fileReport();
		const invalid = await push(srv.url, lamVien.token, 'events', [
			handlerEvent(lamVien, report, 'rejected_invalid', { note: 'Không thuộc địa bàn' })
		]);
		expect(invalid.body.rejected).toEqual([]);
		expect((await reportAs(ana, report.id))?.status).toBe('invalid');
		const r = await push(srv.url, environment.token, 'events', [
			handlerEvent(environment, report, 'resolved', { note: 'Đã xử lý' })
		]);
		expect(r.body.rejected).toMatchObject([{ code: 'report_closed' }]);
	});

	it('refuses a resident resolving their own report', async () => {
		const report = await fileReport();
		const r = await push(srv.url, ana.token, 'events', [residentEvent(report, 'resolved', { note: 'xong' })]);
		expect(r.body.rejected).toMatchObject([{ code: 'forbidden_scope' }]);
		expect((await reportAs(ana, report.id))?.status).toBe('assigned');
	});

	it('refuses the resident’s feedback before resolution', async () => {
		const report = await fileReport();
		const r = await push(srv.url, ana.token, 'events', [residentEvent(report, 'feedback', { satisfied: true })]);
		expect(r.body.rejected).toMatchObject([{ code: 'transition_forbidden' }]);
	});

	it('reopens on unsatisfied feedback after resolution, still in the handler’s list', async () => {
		const report = await fileReport();
		await resolve(report);
		const r = await push(srv.url, ana.token, 'events', [
			residentEvent(report, 'feedback', { satisfied: false, note: 'Rác vẫn còn' })
		]);
		expect(r.body.rejected).toEqual([]);
		expect((await reportAs(ana, report.id))?.status).toBe('reopened');
		const handlers = await reportAs(lamVien, report.id);
		expect(handlers).toMatchObject({ status: 'reopened' });
		expect(Date.parse(String(handlers!.dueAt))).toBeGreaterThan(Date.parse(String(report.dueAt)));
	});

	it('stores two handlers’ events pushed at the same time, and derives from both', async () => {
		const report = await fileReport();
		const a = handlerEvent(lamVien, report, 'seen');
		const b = handlerEvent(environment, report, 'seen');
		const [ra, rb] = await Promise.all([
			push(srv.url, lamVien.token, 'events', [a]),
			push(srv.url, environment.token, 'events', [b])
		]);
		expect(ra.body.rejected).toEqual([]);
		expect(rb.body.rejected).toEqual([]);
		const events = await pullAll(srv.url, lamVien.token, 'events');
		expect(events.docs.filter((e) => e.reportId === report.id).map((e) => e.id)).toEqual(expect.arrayContaining([a.id, b.id]));
		expect((await reportAs(ana, report.id))?.seenByUnitIds).toEqual(
			['natural-resources-environment', 'ubnd-lam-vien'].sort()
		);
	});
});
