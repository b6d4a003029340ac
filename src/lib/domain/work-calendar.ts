/**
 * A tenant's working calendar: the hours its offices work, its weekends and public holidays. Due
 * times in working hours are counted on it ("6 working hours from Friday 20:00" is Monday 15:30, not
 * Saturday 02:00); the one-stop office's appointment deadlines will be too.
 *
 * Pure, and with no time-zone database: the calendar names its fixed offset from UTC (Vietnam is
 * UTC+7 all year, no daylight saving). Wall times are computed by shifting instants by that offset
 * and reading them as UTC, so the machine's own time zone never matters. A zone with daylight
 * saving cannot be described by one offset; the tenant loader refuses such a calendar.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A working period of a day, wall times "HH:MM" ("24:00" ends at midnight). */
export interface WorkPeriod {
	from: string;
	to: string;
}

/**
 * The calendar as tenant.json gives it (its zod schema, `WorkCalendar` in tenant.ts, checks the
 * shapes; `calendarProblems` below what a schema cannot say). This module has no zod: the phone's
 * light pages read due times without loading it.
 */
export interface WorkCalendar {
	/** IANA name of the zone, e.g. "Asia/Ho_Chi_Minh": for people, display, and checking `utcOffset`. */
	timeZone: string;
	/** The zone's fixed offset from UTC, "+07:00": the arithmetic uses this one. */
	utcOffset: string;
	/** Working periods by weekday; a weekday in no entry is not worked (the weekend). */
	week: { days: Weekday[]; periods: WorkPeriod[] }[];
	/** Days off although the week says worked (public holidays, with the days given in lieu). */
	holidays: { date: string; name: string }[];
	/** Days worked although the week says not (a Saturday made up for a bridged holiday), as weekday `as`. */
	workdays?: { date: string; name: string; as: Weekday }[];
}

/** How a category's deadlines run: clock hours (urgent: safety, flooding) or the calendar's working hours. */
export const DEADLINE_HOURS = ['clock', 'working'] as const;
export type DeadlineHours = (typeof DEADLINE_HOURS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Longest stretch searched for working time: ten years of holidays in a row is a broken calendar. */
const MAX_DAYS = 3660;

export function offsetMs(cal: Pick<WorkCalendar, 'utcOffset'>): number {
	const m = /^([+-])(\d{2}):(\d{2})$/.exec(cal.utcOffset);
	if (!m) throw new Error(`bad utcOffset "${cal.utcOffset}"`);
	return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * HOUR + Number(m[3]) * MINUTE);
}

const wallMs = (t: string) => Number(t.slice(0, 2)) * HOUR + Number(t.slice(3, 5)) * MINUTE;

/** Whether "YYYY-MM-DD" names a day that exists (no 30 February). */
export function isRealDate(date: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
	const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
	return new Date(t).toISOString().slice(0, 10) === date;
}

/** The calendar in the form the arithmetic reads: periods (ms after local midnight) per weekday, days by date. */
interface Compiled {
	offset: number;
	week: [number, number][][];
	holidays: Set<string>;
	workdays: Map<string, number>;
}
const compiledCache = new WeakMap<WorkCalendar, Compiled>();

function compile(cal: WorkCalendar): Compiled {
	const hit = compiledCache.get(cal);
	if (hit) return hit;
	const week: [number, number][][] = WEEKDAYS.map(() => []);
	for (const entry of cal.week)
		for (const day of entry.days)
			for (const p of entry.periods) {
				const from = wallMs(p.from);
				const to = wallMs(p.to);
				if (to > from) week[WEEKDAYS.indexOf(day)].push([from, to]);
			}
	for (const periods of week) periods.sort((a, b) => a[0] - b[0]);
	const c: Compiled = {
		offset: offsetMs(cal),
		week,
		holidays: new Set(cal.holidays.map((h) => h.date)),
		workdays: new Map((cal.workdays ?? []).map((w) => [w.date, WEEKDAYS.indexOf(w.as)]))
	};
	if (!week.some((p) => p.length)) throw new Error('the calendar has no working time in the week');
	compiledCache.set(cal, c);
	return c;
}

/** Working periods of the local day starting at `dayStart` (local ms, midnight), as local ms. */
function periodsOf(c: Compiled, dayStart: number): [number, number][] {
	const date = new Date(dayStart).toISOString().slice(0, 10);
	if (c.holidays.has(date)) return [];
	const weekday = c.workdays.get(date) ?? new Date(dayStart).getUTCDay();
	return c.week[weekday].map(([from, to]) => [dayStart + from, dayStart + to]);
}

/** Calls `visit` with each working period (local ms) from the local day of `local` on, until it returns true. */
function eachPeriod(c: Compiled, local: number, visit: (from: number, to: number) => boolean): void {
	let dayStart = Math.floor(local / DAY) * DAY;
	for (let i = 0; i < MAX_DAYS; i++, dayStart += DAY)
		for (const [from, to] of periodsOf(c, dayStart)) if (visit(from, to)) return;
	throw new Error(`the calendar has no working time in the ${MAX_DAYS} days after ${new Date(local).toISOString()}`);
}

/**
 * The instant `hours` after `start`: clock hours as they are; working hours counted only inside
 * the calendar's working periods (a deadline that uses up a period exactly ends at its end, e.g.
 * 11:30, not at the next period's start). Without a calendar, working hours count as clock hours:
 * a deadline that falls due a bit early beats one that never does (the loader refuses that case).
 */
export function addDeadlineHours(cal: WorkCalendar | undefined, mode: DeadlineHours, start: Date, hours: number): Date {
	if (mode === 'clock' || !cal || hours <= 0) return new Date(start.getTime() + hours * HOUR);
	const c = compile(cal);
	let remaining = Math.round(hours * HOUR);
	const local = start.getTime() + c.offset;
	let due = local;
	eachPeriod(c, local, (from, to) => {
		const s = Math.max(from, local);
		if (s >= to) return false;
		if (remaining <= to - s) {
			due = s + remaining;
			return true;
		}
		remaining -= to - s;
		return false;
	});
	return new Date(due - c.offset);
}

/** Working time (ms) between two instants: what a handler had to act, on this calendar. */
export function workingMsBetween(cal: WorkCalendar, start: Date, end: Date): number {
	const c = compile(cal);
	const a = start.getTime() + c.offset;
	const b = end.getTime() + c.offset;
	if (b <= a) return 0;
	let total = 0;
	let dayStart = Math.floor(a / DAY) * DAY;
	for (; dayStart < b; dayStart += DAY)
		for (const [from, to] of periodsOf(c, dayStart)) total += Math.max(0, Math.min(to, b) - Math.max(from, a));
	return total;
}

/** Whether an instant falls inside a working period (its start included, its end not). */
export function isWorkingTime(cal: WorkCalendar, at: Date): boolean {
	const c = compile(cal);
	const local = at.getTime() + c.offset;
	const dayStart = Math.floor(local / DAY) * DAY;
	return periodsOf(c, dayStart).some(([from, to]) => local >= from && local < to);
}

/**
 * What the schema cannot say about a calendar, each with its path inside it: a period that does not
 * end after it starts, periods of one weekday that overlap, dates that do not exist or repeat, a
 * week with no working time at all. `prefix` is put before every path (where the calendar sits).
 */
export function calendarProblems(cal: WorkCalendar, prefix = ''): { path: string; reason: string }[] {
	const out: { path: string; reason: string }[] = [];
	const seen = new Map<Weekday, { at: string; from: number; to: number; text: string }[]>();
	cal.week.forEach((entry, i) =>
		entry.periods.forEach((p, j) => {
			const at = `${prefix}week.${i}.periods.${j}`;
			const from = wallMs(p.from);
			const to = wallMs(p.to);
			if (to <= from) {
				out.push({ path: at, reason: `ends at ${p.to}, not after it starts (${p.from})` });
				return;
			}
			let reported = false; // one line per period, not one per weekday it overlaps on
			for (const day of new Set(entry.days)) {
				const list = seen.get(day) ?? [];
				const other = list.find((o) => from < o.to && o.from < to);
				if (other && !reported) out.push({ path: at, reason: `overlaps ${other.at} on ${day} (${other.text})` });
				reported ||= !!other;
				list.push({ at, from, to, text: `${p.from}–${p.to}` });
				seen.set(day, list);
			}
		})
	);
	if (![...seen.values()].some((l) => l.length)) out.push({ path: `${prefix}week`, reason: 'no working time in the week' });
	for (const key of ['holidays', 'workdays'] as const) {
		const first = new Map<string, number>();
		(cal[key] ?? []).forEach((d, i) => {
			const at = `${prefix}${key}.${i}.date`;
			if (!isRealDate(d.date)) out.push({ path: at, reason: `"${d.date}" is not a date` });
			else if (first.has(d.date)) out.push({ path: at, reason: `duplicate "${d.date}" (also ${prefix}${key}.${first.get(d.date)}.date)` });
			else first.set(d.date, i);
		});
	}
	return out;
}

/** The local date "YYYY-MM-DD" of an instant in the calendar's zone. */
export function localDate(cal: Pick<WorkCalendar, 'utcOffset'>, at: Date): string {
	return new Date(at.getTime() + offsetMs(cal)).toISOString().slice(0, 10);
}

/**
 * The working periods of one local date ("YYYY-MM-DD"), as instants: none on a weekend or a holiday,
 * the weekday's periods on a make-up working day. The one-stop office opens in these.
 */
export function workingPeriodsOn(cal: WorkCalendar, date: string): { from: Date; to: Date }[] {
	if (!isRealDate(date)) return [];
	const c = compile(cal);
	const dayStart = Date.parse(`${date}T00:00:00Z`);
	return periodsOf(c, dayStart).map(([from, to]) => ({ from: new Date(from - c.offset), to: new Date(to - c.offset) }));
}
