import type { ReportEvent } from '../domain/event';
import type { Report } from '../domain/report';
import { isClosed, orderEvents } from '../domain/report-state';
import { unitsActed } from './handler-actions';

/**
 * The SLA flags of the inbox, from what the server derived (`overdueAt`, written by the overdue job),
 * never from the device clock: a phone with a wrong clock must not call a report late, and every
 * device shows the same thing.
 */
export function isFlaggedOverdue(r: Pick<Report, 'overdueAt' | 'status'>): boolean {
	return !!r.overdueAt && !isClosed(r.status);
}

/** Overdue first (the longest overdue on top), the rest in the order given. Stable. */
export function overdueFirst<T extends Pick<Report, 'overdueAt' | 'status'>>(reports: readonly T[]): T[] {
	const late = reports.filter(isFlaggedOverdue).sort((a, b) => Date.parse(a.overdueAt!) - Date.parse(b.overdueAt!));
	return [...late, ...reports.filter((r) => !isFlaggedOverdue(r))];
}

export interface UnitOverdue {
	unitId: string;
	/** Open overdue reports assigned to the unit that it has not acted on since the last (re)opening. */
	overdue: number;
	/** Of those, how many the unit has not even opened. */
	unseen: number;
	reportIds: string[];
}

/**
 * The leader's "overdue by unit": per unit, its open reports flagged overdue by the server that it
 * has not acted on yet (no step of its own since the report was received or last reopened). Events
 * the server has not stored yet are left out, as in the derivation; a step without a unit cannot be
 * attributed, so it counts for no unit. Most overdue first.
 */
export function overdueByUnit(reports: readonly Report[], events: readonly ReportEvent[]): UnitOverdue[] {
	const byReport = new Map<string, ReportEvent[]>();
	for (const e of events) {
		const list = byReport.get(e.reportId);
		if (list) list.push(e);
		else byReport.set(e.reportId, [e]);
	}
	const units = new Map<string, UnitOverdue>();
	for (const r of reports) {
		if (!isFlaggedOverdue(r)) continue;
		// Stored events only (orderEvents); a reopening starts the handling again.
		const acted = unitsActed(orderEvents(byReport.get(r.id) ?? []));
		for (const unitId of r.assignedUnitIds ?? []) {
			if (acted.has(unitId)) continue;
			let u = units.get(unitId);
			if (!u) units.set(unitId, (u = { unitId, overdue: 0, unseen: 0, reportIds: [] }));
			u.overdue += 1;
			if (!(r.seenByUnitIds ?? []).includes(unitId)) u.unseen += 1;
			u.reportIds.push(r.id);
		}
	}
	return [...units.values()].sort((a, b) => b.overdue - a.overdue || a.unitId.localeCompare(b.unitId));
}
