import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { ReportEvent } from '$lib/domain/event';
import type { Report, ReportInput } from '$lib/domain/report';
import type { TenantConfig } from '$lib/domain/tenant';
import { buildDemoTenant } from '../seed/demo-tenant';
import type { Storage, Store } from '../storage/storage';
import { openTempStorage } from '../../tests/support/temp-storage';
import { makeReport } from '../../tests/support/documents';
import { createOverdueService, overdueEventId, type OverdueService } from './overdue.service';
import { createReportIntake } from './report-intake.service';
import type { TrackingClaim } from './tracking-code';

/** The overdue job over the real storage (LevelDB in a temp dir) with a fake server clock. */
let storage: Storage;
let config: TenantConfig;
let clock: Date;
const jobs: OverdueService[] = [];
const HOUR = 3_600_000;
// 22:30 in Vietnam: the 6-hour default makes it due at 04:30 the next day.
const start = new Date('2026-11-24T22:30:00+07:00');

const stores = () => ({
	reports: storage.store<Report>('reports'),
	events: storage.store<ReportEvent>('events'),
	claims: storage.store<TrackingClaim>('tracking-codes')
});
const intake = () => createReportIntake({ config, ...stores(), now: () => clock });

function job(extra: { reports?: Store<Report> } = {}) {
	const j = createOverdueService({
		...stores(),
		...extra,
		rederive: intake().rederive,
		intervalMs: 60_000,
		now: () => clock
	});
	jobs.push(j);
	return j;
}

const input = () => makeReport('device:abc', { createdAt: start.toISOString() }) as unknown as ReportInput;

async function file(): Promise<Report> {
	const [{ report }] = await intake().intakeMany([input()]);
	return report;
}

async function overdueEvents(reportId: string): Promise<ReportEvent[]> {
	const all = await intake().eventsOf([reportId]);
	return (all.get(reportId) ?? []).filter((e) => e.type === 'overdue');
}

/** A handler's event, stored as the push service stores it (server time stamped). */
async function append(report: Report, type: ReportEvent['type'], extra: Partial<ReportEvent> = {}) {
	const e: ReportEvent = {
		id: uuidv7(),
		reportId: report.id,
		tenantId: 'lam-dong',
		type,
		actorId: 'h1',
		actorRole: 'handler',
		// The lead unit's result is the one that closes (domain/lead-unit.ts).
		unitId: report.leadUnitId ?? report.assignedUnitIds![0],
		at: clock.toISOString(),
		serverAt: clock.toISOString(),
		_deleted: false,
		...extra
	};
	const [res] = await storage.store<ReportEvent>('events').bulkPut([{ doc: e, rev: null }]);
	expect(res.ok).toBe(true);
	await intake().rederive([report.id]);
}

const reportOf = (id: string) => storage.store<Report>('reports').get(id);

beforeEach(async () => {
	config ??= await buildDemoTenant();
	clock = start;
	storage = await openTempStorage('overdue');
});

afterEach(async () => {
	await Promise.all(jobs.splice(0).map((j) => j.stop()));
	await storage.close();
});

describe('the overdue job', () => {
	it('flags an open report once its due time has passed, past midnight, with one event and overdueAt', async () => {
		const report = await file();
		expect(report.dueAt).toBe(new Date('2026-11-25T04:30:00+07:00').toISOString());
		const j = job();

		clock = new Date('2026-11-25T04:30:00+07:00');
		expect(await j.runOnce()).toBe(0);
		expect((await reportOf(report.id))?.overdueAt).toBeUndefined();

		clock = new Date('2026-11-25T04:31:00+07:00');
		expect(await j.runOnce()).toBe(1);
		const events = await overdueEvents(report.id);
		expect(events).toMatchObject([
			{
				id: overdueEventId(report.id, report.dueAt!),
				actorId: 'system',
				actorRole: 'system',
				unitIds: report.assignedUnitIds,
				serverAt: clock.toISOString()
			}
		]);
		expect(await reportOf(report.id)).toMatchObject({ overdueAt: clock.toISOString(), status: 'assigned' });

		clock = new Date(clock.getTime() + HOUR);
		expect(await j.runOnce()).toBe(0);
		expect(await overdueEvents(report.id)).toHaveLength(1);
		// After a restart the flagged report is not even scheduled.
		const restarted = job();
		expect(await restarted.runOnce()).toBe(0);
		expect(restarted.scheduled).toBe(0);
	});

	it('never flags a report resolved in time, and keeps following reports filed after it started', async () => {
		const j = job();
		await j.runOnce(); // the schedule is built; what follows arrives through the live feed
		const resolved = await file();
		const late = await file();
		await waitFor(() => j.scheduled === 2);
		clock = new Date(start.getTime() + HOUR);
		await append(resolved, 'resolved', { note: 'Đã dọn' });
		await waitFor(() => j.scheduled === 1);

		clock = new Date(start.getTime() + 7 * HOUR);
		expect(await j.runOnce()).toBe(1);
		expect(await overdueEvents(resolved.id)).toEqual([]);
		expect((await reportOf(resolved.id))?.overdueAt).toBeUndefined();
		expect(await overdueEvents(late.id)).toHaveLength(1);
	});

	it('writes the event once when two jobs share the storage', async () => {
		const report = await file();
		const [a, b] = [job(), job()];
		clock = new Date(start.getTime() + 7 * HOUR);
		const flagged = await Promise.all([a.runOnce(), b.runOnce()]);
		expect(flagged.reduce((x, y) => x + y)).toBe(1);
		expect(await overdueEvents(report.id)).toHaveLength(1);
		expect((await reportOf(report.id))?.overdueAt).toBe(clock.toISOString());
	});

	it('clears the flag when the report is reopened, and flags the new due time again', async () => {
		const report = await file();
		const j = job();
		clock = new Date(start.getTime() + 7 * HOUR);
		await j.runOnce();
		const firstAt = clock.toISOString();

		clock = new Date(start.getTime() + 8 * HOUR);
		await append(report, 'resolved', { note: 'Đã dọn' });
		expect((await reportOf(report.id))?.overdueAt).toBe(firstAt); // resolved late: the history keeps it
		clock = new Date(start.getTime() + 9 * HOUR);
		await append(report, 'feedback', { actorRole: 'resident', actorId: 'device:abc', unitId: undefined, satisfied: false });
		const reopened = await reportOf(report.id);
		expect(reopened).toMatchObject({ status: 'reopened', dueAt: new Date(start.getTime() + 15 * HOUR).toISOString() });
		expect(reopened?.overdueAt).toBeUndefined();
		await waitFor(() => j.scheduled === 1);

		clock = new Date(start.getTime() + 14 * HOUR);
		expect(await j.runOnce()).toBe(0);
		clock = new Date(start.getTime() + 16 * HOUR);
		expect(await j.runOnce()).toBe(1);
		const events = await overdueEvents(report.id);
		expect(events.map((e) => e.serverAt)).toEqual([firstAt, clock.toISOString()]);
		expect((await reportOf(report.id))?.overdueAt).toBe(clock.toISOString());
	});

	it('repairs a report whose event was written but not derived (a crash in between)', async () => {
		const report = await file();
		clock = new Date(start.getTime() + 7 * HOUR);
		const half = createOverdueService({ ...stores(), rederive: async () => {}, intervalMs: 60_000, now: () => clock });
		jobs.push(half);
		await half.runOnce();
		expect(await overdueEvents(report.id)).toHaveLength(1);
		expect((await reportOf(report.id))?.overdueAt).toBeUndefined();

		await job().runOnce();
		expect(await overdueEvents(report.id)).toHaveLength(1);
		expect((await reportOf(report.id))?.overdueAt).toBe(clock.toISOString());
	});

	it('reads the reports store only once to build its schedule, not on every pass', async () => {
		await file();
		const reports = storage.store<Report>('reports');
		let changesCalls = 0;
		// The real store, with its `changes` counted (methods run on the store itself).
		const counted = new Proxy(reports, {
			get(target, prop) {
				if (prop === 'changes')
					return (opts: Parameters<Store<Report>['changes']>[0]) => {
						changesCalls++;
						return target.changes(opts);
					};
				const v = Reflect.get(target, prop, target);
				return typeof v === 'function' ? v.bind(target) : v;
			}
		});
		const j = job({ reports: counted });
		await j.runOnce();
		const afterBuild = changesCalls;
		for (let i = 0; i < 5; i++) await j.runOnce();
		expect(changesCalls).toBe(afterBuild);
		expect(j.scheduled).toBe(1);
	});

	it('passes on its own every interval once started', async () => {
		const report = await file();
		clock = new Date(start.getTime() + 7 * HOUR);
		const j = createOverdueService({ ...stores(), rederive: intake().rederive, intervalMs: 20, now: () => clock });
		jobs.push(j);
		j.start();
		await waitFor(async () => (await reportOf(report.id))?.overdueAt !== undefined);
		await j.stop();
	});
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!(await cond())) {
		if (Date.now() > until) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 10));
	}
}
