/**
 * The counter's own view (GET …/counters/:counter/queue) on the real server with a fake clock: only
 * the official signed in to that counter reads it; it lists what this counter can call in the order
 * call-next takes them (priority first), what it parked, what it serves, and the day's figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { call, deviceSession, login, startServer, type Session, type TestServer } from './harness';

// Monday 7 December 2026, 09:00 in Đà Lạt (UTC+7): the Lâm Viên office is open.
let clock = new Date('2026-12-07T02:00:00Z');
const tick = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));
let srv: TestServer;
let staff: Session;

const OFFICE = 'lam-vien';
const BIRTH = 'dang-ky-khai-sinh'; // prefix 1, counter quay-1
const MARRIAGE = 'dang-ky-ket-hon'; // prefix 2, counter quay-1
const COPY = 'chung-thuc-ban-sao'; // prefix 4, counters quay-2 and quay-4

interface QueueTicket {
	id: string;
	number: string;
	status: string;
	serviceId: string;
	priorityGroupId?: string;
	recalls: number;
}
interface Queue {
	serving: QueueTicket | null;
	waiting: QueueTicket[];
	parked: QueueTicket[];
	figures: { served: number; noShows: number; averageMinutes: number | null };
	error?: { code: string };
}

const counterUrl = (counter: string, rest: string) => `${srv.url}/api/office/offices/${OFFICE}/counters/${counter}/${rest}`;
const queueOf = (s: Session, counter = 'quay-1') => call<Queue>(counterUrl(counter, 'queue'), { token: s.token });
const act = (s: Session, counter: string, ticketId: string, action: string) =>
	call<{ ticket: QueueTicket; error?: { code: string } }>(counterUrl(counter, `tickets/${ticketId}/${action}`), { token: s.token, body: {} });
async function take(serviceId: string, extra: Record<string, unknown> = {}): Promise<QueueTicket> {
	const d = await deviceSession(srv.url);
	const r = await call<{ ticket: QueueTicket }>(`${srv.url}/api/office/tickets`, {
		token: d.token,
		body: { ticketId: uuidv7(), officeId: OFFICE, serviceId, ...extra }
	});
	expect(r.status).toBe(201);
	return r.body.ticket;
}

beforeAll(async () => {
	srv = await startServer({ now: () => clock });
	staff = await login(srv.url, 'ubnd-lam-vien');
});
afterAll(() => srv?.close());

describe("the counter's queue", () => {
	it('is read only by the official signed in to that counter', async () => {
		expect((await queueOf(staff)).body.error?.code).toBe('counter_not_signed_in');
		const stranger = await login(srv.url, 'ubnd-xuan-huong');
		expect((await queueOf(stranger)).body.error?.code).toBe('forbidden_scope');
		expect((await call(counterUrl('quay-1', 'queue'))).status).toBe(401);
		expect((await call(counterUrl('quay-1', 'queue'), { token: (await deviceSession(srv.url)).token })).status).toBe(403);
		expect((await call(counterUrl('quay-9', 'queue'), { token: staff.token })).status).toBe(404);
	});

	it('lists what it can call in call-next order, what it serves and parks, and the figures of the day', async () => {
		expect((await call(counterUrl('quay-1', 'session'), { token: staff.token, body: {} })).status).toBe(200);
		const empty = await queueOf(staff);
		expect(empty.status).toBe(200);
		expect(empty.body).toMatchObject({ serving: null, waiting: [], parked: [], figures: { served: 0, noShows: 0, averageMinutes: null } });

		const first = await take(BIRTH);
		tick(1);
		const second = await take(MARRIAGE);
		tick(1);
		const elder = await take(BIRTH, { priorityGroupId: 'nguoi-cao-tuoi' });
		const other = await take(COPY); // another counter's service: not in this queue
		// A booked slot later in the day is not callable yet.
		const later = await take(BIRTH, { slotFrom: '2026-12-07T07:00:00.000Z' }); // 14:00 local

		let q = (await queueOf(staff)).body;
		expect(q.waiting.map((t) => t.number)).toEqual([elder.number, first.number, second.number]);
		expect(q.waiting[0].priorityGroupId).toBe('nguoi-cao-tuoi');
		expect(q.waiting.some((t) => t.id === other.id || t.id === later.id)).toBe(false);
		expect(JSON.stringify(q)).not.toContain('device:');

		// The call-next takes the head of that list; it is then served, not waiting.
		const called = await call<{ ticket: QueueTicket }>(counterUrl('quay-1', 'call-next'), { token: staff.token, body: {} });
		expect(called.body.ticket.id).toBe(elder.id);
		tick(6);
		q = (await queueOf(staff)).body;
		expect(q.serving).toMatchObject({ id: elder.id, status: 'called' });
		expect(q.waiting.map((t) => t.id)).toEqual([first.id, second.id]);
		expect((await act(staff, 'quay-1', elder.id, 'finish')).status).toBe(200);

		// Park one (they went to fetch a paper), mark the next absent: parked listed, absent counted.
		expect((await act(staff, 'quay-1', first.id, 'call')).status).toBe(200);
		expect((await act(staff, 'quay-1', first.id, 'park')).status).toBe(200);
		expect((await act(staff, 'quay-1', second.id, 'call')).status).toBe(200);
		expect((await act(staff, 'quay-1', second.id, 'skip')).status).toBe(200);
		q = (await queueOf(staff)).body;
		expect(q.serving).toBeNull();
		expect(q.waiting).toEqual([]);
		expect(q.parked.map((t) => t.id)).toEqual([first.id]);
		expect(q.figures).toEqual({ served: 1, noShows: 1, averageMinutes: 6 });

		// The parked one called back out of order and served in 3 minutes: mean (6 + 3) / 2.
		expect((await act(staff, 'quay-1', first.id, 'call')).status).toBe(200);
		tick(3);
		expect((await act(staff, 'quay-1', first.id, 'finish')).status).toBe(200);
		q = (await queueOf(staff)).body;
		expect(q.parked).toEqual([]);
		expect(q.figures).toEqual({ served: 2, noShows: 1, averageMinutes: 4.5 });
	});

	it('shows a ticket transferred to this counter, and not to the counter it left', async () => {
		await call(counterUrl('quay-2', 'session'), { token: staff.token, body: {} }); // leaves quay-1
		const copy = await take(COPY);
		expect((await act(staff, 'quay-2', copy.id, 'call')).status).toBe(200);
		const moved = await call(counterUrl('quay-2', `tickets/${copy.id}/transfer`), { token: staff.token, body: { serviceId: BIRTH, counterId: 'quay-1' } });
		expect(moved.status).toBe(200);
		expect((await queueOf(staff, 'quay-2')).body.waiting.some((t) => t.id === copy.id)).toBe(false);
		// quay-2 was left for quay-1 on signing in there: one counter at a time.
		await call(counterUrl('quay-1', 'session'), { token: staff.token, body: {} });
		expect((await queueOf(staff, 'quay-2')).body.error?.code).toBe('counter_not_signed_in');
		const q = (await queueOf(staff, 'quay-1')).body;
		expect(q.waiting.find((t) => t.id === copy.id)).toMatchObject({ serviceId: BIRTH, transferred: true });
	});
});
