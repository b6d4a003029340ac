import { describe, expect, it } from 'vitest';
import { dueAt, routeReport, slaFor } from './routing';
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
