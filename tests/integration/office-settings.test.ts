/**
 * An admin edits the one-stop offices while the server runs: the new version is checked whole,
 * refused when it would break a number already taken or when someone saved in between, and applies
 * at once — to taking numbers, to the counters and to what devices read at /api/tenant (and, on a
 * shared CouchDB, at every instance).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { OfficeConfig } from '$lib/domain/office';
import { call, deviceSession, login, startServer, STORAGE_MODE, type Session, type TestServer } from './harness';

// Monday 7 December 2026, 09:00 in Đà Lạt.
const clock = new Date('2026-12-07T02:00:00Z');
let srv: TestServer;
let second: TestServer | null = null;
let admin: Session;

type Settings = { office: OfficeConfig; savedAt: string | null };
const get = (token: string) => call<Settings & { error?: { code: string } }>(`${srv.url}/api/office/settings`, { token });
const put = (token: string, office: unknown, basedOn: string | null) =>
	call<{ savedAt?: string; error?: { code: string; details?: { problems?: { path: string }[]; broken?: { number: string; why: string }[] } } }>(
		`${srv.url}/api/office/settings`,
		{ method: 'PUT', token, body: { office, basedOn } }
	);

beforeAll(async () => {
	srv = await startServer({ now: () => clock, ticketRateLimit: 10_000 });
	if (STORAGE_MODE === 'couch') second = await startServer({ now: () => clock, couch: srv.couch });
	admin = await login(srv.url, 'admin');
});
afterAll(async () => {
	await second?.close();
	await srv?.close();
});

it('is read and saved by an admin only, checked whole, never over a number taken, never over another save; and applies at once', async () => {
	const staff = await login(srv.url, 'ubnd-lam-vien');
	expect((await get(staff.token)).status).toBe(403);
	const read = await get(admin.token);
	expect(read.status).toBe(200);
	expect(read.body.savedAt).toBeNull();
	const office: OfficeConfig = read.body.office;
	const lamVien = office.offices.findIndex((o) => o.id === 'lam-vien');

	// Broken references are named by their place.
	const bad = structuredClone(office);
	bad.offices[lamVien].counters[0].serviceIds.push('dang-ky-ho-kinh-doanh-khong-co');
	const refused = await put(admin.token, bad, null);
	expect(refused.status).toBe(400);
	expect(refused.body.error?.code).toBe('validation_failed');
	expect(refused.body.error?.details?.problems?.map((p) => p.path).join(' ')).toMatch(/offices\.\d+\.counters\.0\.serviceIds/);
	expect((await put(staff.token, office, null)).status).toBe(403);

	// A resident holds a number for birth registration: that service cannot leave the office now.
	const resident = await deviceSession(srv.url);
	const taken = await call<{ ticket: { number: string } }>(`${srv.url}/api/office/tickets`, {
		token: resident.token,
		body: { ticketId: uuidv7(), officeId: 'lam-vien', serviceId: 'dang-ky-khai-sinh' }
	});
	expect(taken.status).toBe(201);
	const dropped = structuredClone(office);
	dropped.offices[lamVien].serviceIds = dropped.offices[lamVien].serviceIds.filter((s) => s !== 'dang-ky-khai-sinh');
	for (const c of dropped.offices[lamVien].counters) c.serviceIds = c.serviceIds.filter((s) => s !== 'dang-ky-khai-sinh');
	dropped.offices[lamVien].counters = dropped.offices[lamVien].counters.filter((c) => c.serviceIds.length);
	const breaks = await put(admin.token, dropped, null);
	expect(breaks.status).toBe(409);
	expect(breaks.body.error?.code).toBe('settings_break_tickets');
	expect(breaks.body.error?.details?.broken).toContainEqual({ officeId: 'lam-vien', number: taken.body.ticket.number, why: 'service' });

	// A fifth counter for copies, and Tuesday closed for training: saved.
	const next = structuredClone(office);
	next.offices[lamVien].counters.push({ id: 'quay-5', number: 5, serviceIds: ['chung-thuc-ban-sao'] });
	next.offices[lamVien].closedDays = [{ date: '2026-12-08', name: 'Tập huấn nghiệp vụ' }];
	const tenantBefore = await fetch(`${srv.url}/api/tenant`);
	const saved = await put(admin.token, next, null);
	expect(saved.status).toBe(200);
	expect(saved.body.savedAt).toBe(clock.toISOString());
	// Saved on a version someone replaced: refused.
	expect((await put(admin.token, next, null)).body.error?.code).toBe('settings_changed');

	// Devices read it (a new ETag), booking the closed day is refused, the new counter takes an official.
	const tenantAfter = await fetch(`${srv.url}/api/tenant`);
	expect(tenantAfter.headers.get('etag')).not.toBe(tenantBefore.headers.get('etag'));
	const served = (await tenantAfter.json()) as { office: OfficeConfig };
	expect(served.office.offices.find((o) => o.id === 'lam-vien')!.counters.map((c) => c.id)).toContain('quay-5');
	const closed = await call<{ error?: { code: string } }>(`${srv.url}/api/office/tickets`, {
		token: resident.token,
		body: { ticketId: uuidv7(), officeId: 'lam-vien', serviceId: 'chung-thuc-ban-sao', slotFrom: '2026-12-08T00:30:00.000Z' }
	});
	expect(closed.body.error?.code).toBe('office_closed');
	expect((await call(`${srv.url}/api/office/offices/lam-vien/counters/quay-5/session`, { token: staff.token, body: {} })).status).toBe(200);
	expect((await get(admin.token)).body.savedAt).toBe(clock.toISOString());

	// Another instance on the same CouchDB follows at once.
	if (second) {
		const until = Date.now() + 5_000;
		let counters: string[] = [];
		while (!counters.includes('quay-5') && Date.now() < until) {
			const t = (await (await fetch(`${second.url}/api/tenant`)).json()) as { office: OfficeConfig };
			counters = t.office.offices.find((o) => o.id === 'lam-vien')!.counters.map((c) => c.id);
			if (!counters.includes('quay-5')) await new Promise((r) => setTimeout(r, 100));
		}
		expect(counters).toContain('quay-5');
	}
});
