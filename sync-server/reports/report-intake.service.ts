import type { ReportEvent } from '../../src/lib/domain/event';
import type { Report, ReportInput } from '../../src/lib/domain/report';
import { dueAt, routeReport } from '../../src/lib/domain/routing';
import type { TenantConfig } from '../../src/lib/domain/tenant';
import type { Store } from '../storage/storage';
import { derivedId } from './derived-ids';
import { claimTrackingCode, type TrackingClaim } from './tracking-code';

export interface ReportIntakeDeps {
	config: TenantConfig;
	reports: Store<Report>;
	events: Store<ReportEvent>;
	claims: Store<TrackingClaim>;
	/** The server clock (tests may fix it). */
	now?: () => Date;
}

/**
 * What happens when a new report arrives: the server stamps its own clock, a tracking code, the
 * units it is routed to, its status and due time, and appends the `received` and `assigned` events.
 * Every step is idempotent, so a retried push (or a crash half-way) never doubles anything.
 */
export function createReportIntake(deps: ReportIntakeDeps) {
	const now = deps.now ?? (() => new Date());

	/** The server's own events about a report; ids derived from the report id. */
	function intakeEvents(report: Report): ReportEvent[] {
		const at = report.receivedAt!;
		const base = {
			reportId: report.id,
			tenantId: report.tenantId,
			actorId: 'system',
			actorRole: 'system' as const,
			at,
			serverAt: at,
			_deleted: false
		};
		return [
			{ ...base, id: derivedId(report.id, 'received'), type: 'received' },
			{ ...base, id: derivedId(report.id, 'assigned'), type: 'assigned', unitIds: report.assignedUnitIds ?? [] }
		];
	}

	/** Writes the intake events that are missing (create-only: an existing one is left as it is). */
	async function ensureIntakeEvents(report: Report): Promise<void> {
		if (!report.receivedAt) return;
		const wanted = intakeEvents(report);
		const have = await deps.events.getMany(wanted.map((e) => e.id));
		const missing = wanted.filter((e) => !have.has(e.id));
		const res = await deps.events.bulkPut(missing.map((doc) => ({ doc, rev: null })));
		const failed = res.find((r) => !r.ok && !r.conflict);
		if (failed && !failed.ok) throw new Error(`Could not write intake event: ${failed.error}`);
	}

	return {
		intakeEvents,
		ensureIntakeEvents,

		/**
		 * Stores a new report, enriched. `created: false` when a report with this id was already
		 * stored (a concurrent retry): `report` is then the stored one, for the caller to compare.
		 */
		async intake(input: ReportInput): Promise<{ report: Report; created: boolean }> {
			const receivedAt = now();
			const trackingCode = await claimTrackingCode(deps.claims, deps.config.trackingPrefix, input.id, receivedAt);
			const at = receivedAt.toISOString();
			const report: Report = {
				...input,
				trackingCode,
				receivedAt: at,
				status: 'assigned',
				assignedUnitIds: routeReport(deps.config, input),
				dueAt: dueAt(deps.config, input.categoryCode, receivedAt).toISOString(),
				seenByUnitIds: [],
				updatedAt: at
			};
			const [res] = await deps.reports.bulkPut([{ doc: report, rev: null }]);
			if (!res.ok) {
				if (!res.conflict) throw new Error(`Could not store report: ${res.error}`);
				const stored = await deps.reports.get(input.id);
				if (!stored) throw new Error('Report conflict but nothing stored');
				await ensureIntakeEvents(stored);
				return { report: stored, created: false };
			}
			await ensureIntakeEvents(report);
			return { report, created: true };
		},

		/**
		 * Records that units have seen a report (from a `seen` event): the server is the single writer
		 * of the derived `seenByUnitIds`. Retries on a concurrent write.
		 */
		async markSeen(reportId: string, unitIds: string[]): Promise<void> {
			for (let attempt = 0; attempt < 5; attempt++) {
				const cur = (await deps.reports.getMany([reportId])).get(reportId);
				if (!cur) return;
				const seen = new Set(cur.doc.seenByUnitIds ?? []);
				const before = seen.size;
				for (const u of unitIds) seen.add(u);
				if (seen.size === before) return;
				const doc: Report = { ...cur.doc, seenByUnitIds: [...seen].sort(), updatedAt: now().toISOString() };
				const [res] = await deps.reports.bulkPut([{ doc, rev: cur.rev }]);
				if (res.ok) return;
				if (!res.conflict) throw new Error(res.error);
			}
			throw new Error('Could not record seen units after 5 attempts');
		}
	};
}
export type ReportIntake = ReturnType<typeof createReportIntake>;
