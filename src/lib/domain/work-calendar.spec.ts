import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './tenant';
import { addDeadlineHours, calendarProblems, isWorkingTime, workingMsBetween, type WorkCalendar as Cal } from './work-calendar';

const HOUR = 3_600_000;
/** Wall time in Vietnam (UTC+7, no DST) as an instant. */
const vn = (local: string) => new Date(`${local}+07:00`);

const calendar: Cal = {
	timeZone: 'Asia/Ho_Chi_Minh',
	utcOffset: '+07:00',
	week: [
		{
			days: ['mon', 'tue', 'wed', 'thu', 'fri'],
			periods: [
				{ from: '07:30', to: '11:30' },
				{ from: '13:30', to: '17:00' }
			]
		}
	],
	holidays: [
		{ date: '2026-02-16', name: 'Tết' },
		{ date: '2026-02-17', name: 'Tết' },
		{ date: '2026-02-18', name: 'Tết' },
		{ date: '2026-02-19', name: 'Tết' },
		{ date: '2026-02-20', name: 'Tết' },
		{ date: '2026-04-27', name: 'Giỗ Tổ Hùng Vương (bù)' }
	],
	workdays: [{ date: '2026-05-09', name: 'Làm bù', as: 'mon' }]
};

describe('work calendar: adding working hours', () => {
	it('counts 6 working hours from Friday 20:00 as Monday 07:30–11:30 then 13:30–15:30', () => {
		// 2026-12-04 is a Friday.
		expect(addDeadlineHours(calendar, 'working', vn('2026-12-04T20:00:00'), 6).toISOString()).toBe(vn('2026-12-07T15:30:00').toISOString());
	});

	it('counts clock hours as they are, through the night and the weekend', () => {
		expect(addDeadlineHours(calendar, 'clock', vn('2026-12-04T20:00:00'), 6).toISOString()).toBe(vn('2026-12-05T02:00:00').toISOString());
		// No calendar: a working-hours category counts clock hours rather than never falling due.
		expect(addDeadlineHours(undefined, 'working', vn('2026-12-04T20:00:00'), 6).toISOString()).toBe(vn('2026-12-05T02:00:00').toISOString());
	});

	it('skips the lunch break within a day, and ends at a period’s end rather than at the next one’s start', () => {
		expect(addDeadlineHours(calendar, 'working', vn('2026-12-01T10:00:00'), 2).toISOString()).toBe(vn('2026-12-01T14:00:00').toISOString());
		expect(addDeadlineHours(calendar, 'working', vn('2026-12-01T09:30:00'), 2).toISOString()).toBe(vn('2026-12-01T11:30:00').toISOString());
		expect(addDeadlineHours(calendar, 'working', vn('2026-12-01T12:00:00'), 1).toISOString()).toBe(vn('2026-12-01T14:30:00').toISOString());
	});

	it('skips public holidays: filed the Friday before Tết, due the Monday after it', () => {
		// Fri 2026-02-13 16:00: 1 h that day, then Tết Mon 16 – Fri 20, the weekend, Mon 23 from 07:30.
		expect(addDeadlineHours(calendar, 'working', vn('2026-02-13T16:00:00'), 3).toISOString()).toBe(vn('2026-02-23T09:30:00').toISOString());
		// The Monday made up for Giỗ Tổ (a Sunday): filed Friday 24 April at 17:00, due Tuesday 28.
		expect(addDeadlineHours(calendar, 'working', vn('2026-04-24T17:00:00'), 1).toISOString()).toBe(vn('2026-04-28T08:30:00').toISOString());
	});

	it('works a make-up Saturday with the periods of the weekday it stands for', () => {
		expect(addDeadlineHours(calendar, 'working', vn('2026-05-08T17:30:00'), 2).toISOString()).toBe(vn('2026-05-09T09:30:00').toISOString());
	});

	it('takes the offset from the calendar, not from the machine: the same wall times at UTC+9', () => {
		const tokyo: Cal = { ...calendar, timeZone: 'Asia/Tokyo', utcOffset: '+09:00', holidays: [] };
		expect(addDeadlineHours(tokyo, 'working', new Date('2026-12-04T20:00:00+09:00'), 6).toISOString()).toBe(
			new Date('2026-12-07T15:30:00+09:00').toISOString()
		);
	});

	it('refuses a calendar with no working time at all instead of looping', () => {
		const never: Cal = { ...calendar, week: [{ days: ['mon'], periods: [{ from: '08:00', to: '08:00' }] }] };
		expect(() => addDeadlineHours(never, 'working', vn('2026-12-04T20:00:00'), 1)).toThrow(/no working time/);
	});
});

describe('work calendar: properties', () => {
	// Any instant from 2026 to the end of 2027, to the minute.
	const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / 60_000, max: Date.parse('2027-12-31T00:00:00Z') / 60_000 }).map((m) => new Date(m * 60_000));
	const minutes = fc.integer({ min: 1, max: 200 * 60 });

	it('a due time is never before its start, and always inside working time (or at a period’s end)', () => {
		fc.assert(
			fc.property(instant, minutes, (start, m) => {
				const due = addDeadlineHours(calendar, 'working', start, m / 60);
				expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
				expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime() + m * 60_000);
				expect(isWorkingTime(calendar, new Date(due.getTime() - 1))).toBe(true);
			})
		);
	});

	it('the working time between start and due is exactly the hours asked', () => {
		fc.assert(
			fc.property(instant, minutes, (start, m) => {
				const due = addDeadlineHours(calendar, 'working', start, m / 60);
				expect(workingMsBetween(calendar, start, due)).toBe(m * 60_000);
			})
		);
	});

	it('adds up: a hours then b hours is a + b hours', () => {
		fc.assert(
			fc.property(instant, minutes, minutes, (start, a, b) => {
				const stepwise = addDeadlineHours(calendar, 'working', addDeadlineHours(calendar, 'working', start, a / 60), b / 60);
				expect(stepwise.toISOString()).toBe(addDeadlineHours(calendar, 'working', start, (a + b) / 60).toISOString());
			})
		);
	});

	it('never lands on a weekend or a holiday', () => {
		fc.assert(
			fc.property(instant, minutes, (start, m) => {
				const local = new Date(addDeadlineHours(calendar, 'working', start, m / 60).getTime() + 7 * HOUR - 1);
				const date = local.toISOString().slice(0, 10);
				if (date !== '2026-05-09') expect([0, 6]).not.toContain(local.getUTCDay());
				expect(calendar.holidays.map((h) => h.date)).not.toContain(date);
			})
		);
	});

	it('clock mode is the start plus the hours, whatever the calendar', () => {
		fc.assert(
			fc.property(instant, minutes, (start, m) => {
				expect(addDeadlineHours(calendar, 'clock', start, m / 60).getTime()).toBe(start.getTime() + m * 60_000);
			})
		);
	});
});

describe('work calendar: checks', () => {
	it('accepts a sound calendar', () => {
		expect(WorkCalendar.safeParse(calendar).success).toBe(true);
		expect(calendarProblems(calendar)).toEqual([]);
	});

	it('refuses malformed times and offsets in the schema', () => {
		const bad = { ...calendar, utcOffset: '7', week: [{ days: ['mon'], periods: [{ from: '7:30', to: '25:00' }] }] };
		const paths = WorkCalendar.safeParse(bad).error!.issues.map((i) => i.path.join('.'));
		expect(paths).toEqual(expect.arrayContaining(['utcOffset', 'week.0.periods.0.from', 'week.0.periods.0.to']));
	});

	it('lists every problem with its path: an empty or reversed period, overlapping periods, impossible or repeated dates', () => {
		const bad: Cal = {
			...calendar,
			week: [
				{ days: ['mon', 'tue'], periods: [{ from: '13:30', to: '11:30' }, { from: '08:00', to: '08:00' }] },
				{ days: ['tue'], periods: [{ from: '07:30', to: '11:30' }, { from: '11:00', to: '12:00' }] }
			],
			holidays: [
				{ date: '2026-02-30', name: 'no such day' },
				{ date: '2026-02-17', name: 'Tết' },
				{ date: '2026-02-17', name: 'Tết again' }
			],
			workdays: [{ date: '2026-13-01', name: 'no such month', as: 'mon' }]
		};
		expect(calendarProblems(bad)).toEqual([
			{ path: 'week.0.periods.0', reason: 'ends at 11:30, not after it starts (13:30)' },
			{ path: 'week.0.periods.1', reason: 'ends at 08:00, not after it starts (08:00)' },
			{ path: 'week.1.periods.1', reason: 'overlaps week.1.periods.0 on tue (07:30–11:30)' },
			{ path: 'holidays.0.date', reason: '"2026-02-30" is not a date' },
			{ path: 'holidays.2.date', reason: 'duplicate "2026-02-17" (also holidays.1.date)' },
			{ path: 'workdays.0.date', reason: '"2026-13-01" is not a date' }
		]);
	});

	it('refuses a week with no working time', () => {
		expect(calendarProblems({ ...calendar, week: [] })).toEqual([{ path: 'week', reason: 'no working time in the week' }]);
	});
});
