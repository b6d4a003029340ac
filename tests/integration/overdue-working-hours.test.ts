/**
 * Deadlines in working time, against the real server and the shipped tenant's calendar (Mon–Fri
 * 07:30–11:30 and 13:30–17:00, UTC+7): a report filed on a Friday evening in a working-hours
 * category falls due on Monday afternoon and is not overdue over the weekend; one in a clock-hours
 * (urgent) category falls due in the night and is flagged on Saturday.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileReport, flaggedOverdue, reportAs, signIn, startServer, STORAGE_MODE, type DeviceSession, type Session, type TestServer } from './harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHECK_MS = 50;

/** The next Friday 20:00 in Vietnam after the real time whose Monday is no holiday of the shipped calendar. */
function nextFridayEvening(holidays: Set<string>): number {
	const vnNow = new Date(Date.now() + 7 * HOUR);
	let day = Date.UTC(vnNow.getUTCFullYear(), vnNow.getUTCMonth(), vnNow.getUTCDate()) + DAY;
	for (;;) {
		const monday = new Date(day + 3 * DAY).toISOString().slice(0, 10);
		if (new Date(day).getUTCDay() === 5 && !holidays.has(monday)) return day + 20 * HOUR - 7 * HOUR;
		day += DAY;
	}
}
/** The instant of a wall time in Vietnam, `days` after the Friday (a UTC+7 midnight). */
const vnAt = (friday8pm: number, days: number, hh: number, mm: number) => friday8pm - 20 * HOUR + days * DAY + hh * HOUR + mm * 60_000;

let offset = 0;
const now = () => new Date(Date.now() + offset);
let srv: TestServer;
let ana: DeviceSession;
let lamVien: Session;
let friday8pm: number;

beforeAll(async () => {
	srv = await startServer({ now, overdueCheckMs: CHECK_MS });
	const holidays = new Set((srv.handle.tenant.calendar?.holidays ?? []).map((h) => h.date));
	friday8pm = nextFridayEvening(holidays);
	offset = friday8pm - Date.now();
	[ana, lamVien] = await signIn(srv.url, 'device', 'ubnd-lam-vien');
});
afterAll(async () => {
	await srv?.close();
});

/** Moves the server clock to an instant (it runs on from there). */
const setClock = (at: number) => (offset = at - Date.now());
const fewPasses = () => new Promise((res) => setTimeout(res, CHECK_MS * 6));

const flaggedAs = (s: Session, id: string) => flaggedOverdue(srv.url, s, id);

describe(`deadlines in working time (${STORAGE_MODE})`, () => {
	it('keeps a working-hours report open, not overdue, over the weekend, and flags a clock-hours one in the night', async () => {
		// public-service runs in working hours, environment (pollution) in clock hours (tenant.json sla).
		const working = await fileReport(srv.url, ana, { categoryCode: 'public-service' });
		const urgent = await fileReport(srv.url, ana, { categoryCode: 'environment' });
		expect(Date.parse(working.receivedAt!) - friday8pm).toBeLessThan(60_000);

		// 6 working hours from Friday 20:00: Monday 07:30–11:30, then 13:30–15:30.
		expect(Date.parse(working.dueAt!) - vnAt(friday8pm, 3, 15, 30)).toBeLessThan(60_000);
		expect(Date.parse(working.dueAt!)).toBeGreaterThanOrEqual(vnAt(friday8pm, 3, 15, 30));
		// 6 clock hours: Saturday 02:00.
		expect(Date.parse(urgent.dueAt!) - Date.parse(urgent.receivedAt!)).toBe(6 * HOUR);

		// Sunday noon: the urgent one is overdue, the working-hours one is not.
		setClock(vnAt(friday8pm, 2, 12, 0));
		await flaggedAs(lamVien, urgent.id);
		await fewPasses();
		expect((await reportAs(srv.url, lamVien, working.id))?.overdueAt).toBeUndefined();

		// Monday 15:00: still within its working hours.
		setClock(vnAt(friday8pm, 3, 15, 0));
		await fewPasses();
		expect((await reportAs(srv.url, lamVien, working.id))?.overdueAt).toBeUndefined();

		// Monday 15:32: past due, flagged.
		setClock(vnAt(friday8pm, 3, 15, 32));
		const late = await flaggedAs(lamVien, working.id);
		expect(Date.parse(late.overdueAt!)).toBeGreaterThan(Date.parse(working.dueAt!));
	});
});
