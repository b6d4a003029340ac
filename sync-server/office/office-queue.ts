import type { Office } from '$lib/domain/office';
import type { TenantConfig } from '$lib/domain/tenant';
import { deriveTicket, type Ticket, type TicketEvent } from '$lib/domain/ticket';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import { ApiError } from '../http/api-error';
import type { Storage, StoredDoc } from '../storage/storage';
import type { OfficeSettings } from './office-settings';
import type { TicketNumbers } from './ticket-numbers';

/**
 * An office's tickets of a day, as the server reads them: loaded once through the day's number
 * claims (every ticket has one), then kept current from the tickets store's changes feed, which
 * carries every instance's writes. And the one way a ticket changes: an event appended, the ticket
 * derived again from all its events and written over the revision it was derived from.
 */

type StoredTicket = Ticket & StoredDoc;
type StoredEvent = TicketEvent & StoredDoc;

/** A past day's tickets change rarely (a late rating): read again after this long. */
const PAST_DAY_TTL_MS = 5 * 60_000;
const MAX_WRITE_ROUNDS = 10;

/** The same ticket whatever order its keys were stored in (a write that changes nothing is skipped). */
const canonical = (t: object) =>
	JSON.stringify(Object.entries(t).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));

export function createOfficeQueue(deps: { tenant: TenantConfig; settings: OfficeSettings; storage: Storage; numbers: TicketNumbers; now?: () => Date }) {
	const now = deps.now ?? (() => new Date());
	const calendar = deps.tenant.calendar as WorkCalendar | undefined;
	const tickets = deps.storage.store<StoredTicket>('tickets');
	const events = deps.storage.store<StoredEvent>('ticket-events');
	const days = new Map<string, { loaded: Promise<Map<string, Ticket>>; at: number }>();
	const listeners = new Set<(t: Ticket) => void>();
	let unsubscribe: (() => void) | null = null;

	const dayKey = (officeId: string, day: string) => `${officeId}|${day}`;

	function follow(): void {
		if (unsubscribe) return;
		unsubscribe = tickets.subscribe((c) => {
			const t = c.doc as Ticket | undefined;
			if (!t || c.deleted) return;
			const entry = days.get(dayKey(t.officeId, t.day));
			if (entry) void entry.loaded.then((m) => m.set(t.id, t));
			for (const l of listeners) l(t);
		});
	}

	async function load(officeId: string, day: string): Promise<Map<string, Ticket>> {
		const claims = await deps.numbers.claimsOf(officeId, day);
		const docs = await tickets.getMany(claims.filter((c) => !c.voided).map((c) => c.ticketId));
		return new Map([...docs.values()].map((v) => [v.doc.id, v.doc as Ticket]));
	}

	/** The office's tickets of a local day (every status). */
	async function dayTickets(officeId: string, day: string): Promise<Ticket[]> {
		follow();
		const key = dayKey(officeId, day);
		const today = calendar ? localDate(calendar, now()) : day;
		let entry = days.get(key);
		if (!entry || (day !== today && Date.now() - entry.at > PAST_DAY_TTL_MS)) {
			entry = { loaded: load(officeId, day), at: Date.now() };
			days.set(key, entry);
			entry.loaded.catch(() => days.delete(key));
		}
		return [...(await entry.loaded).values()];
	}

	async function eventsOf(ticketId: string): Promise<TicketEvent[]> {
		const ids = await events.idsInRange({ start: `${ticketId}:`, end: `${ticketId}:~`, limit: 1000 });
		const docs = await events.getMany(ids);
		return [...docs.values()].map((v) => v.doc);
	}

	/**
	 * Appends the event and derives the ticket again. `applied` says whether the event took effect: it
	 * does not when the ticket had moved on (another counter called it first, at this instance or at
	 * another); it then stays in the log, ignored the same way by every derivation.
	 */
	async function append(ticketId: string, event: TicketEvent): Promise<{ ticket: Ticket; applied: boolean }> {
		const [w] = await events.bulkPut([{ doc: event as StoredEvent, rev: null }]);
		if (!w.ok) throw new Error(`ticket event not stored: ${w.error}`);
		for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
			const stored = (await tickets.getMany([ticketId])).get(ticketId);
			if (!stored) throw new ApiError(404, 'not_found', 'Không có số này / No such ticket');
			const all = await eventsOf(ticketId);
			if (!all.some((e) => e.id === event.id)) all.push(event); // a CouchDB node not caught up yet
			const taken = all.find((e) => e.type === 'taken');
			const applied = new Set<string>();
			const ticket = deriveTicket({ ...stored.doc, serviceId: taken?.toServiceId ?? stored.doc.serviceId }, all, applied);
			if (canonical(ticket) === canonical({ ...stored.doc, _deleted: false }))
				return { ticket, applied: applied.has(event.id) };
			const [r] = await tickets.bulkPut([{ doc: ticket as StoredTicket, rev: stored.rev }]);
			if (r.ok) {
				const entry = days.get(dayKey(ticket.officeId, ticket.day));
				if (entry) void entry.loaded.then((m) => m.set(ticket.id, ticket));
				return { ticket, applied: applied.has(event.id) };
			}
			if (!r.conflict) throw new Error(r.error);
		}
		throw new Error('ticket: too much contention');
	}

	function officeOf(id: string): Office {
		const o = deps.settings.current()?.offices.find((x) => x.id === id);
		if (!o || !calendar) throw new ApiError(404, 'not_found', 'Không có văn phòng này / No such office');
		return o;
	}

	return {
		officeOf,
		dayTickets,
		eventsOf,
		append,
		today: () => (calendar ? localDate(calendar, now()) : now().toISOString().slice(0, 10)),
		/** The clock the queue runs on (a test's fake one): who is callable "now" is decided by it. */
		now,
		/** Called with every ticket written, by any instance (live streams of the board and the counters). */
		onTicket(listener: (t: Ticket) => void): () => void {
			follow();
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		/**
		 * A ticket this instance just took: counted at once by the next take's "people ahead", not a
		 * moment later when the changes feed brings it. A version already known is newer: kept.
		 */
		taken(t: Ticket): void {
			const entry = days.get(dayKey(t.officeId, t.day));
			if (entry) void entry.loaded.then((m) => void (m.has(t.id) || m.set(t.id, t)), () => undefined);
		},
		async ticket(id: string): Promise<Ticket | null> {
			const t = await tickets.get(id);
			return t && !t._deleted ? t : null;
		},
		close(): void {
			unsubscribe?.();
			unsubscribe = null;
			listeners.clear();
			days.clear();
		}
	};
}
export type OfficeQueue = ReturnType<typeof createOfficeQueue>;
