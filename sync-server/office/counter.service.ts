import { uuidv7 } from '$lib/domain/common';
import { actsForOffice, type Counter, type Office } from '$lib/domain/office';
import type { Principal } from '$lib/domain/principal';
import { nextFor, refusal, ticketEventId, type Ticket, type TicketEvent, type TicketEventType } from '$lib/domain/ticket';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import { ApiError } from '../http/api-error';
import type { Storage, StoredDoc } from '../storage/storage';
import type { OfficeQueue } from './office-queue';
import { readTogether } from './read-together';

/**
 * The counter (quầy): an official signs in to one counter of an office their unit staffs, then calls
 * the queue. Every action is an event on the ticket (office-queue.ts `append`); a refused one changes
 * nothing and says why with its own code.
 */

export interface CounterSession extends StoredDoc {
	/** `<office>|<counter>`. */
	id: string;
	officeId: string;
	counterId: string;
	staffId: string;
	name?: string;
	since: string;
}


export type CounterAction = Extract<TicketEventType, 'recalled' | 'parked' | 'skipped' | 'finished'>;

export function createCounterService(deps: { storage: Storage; queue: OfficeQueue; calendar: WorkCalendar; tenantId: string; now?: () => Date }) {
	const now = deps.now ?? (() => new Date());
	const sessions = deps.storage.store<CounterSession>('counter-sessions');
	const { queue } = deps;

	function staffOf(p: Principal, o: Office): void {
		if (!actsForOffice(p, o))
			throw new ApiError(403, 'forbidden_scope', 'Bạn không làm việc ở văn phòng này / You do not work at this office');
	}

	function counterOf(o: Office, counterId: string): Counter {
		const c = o.counters.find((x) => x.id === counterId);
		if (!c) throw new ApiError(404, 'not_found', 'Không có quầy này / No such counter');
		return c;
	}

	/** The counter the official is signed in to, or why not. */
	async function signedIn(p: Principal, officeId: string, counterId: string): Promise<{ office: Office; counter: Counter }> {
		const o = queue.officeOf(officeId);
		staffOf(p, o);
		const counter = counterOf(o, counterId);
		const s = await sessions.get(`${officeId}|${counterId}`);
		if (!s || s._deleted || s.staffId !== p.sub || !sameDay(s.since))
			throw new ApiError(403, 'counter_not_signed_in', 'Bạn chưa nhận quầy này / You are not signed in to this counter');
		return { office: o, counter };
	}

	// Every take's answer counts the staffed counters: a rush shares a few reads (read-together.ts).
	const sessionsRead = readTogether<Office, CounterSession[]>(async (officeId, asks) => {
		const held = await sessions.getMany(asks.flatMap((o) => o.counters.map((c) => `${officeId}|${c.id}`)));
		const today = [...held.values()].map((v) => v.doc).filter((s) => sameDay(s.since));
		// Each as its own version of the office's counters (an admin may have saved new ones meanwhile).
		return asks.map((o) => today.filter((s) => o.counters.some((c) => c.id === s.counterId)));
	});

	const sameDay = (iso: string) => localDate(deps.calendar, new Date(iso)) === localDate(deps.calendar, now());

	function event(t: Ticket, type: TicketEventType, p: Principal, extra: Partial<TicketEvent> = {}): TicketEvent {
		return {
			id: ticketEventId(t.id, uuidv7()),
			ticketId: t.id,
			tenantId: deps.tenantId,
			officeId: t.officeId,
			day: t.day,
			type,
			actorId: p.sub,
			actorRole: 'staff',
			at: now().toISOString(),
			_deleted: false,
			...extra
		};
	}

	async function ticketAt(o: Office, ticketId: string): Promise<Ticket> {
		const t = await queue.ticket(ticketId);
		if (!t || t.officeId !== o.id) throw new ApiError(404, 'not_found', 'Không có số này ở văn phòng / No such ticket at this office');
		return t;
	}

	/** Appends a counter's event, refusing it first when the ticket's state does not allow it. */
	async function act(t: Ticket, ev: TicketEvent): Promise<Ticket> {
		const why = refusal(t, ev.type);
		if (why) throw new ApiError(409, why, 'Số này đang ở bước khác / The ticket is at another step');
		const r = await queue.append(t.id, ev);
		if (!r.applied) throw new ApiError(409, 'ticket_state', 'Số này vừa được xử lý ở nơi khác / The ticket was just handled elsewhere');
		return r.ticket;
	}

	return {
		/** The counter the official is signed in to, or why not (the counter's queue reads it too). */
		signedIn,

		async signIn(p: Principal, officeId: string, counterId: string): Promise<CounterSession> {
			const o = queue.officeOf(officeId);
			staffOf(p, o);
			counterOf(o, counterId);
			const id = `${officeId}|${counterId}`;
			const held = (await sessions.getMany([id])).get(id);
			if (held && held.doc.staffId !== p.sub && sameDay(held.doc.since))
				throw new ApiError(409, 'counter_taken', 'Quầy đang có người / Someone is at this counter', { name: held.doc.name });
			const doc: CounterSession = { id, officeId, counterId, staffId: p.sub, ...(p.name ? { name: p.name } : {}), since: now().toISOString() };
			const [r] = await sessions.bulkPut([{ doc, rev: held?.rev ?? null }]);
			if (!r.ok) throw new ApiError(409, 'counter_taken', 'Quầy vừa có người nhận / Someone just took this counter');
			// One counter at a time: the official's other counters of the office are left.
			const others = o.counters.filter((c) => c.id !== counterId).map((c) => `${officeId}|${c.id}`);
			const mine = [...(await sessions.getMany(others)).values()].filter((v) => v.doc.staffId === p.sub);
			if (mine.length) await sessions.bulkPut(mine.map((v) => ({ doc: { ...v.doc, _deleted: true }, rev: v.rev })));
			return doc;
		},

		async signOut(p: Principal, officeId: string, counterId: string): Promise<void> {
			await signedIn(p, officeId, counterId);
			const id = `${officeId}|${counterId}`;
			const held = (await sessions.getMany([id])).get(id);
			if (held) await sessions.bulkPut([{ doc: { ...held.doc, _deleted: true }, rev: held.rev }]);
		},

		/** Who is at each counter of the office today. */
		async sessionsOf(officeId: string): Promise<CounterSession[]> {
			const o = queue.officeOf(officeId);
			return sessionsRead(officeId, o);
		},

		/** Calls the first ticket of the counter's queue (priority first); `queue_empty` when nobody waits. */
		async callNext(p: Principal, officeId: string, counterId: string): Promise<Ticket> {
			const { office: o, counter } = await signedIn(p, officeId, counterId);
			const busy = (await queue.dayTickets(o.id, queue.today())).find((t) => t.status === 'called' && t.counterId === counter.id);
			if (busy) throw new ApiError(409, 'ticket_state', `Quầy đang phục vụ số ${busy.number} / The counter is serving ${busy.number}`, { number: busy.number });
			// Another counter may call the same ticket at the same moment: the one whose call is derived
			// first has it; the other takes the next one.
			for (let attempt = 0; attempt < 5; attempt++) {
				const t = nextFor(await queue.dayTickets(o.id, queue.today()), counter, now());
				if (!t) throw new ApiError(409, 'queue_empty', 'Không còn ai chờ / Nobody is waiting');
				const r = await queue.append(t.id, event(t, 'called', p, { counterId: counter.id }));
				if (r.applied) return r.ticket;
			}
			throw new ApiError(409, 'ticket_state', 'Các quầy đang gọi cùng lúc; hãy bấm lại / Counters called at once; press again');
		},

		/** Calls one ticket out of order (a parked one come back, an urgent case): it must be one this counter serves. */
		async call(p: Principal, officeId: string, counterId: string, ticketId: string): Promise<Ticket> {
			const { office: o, counter } = await signedIn(p, officeId, counterId);
			const t = await ticketAt(o, ticketId);
			const serves = t.targetCounterId ? t.targetCounterId === counter.id : counter.serviceIds.includes(t.serviceId);
			// A booked ticket may be called before its slot: its holder came early and the counter is free.
			if (t.day !== queue.today() || !serves)
				throw new ApiError(409, 'ticket_state', 'Quầy này không gọi được số đó / This counter cannot call that ticket');
			return act(t, event(t, 'called', p, { counterId: counter.id }));
		},

		/** Recall, park, no-show (skip), finish: the ticket this counter called. */
		async step(p: Principal, officeId: string, counterId: string, ticketId: string, type: CounterAction): Promise<Ticket> {
			const { office: o, counter } = await signedIn(p, officeId, counterId);
			const t = await ticketAt(o, ticketId);
			if (t.counterId !== counter.id && !(type === 'skipped' && t.status === 'parked'))
				throw new ApiError(409, 'ticket_state', 'Số này không ở quầy của bạn / This ticket is not at your counter');
			return act(t, event(t, type, p, { counterId: counter.id }));
		},

		/** Sends the called ticket to another service and/or counter of the office; it keeps its place in the queue. */
		async transfer(p: Principal, officeId: string, counterId: string, ticketId: string, to: { serviceId?: string; counterId?: string }): Promise<Ticket> {
			const { office: o, counter } = await signedIn(p, officeId, counterId);
			const t = await ticketAt(o, ticketId);
			if (t.counterId !== counter.id) throw new ApiError(409, 'ticket_state', 'Số này không ở quầy của bạn / This ticket is not at your counter');
			const serviceId = to.serviceId ?? t.serviceId;
			if (!o.serviceIds.includes(serviceId)) throw new ApiError(409, 'service_not_offered', 'Văn phòng không có dịch vụ đó / The office does not offer that service');
			if (to.counterId) {
				const target = counterOf(o, to.counterId);
				if (!target.serviceIds.includes(serviceId))
					throw new ApiError(409, 'service_not_offered', 'Quầy đó không làm dịch vụ này / That counter does not handle this service');
			} else if (!to.serviceId) throw new ApiError(400, 'validation_failed', 'Chọn dịch vụ hoặc quầy để chuyển / Choose a service or counter');
			return act(t, event(t, 'transferred', p, { counterId: counter.id, toServiceId: serviceId, ...(to.counterId ? { toCounterId: to.counterId } : {}) }));
		}
	};
}
export type CounterService = ReturnType<typeof createCounterService>;
