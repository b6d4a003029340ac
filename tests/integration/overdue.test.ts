/**
 * The SLA clock against the real server: reports turn overdue on their own (the overdue job, on the
 * server clock, which these tests move hours ahead), flagged to the assigned handlers and the leader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportEvent } from '$lib/domain/event';
import type { Report } from '$lib/domain/report';
import { createOverdueService } from '../../sync-server/reports/overdue.service';
import { createReportIntake } from '../../sync-server/reports/report-intake.service';
import type { TrackingClaim } from '../../sync-server/reports/tracking-code';
import {
	act,
	fileReport,
	flaggedOverdue,
	login,
	pullAll,
	reportAs,
	signIn,
	startServer,
	STORAGE_MODE,
	type DeviceSession,
	type Session,
	type TestServer
} from './harness';

const HOUR = 3_600_000;
const CHECK_MS = 50;
/** The servers' clock: real time plus what the tests add (several hours at a time). */
let offset = 0;
const now = () => new Date(Date.now() + offset);
const advance = (ms: number) => (offset += ms);

let first: TestServer; // the server as started; kept to clean up after the restart test
let srv: TestServer;
let ana: DeviceSession; // the resident who files the reports
let lamVien: Session; // handler of the ward committee (a unit the reports are routed to)
let leader: Session; // lanhdao, the tenant's leader

beforeAll(async () => {
	first = srv = await startServer({ now, overdueCheckMs: CHECK_MS });
	[ana, lamVien, leader] = await signIn(srv.url, 'device', 'ubnd-lam-vien', 'lanhdao');
});
afterAll(async () => {
	if (srv !== first) await srv?.close();
	await first?.close();
});

async function overdueEventsAs(s: Session | DeviceSession, reportId: string): Promise<ReportEvent[]> {
	const { docs } = await pullAll(srv.url, s.token, 'events');
	return (docs as unknown as ReportEvent[]).filter((e) => e.reportId === reportId && e.type === 'overdue');
}

/** Polls what a user pulls until the report is flagged overdue (the job passes every 50 ms). */
const flaggedAs = (s: Session, id: string, timeoutMs?: number) => flaggedOverdue(srv.url, s, id, timeoutMs);

/** A few passes of the job, so anything it would wrongly do has had the time to happen. */
const fewPasses = () => new Promise((res) => setTimeout(res, CHECK_MS * 6));

describe(`the overdue job (${STORAGE_MODE})`, () => {
	it('flags a report past its due time with exactly one overdue event, for its handlers and the leader', async () => {
		const report = await fileReport(srv.url, ana);
		expect(Date.parse(report.dueAt!) - Date.parse(report.receivedAt!)).toBe(6 * HOUR);
		await fewPasses();
		expect((await reportAs(srv.url, lamVien, report.id))?.overdueAt).toBeUndefined();
		expect(await overdueEventsAs(lamVien, report.id)).toEqual([]);

		advance(6 * HOUR + 60_000);
		const flagged = await flaggedAs(lamVien, report.id);
		expect(Date.parse(flagged.overdueAt!)).toBeGreaterThan(Date.parse(report.dueAt!));
		expect(flagged.status).toBe('assigned');
		await fewPasses();
		const events = await overdueEventsAs(lamVien, report.id);
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({
			actorId: 'system',
			actorRole: 'system',
			unitIds: report.assignedUnitIds,
			serverAt: flagged.overdueAt
		});

		expect((await reportAs(srv.url, leader, report.id))?.overdueAt).toBe(flagged.overdueAt);
		expect((await overdueEventsAs(leader, report.id)).map((e) => e.id)).toEqual([events[0].id]);
		// The resident sees the event in the timeline of their report too.
		expect((await overdueEventsAs(ana, report.id)).map((e) => e.id)).toEqual([events[0].id]);
	});

	it('never flags a report resolved in time', async () => {
		const resolved = await fileReport(srv.url, ana);
		const open = await fileReport(srv.url, ana);
		await act(srv.url, lamVien, resolved, 'resolved', { note: 'Đã thu gom rác' });
		advance(7 * HOUR);
		await flaggedAs(leader, open.id);
		await fewPasses();
		const mine = await reportAs(srv.url, leader, resolved.id);
		expect(mine?.status).toBe('resolved');
		expect(mine?.overdueAt).toBeUndefined();
		expect(await overdueEventsAs(leader, resolved.id)).toEqual([]);
	});

	it('gives a reopened report a new due time, and flags it again when that one passes', async () => {
		const report = await fileReport(srv.url, ana);
		advance(7 * HOUR);
		const late = await flaggedAs(lamVien, report.id);

		await act(srv.url, lamVien, report, 'resolved', { note: 'Đã thu gom rác' });
		// Resolved late: the report keeps its flag, so its history shows it.
		expect(await reportAs(srv.url, lamVien, report.id)).toMatchObject({ status: 'resolved', overdueAt: late.overdueAt });

		advance(HOUR);
		await act(srv.url, ana, report, 'feedback', { satisfied: false, note: 'Rác vẫn còn' });
		const reopened = await reportAs(srv.url, lamVien, report.id);
		expect(reopened?.status).toBe('reopened');
		expect(reopened?.overdueAt).toBeUndefined();
		expect(Date.parse(reopened!.dueAt!)).toBeGreaterThan(Date.parse(late.overdueAt!));
		await fewPasses();
		expect((await reportAs(srv.url, lamVien, report.id))?.overdueAt).toBeUndefined();

		advance(6 * HOUR + 60_000);
		const again = await flaggedAs(lamVien, report.id);
		expect(Date.parse(again.overdueAt!)).toBeGreaterThan(Date.parse(reopened!.dueAt!));
		const events = await overdueEventsAs(leader, report.id);
		expect(events.map((e) => e.serverAt).sort()).toEqual([late.overdueAt, again.overdueAt]);
	});

	it('writes the event once when two instances run the job on the same storage', async () => {
		// CouchDB: a second server on the same database. LevelDB cannot be opened by two processes
		// (nor closed safely by two servers in one), so there the second instance's job runs on this
		// server's storage: the same writes, from two independent jobs.
		const other =
			STORAGE_MODE === 'couch' ? await startServer({ couch: srv.couch, now, overdueCheckMs: CHECK_MS }) : null;
		const secondJob = other
			? null
			: (() => {
					const { storage, tenant } = srv.handle;
					const stores = { reports: storage.store<Report>('reports'), events: storage.store<ReportEvent>('events') };
					const intake = createReportIntake({ config: tenant, ...stores, claims: storage.store<TrackingClaim>('tracking-codes'), now });
					return createOverdueService({ ...stores, rederive: intake.rederive, intervalMs: CHECK_MS, now });
				})();
		secondJob?.start();
		try {
			const reports = [await fileReport(srv.url, ana), await fileReport(srv.url, ana), await fileReport(srv.url, ana)];
			advance(7 * HOUR);
			for (const r of reports) await flaggedAs(leader, r.id);
			await fewPasses();
			for (const r of reports) expect(await overdueEventsAs(leader, r.id)).toHaveLength(1);
			if (other) {
				const viaOther = await login(other.url, 'lanhdao');
				const { docs } = await pullAll(other.url, viaOther.token, 'events');
				for (const r of reports) expect(docs.filter((e) => e.reportId === r.id && e.type === 'overdue')).toHaveLength(1);
			}
		} finally {
			await secondJob?.stop();
			await other?.close();
		}
	});

	it('flags soon after a restart a report that fell due while the server was down', async () => {
		const report = await fileReport(srv.url, ana);
		await srv.handle.close();
		advance(7 * HOUR);
		srv = await startServer({ dataDir: first.dataDir, couch: first.couch, now, overdueCheckMs: CHECK_MS });
		const flagged = await flaggedAs(lamVien, report.id, 5_000);
		// The server could not know sooner: the event bears the time of the first pass after the start.
		expect(Date.parse(flagged.overdueAt!)).toBeGreaterThan(Date.parse(report.dueAt!) + 30 * 60_000);
		expect(await overdueEventsAs(leader, report.id)).toHaveLength(1);
	});
});
