import { describe, expect, it } from 'vitest';
import dakLakFile from '../../../data/tenants/dak-lak/tenant.json';
import lamDongFile from '../../../data/tenants/lam-dong/tenant.json';
import { OfficeConfig, officeProblems, openingPeriods, slotsOn, ticketDisplay, type Office } from './office';
import { WorkCalendar } from './tenant';

/** The shipped tenant data, through the schemas: a file the app could not load fails here. */
const lamDong = { office: OfficeConfig.parse(lamDongFile.office), calendar: WorkCalendar.parse(lamDongFile.calendar) };
const unitsOf = (file: { units: { id: string }[] }) => new Set(file.units.map((u) => u.id));
const office = (id: string): Office => lamDong.office.offices.find((o) => o.id === id)!;
/** Wall time in Vietnam (UTC+7) as an ISO instant. */
const vn = (local: string) => new Date(`${local}:00+07:00`).toISOString();
const periods = (list: { from: Date; to: Date }[]) => list.map((p) => [p.from.toISOString(), p.to.toISOString()]);

describe('office configuration: references the schema cannot check', () => {
	it('finds nothing wrong in the shipped Lâm Đồng and Đắk Lắk offices', () => {
		expect(officeProblems(lamDong.office, unitsOf(lamDongFile))).toEqual([]);
		expect(officeProblems(OfficeConfig.parse(dakLakFile.office), unitsOf(dakLakFile))).toEqual([]);
	});

	it('finds each kind of broken reference, with its path', () => {
		const cfg: OfficeConfig = structuredClone(lamDong.office);
		cfg.services.push({ ...cfg.services[0] }); // a service id twice
		cfg.services.find((s) => s.id === 'dang-ky-ket-hon')!.prefix = '1'; // same prefix as khai sinh
		const [a, b] = cfg.offices;
		b.id = a.id;
		a.unitIds = ['ubnd-nowhere'];
		a.serviceIds.push('no-such-service');
		a.counters[1].number = a.counters[0].number;
		a.counters[2].id = a.counters[0].id;
		a.counters[3].serviceIds.push('giay-phep-lai-xe');
		a.slotMinutes = 32;
		for (const c of b.counters) c.serviceIds = c.serviceIds.filter((s) => s !== 'tro-cap-xa-hoi');
		cfg.offices = [a, b];
		const found = officeProblems(cfg, unitsOf(lamDongFile));
		expect(found).toEqual([
			{ path: 'office.services', reason: 'two services share an id' },
			{ path: 'office.offices.0.unitIds', reason: 'unknown unit "ubnd-nowhere"' },
			{ path: 'office.offices.0.serviceIds', reason: 'services "dang-ky-khai-sinh" and "dang-ky-ket-hon" share the number prefix 1' },
			{ path: 'office.offices.0.serviceIds', reason: 'unknown service "no-such-service"' },
			{ path: 'office.offices.0.counters.1.number', reason: 'counter number 1 is used twice' },
			{ path: 'office.offices.0.counters.2.id', reason: 'counter id "quay-1" is used twice' },
			{ path: 'office.offices.0.counters.3.serviceIds', reason: 'the office does not offer "giay-phep-lai-xe"' },
			{ path: 'office.offices.0.serviceIds', reason: 'no counter serves "no-such-service"' },
			{ path: 'office.offices.0.slotMinutes', reason: 'slots are whole multiples of 5 minutes' },
			{ path: 'office.offices.1.id', reason: 'office id "lam-vien" is used twice' },
			{ path: 'office.offices.1.serviceIds', reason: 'services "dang-ky-khai-sinh" and "dang-ky-ket-hon" share the number prefix 1' },
			{ path: 'office.offices.1.serviceIds', reason: 'no counter serves "tro-cap-xa-hoi"' }
		]);
	});
});

describe('office opening hours', () => {
	// 2026-12-07 is a Monday, 2026-12-05 a Saturday; 2026-09-02 (Quốc khánh) a Wednesday.
	it('opens on a weekday in the tenant calendar’s two periods', () => {
		expect(periods(openingPeriods(office('xuan-huong'), lamDong.calendar, '2026-12-07'))).toEqual([
			[vn('2026-12-07T07:30'), vn('2026-12-07T11:30')],
			[vn('2026-12-07T13:30'), vn('2026-12-07T17:00')]
		]);
	});

	it('is closed on Saturday unless the office’s own week opens it (Lâm Viên: Saturday morning)', () => {
		expect(openingPeriods(office('xuan-huong'), lamDong.calendar, '2026-12-05')).toEqual([]);
		expect(periods(openingPeriods(office('lam-vien'), lamDong.calendar, '2026-12-05'))).toEqual([[vn('2026-12-05T07:30'), vn('2026-12-05T11:30')]]);
		expect(openingPeriods(office('lam-vien'), lamDong.calendar, '2026-12-06')).toEqual([]);
	});

	it('is closed on a public holiday of the tenant calendar, an office with its own week too', () => {
		for (const id of ['xuan-huong', 'lam-vien', 'cam-ly']) expect(openingPeriods(office(id), lamDong.calendar, '2026-09-02')).toEqual([]);
		expect(openingPeriods(office('lam-vien'), lamDong.calendar, '2026-09-03')).toHaveLength(2);
	});

	it('is closed on a day the office closes on its own (closedDays), open the day after; a bad date is named', () => {
		const closing: Office = { ...office('lam-vien'), closedDays: [{ date: '2026-12-08', name: 'Tập huấn nghiệp vụ' }] };
		expect(openingPeriods(closing, lamDong.calendar, '2026-12-08')).toEqual([]);
		expect(slotsOn(closing, lamDong.calendar, '2026-12-08')).toEqual([]);
		expect(openingPeriods(closing, lamDong.calendar, '2026-12-09')).toHaveLength(2);
		const cfg = { ...lamDong.office, offices: [{ ...closing, closedDays: [{ date: '2026-02-30', name: 'x' }] }] };
		expect(officeProblems(cfg, new Set(['ubnd-lam-vien']))).toContainEqual({ path: 'office.offices.0.closedDays.0.date', reason: '"2026-02-30" is not a date' });
	});

		it('has no opening on a date that does not exist', () => {
		expect(openingPeriods(office('lam-vien'), lamDong.calendar, '2026-02-30')).toEqual([]);
	});
});

describe('bookable slots', () => {
	it('cuts the Saturday morning 07:30–11:30 into 8 half-hour slots', () => {
		const slots = slotsOn(office('lam-vien'), lamDong.calendar, '2026-12-05');
		expect(slots).toHaveLength(8);
		expect(slots[0]).toEqual({ from: vn('2026-12-05T07:30'), to: vn('2026-12-05T08:00') });
		expect(slots[7]).toEqual({ from: vn('2026-12-05T11:00'), to: vn('2026-12-05T11:30') });
	});

	it('gives a weekday 8 morning and 7 afternoon slots, none over lunch, and a holiday none', () => {
		const slots = slotsOn(office('cam-ly'), lamDong.calendar, '2026-12-07');
		expect(slots).toHaveLength(15);
		expect(slots[7].to).toBe(vn('2026-12-07T11:30'));
		expect(slots[8].from).toBe(vn('2026-12-07T13:30'));
		expect(slotsOn(office('cam-ly'), lamDong.calendar, '2026-09-02')).toEqual([]);
	});

	it('drops a remainder too short for a slot', () => {
		const slots = slotsOn({ ...office('cam-ly'), slotMinutes: 45 }, lamDong.calendar, '2026-12-07');
		// 07:30–11:30 holds 5 (to 11:15), 13:30–17:00 holds 4 (to 16:30).
		expect(slots).toHaveLength(9);
		expect([slots[4].to, slots[5].from, slots[8].to]).toEqual([vn('2026-12-07T11:15'), vn('2026-12-07T13:30'), vn('2026-12-07T16:30')]);
	});
});

describe('ticket numbers', () => {
	it('shows the prefix then three digits', () => {
		expect(ticketDisplay('1', 23)).toBe('1023');
		expect(ticketDisplay('9', 1)).toBe('9001');
		expect(ticketDisplay('4', 999)).toBe('4999');
	});
});
