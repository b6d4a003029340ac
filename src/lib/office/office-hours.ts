import type { Office, OfficeService } from '../domain/office';
import { localDate, workingPeriodsOn, type Weekday, type WorkCalendar, type WorkPeriod } from '../domain/work-calendar';
import { wallTime, type OfficeClock } from './ticket-format';

/**
 * An office's hours as a resident reads them on /offices: today's (or why it is closed today: a
 * public holiday of the tenant calendar, a day the office itself closes, the weekend) and the
 * week's. Zod-free (domain/office.ts is not imported for its values): the offices page stays light.
 */

export type TodayHours =
	| { kind: 'open'; date: string; periods: WorkPeriod[] }
	| { kind: 'holiday'; date: string; name: string }
	| { kind: 'closedDay'; date: string; name: string }
	| { kind: 'dayOff'; date: string }
	| { kind: 'unknown'; date: string };

/** The office's week: its own when it has one, the tenant calendar's otherwise (as domain/office.ts officeCalendar). */
export function officeWeek(office: Pick<Office, 'week'>, calendar: WorkCalendar | undefined): WorkCalendar['week'] {
	return office.week ?? calendar?.week ?? [];
}

/** Today's hours on the office's clock, at `now`. No calendar in the tenant: unknown, never guessed. */
export function todayHours(office: Pick<Office, 'week' | 'closedDays'>, calendar: WorkCalendar | undefined, now: number, clock: OfficeClock): TodayHours {
	const date = localDate(clock, new Date(now));
	if (!calendar) return { kind: 'unknown', date };
	const holiday = calendar.holidays.find((h) => h.date === date);
	if (holiday) return { kind: 'holiday', date, name: holiday.name };
	const closed = office.closedDays?.find((d) => d.date === date);
	if (closed) return { kind: 'closedDay', date, name: closed.name };
	const periods = workingPeriodsOn({ ...calendar, week: officeWeek(office, calendar) }, date).map((p) => ({
		from: wallTime(clock, p.from.getTime()),
		// A period to midnight ends at "24:00", not at the next day's "00:00".
		to: wallTime(clock, p.to.getTime()) === '00:00' ? '24:00' : wallTime(clock, p.to.getTime())
	}));
	return periods.length ? { kind: 'open', date, periods } : { kind: 'dayOff', date };
}

/** "07:00–11:30, 13:00–17:00" */
export function periodsText(periods: readonly WorkPeriod[]): string {
	return periods.map((p) => `${p.from}–${p.to}`).join(', ');
}

/** Monday first, as a Vietnamese week is written (Thứ Hai … Chủ nhật). */
const WEEK_ORDER: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The week as rows "days: hours", days in week order, days with the same hours together. */
export function weekRows(week: WorkCalendar['week']): { days: Weekday[]; hours: string }[] {
	const byHours = new Map<string, Weekday[]>();
	for (const day of WEEK_ORDER) {
		const periods = week.filter((e) => e.days.includes(day)).flatMap((e) => e.periods);
		if (!periods.length) continue;
		const hours = periodsText([...periods].sort((a, b) => (a.from < b.from ? -1 : 1)));
		byHours.set(hours, [...(byHours.get(hours) ?? []), day]);
	}
	return [...byHours].map(([hours, days]) => ({ days, hours }));
}

/** Services by field (lĩnh vực), in the tenant's order: how the ticket form lists them too. */
export function servicesByField(services: readonly OfficeService[], office: Pick<Office, 'serviceIds'>, locale: 'vi' | 'en'): [string, OfficeService[]][] {
	const out = new Map<string, OfficeService[]>();
	for (const s of services) {
		if (!office.serviceIds.includes(s.id)) continue;
		const field = locale === 'en' ? s.fieldEn : s.fieldVi;
		out.set(field, [...(out.get(field) ?? []), s]);
	}
	return [...out];
}
