import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeReport } from '$lib/domain/routing';
import type { UserDoc } from '../auth/accounts.service';
import { openPouchStorage } from '../storage/pouch-storage';
import { DEFAULT_TENANT_DIR } from '../config';
import { loadTenant } from '../tenant/tenant-loader';
import { buildDemoTenant, demoAccounts, seedDemoAccounts } from './demo-tenant';

describe('demo tenant', () => {
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
		const tenant = await loadTenant(DEFAULT_TENANT_DIR);
		const { config } = tenant;
		const accounts = demoAccounts(tenant);
		expect(accounts.filter((a) => a.role === 'handler').map((a) => a.username).sort()).toEqual(config.units.map((u) => u.id).sort());
		expect(accounts.find((a) => a.username === 'lanhdao')?.unitIds).toHaveLength(config.units.length);
		expect(accounts.find((a) => a.username === 'admin')?.role).toBe('admin');
	});

	it("has community digital-tech volunteers, each of its commune's unit (their wards head the form's list)", async () => {
		const volunteers = demoAccounts(await loadTenant(DEFAULT_TENANT_DIR)).filter((a) => a.role === 'volunteer');
		expect(volunteers.map((a) => a.username)).toEqual(['tcns-lang-biang', 'tcns-xuan-truong']);
		for (const v of volunteers) expect(v).toMatchObject({ unitIds: [v.username.replace('tcns-', 'ubnd-')], password: 'demo1234', name: expect.stringMatching(/^Tổ CNS/) });
	});

	it('adds accounts new to the seed to a database seeded before them, never overwriting one', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'caunoi-seed-'));
		const storage = await openPouchStorage({ dataDir: dir, dbPrefix: 'seedtest-' });
		try {
			const tenant = await loadTenant(DEFAULT_TENANT_DIR);
			const { config } = tenant;
			const users = storage.store<UserDoc>('users');
			// An older seed: a marker without the list of accounts, and no volunteers.
			const lanhdao = { id: 'lanhdao', username: 'lanhdao', passwordHash: 'changed', role: 'leader', tenantId: config.id, unitIds: [], name: 'x' };
			await users.bulkPut([
				{ doc: lanhdao as UserDoc, rev: null },
				{ doc: { id: 'seed:demo-tenant', seededAt: '2025-01-01T00:00:00.000Z' } as unknown as UserDoc, rev: null }
			]);
			expect(await seedDemoAccounts(users, tenant)).toBe(true);
			expect((await users.get('tcns-xuan-truong'))?.role).toBe('volunteer');
			expect((await users.get('lanhdao'))?.passwordHash).toBe('changed');
			// Up to date now: nothing more to create.
			expect(await seedDemoAccounts(users, tenant)).toBe(false);
		} finally {
			await storage.close();
			await rm(dir, { recursive: true, force: true });
		}
	});
});
