/**
 * The commune office's kiosk (/kiosk) over HTTP, on the real server with the demo province's
 * offices and a fake clock: an official of the office gets the kiosk its token; the kiosk takes
 * numbers for every visitor of the day (not held to one person's daily limit, only to the office's
 * per-address one), marked `kiosk`, and for its own office only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { call, deviceSession, login, startServer, type Session, type TestServer } from './harness';

// Monday 7 December 2026, 09:00 in Đà Lạt (UTC+7): the Lâm Viên office is open.
let clock = new Date('2026-12-07T02:00:00Z');
let srv: TestServer;
let official: Session;
let otherOffice: Session;

const OFFICE = 'lam-vien';
const OTHER = 'xuan-huong';
const BIRTH = 'dang-ky-khai-sinh'; // prefix 1
const DAILY_LIMIT = 3; // per person, lam-vien (data/tenants/lam-dong/tenant.json)
const ADDRESS_LIMIT = 60;

interface Taken {
	ticket?: { id: string; number: string; channel: string; holderId: string; officeId: string };
	error?: { code: string };
}

const kioskUrl = (office: string) => `${srv.url}/api/office/offices/${office}/kiosk`;
const getKiosk = (token: string | undefined, office = OFFICE) =>
	call<{ token?: string; expiresAt?: string; error?: { code: string } }>(kioskUrl(office), { method: 'POST', token });
const take = (token: string, body: Record<string, unknown> = {}) =>
	call<Taken>(`${srv.url}/api/office/tickets`, { token, body: { ticketId: uuidv7(), officeId: OFFICE, serviceId: BIRTH, ...body } });

beforeAll(async () => {
	// Every call of this file comes from 127.0.0.1: the per-minute rate limit is not under test here.
	srv = await startServer({ now: () => clock, ticketRateLimit: 10_000 });
	official = await login(srv.url, 'ubnd-lam-vien');
	otherOffice = await login(srv.url, 'ubnd-xuan-huong');
});
afterAll(() => srv?.close());

describe('the kiosk token', () => {
	it('is given only to an official of the office (body none), never to a resident, another office or a stranger', async () => {
		expect((await getKiosk(undefined)).status).toBe(401);
		const resident = await deviceSession(srv.url);
		expect((await getKiosk(resident.token)).body.error?.code).toBe('forbidden_scope');
		expect((await getKiosk(otherOffice.token)).body.error?.code).toBe('forbidden_scope');
		expect((await getKiosk(official.token, 'nowhere')).status).toBe(404);
		const given = await getKiosk(official.token);
		expect(given.status).toBe(200);
		expect(given.body.token).toMatch(/^ey/);
		expect(Date.parse(given.body.expiresAt!)).toBeGreaterThan(Date.now());
		// Each setup is a kiosk of its own.
		const second = await getKiosk(official.token);
		const a = (await take(given.body.token!)).body.ticket!;
		const b = (await take(second.body.token!)).body.ticket!;
		expect(a.holderId).toMatch(new RegExp(`^kiosk:${OFFICE}:[0-9a-f-]{36}$`));
		expect(b.holderId).toMatch(/^kiosk:/);
		expect(a.holderId).not.toBe(b.holderId);
	});

	it('renews itself as the same kiosk, for its own office only', async () => {
		const kiosk = (await getKiosk(official.token)).body.token!;
		const holder = (await take(kiosk)).body.ticket!.holderId;
		const renewed = await getKiosk(kiosk);
		expect(renewed.status).toBe(200);
		expect((await take(renewed.body.token!)).body.ticket!.holderId).toBe(holder);
		expect((await getKiosk(kiosk, OTHER)).body.error?.code).toBe('forbidden_scope');
	});

	it('renews itself for 30 days after an official set it up, then an official must sign in on it again', async () => {
		const setUp = clock;
		try {
			let kiosk = (await getKiosk(official.token)).body.token!;
			clock = new Date(setUp.getTime() + 29 * 86_400_000);
			const renewed = await getKiosk(kiosk);
			expect(renewed.status).toBe(200);
			kiosk = renewed.body.token!;
			clock = new Date(setUp.getTime() + 31 * 86_400_000);
			const refused = await getKiosk(kiosk);
			expect(refused.status).toBe(401);
			expect(refused.body.error?.code).toBe('token_expired');
			// An official's sign-in gives it a new life.
			expect((await getKiosk(official.token)).status).toBe(200);
		} finally {
			clock = setUp;
		}
	});
});

describe('taking numbers at the kiosk', () => {
	it('takes more than a person may in a day, each marked kiosk; the holder reads them', async () => {
		const kiosk = (await getKiosk(official.token)).body.token!;
		const numbers: string[] = [];
		for (let i = 0; i < DAILY_LIMIT + 3; i++) {
			const r = await take(kiosk);
			expect(r.status).toBe(201);
			expect(r.body.ticket).toMatchObject({ channel: 'kiosk', officeId: OFFICE });
			numbers.push(r.body.ticket!.number);
		}
		expect(new Set(numbers).size).toBe(numbers.length);
		// A resident's device is still held to the limit, as before.
		const person = await deviceSession(srv.url);
		for (let i = 0; i < DAILY_LIMIT; i++) expect((await take(person.token)).status).toBe(201);
		expect((await take(person.token)).body.error?.code).toBe('ticket_limit');
		// A resident device's ticket says `app`.
		expect((await take((await deviceSession(srv.url)).token)).body.ticket?.channel).toBe('app');
	});

	it('cannot take for another office', async () => {
		const kiosk = (await getKiosk(official.token)).body.token!;
		const r = await take(kiosk, { officeId: OTHER });
		expect(r.status).toBe(403);
		expect(r.body.error?.code).toBe('forbidden_scope');
	});

	it("is held to the office's per-address daily limit", async () => {
		clock = new Date('2026-12-08T02:00:00Z'); // a new day: the address has taken nothing yet
		const kiosk = (await getKiosk(official.token)).body.token!;
		for (let i = 0; i < ADDRESS_LIMIT; i++) expect((await take(kiosk)).status).toBe(201);
		const over = await take(kiosk);
		expect(over.status).toBe(429);
		expect(over.body.error?.code).toBe('ticket_limit');
	});
});

describe('rating at the kiosk', () => {
	it('rates, by the number on the paper, a finished ticket this kiosk took today — once; nobody else\'s', async () => {
		clock = new Date('2026-12-09T02:00:00Z'); // Wednesday: the address's counts of the days above are behind us
		const kiosk = (await getKiosk(official.token)).body.token!;
		const otherKiosk = (await getKiosk(official.token)).body.token!;
		const taken = await take(kiosk, { serviceId: 'dang-ky-ket-hon' }); // prefix 2, counter quay-1
		expect(taken.status, JSON.stringify(taken.body)).toBe(201);
		const paper = taken.body.ticket!;
		const phone = await deviceSession(srv.url);
		const phoneTicket = (await take(phone.token, { serviceId: 'dang-ky-ket-hon' })).body.ticket!;
		const rate = (token: string, body: Record<string, unknown>, office = OFFICE) =>
			call<{ ticket?: { rating?: { level: string } }; error?: { code: string } }>(`${kioskUrl(office)}/rating`, { token, body });

		expect((await rate(kiosk, { number: paper.number, level: 'satisfied' })).body.error?.code).toBe('ticket_not_finished');
		// The counter serves both.
		const counter = `${srv.url}/api/office/offices/${OFFICE}/counters/quay-1`;
		await call(`${counter}/session`, { token: official.token, body: {} });
		for (const id of [paper.id, phoneTicket.id]) {
			expect((await call(`${counter}/tickets/${id}/call`, { token: official.token, body: {} })).status).toBe(200);
			expect((await call(`${counter}/tickets/${id}/finish`, { token: official.token, body: {} })).status).toBe(200);
		}
		// Another kiosk, a resident's phone, a number taken by phone, another office: refused.
		expect((await rate(otherKiosk, { number: paper.number, level: 'satisfied' })).status).toBe(404);
		expect((await rate(phone.token, { number: paper.number, level: 'satisfied' })).status).toBe(403);
		expect((await rate(kiosk, { number: phoneTicket.number, level: 'satisfied' })).status).toBe(404);
		expect((await rate(kiosk, { number: paper.number, level: 'satisfied' }, OTHER)).status).toBe(403);
		expect((await rate(kiosk, { number: paper.number, level: 'unsatisfied' })).body.error?.code).toBe('rating_reason_required');
		const ok = await rate(kiosk, { number: paper.number, level: 'very_satisfied' });
		expect(ok.status).toBe(200);
		expect(ok.body.ticket?.rating?.level).toBe('very_satisfied');
		expect((await rate(kiosk, { number: paper.number, level: 'satisfied' })).body.error?.code).toBe('already_rated');
	});
});
