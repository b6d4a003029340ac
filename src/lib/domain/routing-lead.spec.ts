import { describe, expect, it } from 'vitest';
import { leadUnitOf } from './routing';
import type { TenantConfig } from './tenant';

/** Which unit leads a report (chủ trì): named by the routing rules, as tenant data. */

const config: Pick<TenantConfig, 'routingRules' | 'units' | 'fallbackUnitIds'> = {
	units: [
		{ id: 'ubnd-cam-ly', nameVi: 'UBND phường Cam Ly', nameEn: 'Cam Ly', wardCodes: ['24787'] },
		{ id: 'police', nameVi: 'Công an', nameEn: 'Police' },
		{ id: 'environment', nameVi: 'Tài nguyên và Môi trường', nameEn: 'Environment' },
		{ id: 'reception', nameVi: 'Tiếp công dân', nameEn: 'Citizen reception' }
	],
	routingRules: [
		{ categories: '*', wards: ['24787'], unitIds: ['$ward'] },
		{ categories: ['environment'], wards: '*', unitIds: ['environment'] },
		{ categories: ['traffic-security'], wards: '*', unitIds: ['police'], lead: 'police' }
	],
	fallbackUnitIds: ['reception']
};

describe('leadUnitOf', () => {
	it('lets the first matching rule’s unit lead when no rule names a lead (here the ward committee)', () => {
		expect(leadUnitOf(config, { categoryCode: 'environment', wardCode: '24787' })).toBe('ubnd-cam-ly');
	});
	it('takes the lead a matching rule names, over the rules before it', () => {
		expect(leadUnitOf(config, { categoryCode: 'traffic-security', wardCode: '24787' })).toBe('police');
	});
	it('passes over a "$ward" that names no committee, and leads with the fallback when nothing matched', () => {
		expect(leadUnitOf(config, { categoryCode: 'environment', wardCode: '99999' })).toBe('environment');
		expect(leadUnitOf(config, { categoryCode: 'food-safety', wardCode: '99999' })).toBe('reception');
	});
});
