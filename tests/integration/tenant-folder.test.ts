/** The province the server serves is a folder (TENANT_DIR), checked whole before the server starts. */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { TenantConfig } from '$lib/domain/tenant';
import { DEFAULT_TENANT_DIR } from '../../sync-server/config';
import { DEMO_PASSWORD, fileReport, reportAs, signIn, startServer, TEST_TOKEN_SECRET } from './harness';

/** The second demo province: shipped next to the default one, used as an operator would (TENANT_DIR). */
const DAK_LAK_DIR = path.join(DEFAULT_TENANT_DIR, '..', 'dak-lak');
/** Inside Phường Buôn Ma Thuột (code 24133), ~3 km from its edges in data/tenants/dak-lak/boundaries.geojson. */
const IN_BUON_MA_THUOT = { source: 'gps' as const, lat: 12.714, lng: 108.0372, accuracyM: 10 };

const temp: string[] = [];
afterAll(async () => {
	await Promise.all(temp.map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of the shipped folder with tenant.json changed by `edit`. */
async function tenantFolder(edit: (t: Record<string, any>) => void): Promise<string> { // eslint-disable-line @typescript-eslint/no-explicit-any
	const dir = await mkdtemp(join(tmpdir(), 'caunoi-tenant-'));
	temp.push(dir);
	await cp(DEFAULT_TENANT_DIR, dir, { recursive: true });
	const t = JSON.parse(await readFile(join(dir, 'tenant.json'), 'utf8'));
	edit(t);
	await writeFile(join(dir, 'tenant.json'), JSON.stringify(t));
	return dir;
}

/** Runs sync-server/main.ts as an operator would; resolves when it exits. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(join(process.cwd(), 'node_modules/.bin/tsx'), ['sync-server/main.ts'], {
			env: { ...process.env, PORT: '0', TOKEN_SECRET: TEST_TOKEN_SECRET, LOG_LEVEL: 'silent', OVERDUE_CHECK_MS: '0', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		// A server that did start is stopped: the test then fails on its exit code.
		const t = setTimeout(() => child.kill('SIGTERM'), 30_000);
		child.once('exit', (code) => (clearTimeout(t), resolve({ code, stdout, stderr })));
	});
}

describe('the tenant folder', () => {
	it('a bad folder stops the start with every problem listed, not a stack trace', async () => {
		const dir = await tenantFolder((t) => {
			t.routingRules[1].unitIds = ['no-such-unit'];
			t.categories[0].code = t.categories[1].code;
		});
		const dataDir = await mkdtemp(join(tmpdir(), 'caunoi-it-'));
		temp.push(dataDir);
		const run = await runMain({ TENANT_DIR: dir, DATA_DIR: dataDir, STATIC_DIR: join(dataDir, 'no-build') });
		expect(run.code).toBe(1);
		expect(run.stdout).not.toContain('Cầu Nối sync-server:');
		expect(run.stderr).toContain(`Tenant folder ${path.resolve(dir)} cannot be loaded`);
		expect(run.stderr).toContain('tenant.json: routingRules.1.unitIds.0: unknown unit "no-such-unit"');
		expect(run.stderr).toContain('tenant.json: categories.1.code: duplicate "urban-order" (also categories.0.code)');
		expect(run.stderr).not.toMatch(/^\s+at /m);
	}, 60_000);

	it('is what the server serves: its config, and its demo accounts can log in', async () => {
		const dir = await tenantFolder((t) => {
			t.nameEn = 'Lam Dong (from TENANT_DIR)';
			t.demoAccounts = [{ username: 'only-one', role: 'admin', unitIds: [], name: 'Quản trị' }];
		});
		const srv = await startServer({ tenantDir: dir });
		try {
			const config = TenantConfig.parse(await (await fetch(`${srv.url}/api/tenant`)).json());
			expect(config.nameEn).toBe('Lam Dong (from TENANT_DIR)');
			const login = (username: string) =>
				fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
			expect((await login('only-one')).status).toBe(200);
			expect((await login('lanhdao')).status).toBe(401);
		} finally {
			await srv.close();
		}
	});

	it('serves Đắk Lắk from its folder alone: its wards, its codes, its handlers, not Lâm Đồng\'s accounts', async () => {
		const srv = await startServer({ tenantDir: DAK_LAK_DIR });
		try {
			const config = TenantConfig.parse(await (await fetch(`${srv.url}/api/tenant`)).json());
			expect(config.id).toBe('dak-lak');
			expect(config.adminUnits).toHaveLength(102);

			const [resident, wardHandler, construction] = await signIn(srv.url, 'device', 'ubnd-buon-ma-thuot', 'so-xay-dung');
			const report = await fileReport(srv.url, resident, {
				tenantId: 'dak-lak',
				categoryCode: 'construction-order',
				description: 'Xây dựng lấn chiếm vỉa hè đường Lê Duẩn',
				location: IN_BUON_MA_THUOT,
				wardCode: '24133',
				// The category asks for a photo (photosRequired); it is uploaded after the report, as a phone does.
				photoIds: [uuidv7()]
			});
			expect(report.trackingCode).toMatch(/^DLK-/);
			expect(report.assignedUnitIds).toEqual(['so-xay-dung', 'ubnd-buon-ma-thuot']);
			// The ward committee's handler pulls it onto their device, as does the department's.
			expect((await reportAs(srv.url, wardHandler, report.id))?.trackingCode).toBe(report.trackingCode);
			expect(await reportAs(srv.url, construction, report.id)).toBeDefined();
			const [otherWard] = await signIn(srv.url, 'ubnd-tan-an');
			expect(await reportAs(srv.url, otherWard, report.id)).toBeUndefined();

			// A Lâm Đồng handler's demo account does not exist here.
			const res = await fetch(`${srv.url}/api/auth/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username: 'ubnd-lam-vien', password: DEMO_PASSWORD })
			});
			expect(res.status).toBe(401);
		} finally {
			await srv.close();
		}
	});
});
