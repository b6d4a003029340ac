import type { RatingLevel } from '../domain/ticket';
import type { TenantConfig } from '../domain/tenant';
import { localDate, offsetMs } from '../domain/work-calendar';

/**
 * Dates and times of the office, in its own wall time: the tenant calendar's fixed UTC offset, the
 * one the server numbers days with (domain/work-calendar.ts), so a phone set to another zone still
 * shows the office's hours and "today". Zod-free: the ticket pages stay light.
 */

/** Vietnam's, until the tenant config says otherwise. */
const DEFAULT_OFFSET = '+07:00';

export type OfficeClock = { utcOffset: string };

export function officeClock(config: TenantConfig | null | undefined): OfficeClock {
	return { utcOffset: config?.calendar?.utcOffset ?? DEFAULT_OFFSET };
}

/** The office's local date ("YYYY-MM-DD") `daysLater` days after `now`. */
export function officeDay(clock: OfficeClock, now: number, daysLater = 0): string {
	return localDate(clock, new Date(now + daysLater * 86_400_000));
}

/** "08:30" on the office's clock. */
export function wallTime(clock: OfficeClock, iso: string | number): string {
	const t = typeof iso === 'number' ? iso : Date.parse(iso);
	if (Number.isNaN(t)) return '';
	return new Date(t + offsetMs(clock)).toISOString().slice(11, 16);
}

/** "Thứ Hai, 02/03" / "Monday, 02/03" for a local date. */
export function dayLabel(day: string, locale: 'vi' | 'en'): string {
	const d = new Date(`${day}T12:00:00Z`);
	if (Number.isNaN(d.getTime())) return day;
	return d.toLocaleDateString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'UTC', weekday: 'long', day: '2-digit', month: '2-digit' });
}

/** A slot as said to a person: its day and hours. */
export function slotLabel(clock: OfficeClock, slot: { from: string; to: string }, locale: 'vi' | 'en'): { day: string; from: string; to: string } {
	return { day: dayLabel(localDate(clock, new Date(slot.from)), locale), from: wallTime(clock, slot.from), to: wallTime(clock, slot.to) };
}

/** The rating levels, best first (domain/ticket.ts RATINGS, without its zod): the rating pages list them. */
export const RATING_LEVELS: readonly RatingLevel[] = ['very_satisfied', 'satisfied', 'unsatisfied'];
