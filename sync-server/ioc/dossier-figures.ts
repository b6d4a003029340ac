import { FINISHED, type Dossier } from '$lib/domain/dossier';
import type { DayRange, DossierFigures } from '$lib/domain/ioc';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import { CellSum, createFigureCells, groupSums, type Cell, type Fact } from './figure-cells';

/**
 * Dossiers for the operations centre (issue 15): each adds to one cell (the day it was received, its
 * procedure, the office that accepted it online; '' for those imported without one). A dossier
 * becomes overdue by the clock alone, with no document changing: the open ones' due times are kept
 * apart (a small set: the finished are most) and counted against the clock when asked.
 */

const COUNTS = ['received', 'finished', 'onTime', 'late'] as const;
type CountName = (typeof COUNTS)[number];
const DURATIONS = ['processing'] as const;
type DurationName = (typeof DURATIONS)[number];

/** When the office finished with it: its first step with a finished status. */
const finishedAt = (d: Dossier) => d.steps.find((s) => FINISHED.has(s.status))?.at;

export function dossierFact(d: Dossier & { _deleted?: boolean }, gen: number, cal: Pick<WorkCalendar, 'utcOffset'>): Fact<CountName, DurationName> | null {
	if (d._deleted) return null;
	const counts: Partial<Record<CountName, 1>> = { received: 1 };
	const durations: Partial<Record<DurationName, number>> = {};
	const done = FINISHED.has(d.status) ? finishedAt(d) : undefined;
	if (FINISHED.has(d.status)) {
		counts.finished = 1;
		if (done) {
			counts[Date.parse(done) <= Date.parse(d.dueAt) ? 'onTime' : 'late'] = 1;
			durations.processing = Math.max(0, Date.parse(done) - Date.parse(d.receivedAt));
		}
	}
	return { gen, day: localDate(cal, new Date(d.receivedAt)), cells: [[d.procedureCode, d.officeId ?? '']], counts, durations };
}

const rank = (f: DossierFigures) => f.received;

export function createDossierFigures(cal: Pick<WorkCalendar, 'utcOffset'>) {
	const cells = createFigureCells(COUNTS, DURATIONS);
	/** Open dossiers: id → what counting them overdue needs. */
	const open = new Map<string, { day: string; procedure: string; office: string; dueAt: number }>();

	return {
		update(id: string, d: (Dossier & { _deleted?: boolean }) | null, rev: string | undefined): void {
			const gen = rev ? Number.parseInt(rev, 10) || 0 : 0;
			const fact = d ? dossierFact(d, gen, cal) : null;
			if (!cells.update(id, fact, gen)) return;
			if (d && fact && !fact.counts.finished) open.set(id, { day: fact.day, procedure: d.procedureCode, office: d.officeId ?? '', dueAt: Date.parse(d.dueAt) });
			else open.delete(id);
		},
		query(range: DayRange, now: Date, offices?: ReadonlySet<string>) {
			const totals = new CellSum(COUNTS, DURATIONS);
			const byProcedure = groupSums(COUNTS, DURATIONS);
			const byOffice = groupSums(COUNTS, DURATIONS);
			for (const [, c] of cells.cells(range)) {
				const [procedure, office] = c.dims;
				if (offices && !offices.has(office)) continue;
				totals.add(c);
				byProcedure.into(procedure, c);
				byOffice.into(office, c);
			}
			// Overdue now: open, past due, received in the range.
			const overdue = { total: 0, procedure: new Map<string, number>(), office: new Map<string, number>() };
			const t = now.getTime();
			for (const o of open.values()) {
				if (o.dueAt >= t || o.day < range.from || o.day > range.to || (offices && !offices.has(o.office))) continue;
				overdue.total++;
				overdue.procedure.set(o.procedure, (overdue.procedure.get(o.procedure) ?? 0) + 1);
				overdue.office.set(o.office, (overdue.office.get(o.office) ?? 0) + 1);
			}
			const figures = (s: CellSum<CountName, DurationName>, late: number): DossierFigures => ({ ...s.counts, overdue: late, processing: s.durations('processing') });
			return {
				totals: figures(totals, overdue.total),
				byProcedure: byProcedure.rows((s, key) => figures(s, overdue.procedure.get(key) ?? 0), rank),
				byOffice: byOffice.rows((s, key) => figures(s, overdue.office.get(key) ?? 0), rank)
			};
		},
		size: cells.size
	};
}
export type DossierFiguresIndex = ReturnType<typeof createDossierFigures>;
