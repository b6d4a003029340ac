import { addDays, type IocRules, type IocWarning } from '$lib/domain/ioc';
import type { Office } from '$lib/domain/office';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import type { Store, StoredDoc } from '../storage/storage';
import type { IocFigures } from './ioc.module';

export type StoredWarning = IocWarning & StoredDoc;

const HOUR = 3_600_000;
const DAY_MS = 86_400_000;
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The operations centre's warnings (issue 15), computed by the server from the figures on a timer:
 *   report_overdue  an open report past its due time (the SLA job flagged it), once per due time;
 *   unit_unseen     a unit with reports assigned that it has not opened for `unseenHours`, once a day;
 *   spike           a category in a commune with today's reports ≥ `factor` × its own daily average
 *                   of the `baselineDays` before (and ≥ `min`), once a day;
 *   queue_wait      a one-stop office whose longest wait now passes `queueWaitMinutes`, once a day.
 * A warning's id is made from what it is about, and it is written create-only: with several
 * instances running the check, each warning is raised once, by whichever writes it first, and only
 * that one sends its notices (`onRaised`).
 */
export function createWarningCheck(deps: {
	store: Store<StoredWarning>;
	figures: IocFigures;
	rules: IocRules;
	calendar: Pick<WorkCalendar, 'utcOffset'>;
	offices: () => readonly Office[];
	now: () => Date;
	onRaised: (raised: IocWarning[]) => void;
}) {
	/** What the figures say should be raised now. */
	function candidates(): IocWarning[] {
		const now = deps.now();
		const t = now.getTime();
		const at = now.toISOString();
		const day = localDate(deps.calendar, now);
		const reports = deps.figures.reports.index;
		const out: IocWarning[] = [];

		for (const o of reports.overdue({}, now, Number.MAX_SAFE_INTEGER).items)
			out.push({
				id: `overdue|${o.id}|${o.dueAt}`,
				type: 'report_overdue',
				at,
				unitIds: o.assignedUnitIds,
				reportId: o.id,
				...(o.trackingCode ? { trackingCode: o.trackingCode } : {}),
				wardCode: o.wardCode,
				categoryCode: o.categoryCode,
				value: round1(o.lateMs / HOUR)
			});

		for (const [unit, u] of reports.unseenBy(t - deps.rules.unseenHours * HOUR))
			out.push({ id: `unseen|${unit}|${day}`, type: 'unit_unseen', at, unitIds: [unit], value: u.count, baseline: round1((t - u.oldest) / HOUR) });

		const { factor, min, baselineDays } = deps.rules.spike;
		const before = reports.receivedBy({ from: addDays(day, -baselineDays), to: addDays(day, -1) });
		for (const [key, today] of reports.receivedBy({ from: day, to: day })) {
			const average = (before.get(key)?.count ?? 0) / baselineDays;
			if (today.count < min || today.count < factor * average) continue;
			out.push({
				id: `spike|${today.ward}|${today.category}|${day}`,
				type: 'spike',
				at,
				unitIds: [...today.units].sort(),
				wardCode: today.ward,
				categoryCode: today.category,
				value: today.count,
				baseline: Math.round(average * 100) / 100
			});
		}

		const offices = new Map(deps.offices().map((o) => [o.id, o]));
		for (const [officeId, waitMs] of deps.figures.tickets.index.longestWaits(day, t)) {
			if (waitMs < deps.rules.queueWaitMinutes * 60_000) continue;
			out.push({ id: `queue|${officeId}|${day}`, type: 'queue_wait', at, unitIds: offices.get(officeId)?.unitIds ?? [], officeId, value: Math.round(waitMs / 60_000) });
		}
		return out;
	}

	return {
		/** One pass: raises what is new; returns it. */
		async check(): Promise<IocWarning[]> {
			await deps.figures.ready();
			// Most candidates were raised before: those the recent list holds need no read of the store.
			const recent = deps.figures.warnings.index;
			const all = candidates().filter((w) => !recent.has(w.id));
			if (!all.length) return [];
			const known = await deps.store.getMany(all.map((w) => w.id));
			const fresh = all.filter((w) => !known.has(w.id));
			if (!fresh.length) return [];
			const results = await deps.store.bulkPut(fresh.map((doc) => ({ doc: doc as StoredWarning, rev: null })));
			const raised = fresh.filter((_, i) => results[i].ok);
			if (raised.length) deps.onRaised(raised);
			return raised;
		}
	};
}

/** Keeps the recent warnings in memory, from the warnings' feed (figures-feed.ts): what the routes list. */
export function createWarningList(keepDays = 30) {
	const warnings = new Map<string, IocWarning>();
	return {
		update(id: string, w: StoredWarning | null): void {
			if (!w || w._deleted || Date.parse(w.at) < Date.now() - keepDays * DAY_MS) warnings.delete(id);
			else {
				const { _deleted: _d, ...rest } = w;
				warnings.set(id, rest as IocWarning);
			}
		},
		has: (id: string) => warnings.has(id),
		/** Newest first; `units` limits them to those concerning these units. */
		list(opts: { units?: readonly string[]; open?: boolean; limit?: number } = {}): IocWarning[] {
			return [...warnings.values()]
				.filter((w) => (!opts.units || w.unitIds.some((u) => opts.units!.includes(u))) && (!opts.open || !w.acknowledged))
				.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1))
				.slice(0, opts.limit ?? 500);
		},
		size: () => warnings.size
	};
}
export type WarningList = ReturnType<typeof createWarningList>;
