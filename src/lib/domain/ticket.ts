import { z } from 'zod';
import { ActorId, Id, IsoTime, TenantId } from './common';
import type { ErrorCode } from './errors';

/**
 * A queue ticket (số thứ tự) of the one-stop office. The server writes it once when it gives the
 * number, then only derives its fields from the ticket's append-only events (taken, called, recalled,
 * parked, skipped, transferred, finished, cancelled, rated), like a report from its events: events
 * never conflict and the server is the single writer of what they add up to.
 */

const Slug = z.string().regex(/^[a-z0-9-]{1,40}$/);
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const TICKET_STATUSES = ['waiting', 'called', 'parked', 'finished', 'cancelled', 'no_show'] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;
/** A ticket in one of these is done: nothing but a rating (finished) happens to it any more. */
export const CLOSED_STATUSES: readonly TicketStatus[] = ['finished', 'cancelled', 'no_show'];

export const RATINGS = ['very_satisfied', 'satisfied', 'unsatisfied'] as const;
export const RatingLevel = z.enum(RATINGS);
export type RatingLevel = z.infer<typeof RatingLevel>;
export const RATING_REASON_MAX = 500;

export const TICKET_CHANNELS = ['app', 'kiosk'] as const;

export const Ticket = z.strictObject({
	/** The id the device made for its request (UUIDv7): a retried request gets the same ticket. */
	id: Id,
	tenantId: TenantId,
	officeId: Slug,
	/** The service now: a transfer changes it; the number keeps the prefix it was given. */
	serviceId: Slug,
	/** The office's local date the ticket is for. */
	day: LocalDate,
	/** A booked slot of a later hour or day; absent: a walk-in ticket for today, in the queue from `takenAt`. */
	slot: z.strictObject({ from: IsoTime, to: IsoTime }).optional(),
	/** Sequence of the day for the service's prefix (1…999) and the number as shown and said ("1023"). */
	seq: z.number().int().min(1),
	number: z.string().regex(/^\d{4}$/),
	/** Who took it: the device (`device:…`) or the kiosk; and the verified person behind the device, if any. */
	holderId: ActorId,
	personId: z.string().optional(),
	channel: z.enum(TICKET_CHANNELS),
	/** A priority group of the tenant (the elderly, people with disabilities, pregnant women …): served first. */
	priorityGroupId: Slug.optional(),
	takenAt: IsoTime,
	// Derived from the events by the server only:
	status: TicketStatus,
	/** When it joined the queue: taken (walk-in) or the slot's start; a transfer keeps it, so it does not wait twice. */
	queuedAt: IsoTime,
	/** Sent to one counter by a transfer: only that counter calls it. */
	targetCounterId: Slug.optional(),
	counterId: Slug.optional(),
	calledAt: IsoTime.optional(),
	lastCalledAt: IsoTime.optional(),
	recalls: z.number().int().min(0),
	/** The official who called it last (the one a rating is about). */
	servedBy: ActorId.optional(),
	finishedAt: IsoTime.optional(),
	rating: z.strictObject({ level: RatingLevel, reason: z.string().max(RATING_REASON_MAX).optional(), at: IsoTime }).optional(),
	updatedAt: IsoTime,
	_deleted: z.boolean().default(false)
});
export type Ticket = z.infer<typeof Ticket>;

export const TICKET_EVENT_TYPES = ['taken', 'called', 'recalled', 'parked', 'skipped', 'transferred', 'finished', 'cancelled', 'rated'] as const;
export const TicketEventType = z.enum(TICKET_EVENT_TYPES);
export type TicketEventType = z.infer<typeof TicketEventType>;

/** `<ticket id>:<event uuid>`: a ticket's events are one key range of their store. */
export const TicketEventId = z.string().regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/);
export const ticketEventId = (ticketId: string, eventUuid: string) => `${ticketId}:${eventUuid}`;

export const TicketEvent = z.strictObject({
	id: TicketEventId,
	ticketId: Id,
	tenantId: TenantId,
	officeId: Slug,
	day: LocalDate,
	type: TicketEventType,
	actorId: ActorId,
	actorRole: z.enum(['resident', 'staff', 'kiosk', 'system']),
	/** The counter that called, recalled, parked, skipped, transferred or finished it. */
	counterId: Slug.optional(),
	/** On `transferred`: the service and/or the counter it goes to. */
	toServiceId: Slug.optional(),
	toCounterId: Slug.optional(),
	/** On `rated`. */
	rating: RatingLevel.optional(),
	reason: z.string().trim().max(RATING_REASON_MAX).optional(),
	/** Server clock: events are ordered by it. */
	at: IsoTime,
	_deleted: z.boolean().default(false)
});
export type TicketEvent = z.infer<typeof TicketEvent>;

/** Why an event cannot apply to a ticket in its state, or null when it can. */
export function refusal(ticket: Pick<Ticket, 'status' | 'rating'>, type: TicketEventType): ErrorCode | null {
	const s = ticket.status;
	switch (type) {
		case 'taken':
			return 'ticket_state';
		case 'called':
			return s === 'waiting' || s === 'parked' ? null : 'ticket_state';
		case 'recalled':
		case 'parked':
		case 'finished':
		case 'transferred':
			return s === 'called' ? null : 'ticket_state';
		case 'skipped':
			return s === 'called' || s === 'parked' ? null : 'ticket_state';
		case 'cancelled':
			return s === 'waiting' || s === 'parked' ? null : 'ticket_state';
		case 'rated':
			if (s !== 'finished') return 'ticket_not_finished';
			return ticket.rating ? 'already_rated' : null;
	}
}

/** What the server gives a ticket when it takes the number: everything but what events derive. */
export type TicketBase = Omit<Ticket, 'status' | 'queuedAt' | 'targetCounterId' | 'counterId' | 'calledAt' | 'lastCalledAt' | 'recalls' | 'servedBy' | 'finishedAt' | 'rating' | 'updatedAt' | '_deleted'> & {
	/** The service it was taken for (a transfer changes `serviceId`). */
	serviceId: string;
};

const byTime = (a: TicketEvent, b: TicketEvent) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The ticket as its events make it. An event that could not apply in the state reached (two counters
 * calling at once, a late duplicate) changes nothing: the server refuses those before storing, and a
 * stored one that slipped through two instances is ignored the same way on every device.
 * `applied` receives the ids of the events that took effect.
 */
export function deriveTicket(base: TicketBase, events: TicketEvent[], applied?: Set<string>): Ticket {
	const queuedAt = base.slot && base.slot.from > base.takenAt ? base.slot.from : base.takenAt;
	// Only the base's own fields: a stored ticket passed as the base must not carry its derived ones over.
	const { id, tenantId, officeId, serviceId, day, slot, seq, number, holderId, personId, channel, priorityGroupId, takenAt } = base;
	const own = { id, tenantId, officeId, serviceId, day, slot, seq, number, holderId, personId, channel, priorityGroupId, takenAt };
	for (const k of ['slot', 'personId', 'priorityGroupId'] as const) if (own[k] === undefined) delete own[k];
	const t: Ticket = { ...own, status: 'waiting', queuedAt, recalls: 0, updatedAt: base.takenAt, _deleted: false };
	for (const e of [...events].filter((e) => e.ticketId === base.id).sort(byTime)) {
		if (e.type === 'taken' || refusal(t, e.type)) continue;
		applied?.add(e.id);
		t.updatedAt = e.at;
		switch (e.type) {
			case 'called':
				Object.assign(t, { status: 'called', counterId: e.counterId, calledAt: e.at, lastCalledAt: e.at, servedBy: e.actorId, targetCounterId: undefined });
				break;
			case 'recalled':
				t.recalls += 1;
				t.lastCalledAt = e.at;
				break;
			case 'parked':
				t.status = 'parked';
				break;
			case 'skipped':
				t.status = 'no_show';
				break;
			case 'transferred':
				Object.assign(t, { status: 'waiting', serviceId: e.toServiceId ?? t.serviceId, targetCounterId: e.toCounterId, counterId: undefined });
				break;
			case 'finished':
				t.status = 'finished';
				t.finishedAt = e.at;
				break;
			case 'cancelled':
				t.status = 'cancelled';
				break;
			case 'rated':
				t.rating = { level: e.rating!, ...(e.reason ? { reason: e.reason } : {}), at: e.at };
				break;
		}
	}
	for (const k of ['targetCounterId', 'counterId'] as const) if (t[k] === undefined) delete t[k];
	return t;
}

/**
 * The order counters call in: priority groups first, then who joined the queue first (a transferred
 * ticket keeps its place), then the number. The same on the server and on every device.
 */
export function queueOrder(a: Pick<Ticket, 'priorityGroupId' | 'queuedAt' | 'seq' | 'number'>, b: typeof a): number {
	const pa = a.priorityGroupId ? 0 : 1;
	const pb = b.priorityGroupId ? 0 : 1;
	if (pa !== pb) return pa - pb;
	if (a.queuedAt !== b.queuedAt) return a.queuedAt < b.queuedAt ? -1 : 1;
	return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

/** Whether `counter` may call `ticket` now: waiting, in the queue already, one of its services, not sent to another counter. */
export function callableBy(ticket: Ticket, counter: { id: string; serviceIds: string[] }, now: Date): boolean {
	return (
		ticket.status === 'waiting' &&
		Date.parse(ticket.queuedAt) <= now.getTime() &&
		(ticket.targetCounterId ? ticket.targetCounterId === counter.id : counter.serviceIds.includes(ticket.serviceId))
	);
}

/** The ticket a counter calls next, or null when its queue is empty. */
export function nextFor(tickets: Ticket[], counter: { id: string; serviceIds: string[] }, now: Date): Ticket | null {
	let best: Ticket | null = null;
	for (const t of tickets) if (callableBy(t, counter, now) && (!best || queueOrder(t, best) < 0)) best = t;
	return best;
}

/** One official's ratings over a period (GET …/offices/:office/ratings): the server adds them up, the counter page shows them. */
export interface OfficialFigures {
	/** `staff:<username>`. */
	officialId: string;
	served: number;
	noShows: number;
	rated: number;
	ratings: Record<RatingLevel, number>;
	/** (very satisfied + satisfied) / rated, 0–1; null with no rating yet. */
	satisfaction: number | null;
	/** Newest first, at most 10. */
	reasons: { number: string; reason: string; at: string }[];
}
