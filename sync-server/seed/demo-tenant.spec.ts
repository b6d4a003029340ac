import { describe, expect, it } from 'vitest';
import { routeReport } from '../../src/lib/domain/routing';
import { buildDemoTenant, demoAccounts, parseCsv } from './demo-tenant';

describe('demo tenant', () => {
	it('parses quoted CSV fields', () => {
		expect(parseCsv('a,b\n"x, y","say ""hi"""\r\n')).toEqual([{ a: 'x, y', b: 'say "hi"' }]);
	});

	it('routes every category to the ward committee and its specialist unit, and nothing nowhere', async () => {
		const config = await buildDemoTenant();
		expect(config.adminUnits).toHaveLength(124);
		expect(routeReport(config, { categoryCode: 'environment', wardCode: '24778' })).toEqual([
			'natural-resources-environment',
			'ubnd-lam-vien'
		]);
		expect(routeReport(config, { categoryCode: 'construction-order', wardCode: '24846' })).toEqual(['ubnd-lang-biang', 'urban-management']);
		for (const c of config.categories)
			for (const u of config.adminUnits) expect(routeReport(config, { categoryCode: c.code, wardCode: u.code }).length).toBeGreaterThan(0);
		const ids = new Set(config.units.map((u) => u.id));
		for (const rule of config.routingRules) for (const u of rule.unitIds) expect(u === '$ward' || ids.has(u)).toBe(true);
	});

	it('has one handler account per unit, a leader and an admin', async () => {
		const config = await buildDemoTenant();
		const accounts = demoAccounts(config);
		expect(accounts.filter((a) => a.role === 'handler').map((a) => a.username).sort()).toEqual(config.units.map((u) => u.id).sort());
		expect(accounts.find((a) => a.username === 'lanhdao')?.unitIds).toHaveLength(config.units.length);
		expect(accounts.find((a) => a.username === 'admin')?.role).toBe('admin');
	});
});
