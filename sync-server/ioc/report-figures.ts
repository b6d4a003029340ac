import { daysOf, IOC_DAILY_DAYS, IOC_OVERDUE_LIST, type DayRange, type FigureRow, type OverdueItem, type ReportFigures } from '$lib/domain/ioc';
import type { Report } from '$lib/domain/report';
import { isClosed } from '$lib/domain/report-state';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import { CellSum, createFigureCells, groupSums, type Cell, type Fact } from './figure-cells';

/**
 * The operations centre's report figures, kept INCREMENTALLY (issue 15): each report contributes to
 * one cell per (day received, commune, category, unit), and when it changes its old contribution is
 * taken back and its new one added. No request scans the reports: a question adds up the cells of
 * its days (a month of a province is a few thousand cells).
 *
 * A report's contribution is a pure function of the report document (`factOf`): the server already
 * writes every derived field it needs (status, due time, overdue flag, first response, resolution,
 * reopenings, rating: domain/report-state.ts). So "kept as changes came" and "rebuilt from scratch"
 * are the same fold over the same documents, and give the same figures: counts add and subtract
 * exactly and the duration sketches are bucket counts (duration-sketch.ts), not order-dependent.
 *
 * Each report also appears in a report-level cell (unit ''), so totals and the per-category and
 * per-commune tables count a report with two units once; the per-unit table counts it for each unit.
 */

const COUNTS = ['received', 'open', 'inProgress', 'overdue', 'resolved', 'invalid', 'withdrawn', 'reopened', 'onTime', 'satisfied', 'rated'] as const;
type CountName = (typeof COUNTS)[number];
const DURATIONS = ['firstResponse', 'resolution'] as const;
type DurationName = (typeof DURATIONS)[number];
type ReportFact = Fact<CountName, DurationName>;

/** What the overdue list shows of a report while it is open past due. */
type OverdueEntry = Omit<OverdueItem, 'lateMs'>;

/** Cells are (commune, category, unit); unit '' is the report-level cell. */
export function factOf(r: Report, gen: number, cal: Pick<WorkCalendar, 'utcOffset'>): ReportFact | null {
	if (r._deleted || !r.receivedAt) return null;
	const received = Date.parse(r.receivedAt);
	const open = !isClosed(r.status);
	const counts: ReportFact['counts'] = { received: 1 };
	if (open) counts.open = 1;
	if (r.status === 'in_progress') counts.inProgress = 1;
	if (open && r.overdueAt) counts.overdue = 1;
	if (r.status === 'resolved') counts.resolved = 1;
	if (r.status === 'invalid') counts.invalid = 1;
	if (r.status === 'withdrawn') counts.withdrawn = 1;
	if ((r.reopenCount ?? 0) > 0) counts.reopened = 1;
	if (r.status === 'resolved' && r.resolvedAt && r.dueAt && r.resolvedAt <= r.dueAt) counts.onTime = 1;
	if (r.satisfied !== undefined) {
		counts.rated = 1;
		if (r.satisfied) counts.satisfied = 1;
	}
	const durations: ReportFact['durations'] = {};
	if (r.firstResponseAt) durations.firstResponse = Math.max(0, Date.parse(r.firstResponseAt) - received);
	if (r.status === 'resolved' && r.resolvedAt) durations.resolution = Math.max(0, Date.parse(r.resolvedAt) - received);
	return {
		gen,
		day: localDate(cal, new Date(received)),
		cells: ['', ...(r.assignedUnitIds ?? [])].map((unit) => [r.wardCode, r.categoryCode, unit]),
		counts,
		durations
	};
}

function toFigures(s: CellSum<CountName, DurationName>): ReportFigures {
	return { ...s.counts, firstResponse: s.durations('firstResponse'), resolution: s.durations('resolution') };
}

export interface FigureFilter {
	ward?: string;
	unit?: string;
	category?: string;
}

export interface FiguresAnswer {
	totals: ReportFigures;
	byCategory: FigureRow[];
	byWard: FigureRow[];
	byUnit: FigureRow[];
	series: { grain: 'day' | 'month'; rows: FigureRow[] };
}

const monthsOf = (range: DayRange) => [...new Set(daysOf(range).map((d) => d.slice(0, 7)))];

export function createReportFigures(cal: Pick<WorkCalendar, 'utcOffset'>) {
	const cells = createFigureCells(COUNTS, DURATIONS);
	const overdue = new Map<string, OverdueEntry>();
	/** Open reports that an assigned unit has not opened yet: the "not seen" warning's input. */
	const unseen = new Map<string, { units: string[]; receivedAt: number }>();

	return {
		/**
		 * Takes in a report's current state (from the changes feed). Idempotent, and an older revision
		 * seen after a newer one changes nothing; a deletion takes the report out.
		 */
		update(id: string, report: Report | null, rev: string | undefined): void {
			const gen = rev ? Number.parseInt(rev, 10) || 0 : 0;
			const fact = report ? factOf(report, gen, cal) : null;
			if (!cells.update(id, fact, gen)) return;
			if (report && fact?.counts.overdue && report.dueAt)
				overdue.set(id, {
					id,
					...(report.trackingCode ? { trackingCode: report.trackingCode } : {}),
					categoryCode: report.categoryCode,
					wardCode: report.wardCode,
					...(report.location.source !== 'ward' ? { lat: report.location.lat, lng: report.location.lng } : {}),
					receivedAt: report.receivedAt,
					dueAt: report.dueAt,
					assignedUnitIds: report.assignedUnitIds ?? [],
					...(report.leadUnitId ? { leadUnitId: report.leadUnitId } : {}),
					unseenUnitIds: (report.assignedUnitIds ?? []).filter((u) => !(report.seenByUnitIds ?? []).includes(u)),
					idleUnitIds: (report.assignedUnitIds ?? []).filter((u) => !(report.actedByUnitIds ?? []).includes(u)),
					unanswered: !report.firstResponseAt
				});
			else overdue.delete(id);
			const notSeen = report && fact?.counts.open ? (report.assignedUnitIds ?? []).filter((u) => !(report.seenByUnitIds ?? []).includes(u)) : [];
			if (notSeen.length) unseen.set(id, { units: notSeen, receivedAt: Date.parse(report!.receivedAt!) });
			else unseen.delete(id);
		},

		/** Per unit: its open reports it has not opened, received at or before `before`, and the oldest's time. */
		unseenBy(before: number): Map<string, { count: number; oldest: number }> {
			const out = new Map<string, { count: number; oldest: number }>();
			for (const r of unseen.values()) {
				if (r.receivedAt > before) continue;
				for (const u of r.units) {
					const o = out.get(u);
					if (o) (o.count++, (o.oldest = Math.min(o.oldest, r.receivedAt)));
					else out.set(u, { count: 1, oldest: r.receivedAt });
				}
			}
			return out;
		},

		/** Reports received per (commune, category) over `range`, and the units they went to. */
		receivedBy(range: DayRange): Map<string, { ward: string; category: string; count: number; units: Set<string> }> {
			const out = new Map<string, { ward: string; category: string; count: number; units: Set<string> }>();
			for (const [, c] of cells.cells(range)) {
				const [ward, category, unit] = c.dims;
				const key = `${ward}|${category}`;
				let o = out.get(key);
				if (!o) out.set(key, (o = { ward, category, count: 0, units: new Set() }));
				if (unit) o.units.add(unit);
				else o.count += cells.count(c, 'received');
			}
			return out;
		},

		/**
		 * The figures of the reports received in `range`, filtered, with the three breakdowns and the
		 * series (by day up to IOC_DAILY_DAYS days, else by month); `totalsOnly` for a trend's baseline.
		 */
		query(range: DayRange, filter: FigureFilter, opts: { totalsOnly?: boolean } = {}): FiguresAnswer {
			const totals = new CellSum(COUNTS, DURATIONS);
			const byCategory = groupSums(COUNTS, DURATIONS);
			const byWard = groupSums(COUNTS, DURATIONS);
			const byUnit = groupSums(COUNTS, DURATIONS);
			const daily = daysOf(range).length <= IOC_DAILY_DAYS;
			const steps = new Map((daily ? daysOf(range) : monthsOf(range)).map((k) => [k, new CellSum(COUNTS, DURATIONS)]));
			const keep = (c: Cell): boolean => {
				const [ward, category, unit] = c.dims;
				if ((filter.ward && ward !== filter.ward) || (filter.category && category !== filter.category)) return false;
				return filter.unit ? unit === filter.unit : !unit;
			};
			for (const [period, c] of cells.cells(range)) {
				const [ward, category, unit] = c.dims;
				if (!opts.totalsOnly && unit && (!filter.unit || unit === filter.unit) && (!filter.ward || ward === filter.ward) && (!filter.category || category === filter.category)) byUnit.into(unit, c);
				if (!keep(c)) continue;
				totals.add(c);
				if (opts.totalsOnly) continue;
				byCategory.into(category, c);
				byWard.into(ward, c);
				if (!daily) steps.get(period.slice(0, 7))!.add(c);
			}
			// Day by day: the day cells (the months above add up whole months at once).
			if (daily && !opts.totalsOnly) for (const [day, c] of cells.cellsByDay(range)) if (keep(c)) steps.get(day)!.add(c);
			const rank = (f: ReportFigures) => f.received;
			return {
				totals: toFigures(totals),
				byCategory: byCategory.rows(toFigures, rank),
				byWard: byWard.rows(toFigures, rank),
				byUnit: byUnit.rows(toFigures, rank),
				series: { grain: daily ? 'day' : 'month', rows: [...steps].map(([key, s]) => ({ key, figures: toFigures(s) })) }
			};
		},

		/** Open reports past due that match the filter, the latest first (the earliest due time). */
		overdue(filter: FigureFilter, now: Date, limit = IOC_OVERDUE_LIST): { items: OverdueItem[]; total: number } {
			const all = [...overdue.values()].filter(
				(o) =>
					(!filter.ward || o.wardCode === filter.ward) &&
					(!filter.category || o.categoryCode === filter.category) &&
					(!filter.unit || o.assignedUnitIds.includes(filter.unit))
			);
			all.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : 1));
			return { items: all.slice(0, limit).map((o) => ({ ...o, lateMs: Math.max(0, now.getTime() - Date.parse(o.dueAt)) })), total: all.length };
		},

		/**
		 * One row per report received in `range` that the filter lets through: what the export of every
		 * report carries (no description, no author, no place finer than the commune). Unsorted, so the
		 * first rows go out at once, however many follow.
		 */
		*rows(range: DayRange, filter: FigureFilter): Generator<{ id: string; day: string; ward: string; category: string; units: readonly string[]; counts: ReportFact['counts']; durations: ReportFact['durations'] }> {
			for (const [id, f] of cells.facts()) {
				if (f.day < range.from || f.day > range.to) continue;
				const [ward, category] = f.cells[0];
				const units = f.cells.slice(1).map((c) => c[2]);
				if ((filter.ward && ward !== filter.ward) || (filter.category && category !== filter.category) || (filter.unit && !units.includes(filter.unit))) continue;
				yield { id, day: f.day, ward, category, units, counts: f.counts, durations: f.durations };
			}
		},

		cellCount: cells.cellCount,
		/** How many reports the figures hold. */
		size: cells.size
	};
}
export type ReportFiguresIndex = ReturnType<typeof createReportFigures>;
