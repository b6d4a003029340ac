import { z } from 'zod';
import { AdminCode, UnitId } from './common';
import { isRealDate, WEEKDAYS, workingPeriodsOn, type WorkCalendar } from './work-calendar';

/**
 * The one-stop office (bộ phận một cửa) as tenant data: its services (grouped by field), its offices
 * with their counters, hours and booking rules, and who is served first. Nothing here is a province's
 * rule in code: every name, number and limit comes from `office` in the tenant's tenant.json.
 */

const Slug = z.string().regex(/^[a-z0-9-]{1,40}$/);
const WallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);

export const OfficeService = z.strictObject({
	id: Slug,
	/**
	 * The first digit of the service's ticket numbers: prefix "1" numbers 1001, 1002 … 1999 each day.
	 * Two services of one office never share a prefix (the tenant loader checks it), so a number names
	 * one ticket of the day at that office.
	 */
	prefix: z.string().regex(/^[1-9]$/),
	nameVi: z.string().min(1).max(120),
	nameEn: z.string().min(1).max(120),
	/** The field (lĩnh vực) the service belongs to, e.g. "Tư pháp - Hộ tịch": services are listed by it. */
	fieldVi: z.string().min(1).max(80),
	fieldEn: z.string().min(1).max(80),
	/** Minutes one person usually takes at the counter: the estimate's basis until the office has its own history. */
	typicalMinutes: z.number().int().min(1).max(240)
});
export type OfficeService = z.infer<typeof OfficeService>;

export const Counter = z.strictObject({
	id: Slug,
	/** The number said aloud and shown on the board: "Mời số 1023 đến quầy số 3". */
	number: z.number().int().min(1).max(99),
	serviceIds: z.array(Slug).min(1)
});
export type Counter = z.infer<typeof Counter>;

export const Office = z.strictObject({
	id: Slug,
	nameVi: z.string().min(1).max(160),
	nameEn: z.string().min(1).max(160),
	addressVi: z.string().min(1).max(200),
	wardCode: AdminCode,
	location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
	/** The start of the codes of dossiers this office accepts online ("000.00.12.H38"); none: its id in capitals. */
	dossierCodePrefix: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,24}$/).optional(),
	/** Staff of these units may sign in to the office's counters and receive its online dossiers. */
	unitIds: z.array(UnitId).min(1),
	serviceIds: z.array(Slug).min(1),
	counters: z.array(Counter).min(1),
	/** The office's own opening hours when they differ from the tenant calendar's; holidays are the calendar's. */
	week: z.array(z.strictObject({ days: z.array(z.enum(WEEKDAYS)).min(1), periods: z.array(z.strictObject({ from: WallTime, to: WallTime })).min(1) })).optional(),
	/**
	 * Days the office is closed although the calendar works them (training, repairs, an election), on
	 * top of the tenant's public holidays; an admin adds them as they come.
	 */
	closedDays: z.array(z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), name: z.string().min(1).max(120) })).optional(),
	/** Booking a later slot: its length in minutes, how many tickets one slot holds per service, how many days ahead. */
	slotMinutes: z.number().int().min(10).max(240),
	slotCapacity: z.number().int().min(1).max(200),
	bookDaysAhead: z.number().int().min(0).max(30),
	/** Tickets one person (a verified phone, else a device) may take at this office in a day: hoarding stops here. */
	dailyLimit: z.number().int().min(1).max(20),
	/** Tickets one network address may take in a day (a shared commune Wi-Fi counts once): well above dailyLimit. */
	addressDailyLimit: z.number().int().min(1).max(10_000),
	/** No walk-in ticket in the last minutes before closing: the office could not serve it. */
	lastTicketMinutes: z.number().int().min(0).max(120)
});
export type Office = z.infer<typeof Office>;

/** Who is served before the queue's order (Hà Nội's iHanoi: the elderly from 75), as the tenant rules. */
export const PriorityGroup = z.strictObject({
	id: Slug,
	nameVi: z.string().min(1).max(120),
	nameEn: z.string().min(1).max(120)
});
export type PriorityGroup = z.infer<typeof PriorityGroup>;

export const OfficeConfig = z.strictObject({
	services: z.array(OfficeService).min(1),
	offices: z.array(Office).min(1),
	priorityGroups: z.array(PriorityGroup),
	/** A resident is told (in the app, by Web Push, by SMS) when this many people remain ahead of them. */
	notifyAhead: z.number().int().min(1).max(50)
});
export type OfficeConfig = z.infer<typeof OfficeConfig>;

/**
 * Whether someone acts for an office (its counters, its online applications): a handler or leader of
 * one of its units, or an admin of the province.
 */
export function actsForOffice(p: { role: string; unitIds: readonly string[] }, office: Pick<Office, 'unitIds'> | undefined): boolean {
	if (p.role === 'admin') return true;
	if (p.role !== 'handler' && p.role !== 'leader') return false;
	return Boolean(office && p.unitIds.some((u) => office.unitIds.includes(u)));
}

/** Ticket numbers per service, office and day: prefix digit + 3 digits ("1023"). */
export const MAX_SEQ = 999;

export function ticketDisplay(prefix: string, seq: number): string {
	return `${prefix}${String(seq).padStart(3, '0')}`;
}

/** What the schema cannot say: references between services, offices and counters. */
export function officeProblems(cfg: OfficeConfig, unitIds: Set<string>, prefix = 'office.'): { path: string; reason: string }[] {
	const out: { path: string; reason: string }[] = [];
	const services = new Map(cfg.services.map((s) => [s.id, s]));
	if (services.size !== cfg.services.length) out.push({ path: `${prefix}services`, reason: 'two services share an id' });
	const officeIds = new Set<string>();
	cfg.offices.forEach((o, i) => {
		const at = `${prefix}offices.${i}`;
		if (officeIds.has(o.id)) out.push({ path: `${at}.id`, reason: `office id "${o.id}" is used twice` });
		officeIds.add(o.id);
		for (const u of o.unitIds) if (!unitIds.has(u)) out.push({ path: `${at}.unitIds`, reason: `unknown unit "${u}"` });
		const prefixes = new Map<string, string>();
		for (const s of o.serviceIds) {
			const svc = services.get(s);
			if (!svc) {
				out.push({ path: `${at}.serviceIds`, reason: `unknown service "${s}"` });
				continue;
			}
			const other = prefixes.get(svc.prefix);
			if (other) out.push({ path: `${at}.serviceIds`, reason: `services "${other}" and "${s}" share the number prefix ${svc.prefix}` });
			prefixes.set(svc.prefix, s);
		}
		const numbers = new Set<number>();
		const counterIds = new Set<string>();
		o.counters.forEach((c, j) => {
			if (numbers.has(c.number)) out.push({ path: `${at}.counters.${j}.number`, reason: `counter number ${c.number} is used twice` });
			if (counterIds.has(c.id)) out.push({ path: `${at}.counters.${j}.id`, reason: `counter id "${c.id}" is used twice` });
			numbers.add(c.number);
			counterIds.add(c.id);
			for (const s of c.serviceIds)
				if (!o.serviceIds.includes(s)) out.push({ path: `${at}.counters.${j}.serviceIds`, reason: `the office does not offer "${s}"` });
		});
		for (const s of o.serviceIds)
			if (!o.counters.some((c) => c.serviceIds.includes(s))) out.push({ path: `${at}.serviceIds`, reason: `no counter serves "${s}"` });
		if (o.slotMinutes % 5) out.push({ path: `${at}.slotMinutes`, reason: 'slots are whole multiples of 5 minutes' });
		(o.closedDays ?? []).forEach((d, j) => {
			if (!isRealDate(d.date)) out.push({ path: `${at}.closedDays.${j}.date`, reason: `"${d.date}" is not a date` });
		});
	});
	return out;
}

/** The office's calendar: its own week when it has one, the tenant's holidays and make-up days always. */
export function officeCalendar(office: Office, calendar: WorkCalendar): WorkCalendar {
	return office.week ? { ...calendar, week: office.week } : calendar;
}

/** Opening periods of an office on a local date ("YYYY-MM-DD"): none when it is closed (weekend, holiday). */
export function openingPeriods(office: Office, calendar: WorkCalendar, date: string): { from: Date; to: Date }[] {
	if (office.closedDays?.some((d) => d.date === date)) return [];
	return workingPeriodsOn(officeCalendar(office, calendar), date);
}

export interface Slot {
	/** Instants, ISO. */
	from: string;
	to: string;
}

/** The bookable slots of a date: each opening period cut in `slotMinutes` (a short remainder is no slot). */
export function slotsOn(office: Office, calendar: WorkCalendar, date: string): Slot[] {
	const out: Slot[] = [];
	const len = office.slotMinutes * 60_000;
	for (const p of openingPeriods(office, calendar, date))
		for (let t = p.from.getTime(); t + len <= p.to.getTime(); t += len)
			out.push({ from: new Date(t).toISOString(), to: new Date(t + len).toISOString() });
	return out;
}
