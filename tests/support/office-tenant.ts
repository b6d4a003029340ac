import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A copy of the demo province's folder (for TENANT_DIR) with one office open round the clock, every
 * day, no holidays: tests and benchmarks that take numbers run whenever CI does. Every request of a
 * test comes from 127.0.0.1, so the office's per-address daily limit is lifted too. The caller
 * deletes the returned directory.
 */
export async function alwaysOpenTenantDir(officeId: string): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'caunoi-tenant-'));
	await cp(path.resolve('data/tenants/lam-dong'), dir, { recursive: true });
	const file = path.join(dir, 'tenant.json');
	const t = JSON.parse(await readFile(file, 'utf8'));
	t.calendar.holidays = [];
	t.calendar.workdays = [];
	const office = t.office.offices.find((o: { id: string }) => o.id === officeId);
	office.week = [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], periods: [{ from: '00:00', to: '24:00' }] }];
	office.lastTicketMinutes = 0;
	office.addressDailyLimit = 10_000;
	await writeFile(file, JSON.stringify(t));
	return dir;
}
