import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config';
import { createTenantHosts, hostName, parseTenantHosts } from './tenant-hosts';

describe('the province of a request, from its Host header', () => {
	it('reads the name without port, case or trailing dot', () => {
		expect(hostName('DakLak.Example.:8787')).toBe('daklak.example');
		expect(hostName('[::1]:8787')).toBe('[::1]');
		expect(hostName(undefined)).toBe('');
	});

	it('serves the one province at any host when there is one', () => {
		const hosts = createTenantHosts(['lam-dong']);
		for (const h of ['127.0.0.1:8787', 'caunoi.lan', undefined]) expect(hosts.resolve(h)).toBe('lam-dong');
	});

	it('with several, answers the named hosts and <id>.localhost, and nothing else', () => {
		const hosts = createTenantHosts(['lam-dong', 'dak-lak'], parseTenantHosts('lamdong.example=lam-dong, daklak.example=dak-lak'));
		expect(hosts.resolve('daklak.example')).toBe('dak-lak');
		expect(hosts.resolve('LAMDONG.example:443')).toBe('lam-dong');
		expect(hosts.resolve('dak-lak.localhost:8787')).toBe('dak-lak');
		expect(hosts.resolve('ha-noi.localhost')).toBeNull();
		expect(hosts.resolve('127.0.0.1:8787')).toBeNull();
		expect(hosts.resolve('evil.daklak.example')).toBeNull();
		expect(hosts.resolve(undefined)).toBeNull();
		expect(hosts.hostsOf('dak-lak')).toEqual(['daklak.example', 'dak-lak.localhost']);
	});

	it('refuses a malformed TENANT_HOSTS or one naming a province not served', () => {
		expect(() => parseTenantHosts('daklak.example')).toThrow(/host=tenant/);
		expect(() => createTenantHosts(['lam-dong', 'dak-lak'], { 'x.example': 'ha-noi' })).toThrow(/ha-noi/);
	});
});

describe('TENANTS', () => {
	const env = (e: Record<string, string>) => ({ DATA_DIR: '/tmp/caunoi-config-spec', TOKEN_SECRET: 'x'.repeat(32), DB_ADMIN_PASSWORD: 'p', ...e });

	it('names folders under TENANTS_DIR, in order', async () => {
		const c = await resolveConfig({}, env({ TENANTS: 'dak-lak, lam-dong', TENANTS_DIR: '/srv/tenants' }));
		expect(c.tenantDirs).toEqual(['/srv/tenants/dak-lak', '/srv/tenants/lam-dong']);
	});

	it('refuses TENANTS with TENANT_DIR, a bad id or one named twice', async () => {
		await expect(resolveConfig({}, env({ TENANTS: 'lam-dong', TENANT_DIR: 'data/tenants/dak-lak' }))).rejects.toThrow(/not both/);
		await expect(resolveConfig({}, env({ TENANTS: 'lam-dong,../etc' }))).rejects.toThrow(/not a tenant id/);
		await expect(resolveConfig({}, env({ TENANTS: 'lam-dong,lam-dong' }))).rejects.toThrow(/twice/);
	});
});
