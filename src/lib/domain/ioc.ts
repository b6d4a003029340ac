import { z } from 'zod';
import { AdminCode, Id, IsoTime, UnitId } from './common';
import { localDate, type WorkCalendar } from './work-calendar';

/**
 * The operations centre (IOC, issue 15): what a leader asks for and what the server answers. The
 * figures are kept by the server as reports change (sync-server/ioc/report-figures.ts); this file is
 * the contract both sides parse.
 *
 * A period's figures are those of the reports RECEIVED in it (a cohort): how many came, where they
 * are now (open, in progress, overdue, resolved, invalid, withdrawn), how fast they were answered and
 * resolved, and how their authors rated them. The previous period of the same length is the trend's
 * baseline. Days are the tenant's local days.
 */

export const IOC_PERIODS = ['today', 'week', 'month', 'custom'] as const;
export const IocPeriod = z.enum(IOC_PERIODS);
export type IocPeriod = z.infer<typeof IocPeriod>;

/** The longest period one answer covers: a year (a leap year's). */
export const IOC_MAX_DAYS = 366;

const LocalDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'bad_date' });

export const IocQuery = z.strictObject({
	period: IocPeriod.default('week'),
	/** Custom period only: first and last local day, inclusive. */
	from: LocalDay.optional(),
	to: LocalDay.optional(),
	ward: AdminCode.optional(),
	unit: UnitId.optional(),
	category: z.string().min(1).max(60).optional()
});
export type IocQuery = z.infer<typeof IocQuery>;

export interface DayRange {
	/** First local day, "YYYY-MM-DD", inclusive. */
	from: string;
	/** Last local day, inclusive. */
	to: string;
}

const DAY_MS = 86_400_000;
/** Local days ("YYYY-MM-DD") as whole numbers, for day arithmetic with no time zone in it. */
export const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
export const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** The day `n` days after `day` (before it when negative). */
export const addDays = (day: string, n: number) => dayString(dayNumber(day) + n);
/** Every day of a range, oldest first. */
export function daysOf(range: DayRange): string[] {
	const out: string[] = [];
	for (let d = dayNumber(range.from); d <= dayNumber(range.to); d++) out.push(dayString(d));
	return out;
}
// Month 13 or day 32 has the shape of a day but no time: dayString would throw on it.
const isRealDay = (d: string) => LocalDay.safeParse(d).success && Number.isFinite(dayNumber(d)) && dayString(dayNumber(d)) === d;

export type PeriodProblem = 'bad_date' | 'period_reversed' | 'period_in_future' | 'period_too_long';

/**
 * The days of a period and of the one before it (same length), in the tenant's zone: "week" is the
 * last 7 days with today, "month" the last 30. A custom period may not start after today, end
 * before it starts, or cover more than IOC_MAX_DAYS; a custom end after today is cut to today.
 */
export function resolvePeriod(
	q: Pick<IocQuery, 'period' | 'from' | 'to'>,
	cal: Pick<WorkCalendar, 'utcOffset'>,
	now: Date
): { current: DayRange; previous: DayRange } | { problem: PeriodProblem } {
	const today = dayNumber(localDate(cal, now));
	let from: number;
	let to = today;
	if (q.period === 'custom') {
		if (!q.from || !q.to || !isRealDay(q.from) || !isRealDay(q.to)) return { problem: 'bad_date' };
		from = dayNumber(q.from);
		to = Math.min(dayNumber(q.to), today);
		if (from > today) return { problem: 'period_in_future' };
		if (dayNumber(q.to) < from) return { problem: 'period_reversed' };
		if (dayNumber(q.to) - from + 1 > IOC_MAX_DAYS) return { problem: 'period_too_long' };
	} else from = today - (q.period === 'today' ? 0 : q.period === 'week' ? 6 : 29);
	const length = to - from + 1;
	return {
		current: { from: dayString(from), to: dayString(to) },
		previous: { from: dayString(from - length), to: dayString(from - 1) }
	};
}

/** A percentile pair and how many durations it is read from. */
export const Durations = z.object({ p50Ms: z.number().nullable(), p90Ms: z.number().nullable(), n: z.number().int() });
export type Durations = z.infer<typeof Durations>;

/** The figures of a set of reports received in a period. */
export const ReportFigures = z.object({
	received: z.number().int(),
	/** Not closed: received, assigned, in progress, reopened or contested. */
	open: z.number().int(),
	inProgress: z.number().int(),
	/** Open and flagged past due by the server's SLA job. */
	overdue: z.number().int(),
	resolved: z.number().int(),
	invalid: z.number().int(),
	withdrawn: z.number().int(),
	/** Reopened at least once: "closed but not fixed", kept apart from the fixed. */
	reopened: z.number().int(),
	/** Resolved by their due time, out of the resolved. */
	onTime: z.number().int(),
	firstResponse: Durations,
	resolution: Durations,
	/** Authors' latest ratings: satisfied, out of `rated`. */
	satisfied: z.number().int(),
	rated: z.number().int()
});
export type ReportFigures = z.infer<typeof ReportFigures>;

export const FigureRow = z.object({ key: z.string(), figures: ReportFigures });
export type FigureRow = z.infer<typeof FigureRow>;

export const OverdueItem = z.object({
	id: Id,
	trackingCode: z.string().optional(),
	categoryCode: z.string(),
	wardCode: AdminCode,
	/** Where it is, when the report has a point (GPS, a photo's, a pin): for the centre's map. */
	lat: z.number().optional(),
	lng: z.number().optional(),
	receivedAt: IsoTime.optional(),
	dueAt: IsoTime,
	/** How late now, ms. */
	lateMs: z.number(),
	assignedUnitIds: z.array(UnitId),
	leadUnitId: UnitId.optional(),
	/** Assigned units that have not opened it. */
	unseenUnitIds: z.array(UnitId),
	/** Assigned units that have taken no step on it since it was last (re)opened (domain/report-state.ts). */
	idleUnitIds: z.array(UnitId),
	/** No official has answered it at all. */
	unanswered: z.boolean()
});
export type OverdueItem = z.infer<typeof OverdueItem>;

/** The one-stop offices' queue tickets of the period (by the tickets' day). */
export const OfficeFigures = z.object({
	taken: z.number().int(),
	/** Taken on a phone (the app) / at the office (the kiosk). */
	online: z.number().int(),
	atOffice: z.number().int(),
	served: z.number().int(),
	noShow: z.number().int(),
	cancelled: z.number().int(),
	/** Still waiting, called or parked. */
	waiting: z.number().int(),
	/** From joining the queue to the first call. */
	wait: Durations,
	/** From the first call to finished. */
	service: Durations,
	rated: z.number().int(),
	verySatisfied: z.number().int(),
	satisfied: z.number().int(),
	unsatisfied: z.number().int()
});
export type OfficeFigures = z.infer<typeof OfficeFigures>;

/** Dossiers (thủ tục hành chính) received in the period. */
export const DossierFigures = z.object({
	received: z.number().int(),
	/** A result is ready, returned, refused or withdrawn: nothing pending on the office's side. */
	finished: z.number().int(),
	/** Finished by the due date. */
	onTime: z.number().int(),
	/** Finished after the due date. */
	late: z.number().int(),
	/** Not finished and past the due date, now. */
	overdue: z.number().int(),
	/** From receipt to finished. */
	processing: Durations
});
export type DossierFigures = z.infer<typeof DossierFigures>;

const row = <T extends z.ZodType>(figures: T) => z.object({ key: z.string(), figures });

export const IocAnswer = z.object({
	/** When the server's figures last took in a change (server clock). */
	asOf: IsoTime,
	/**
	 * False just after a server start while it still reads the database to build its figures: they
	 * count what it has read so far (the page says so). A later answer completes them.
	 */
	complete: z.boolean(),
	period: z.object({ from: z.string(), to: z.string() }),
	previous: z.object({ from: z.string(), to: z.string() }),
	totals: ReportFigures,
	previousTotals: ReportFigures,
	byCategory: z.array(FigureRow),
	byWard: z.array(FigureRow),
	byUnit: z.array(FigureRow),
	/**
	 * The period step by step, oldest first, every step present: days ("YYYY-MM-DD") for a period of up
	 * to IOC_DAILY_DAYS days, months ("YYYY-MM", the first and last maybe partial) beyond — the trend
	 * chart and its table.
	 */
	series: z.object({ grain: z.enum(['day', 'month']), rows: z.array(FigureRow) }),
	/** The most overdue first (at most IOC_OVERDUE_LIST). */
	overdue: z.array(OverdueItem),
	overdueTotal: z.number().int(),
	office: z.object({
		totals: OfficeFigures,
		previousTotals: OfficeFigures,
		byOffice: z.array(row(OfficeFigures)),
		/** Key `<office id>/<counter id>`. */
		byCounter: z.array(row(OfficeFigures)),
		/** Key: the official's account (`staff:<username>`), with their display name when known. */
		byOfficial: z.array(row(OfficeFigures).extend({ name: z.string().optional() }))
	}),
	dossiers: z.object({
		totals: DossierFigures,
		previousTotals: DossierFigures,
		byProcedure: z.array(row(DossierFigures)),
		/** Key: the office id; '' for dossiers imported without one. */
		byOffice: z.array(row(DossierFigures))
	})
});
export type IocAnswer = z.infer<typeof IocAnswer>;

export const IOC_OVERDUE_LIST = 200;
/** The longest period drawn day by day; a longer one is drawn month by month. */
export const IOC_DAILY_DAYS = 62;

/** The tables an export may carry: one row per key, the figures as columns. */
/** `reports`: one row per report of the period (streamed: a year of a province is a million rows). */
export const IOC_TABLES = ['categories', 'wards', 'units', 'overdue', 'offices', 'counters', 'officials', 'procedures', 'reports'] as const;
export const IocTable = z.enum(IOC_TABLES);
export type IocTable = z.infer<typeof IocTable>;

export { DEFAULT_IOC_RULES, IocRules } from './ioc-rules';

export const IOC_WARNING_TYPES = ['report_overdue', 'unit_unseen', 'spike', 'queue_wait'] as const;
export const IocWarningType = z.enum(IOC_WARNING_TYPES);
export type IocWarningType = z.infer<typeof IocWarningType>;

export const IocWarning = z.object({
	/** Made from what it is about (type, subject, due time or day): raised once, by any instance. */
	id: z.string(),
	type: IocWarningType,
	/** Server time it was raised. */
	at: IsoTime,
	/** The units it concerns (leaders and operators see every warning). */
	unitIds: z.array(UnitId),
	reportId: Id.optional(),
	trackingCode: z.string().optional(),
	wardCode: AdminCode.optional(),
	categoryCode: z.string().optional(),
	officeId: z.string().optional(),
	/**
	 * report_overdue: hours late when raised; unit_unseen: reports the unit has not opened;
	 * spike: the day's reports; queue_wait: the longest wait, minutes.
	 */
	value: z.number(),
	/** unit_unseen: hours since the oldest was received; spike: the daily average it is compared with. */
	baseline: z.number().optional(),
	acknowledged: z.object({ by: z.string(), at: IsoTime }).optional()
});
export type IocWarning = z.infer<typeof IocWarning>;
export const IocWarningList = z.object({ warnings: z.array(IocWarning) });
