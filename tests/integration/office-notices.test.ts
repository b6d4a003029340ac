/**
 * Turn notices: a resident who gave a phone is told by SMS when `notifyAhead` (3) people remain
 * before them — once, and not when they took the number that close already. The SMS goes through
 * the server's SmsSender (here a recorder standing in for the operator's gateway).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import type { SmsSender } from '../../sync-server/otp/sms';
import { call, deviceSession, login, startServer, type Session, type TestServer } from './harness';

const OFFICE = 'xuan-huong';
const BIRTH = 'dang-ky-khai-sinh'; // counter quay-1 only, at this office
const sent: { phone: string; text: string }[] = [];
const sms: SmsSender = { send: async (phone, text) => void sent.push({ phone, text }) };
let srv: TestServer;
let staff: Session;

beforeAll(async () => {
	// Monday 7 December 2026, 09:00 in Đà Lạt.
	srv = await startServer({ now: () => new Date('2026-12-07T02:00:00Z'), ticketRateLimit: 10_000, sms });
	staff = await login(srv.url, 'ubnd-xuan-huong');
});
afterAll(() => srv?.close());

async function take(phone?: string) {
	const d = await deviceSession(srv.url);
	const r = await call<{ ticket: { id: string; number: string }; ahead: number }>(`${srv.url}/api/office/tickets`, {
		token: d.token,
		body: { ticketId: uuidv7(), officeId: OFFICE, serviceId: BIRTH, ...(phone ? { phone } : {}) }
	});
	expect(r.status).toBe(201);
	return r.body;
}

const counter = (rest: string) => `${srv.url}/api/office/offices/${OFFICE}/counters/quay-1/${rest}`;
async function serveNext(): Promise<void> {
	const r = await call<{ ticket: { id: string } }>(counter('call-next'), { token: staff.token, body: {} });
	expect(r.status).toBe(200);
	expect((await call(counter(`tickets/${r.body.ticket.id}/finish`), { token: staff.token, body: {} })).status).toBe(200);
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 50));
	}
}

it('sends one SMS when 3 people remain ahead, none to a ticket taken that close', async () => {
	await call(counter('session'), { token: staff.token, body: {} });
	for (let i = 0; i < 5; i++) await take();
	const far = await take('0912 345 678');
	expect(far.ahead).toBe(5);
	await serveNext();
	await new Promise((r) => setTimeout(r, 500));
	expect(sent.filter((m) => m.phone === '0912345678')).toEqual([]); // 4 ahead: not yet
	await serveNext();
	await until(() => sent.some((m) => m.phone === '0912345678'));
	const mine = sent.filter((m) => m.phone === '0912345678');
	expect(mine).toHaveLength(1);
	expect(mine[0].text).toContain(far.ticket.number);
	expect(mine[0].text).toContain('con 3 nguoi');
	expect(mine[0].text).toMatch(/^[\x20-\x7e]+$/); // unaccented: one plain SMS part on any phone
	// Nearer still: no second message.
	await serveNext();
	await new Promise((r) => setTimeout(r, 500));
	expect(sent.filter((m) => m.phone === '0912345678')).toHaveLength(1);
	// Taken with 2 ahead already: the page said so; no SMS.
	await take('0987 654 321');
	await serveNext();
	await new Promise((r) => setTimeout(r, 500));
	expect(sent.filter((m) => m.phone === '0987654321')).toEqual([]);
});

it('shows an official their own ratings, a leader every official of the office, a stranger nothing', async () => {
	const d = await deviceSession(srv.url);
	const r = await call<{ ticket: { id: string; number: string } }>(`${srv.url}/api/office/tickets`, {
		token: d.token,
		body: { ticketId: uuidv7(), officeId: OFFICE, serviceId: BIRTH }
	});
	// Serve the queue down to this ticket, then rate it "not satisfied" with a reason.
	for (;;) {
		const next = await call<{ ticket: { id: string } }>(counter('call-next'), { token: staff.token, body: {} });
		await call(counter(`tickets/${next.body.ticket.id}/finish`), { token: staff.token, body: {} });
		if (next.body.ticket.id === r.body.ticket.id) break;
	}
	const reason = 'Cán bộ hướng dẫn chưa rõ, phải đi lại hai lần';
	expect((await call(`${srv.url}/api/office/tickets/${r.body.ticket.id}/rating`, { token: d.token, body: { level: 'unsatisfied', reason } })).status).toBe(200);

	type Figures = { officials: { officialId: string; served: number; rated: number; ratings: Record<string, number>; satisfaction: number | null; reasons: { number: string; reason: string }[] }[] };
	const own = await call<Figures>(`${srv.url}/api/office/offices/${OFFICE}/ratings`, { token: staff.token });
	expect(own.status).toBe(200);
	expect(own.body.officials).toHaveLength(1);
	expect(own.body.officials[0]).toMatchObject({ officialId: staff.user.sub, rated: 1, ratings: { unsatisfied: 1 }, satisfaction: 0 });
	expect(own.body.officials[0].served).toBeGreaterThanOrEqual(5);
	expect(own.body.officials[0].reasons[0]).toEqual({ number: r.body.ticket.number, reason, at: expect.any(String) });
	const leader = await login(srv.url, 'lanhdao');
	expect((await call<Figures>(`${srv.url}/api/office/offices/${OFFICE}/ratings`, { token: leader.token })).body.officials.map((o) => o.officialId)).toEqual([staff.user.sub]);
	const otherWard = await login(srv.url, 'ubnd-lam-vien');
	expect((await call(`${srv.url}/api/office/offices/${OFFICE}/ratings`, { token: otherWard.token })).status).toBe(403);
	expect((await call(`${srv.url}/api/office/offices/${OFFICE}/ratings`, { token: d.token })).status).toBe(403);
});
