import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { ReportEvent } from '$lib/domain/event';
import type { Report, ReportInput } from '$lib/domain/report';
import type { TenantConfig } from '$lib/domain/tenant';
import { buildDemoTenant } from '../seed/demo-tenant';
import type { Storage } from '../storage/storage';
import { openTempStorage } from '../../tests/support/temp-storage';
import { makeReport } from '../../tests/support/documents';
import { derivedId } from './derived-ids';
import { createReportIntake } from './report-intake.service';
import { trackingCandidate, type TrackingClaim } from './tracking-code';

/** Intake over the real storage (LevelDB in a temp dir): batches, clashes and retries. */
let storage: Storage;
let config: TenantConfig;
const at = new Date('2026-03-10T02:00:00Z');

const input = () => makeReport('device:abc', { createdAt: at.toISOString() }) as unknown as ReportInput;

function intake() {
	return createReportIntake({
		config,
		reports: storage.store<Report>('reports'),
		events: storage.store<ReportEvent>('events'),
		claims: storage.store<TrackingClaim>('tracking-codes'),
		now: () => at
	});
}

const eventsOf = async (reportId: string) =>
	[...(await storage.store<ReportEvent>('events').getMany([derivedId(reportId, 'received'), derivedId(reportId, 'assigned')])).values()].map(
		(v) => v.doc.type
	);

beforeEach(async () => {
	config ??= await buildDemoTenant();
	storage = await openTempStorage('intake');
});

afterEach(async () => {
	await storage.close();
});

describe('report intake', () => {
	it('stores a batch of new reports enriched, each with its own tracking code and its two events', async () => {
		const inputs = [input(), input(), input()];
		const out = await intake().intakeMany(inputs);
		expect(out.map((o) => o.created)).toEqual([true, true, true]);
		expect(new Set(out.map((o) => o.report.trackingCode)).size).toBe(3);
		for (const [i, o] of out.entries()) {
			expect(o.report).toMatchObject({ id: inputs[i].id, status: 'assigned', receivedAt: at.toISOString() });
			expect(o.report.trackingCode).toMatch(/^LD-260310-/);
			expect(await storage.store<Report>('reports').get(inputs[i].id)).toMatchObject({ trackingCode: o.report.trackingCode });
			expect((await eventsOf(inputs[i].id)).sort()).toEqual(['assigned', 'received']);
		}
	});

	it('gives another code to a report whose first code another report already holds', async () => {
		const r = input();
		const first = trackingCandidate('LD', r.id, at, 0);
		await storage.store<TrackingClaim>('tracking-codes').bulkPut([{ doc: { id: first, reportId: uuidv7() }, rev: null }]);
		const [o] = await intake().intakeMany([r, input()]);
		expect(o.created).toBe(true);
		expect(o.report.trackingCode).toBe(trackingCandidate('LD', r.id, at, 1));
	});

	it('takes in a report sent twice at once only once: same code, one set of events', async () => {
		const r = input();
		const svc = intake();
		const [a, b] = await Promise.all([svc.intakeMany([r]), svc.intake(r)]);
		expect([a[0].created, b.created].sort()).toEqual([false, true]);
		expect(a[0].report.trackingCode).toBe(b.report.trackingCode);
		expect(await storage.store('tracking-codes').count()).toBe(1);
		expect(await storage.store('events').count()).toBe(2);
	});

	it('writes back an intake event that is missing and leaves the one that is there', async () => {
		const [{ report }] = await intake().intakeMany([input()]);
		const events = storage.store<ReportEvent>('events');
		const received = await events.getMany([derivedId(report.id, 'received')]);
		const [v] = received.values();
		await events.bulkPut([{ doc: { ...v.doc, _deleted: true }, rev: v.rev }]);
		const assignedBefore = (await events.getMany([derivedId(report.id, 'assigned')])).get(derivedId(report.id, 'assigned'))!.rev;

		await intake().ensureIntakeEvents([report]);
		expect((await eventsOf(report.id)).sort()).toEqual(['assigned', 'received']);
		expect((await events.getMany([derivedId(report.id, 'assigned')])).get(derivedId(report.id, 'assigned'))!.rev).toBe(assignedBefore);
	});
});
