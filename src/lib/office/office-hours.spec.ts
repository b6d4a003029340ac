import { describe, expect, it } from 'vitest';
import type { WorkCalendar } from '../domain/work-calendar';
import { servicesByField, todayHours, weekRows } from './office-hours';

const calendar: WorkCalendar = {
	timeZone: 'Asia/Ho_Chi_Minh',
	utcOffset: '+07:00',
	week: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], periods: [{ from: '07:00', to: '11:30' }, { from: '13:00', to: '17:00' }] }],
	holidays: [{ date: '2026-09-02', name: 'Quốc khánh' }]
};
const clock = { utcOffset: '+07:00' };
/** An instant at a wall time of Vietnam. */
const at = (local: string) => Date.parse(`${local}+07:00`);

describe('todayHours', () => {
	it("gives a working day's periods on the office's clock, whatever the phone's zone", () => {
		expect(todayHours({}, calendar, at('2026-09-01T06:00:00'), clock)).toEqual({
			kind: 'open',
			date: '2026-09-01',
			periods: [{ from: '07:00', to: '11:30' }, { from: '13:00', to: '17:00' }]
		});
		// 23:30 UTC on Monday is already Tuesday in Vietnam.
		expect(todayHours({}, calendar, Date.parse('2026-08-31T23:30:00Z'), clock).date).toBe('2026-09-01');
	});

	it("says a public holiday of the tenant calendar by its name, even on the office's own week", () => {
		const own = { week: [{ days: ['wed' as const], periods: [{ from: '08:00', to: '12:00' }] }] };
		expect(todayHours(own, calendar, at('2026-09-02T09:00:00'), clock)).toEqual({ kind: 'holiday', date: '2026-09-02', name: 'Quốc khánh' });
	});

	it("uses the office's own week and its own closed days", () => {
		const own = { week: [{ days: ['sat' as const], periods: [{ from: '07:30', to: '11:30' }] }], closedDays: [{ date: '2026-09-12', name: 'Tập huấn' }] };
		expect(todayHours(own, calendar, at('2026-09-05T09:00:00'), clock)).toMatchObject({ kind: 'open', periods: [{ from: '07:30', to: '11:30' }] });
		expect(todayHours(own, calendar, at('2026-09-07T09:00:00'), clock)).toMatchObject({ kind: 'dayOff' });
		expect(todayHours(own, calendar, at('2026-09-12T09:00:00'), clock)).toMatchObject({ kind: 'closedDay', name: 'Tập huấn' });
	});

	it('never guesses hours for a tenant without a calendar', () => {
		expect(todayHours({}, undefined, at('2026-09-01T09:00:00'), clock).kind).toBe('unknown');
	});
});

describe('weekRows', () => {
	it('groups days with the same hours, Monday first, and leaves closed days out', () => {
		const week: WorkCalendar['week'] = [
			{ days: ['sat'], periods: [{ from: '07:30', to: '11:30' }] },
			...calendar.week
		];
		expect(weekRows(week)).toEqual([
			{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], hours: '07:00–11:30, 13:00–17:00' },
			{ days: ['sat'], hours: '07:30–11:30' }
		]);
	});
});

describe('servicesByField', () => {
	it("lists only the office's services, by field, in the tenant's order", () => {
		const s = (id: string, fieldVi: string) => ({ id, prefix: '1', nameVi: id, nameEn: id, fieldVi, fieldEn: `${fieldVi} (en)`, typicalMinutes: 5 });
		const all = [s('a', 'Hộ tịch'), s('b', 'Đất đai'), s('c', 'Hộ tịch'), s('d', 'Xây dựng')];
		const out = servicesByField(all, { serviceIds: ['c', 'a', 'b'] }, 'vi');
		expect(out.map(([f, l]) => [f, l.map((x) => x.id)])).toEqual([
			['Hộ tịch', ['a', 'c']],
			['Đất đai', ['b']]
		]);
		expect(servicesByField(all, { serviceIds: ['b'] }, 'en')[0][0]).toBe('Đất đai (en)');
	});
});
