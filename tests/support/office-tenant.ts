import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A copy of the demo province's folder (for TENANT_DIR, or the e2e fixtures' `tenantDir`) with one
 * office open round the clock, every day, no holidays: tests and benchmarks that take numbers run
 * whenever CI does. Every request of a test comes from 127.0.0.1, so the office's per-address daily
 * limit is lifted too. Synchronous: a Playwright spec needs the folder when its module loads. The
 * caller deletes the returned directory. `fixedName`: the same folder (rewritten) at every load, for a
 * Playwright spec, whose module is loaded by the runner and by each worker.
 */
export function alwaysOpenTenantDir(officeId: string, fixedName?: string): string {
	const dir = fixedName ? path.join(tmpdir(), fixedName) : mkdtempSync(path.join(tmpdir(), 'caunoi-tenant-'));
	if (fixedName) {
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
	}
	cpSync(path.resolve('data/tenants/lam-dong'), dir, { recursive: true });
	const file = path.join(dir, 'tenant.json');
	const t = JSON.parse(readFileSync(file, 'utf8'));
	t.calendar.holidays = [];
	t.calendar.workdays = [];
	const office = t.office.offices.find((o: { id: string }) => o.id === officeId);
	office.week = [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], periods: [{ from: '00:00', to: '24:00' }] }];
	office.lastTicketMinutes = 0;
	office.addressDailyLimit = 10_000;
	writeFileSync(file, JSON.stringify(t));
	return dir;
}
