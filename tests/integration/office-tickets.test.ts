/**
 * The one-stop office over HTTP, on the real server with the demo province's offices and a fake
 * clock: a resident takes a number, the counter calls, recalls, finishes; the board shows it; the
 * resident rates it; and every bad request is refused with its own code, nothing half-applied.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { call, deviceSession, login, startServer, type Session, type TestServer } from './harness';

// Monday 7 December 2026, 09:00 in Đà Lạt (UTC+7): the Lâm Viên office is open.
let clock = new Date('2026-12-07T02:00:00Z');
const at = (iso: string) => (clock = new Date(iso));
let srv: TestServer;
let counterStaff: Session;
let otherOffice: Session;

const OFFICE = 'lam-vien';
const BIRTH = 'dang-ky-khai-sinh'; // prefix 1, counter quay-1
const COPY = 'chung-thuc-ban-sao'; // prefix 4, counters quay-2 and quay-4

interface TicketAnswer {
	ticket: { id: string; number: string; status: string; counterId?: string; rating?: { level: string }; serviceId: string };
	ahead: number;
	estimate: { minutes: number; low: number; high: number; basis: string } | null;
}

async function take(token: string, body: Record<string, unknown>) {
	return call<TicketAnswer & { error?: { code: string } }>(`${srv.url}/api/office/tickets`, { token, body: { ticketId: uuidv7(), officeId: OFFICE, ...body } });
}
const counterUrl = (counter: string, rest: string) => `${srv.url}/api/office/offices/${OFFICE}/counters/${counter}/${rest}`;
const act = (s: Session, counter: string, ticketId: string, action: string, body?: unknown) =>
	call<{ ticket: TicketAnswer['ticket']; error?: { code: string } }>(counterUrl(counter, `tickets/${ticketId}/${action}`), { token: s.token, body: body ?? {} });

beforeAll(async () => {
	// Every resident of this file takes numbers from 127.0.0.1: the per-address rate limit is not under test here.
	srv = await startServer({ now: () => clock, ticketRateLimit: 10_000 });
	counterStaff = await login(srv.url, 'ubnd-lam-vien');
	otherOffice = await login(srv.url, 'ubnd-xuan-huong');
});
afterAll(() => srv?.close());

describe('taking a number', () => {
	it('gives the first number of the day, the same ticket to a retry, and refuses the id to another device', async () => {
		const a = await deviceSession(srv.url);
		const ticketId = uuidv7();
		const first = await take(a.token, { ticketId, serviceId: BIRTH });
		expect(first.status).toBe(201);
		expect(first.body.ticket).toMatchObject({ number: '1001', status: 'waiting', serviceId: BIRTH });
		expect(first.body.ahead).toBe(0);
		const again = await take(a.token, { ticketId, serviceId: BIRTH });
		expect(again.body.ticket.number).toBe('1001');
		const thief = await deviceSession(srv.url);
		const stolen = await take(thief.token, { ticketId, serviceId: BIRTH });
		expect(stolen.status).toBe(409);
		expect(stolen.body.error?.code).toBe('not_owner');
		// The next person gets the next number, one ahead of them, with an estimate from the service's usual time.
		const b = await take((await deviceSession(srv.url)).token, { serviceId: BIRTH });
		expect(b.body.ticket.number).toBe('1002');
		expect(b.body.ahead).toBe(1);
		expect(b.body.estimate).toMatchObject({ basis: 'typical' });
		expect(b.body.estimate!.low).toBeLessThanOrEqual(b.body.estimate!.minutes);
		expect(b.body.estimate!.high).toBeGreaterThan(b.body.estimate!.minutes);
		// Another service counts on its own prefix.
		expect((await take(a.token, { serviceId: COPY })).body.ticket.number).toBe('4001');
	});

	it('refuses a closed office, a holiday, a service not offered, a slot that is full, and above the daily limit', async () => {
		const d = await deviceSession(srv.url);
		const code = async (body: Record<string, unknown>, token = d.token) => ((await take(token, body)).body as { error?: { code: string } }).error?.code;
		at('2026-12-07T10:00:00Z'); // 17:00 local: closed for the day
		expect(await code({ serviceId: BIRTH })).toBe('office_closed');
		at('2026-12-06T02:00:00Z'); // a Sunday
		expect(await code({ serviceId: BIRTH })).toBe('office_closed');
		at('2026-12-07T02:00:00Z');
		expect(await code({ serviceId: 'not-a-service' })).toBe('service_not_offered');
		expect(await code({ serviceId: BIRTH, officeId: 'nowhere' })).toBe('not_found');
		// 1 January 2027 is New Year's Day in the calendar? The booking page offers only open days; a holiday is refused.
		expect(await code({ serviceId: BIRTH, slotFrom: '2026-12-08T00:30:00.000Z' })).toBeUndefined(); // Tue 07:30
		expect(await code({ serviceId: BIRTH, slotFrom: '2026-12-08T00:40:00.000Z' })).toBe('slot_unavailable'); // not a slot start
		expect(await code({ serviceId: BIRTH, slotFrom: '2026-12-30T00:30:00.000Z' })).toBe('slot_unavailable'); // beyond 7 days
		// Slot capacity (6): five more people fill the Tuesday 07:30 slot; the sixth other is refused.
		for (let i = 0; i < 5; i++) expect(await code({ serviceId: BIRTH, slotFrom: '2026-12-08T00:30:00.000Z' }, (await deviceSession(srv.url)).token)).toBeUndefined();
		expect(await code({ serviceId: BIRTH, slotFrom: '2026-12-08T00:30:00.000Z' }, (await deviceSession(srv.url)).token)).toBe('slot_full');
		// Daily limit (3 per person per office per day): the device already holds none today; 3 pass, the 4th is refused.
		for (let i = 0; i < 3; i++) expect(await code({ serviceId: COPY })).toBeUndefined();
		const over = await take(d.token, { serviceId: COPY });
		expect(over.status).toBe(429);
		expect((over.body as { error?: { code: string } }).error?.code).toBe('ticket_limit');
	});

	it('takes nothing from staff tokens or strangers, and reads a ticket only for its holder', async () => {
		expect((await take(counterStaff.token, { serviceId: BIRTH })).status).toBe(403);
		expect((await call(`${srv.url}/api/office/tickets`, { body: { ticketId: uuidv7(), officeId: OFFICE, serviceId: BIRTH } })).status).toBe(401);
		const mine = await deviceSession(srv.url);
		const t = (await take(mine.token, { serviceId: BIRTH })).body.ticket;
		expect((await call(`${srv.url}/api/office/tickets/${t.id}`, { token: mine.token })).status).toBe(200);
		expect((await call(`${srv.url}/api/office/tickets/${t.id}`, { token: (await deviceSession(srv.url)).token })).status).toBe(404);
	});
});

describe('at the counter', () => {
	it('needs the official signed in to that counter, of that office, one official per counter', async () => {
		const t = (await take((await deviceSession(srv.url)).token, { serviceId: COPY })).body.ticket;
		const notIn = await call<{ error: { code: string } }>(counterUrl('quay-2', 'call-next'), { token: counterStaff.token, body: {} });
		expect(notIn.body.error.code).toBe('counter_not_signed_in');
		const wrong = await call<{ error: { code: string } }>(counterUrl('quay-2', 'session'), { token: otherOffice.token, body: {} });
		expect(wrong.body.error.code).toBe('forbidden_scope');
		expect((await call(counterUrl('quay-2', 'session'), { token: counterStaff.token, body: {} })).status).toBe(200);
		const colleague = await login(srv.url, 'ubnd-lam-vien');
		expect(colleague.user.sub).toBe(counterStaff.user.sub);
		expect((await act(counterStaff, 'quay-2', t.id, 'finish')).body.error?.code).toBe('ticket_state'); // not called yet
	});

	it('calls priority first, then in order; recalls, finishes; the board and the holder see it; rating once', async () => {
		const plain = await deviceSession(srv.url);
		const elder = await deviceSession(srv.url);
		const p1 = (await take(plain.token, { serviceId: 'chung-thuc-chu-ky' })).body.ticket; // prefix 5, counter quay-2 only
		const p2 = (await take(elder.token, { serviceId: 'chung-thuc-chu-ky', priorityGroupId: 'nguoi-cao-tuoi' })).body.ticket;
		await call(counterUrl('quay-2', 'session'), { token: counterStaff.token, body: {} });
		// quay-2 also serves copies; drain those first so the signature queue is what is left.
		for (;;) {
			const r = await call<{ ticket?: { id: string; serviceId: string }; error?: { code: string } }>(counterUrl('quay-2', 'call-next'), { token: counterStaff.token, body: {} });
			if (r.body.error?.code === 'queue_empty') throw new Error('the signature tickets were never called');
			expect(r.status).toBe(200);
			if (r.body.ticket!.serviceId === 'chung-thuc-chu-ky') {
				expect(r.body.ticket!.id).toBe(p2.id); // the elder, though they came second
				break;
			}
			expect((await act(counterStaff, 'quay-2', r.body.ticket!.id, 'finish')).status).toBe(200);
		}
		// Busy: one ticket at a time.
		expect((await call<{ error: { code: string } }>(counterUrl('quay-2', 'call-next'), { token: counterStaff.token, body: {} })).body.error.code).toBe('ticket_state');
		expect((await act(counterStaff, 'quay-2', p2.id, 'recall')).status).toBe(200);
		const board = await call<{ counters: { id: string; serving: { number: string; recalls: number } | null; staffed: boolean }[]; calls: { number: string; counter: number }[] }>(
			`${srv.url}/api/office/offices/${OFFICE}/board`
		);
		expect(board.body.counters.find((c) => c.id === 'quay-2')).toMatchObject({ staffed: true, serving: { number: p2.number, recalls: 1 } });
		expect(board.body.calls[0]).toMatchObject({ number: p2.number, counter: 2 });
		expect(JSON.stringify(board.body)).not.toContain('device:');
		// The plain ticket's holder sees who is served, and as ahead of them every copy still waiting from
		// before (quay-2 serves both in one queue, in the order people came).
		const view = await call<TicketAnswer & { serving: { counter: number; number: string | null }[] }>(`${srv.url}/api/office/tickets/${p1.id}`, { token: plain.token });
		const waiting = (board.body as unknown as { waiting: { serviceId: string; count: number }[] }).waiting;
		expect(view.body.ahead).toBe(waiting.find((w) => w.serviceId === COPY)!.count);
		expect(view.body.ahead).toBeGreaterThan(0);
		expect(view.body.serving).toContainEqual({ counter: 2, number: p2.number });
		// Rating: not before finished, not unsatisfied without a reason, once.
		const rate = (body: object) => call<{ error?: { code: string }; ticket?: { rating?: { level: string } } }>(`${srv.url}/api/office/tickets/${p2.id}/rating`, { token: elder.token, body });
		expect((await rate({ level: 'satisfied' })).body.error?.code).toBe('ticket_not_finished');
		clock = new Date(clock.getTime() + 7 * 60_000);
		expect((await act(counterStaff, 'quay-2', p2.id, 'finish')).body.ticket).toMatchObject({ status: 'finished' });
		expect((await rate({ level: 'unsatisfied' })).body.error?.code).toBe('rating_reason_required');
		expect((await rate({ level: 'unsatisfied', reason: 'Phải chờ lâu dù đã đặt số' })).body.ticket?.rating?.level).toBe('unsatisfied');
		expect((await rate({ level: 'very_satisfied' })).body.error?.code).toBe('already_rated');
		// Someone else cannot rate it.
		expect((await call(`${srv.url}/api/office/tickets/${p2.id}/rating`, { token: plain.token, body: { level: 'satisfied' } })).status).toBe(404);
	});

	it('parks, calls back out of order, skips as no-show, transfers keeping the place, and says when the queue is empty', async () => {
		const holder = await deviceSession(srv.url);
		await call(counterUrl('quay-1', 'session'), { token: counterStaff.token, body: {} });
		const drain = async (counter: string) => {
			for (;;) {
				const r = await call<{ ticket?: { id: string }; error?: { code: string } }>(counterUrl(counter, 'call-next'), { token: counterStaff.token, body: {} });
				if (r.body.error?.code === 'queue_empty') return;
				await act(counterStaff, counter, r.body.ticket!.id, 'finish');
			}
		};
		await drain('quay-1');
		const t = (await take(holder.token, { serviceId: BIRTH })).body.ticket;
		const called = await call<{ ticket: { id: string } }>(counterUrl('quay-1', 'call-next'), { token: counterStaff.token, body: {} });
		expect(called.body.ticket.id).toBe(t.id);
		expect((await act(counterStaff, 'quay-1', t.id, 'park')).body.ticket.status).toBe('parked');
		expect((await call<{ error: { code: string } }>(counterUrl('quay-1', 'call-next'), { token: counterStaff.token, body: {} })).body.error.code).toBe('queue_empty');
		expect((await act(counterStaff, 'quay-1', t.id, 'call')).body.ticket.status).toBe('called');
		// Sent on to the land counter (quay-3) for another service: waiting there, same number.
		const moved = await act(counterStaff, 'quay-1', t.id, 'transfer', { serviceId: 'dang-ky-bien-dong-dat-dai', counterId: 'quay-3' });
		expect(moved.body.ticket).toMatchObject({ status: 'waiting', number: t.number, serviceId: 'dang-ky-bien-dong-dat-dai' });
		expect((await act(counterStaff, 'quay-1', t.id, 'transfer', { counterId: 'quay-2' })).body.error?.code).toBe('ticket_state');
		// The holder cannot cancel a ticket being served, but can while it waits.
		const other = (await take(holder.token, { serviceId: BIRTH })).body.ticket;
		await call(counterUrl('quay-1', 'call-next'), { token: counterStaff.token, body: {} });
		expect((await call<{ error: { code: string } }>(`${srv.url}/api/office/tickets/${other.id}/cancel`, { token: holder.token, body: {} })).body.error.code).toBe('ticket_state');
		expect((await act(counterStaff, 'quay-1', other.id, 'skip')).body.ticket.status).toBe('no_show');
		const third = (await take((await deviceSession(srv.url)).token, { serviceId: 'dang-ky-ket-hon' })).body.ticket;
		expect(third.number).toBe('2001');
		expect(randomUUID()).not.toBe(third.id);
	});
});

describe('the board, live', () => {
	it('sends the whole board at once, then a new one within a second of a call at a counter', async () => {
		const ctrl = new AbortController();
		const res = await fetch(`${srv.url}/api/office/offices/${OFFICE}/board/stream`, { signal: ctrl.signal });
		expect(res.headers.get('content-type')).toContain('text/event-stream');
		const reader = res.body!.getReader();
		const decoder = new TextDecoder();
		let buffer = '';
		const nextBoard = async (): Promise<{ calls: { number: string; counter: number }[] }> => {
			for (;;) {
				const m = /data: (.*)\n\n/.exec(buffer);
				if (m) {
					buffer = buffer.slice(m.index + m[0].length);
					return JSON.parse(m[1]);
				}
				const { value, done } = await reader.read();
				if (done) throw new Error('the stream ended');
				buffer += decoder.decode(value, { stream: true });
			}
		};
		await nextBoard();
		const taken = await take((await deviceSession(srv.url)).token, { serviceId: 'tro-cap-xa-hoi' }); // counter quay-4 only
		expect(taken.status, JSON.stringify(taken.body)).toBe(201);
		const t = taken.body.ticket;
		await call(counterUrl('quay-4', 'session'), { token: counterStaff.token, body: {} });
		const calledAt = Date.now();
		// Copies taken earlier wait at quay-4 too: this one is called by its number, out of order.
		const called = await act(counterStaff, 'quay-4', t.id, 'call');
		expect(called.body.ticket).toMatchObject({ id: t.id, status: 'called', counterId: 'quay-4' });
		let board = await nextBoard();
		while (board.calls[0]?.number !== t.number) board = await nextBoard();
		expect(board.calls[0]).toMatchObject({ number: t.number, counter: 4 });
		expect(Date.now() - calledAt).toBeLessThan(1000);
		ctrl.abort();
	});
});
