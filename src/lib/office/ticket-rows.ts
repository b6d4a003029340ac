import type { ErrorCode } from '../domain/errors';
import type { WaitEstimate } from '../domain/queue-estimate';
import type { Ticket } from '../domain/ticket';

/**
 * The device's copies of its queue tickets (Dexie tables `tickets` and `ticketRequests`, local-db.ts).
 * Types only: local-db.ts, the service worker's side of Dexie, must not load the ticket code.
 */

/** A name in both languages, kept with the ticket so it shows offline even if the tenant drops it. */
export interface BothNames {
	vi: string;
	en: string;
}

/** The server's answer for a ticket (sync-server/office/ticket-view.service.ts `TicketView`). */
export interface TicketViewData {
	ticket: Ticket;
	/** Waiting people the counters call first. */
	ahead: number;
	estimate: WaitEstimate | null;
	/** The number each counter of the ticket's service serves now. */
	serving: { counter: number; number: string | null }[];
}

/** A ticket this device holds: the last answer of the server, shown as it is when offline. */
export interface TicketRow {
	/** The ticket's id (the UUIDv7 the device made for its request). */
	id: string;
	/** The office's local date of the ticket: "my tickets" lists today's and later ones. */
	day: string;
	view: TicketViewData;
	officeName: BothNames;
	serviceName: BothNames;
	/** ms: when `view` came from the server ("last updated hh:mm"). */
	fetchedAt: number;
	/** The "your turn is near" alert was shown (once per ticket). */
	alertedAhead?: boolean;
	/** The call (its time) the "come to counter N" alert was shown for: a recall alerts again. */
	alertedCallAt?: string;
}

/** What POST /api/office/tickets takes. */
export interface TicketTakeBody {
	ticketId: string;
	officeId: string;
	serviceId: string;
	slotFrom?: string;
	priorityGroupId?: string;
	phone?: string;
}

/**
 * A number asked for and not yet given (offline, or the server could not be reached): taken when the
 * link returns, with the same ticketId so a request whose answer was lost is not numbered twice.
 * `refused`: the server said no (office closed, daily limit…): kept with its reason until the
 * resident removes it, never dropped silently.
 */
export interface TicketRequestRow {
	ticketId: string;
	body: TicketTakeBody;
	officeName: BothNames;
	serviceName: BothNames;
	/** The booked slot, to show what was asked for. */
	slot?: { from: string; to: string };
	createdAt: number;
	state: 'waiting' | 'refused';
	error?: ErrorCode;
	attempts: number;
	lastAttemptAt?: number;
}
