import { describe, expect, it } from 'vitest';
import { deriveTicket, nextFor, refusal, type Ticket, type TicketBase, type TicketEvent, type TicketEventType } from './ticket';

/** Wall time in Vietnam (UTC+7) as an ISO instant, on the day of these tickets. */
const vn = (hhmm: string) => new Date(`2026-12-07T${hhmm}:00+07:00`).toISOString();
const uuid = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

let nextId = 1;
function base(over: Partial<TicketBase> = {}): TicketBase {
	const id = uuid(nextId++);
	return {
		id,
		tenantId: 'lam-dong',
		officeId: 'lam-vien',
		serviceId: 'dang-ky-khai-sinh',
		day: '2026-12-07',
		seq: 23,
		number: '1023',
		holderId: `device:${id}`,
		channel: 'app',
		takenAt: vn('07:40'),
		...over
	};
}

function ev(ticket: TicketBase, type: TicketEventType, hhmm: string, over: Partial<TicketEvent> = {}): TicketEvent {
	const staff = type !== 'taken' && type !== 'rated' && type !== 'cancelled';
	return {
		id: uuid(nextId++),
		ticketId: ticket.id,
		tenantId: ticket.tenantId,
		officeId: ticket.officeId,
		day: ticket.day,
		type,
		actorId: staff ? 'staff:can-bo-a' : ticket.holderId,
		actorRole: staff ? 'staff' : 'resident',
		...(staff ? { counterId: 'quay-1' } : {}),
		at: vn(hhmm),
		_deleted: false,
		...over
	};
}

describe('a ticket derived from its events', () => {
	it('goes taken → called → recalled → finished → rated', () => {
		const b = base();
		const events = [ev(b, 'taken', '07:40')];
		const step = (e: TicketEvent) => (events.push(e), deriveTicket(b, events));

		let t = deriveTicket(b, events);
		expect(t).toMatchObject({ status: 'waiting', queuedAt: vn('07:40'), recalls: 0, number: '1023' });
		expect(t.counterId).toBeUndefined();

		t = step(ev(b, 'called', '08:05'));
		expect(t).toMatchObject({ status: 'called', counterId: 'quay-1', calledAt: vn('08:05'), lastCalledAt: vn('08:05'), servedBy: 'staff:can-bo-a' });

		t = step(ev(b, 'recalled', '08:07'));
		expect(t).toMatchObject({ status: 'called', calledAt: vn('08:05'), lastCalledAt: vn('08:07'), recalls: 1 });

		t = step(ev(b, 'finished', '08:20'));
		expect(t).toMatchObject({ status: 'finished', finishedAt: vn('08:20'), servedBy: 'staff:can-bo-a' });

		t = step(ev(b, 'rated', '08:25', { rating: 'satisfied', reason: 'Nhanh, chu đáo' }));
		expect(t.rating).toEqual({ level: 'satisfied', reason: 'Nhanh, chu đáo', at: vn('08:25') });
		expect(t.updatedAt).toBe(vn('08:25'));
	});

	it('ignores late and duplicate events that cannot apply, whatever order they arrive in', () => {
		const b = base();
		const events = [
			ev(b, 'finished', '08:20'),
			ev(b, 'called', '08:05'),
			// A second counter calling at the same moment, a double click on "finished", a late cancel, a second rating:
			ev(b, 'called', '08:06', { counterId: 'quay-4', actorId: 'staff:can-bo-b' }),
			ev(b, 'finished', '08:21'),
			ev(b, 'cancelled', '08:30'),
			ev(b, 'rated', '08:31', { rating: 'very_satisfied' }),
			ev(b, 'rated', '08:32', { rating: 'unsatisfied', reason: 'đổi ý' })
		];
		const t = deriveTicket(b, events);
		expect(t).toMatchObject({ status: 'finished', counterId: 'quay-1', servedBy: 'staff:can-bo-a', finishedAt: vn('08:20') });
		expect(t.rating).toEqual({ level: 'very_satisfied', at: vn('08:31') });
		// What could not apply does not even move the last change.
		expect(t.updatedAt).toBe(vn('08:31'));
		const without = deriveTicket(b, events.filter((e) => e.at !== vn('08:06') && e.at !== vn('08:21') && e.at !== vn('08:30') && e.at !== vn('08:32')));
		expect(t).toEqual(without);
	});

	it('ignores events of another ticket', () => {
		const b = base();
		const other = base();
		expect(deriveTicket(b, [ev(other, 'called', '08:00')]).status).toBe('waiting');
	});

	it('keeps its place and number when transferred, and only the target counter may take it', () => {
		const b = base({ takenAt: vn('07:40') });
		const t = deriveTicket(b, [
			ev(b, 'called', '08:05'),
			ev(b, 'transferred', '08:10', { toServiceId: 'dang-ky-ket-hon', toCounterId: 'quay-3' })
		]);
		expect(t).toMatchObject({ status: 'waiting', queuedAt: vn('07:40'), number: '1023', seq: 23, serviceId: 'dang-ky-ket-hon', targetCounterId: 'quay-3' });
		expect(t.counterId).toBeUndefined();
		expect(nextFor([t], { id: 'quay-1', serviceIds: ['dang-ky-khai-sinh', 'dang-ky-ket-hon'] }, new Date(vn('08:15')))).toBeNull();
		expect(nextFor([t], { id: 'quay-3', serviceIds: ['giay-phep-xay-dung-nha-o'] }, new Date(vn('08:15')))?.id).toBe(b.id);

		const called = deriveTicket(b, [
			ev(b, 'called', '08:05'),
			ev(b, 'transferred', '08:10', { toServiceId: 'dang-ky-ket-hon', toCounterId: 'quay-3' }),
			ev(b, 'called', '08:15', { counterId: 'quay-3', actorId: 'staff:can-bo-c' })
		]);
		expect(called).toMatchObject({ status: 'called', counterId: 'quay-3', servedBy: 'staff:can-bo-c' });
		expect(called.targetCounterId).toBeUndefined();
	});

	it('joins the queue at its slot, not when it was booked', () => {
		const b = base({ takenAt: new Date('2026-12-04T09:00:00+07:00').toISOString(), slot: { from: vn('09:00'), to: vn('09:30') } });
		expect(deriveTicket(b, []).queuedAt).toBe(vn('09:00'));
	});
});

describe('what may happen to a ticket', () => {
	it('refuses a rating before the service is finished, and a second one', () => {
		expect(refusal({ status: 'waiting' }, 'rated')).toBe('ticket_not_finished');
		expect(refusal({ status: 'called' }, 'rated')).toBe('ticket_not_finished');
		expect(refusal({ status: 'cancelled' }, 'rated')).toBe('ticket_not_finished');
		expect(refusal({ status: 'finished' }, 'rated')).toBeNull();
		expect(refusal({ status: 'finished', rating: { level: 'satisfied', at: vn('08:25') } }, 'rated')).toBe('already_rated');
	});

	it('lets a resident cancel while waiting or parked, not once called', () => {
		expect(refusal({ status: 'waiting' }, 'cancelled')).toBeNull();
		expect(refusal({ status: 'parked' }, 'cancelled')).toBeNull();
		expect(refusal({ status: 'called' }, 'cancelled')).toBe('ticket_state');
		expect(refusal({ status: 'finished' }, 'cancelled')).toBe('ticket_state');
	});

	it('calls a waiting or parked ticket only, and finishes or transfers a called one only', () => {
		expect(refusal({ status: 'parked' }, 'called')).toBeNull();
		expect(refusal({ status: 'called' }, 'called')).toBe('ticket_state');
		expect(refusal({ status: 'waiting' }, 'finished')).toBe('ticket_state');
		expect(refusal({ status: 'waiting' }, 'transferred')).toBe('ticket_state');
		expect(refusal({ status: 'no_show' }, 'called')).toBe('ticket_state');
	});
});

describe('the next ticket a counter calls', () => {
	const counter = { id: 'quay-1', serviceIds: ['dang-ky-khai-sinh', 'dang-ky-ket-hon'] };
	const now = new Date(vn('08:30'));
	const waiting = (over: Partial<TicketBase>, events: (b: TicketBase) => TicketEvent[] = () => []): Ticket => {
		const b = base(over);
		return deriveTicket(b, events(b));
	};

	it('returns null on an empty queue, and when nothing is for this counter', () => {
		expect(nextFor([], counter, now)).toBeNull();
		const elsewhere = waiting({ serviceId: 'giay-phep-xay-dung-nha-o', number: '7001', seq: 1 });
		const done = waiting({}, (b) => [ev(b, 'called', '07:45'), ev(b, 'finished', '07:55')]);
		expect(nextFor([elsewhere, done], counter, now)).toBeNull();
	});

	it('serves a priority ticket first, then by who joined the queue first', () => {
		const early = waiting({ takenAt: vn('07:35'), number: '1002', seq: 2 });
		const earlier = waiting({ takenAt: vn('07:31'), number: '2001', seq: 1, serviceId: 'dang-ky-ket-hon' });
		const elder = waiting({ takenAt: vn('08:20'), number: '1009', seq: 9, priorityGroupId: 'nguoi-cao-tuoi' });
		expect(nextFor([early, earlier, elder], counter, now)?.id).toBe(elder.id);
		expect(nextFor([early, earlier], counter, now)?.id).toBe(earlier.id);
		expect(nextFor([early], counter, now)?.id).toBe(early.id);
	});

	it('ignores a booked ticket before its slot, and a ticket transferred to another counter', () => {
		const booked = waiting({ takenAt: vn('07:00'), slot: { from: vn('09:00'), to: vn('09:30') }, number: '1001', seq: 1 });
		const sentAway = waiting({ takenAt: vn('07:32'), number: '1003', seq: 3 }, (b) => [
			ev(b, 'called', '07:50'),
			ev(b, 'transferred', '07:55', { toCounterId: 'quay-2' })
		]);
		const walkIn = waiting({ takenAt: vn('08:10'), number: '1012', seq: 12 });
		expect(nextFor([booked, sentAway, walkIn], counter, now)?.id).toBe(walkIn.id);
		// At its slot, the booked ticket (queued from 09:00) is next once the walk-in is served.
		expect(nextFor([booked, sentAway], counter, new Date(vn('09:00')))?.id).toBe(booked.id);
	});
});
