import { describe, expect, it } from 'vitest';
import { deadlineHoursOf, dueAt, onSiteDueAt, routeReport, slaFor } from './routing';
import type { TenantConfig } from './tenant';

const config: Pick<TenantConfig, 'routingRules' | 'units' | 'fallbackUnitIds' | 'sla'> = {
	units: [
		{ id: 'ubnd-lam-vien', nameVi: 'UBND phường Lâm Viên', nameEn: 'Lam Vien', wardCodes: ['24778'] },
		{ id: 'ubnd-cam-ly', nameVi: 'UBND phường Cam Ly', nameEn: 'Cam Ly', wardCodes: ['24787'] },
		{ id: 'police', nameVi: 'Công an', nameEn: 'Police' },
		{ id: 'environment', nameVi: 'Tài nguyên và Môi trường', nameEn: 'Environment' },
		{ id: 'reception', nameVi: 'Tiếp công dân', nameEn: 'Citizen reception' }
	],
	routingRules: [
		{ categories: '*', wards: ['24778', '24787'], unitIds: ['$ward'] },
		{ categories: ['environment'], wards: '*', unitIds: ['environment'] },
		{ categories: ['traffic-security', 'environment'], wards: ['24787'], unitIds: ['police'] }
	],
	fallbackUnitIds: ['reception'],
	sla: { default: { onSite: 2, report: 6 }, byCategory: { 'food-safety': { onSite: 4, report: 24 } } }
};

describe('routing', () => {
	it('sends a report to every unit of every matching rule at once, the ward committee included', () => {
		expect(routeReport(config, { categoryCode: 'environment', wardCode: '24787' })).toEqual([
			'environment',
			'police',
			'ubnd-cam-ly'
		]);
	});
	it('resolves $ward to the committee of the report ward only', () => {
		expect(routeReport(config, { categoryCode: 'urban-order', wardCode: '24778' })).toEqual(['ubnd-lam-vien']);
	});
	it('falls back to the reception units when no rule matches, so nothing falls through', () => {
		expect(routeReport(config, { categoryCode: 'urban-order', wardCode: '22918' })).toEqual(['reception']);
	});
	it('takes the category SLA, else the tenant default, and counts due time from receipt', () => {
		expect(slaFor(config, 'food-safety').report).toBe(24);
		expect(slaFor(config, 'environment')).toEqual({ onSite: 2, report: 6 });
		const received = new Date('2026-11-24T22:30:00+07:00');
		expect(dueAt(config, 'environment', received).toISOString()).toBe(new Date('2026-11-25T04:30:00+07:00').toISOString());
	});
});

describe('due times in working hours', () => {
	const calendar: NonNullable<TenantConfig['calendar']> = {
		timeZone: 'Asia/Ho_Chi_Minh',
		utcOffset: '+07:00',
		week: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], periods: [{ from: '07:30', to: '11:30' }, { from: '13:30', to: '17:00' }] }],
		holidays: [{ date: '2026-12-07', name: 'a holiday on the Monday' }]
	};
	const tenant: Pick<TenantConfig, 'sla' | 'calendar'> = {
		calendar,
		sla: {
			default: { onSite: 2, report: 6, hours: 'working' },
			byCategory: { flooding: { onSite: 1, report: 6, hours: 'clock' } }
		}
	};
	// Friday 4 December 2026, 20:00 in Vietnam.
	const friday8pm = new Date('2026-12-04T20:00:00+07:00');

	it('counts a working-hours category on the calendar: Friday 20:00 + 6 h is Monday 13:30 + 2 h', () => {
		const noHoliday = { ...tenant, calendar: { ...calendar, holidays: [] } };
		expect(dueAt(noHoliday, 'construction-order', friday8pm).toISOString()).toBe(new Date('2026-12-07T15:30:00+07:00').toISOString());
		expect(onSiteDueAt(noHoliday, 'construction-order', friday8pm).toISOString()).toBe(new Date('2026-12-07T09:30:00+07:00').toISOString());
	});

	it('passes over a holiday on the next working day', () => {
		expect(dueAt(tenant, 'construction-order', friday8pm).toISOString()).toBe(new Date('2026-12-08T15:30:00+07:00').toISOString());
	});

	it('says how a category’s due times run, so the phone can say "in working hours"', () => {
		expect(deadlineHoursOf(tenant, 'construction-order')).toBe('working');
		expect(deadlineHoursOf(tenant, 'flooding')).toBe('clock');
		// Without a calendar nothing is counted in working hours, whatever the SLA says.
		expect(deadlineHoursOf({ sla: tenant.sla }, 'construction-order')).toBe('clock');
	});

	it('keeps an urgent category in clock hours: Friday 20:00 + 6 h is Saturday 02:00', () => {
		expect(dueAt(tenant, 'flooding', friday8pm).toISOString()).toBe(new Date('2026-12-05T02:00:00+07:00').toISOString());
		expect(onSiteDueAt(tenant, 'flooding', friday8pm).toISOString()).toBe(new Date('2026-12-04T21:00:00+07:00').toISOString());
	});
});
