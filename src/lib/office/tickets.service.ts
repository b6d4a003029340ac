import type { ErrorCode } from '../domain/errors';
import type { RatingLevel, Ticket } from '../domain/ticket';
import { uuidv7 } from '../domain/uuid';
import { ApiFailure, apiFetch, errorCodeOf, resolveOrigin } from '../sync/api';
import { localDb } from '../sync/local-db';
import { getDeviceToken } from '../sync/session';
import type { BothNames, TicketRequestRow, TicketRow, TicketTakeBody, TicketViewData } from './ticket-rows';

/**
 * The resident's queue tickets on this device. Taking a number needs the server (it gives the
 * numbers), so a take is written to the `ticketRequests` outbox FIRST, with the ticket id made once
 * here: offline, or when the request dies on the network, it waits there and is sent again when the
 * link returns — with the same id, so a request whose answer was lost gets the ticket it already has
 * (the server is idempotent by ticketId), never a second number. A refusal (office closed, daily
 * limit…) stays as "needs attention" with its reason until the resident removes it. Every answer is
 * kept in `tickets`, so the ticket shows offline. Fetch and Dexie only (no zod: the ticket pages stay light).
 */

export interface TicketDeps {
	/** The server's origin (tests); the page's own (with the build's base) otherwise. */
	origin?: string;
	/** The device token; `force` after the server refused the cached one. */
	token?: (force: boolean) => Promise<string>;
	/** navigator.onLine unless told: offline, nothing is tried (the 'online' event starts the next try). */
	online?: () => boolean;
	now?: () => number;
}

export type TakeOutcome =
	| { kind: 'taken'; row: TicketRow; request: TicketRequestRow }
	| { kind: 'queued'; request: TicketRequestRow; code?: ErrorCode }
	| { kind: 'refused'; request: TicketRequestRow; code: ErrorCode };

const defaultToken = (origin?: string) => (force: boolean) => getDeviceToken({ origin, forceRefresh: force });
const isOnline = (deps: TicketDeps) => (deps.online ? deps.online() : globalThis.navigator?.onLine !== false);
const nowOf = (deps: TicketDeps) => (deps.now ? deps.now() : Date.now());

/** A call with the device token; a stale token is renewed once (the device re-authenticates silently). */
async function authed<T>(deps: TicketDeps, path: string, body?: unknown): Promise<T> {
	const token = deps.token ?? defaultToken(deps.origin);
	const url = `${resolveOrigin(deps.origin)}${path}`;
	try {
		return await apiFetch<T>(url, { token: await token(false), body, timeoutMs: 20_000 });
	} catch (e) {
		if (!(e instanceof ApiFailure && e.authExpired)) throw e;
		return apiFetch<T>(url, { token: await token(true), body, timeoutMs: 20_000 });
	}
}

/** Worth another try later: the network or the server's trouble, not a "no" to what was asked. */
function retryable(e: unknown): boolean {
	if (e instanceof ApiFailure) return e.retryable;
	const code = errorCodeOf(e);
	return code === 'network' || code === 'server_error';
}

function rowOf(view: TicketViewData, names: { officeName: BothNames; serviceName: BothNames }, at: number, before?: TicketRow): TicketRow {
	return {
		...before,
		id: view.ticket.id,
		day: view.ticket.day,
		view,
		officeName: names.officeName,
		serviceName: names.serviceName,
		fetchedAt: at
	};
}

/** Sends one stored request; the outcome is written to Dexie before it is returned. */
async function send(request: TicketRequestRow, deps: TicketDeps): Promise<TakeOutcome> {
	if (!isOnline(deps)) return { kind: 'queued', request, code: 'network' };
	const at = nowOf(deps);
	try {
		const view = await authed<TicketViewData>(deps, '/api/office/tickets', request.body);
		const row = rowOf(view, request, nowOf(deps));
		await localDb.transaction('rw', localDb.tickets, localDb.ticketRequests, async () => {
			await localDb.tickets.put(row);
			await localDb.ticketRequests.delete(request.ticketId);
		});
		return { kind: 'taken', row, request };
	} catch (e) {
		const code = errorCodeOf(e);
		const tried = { ...request, attempts: request.attempts + 1, lastAttemptAt: at };
		if (retryable(e)) {
			const waiting: TicketRequestRow = { ...tried, state: 'waiting', error: code };
			await localDb.ticketRequests.put(waiting);
			return { kind: 'queued', request: waiting, code };
		}
		const refused: TicketRequestRow = { ...tried, state: 'refused', error: code };
		await localDb.ticketRequests.put(refused);
		return { kind: 'refused', request: refused, code };
	}
}

/**
 * Takes a number: stored on the device first (nothing chosen is lost), then sent at once when online.
 * `queued`: it waits for the network; `refused`: kept with its reason.
 */
export async function requestTicket(
	body: Omit<TicketTakeBody, 'ticketId'>,
	names: { officeName: BothNames; serviceName: BothNames; slot?: { from: string; to: string } },
	deps: TicketDeps = {}
): Promise<TakeOutcome> {
	const ticketId = uuidv7(nowOf(deps));
	const request: TicketRequestRow = {
		ticketId,
		body: { ticketId, ...body },
		officeName: names.officeName,
		serviceName: names.serviceName,
		...(names.slot ? { slot: names.slot } : {}),
		createdAt: nowOf(deps),
		state: 'waiting',
		attempts: 0
	};
	await localDb.ticketRequests.put(request);
	return send(request, deps);
}

let flushing: Promise<TakeOutcome[]> | null = null;

/** Sends every waiting request, oldest first (one flush at a time; a refused one waits for the resident). */
export function flushTicketRequests(deps: TicketDeps = {}): Promise<TakeOutcome[]> {
	flushing ??= (async () => {
		const out: TakeOutcome[] = [];
		if (!isOnline(deps)) return out;
		const waiting = (await localDb.ticketRequests.orderBy('createdAt').toArray()).filter((r) => r.state === 'waiting');
		for (const r of waiting) {
			const o = await send(r, deps);
			out.push(o);
			// The link dropped again: the rest would fail the same way; the next 'online' retries them.
			if (o.kind === 'queued' && o.code === 'network') break;
		}
		return out;
	})().finally(() => (flushing = null));
	return flushing;
}

/** The resident removes a request ("Xóa"): one that waits, or one the server refused. */
export async function removeTicketRequest(ticketId: string): Promise<void> {
	await localDb.ticketRequests.delete(ticketId);
}

/**
 * The ticket as the server sees it now, kept for offline. Offline or unreachable: the stored copy
 * (undefined when the device has none). A refusal (it is not this device's any more) is thrown.
 */
export async function refreshTicket(
	id: string,
	names?: { officeName: BothNames; serviceName: BothNames },
	deps: TicketDeps = {}
): Promise<TicketRow | undefined> {
	const stored = await localDb.tickets.get(id);
	if (!isOnline(deps)) return stored;
	let view: TicketViewData;
	try {
		view = await authed<TicketViewData>(deps, `/api/office/tickets/${encodeURIComponent(id)}`);
	} catch (e) {
		if (retryable(e)) return stored;
		throw e;
	}
	// Read again: an alert flag written while the request was out must not be overwritten.
	const current = (await localDb.tickets.get(id)) ?? stored;
	const fallback = { officeName: { vi: view.ticket.officeId, en: view.ticket.officeId }, serviceName: { vi: view.ticket.serviceId, en: view.ticket.serviceId } };
	const row = rowOf(view, current ?? names ?? fallback, nowOf(deps), current);
	await localDb.tickets.put(row);
	return row;
}

/** Keeps a ticket the server changed (cancel, rating): the view's queue figures no longer apply. */
async function keep(ticket: Ticket, deps: TicketDeps): Promise<TicketRow | undefined> {
	const row = await localDb.tickets.get(ticket.id);
	if (!row) return undefined;
	const waiting = ticket.status === 'waiting';
	const next: TicketRow = {
		...row,
		view: { ...row.view, ticket, ahead: waiting ? row.view.ahead : 0, estimate: waiting ? row.view.estimate : null },
		fetchedAt: nowOf(deps)
	};
	await localDb.tickets.put(next);
	return next;
}

/** Gives the number back (waiting or parked). Needs the network; throws ApiFailure (network, ticket_state…). */
export async function cancelTicket(id: string, deps: TicketDeps = {}): Promise<TicketRow | undefined> {
	const { ticket } = await authed<{ ticket: Ticket }>(deps, `/api/office/tickets/${encodeURIComponent(id)}/cancel`, {});
	return keep(ticket, deps);
}

/** Rates the service of a finished ticket, once; "not satisfied" needs a reason (the server checks too). */
export async function rateTicket(id: string, level: RatingLevel, reason: string | undefined, deps: TicketDeps = {}): Promise<TicketRow | undefined> {
	const words = reason?.trim();
	const { ticket } = await authed<{ ticket: Ticket }>(deps, `/api/office/tickets/${encodeURIComponent(id)}/rating`, {
		level,
		...(words ? { reason: words } : {})
	});
	return keep(ticket, deps);
}

/** Marks an alert as shown, so a reload or another page does not show it again. */
export async function markAlerted(id: string, patch: Pick<TicketRow, 'alertedAhead'> | Pick<TicketRow, 'alertedCallAt'>): Promise<void> {
	await localDb.tickets.update(id, patch);
}

/** Today's and later tickets, newest day first, and every request not yet numbered. */
export async function myTickets(today: string): Promise<{ tickets: TicketRow[]; requests: TicketRequestRow[] }> {
	const [tickets, requests] = await Promise.all([
		localDb.tickets.where('day').aboveOrEqual(today).toArray(),
		localDb.ticketRequests.orderBy('createdAt').toArray()
	]);
	tickets.sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.view.ticket.takenAt < b.view.ticket.takenAt ? 1 : -1));
	return { tickets, requests };
}

/** How long a request that met server trouble (not the network) waits before the next try. */
export const RETRY_MS = 30_000;

/**
 * The page's side of the ticket outbox: a flush now (page load), when the network returns and when
 * the page is shown again, and every RETRY_MS while something waits. `onOutcome` hears each answer
 * (the page tells the resident the number it got). Returns the unwiring.
 */
export function startTicketAutoTake(onOutcome: (o: TakeOutcome) => void, deps: TicketDeps = {}): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const run = async () => {
		clearTimeout(timer);
		const outcomes = await flushTicketRequests(deps).catch(() => [] as TakeOutcome[]);
		if (stopped) return;
		for (const o of outcomes) onOutcome(o);
		const left = await localDb.ticketRequests.filter((r) => r.state === 'waiting').count().catch(() => 0);
		if (left && !stopped) timer = setTimeout(() => void run(), RETRY_MS);
	};
	const onVisible = () => {
		if (document.visibilityState === 'visible') void run();
	};
	const onOnline = () => void run();
	window.addEventListener('online', onOnline);
	document.addEventListener('visibilitychange', onVisible);
	void run();
	return () => {
		stopped = true;
		clearTimeout(timer);
		window.removeEventListener('online', onOnline);
		document.removeEventListener('visibilitychange', onVisible);
	};
}
