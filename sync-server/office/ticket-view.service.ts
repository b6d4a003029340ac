import { uuidv7 } from '$lib/domain/common';
import type { Office, OfficeConfig } from '$lib/domain/office';
import { estimateWait, MAX_SAMPLES, recentServiceMinutes, SAMPLE_DAYS, type WaitEstimate } from '$lib/domain/queue-estimate';
import { callableBy, queueOrder, ticketEventId, type RatingLevel, type Ticket } from '$lib/domain/ticket';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import { ApiError } from '../http/api-error';
import type { CounterService } from './counter.service';
import type { OfficeQueue } from './office-queue';
import type { TicketTake } from './ticket-take.service';

/**
 * What residents and the office's screens read: a ticket with how many are ahead and when its turn
 * should come, the office's board (now serving per counter, last calls, waiting per service), and
 * the resident's own steps on a ticket (cancel, rate).
 */

export interface TicketView {
	ticket: Ticket;
	/** People the counters will call before this ticket (waiting ones only). */
	ahead: number;
	estimate: WaitEstimate | null;
	/** The number each counter of the ticket's service is serving now. */
	serving: { counter: number; number: string | null }[];
}

export interface OfficeBoard {
	officeId: string;
	day: string;
	counters: { id: string; number: number; staffed: boolean; serving: { number: string; calledAt: string; recalls: number } | null }[];
	/** The last calls (a recall counts as a call), newest first. */
	calls: { number: string; counter: number; at: string }[];
	waiting: { serviceId: string; count: number }[];
	updatedAt: string;
}

/** How long the past days' finished tickets of the wait estimate are reused. */
const PAST_SAMPLES_TTL_MS = 60_000;

export function createTicketViews(deps: {
	office: () => OfficeConfig;
	calendar: WorkCalendar;
	queue: OfficeQueue;
	counters: CounterService;
	take: TicketTake;
	tenantId: string;
	now?: () => Date;
}) {
	const now = deps.now ?? (() => new Date());
	const { queue } = deps;

	/**
	 * Per office, service and today: the newest finished tickets of the past days of the sample window.
	 * Every answer needs them and they hardly change (a late finish), so they are gathered once a
	 * minute, not at each of 500 takes. Only the newest MAX_SAMPLES can count, so only those are kept.
	 */
	const pastFinished = new Map<string, { at: number; tickets: Promise<Ticket[]> }>();
	const finished = (t: Ticket, serviceId: string) => t.serviceId === serviceId && t.status === 'finished' && !!t.calledAt && !!t.finishedAt;

	/** Service minutes of the service's finished tickets at the office over the last SAMPLE_DAYS days. */
	async function samples(o: Office, serviceId: string): Promise<number[]> {
		const at = now();
		const today = localDate(deps.calendar, at);
		const key = `${o.id}|${serviceId}|${today}`;
		let past = pastFinished.get(key);
		if (!past || Date.now() - past.at > PAST_SAMPLES_TTL_MS) {
			for (const k of pastFinished.keys()) if (!k.endsWith(`|${today}`)) pastFinished.delete(k);
			const dates = Array.from({ length: SAMPLE_DAYS - 1 }, (_, i) => localDate(deps.calendar, new Date(at.getTime() - (i + 1) * 86_400_000)));
			const tickets = Promise.all(dates.map((d) => queue.dayTickets(o.id, d))).then((days) =>
				days
					.flat()
					.filter((t) => finished(t, serviceId))
					.sort((a, b) => (a.finishedAt! < b.finishedAt! ? 1 : -1))
					.slice(0, MAX_SAMPLES)
			);
			const entry = { at: Date.now(), tickets };
			pastFinished.set(key, entry);
			tickets.catch(() => pastFinished.get(key) === entry && pastFinished.delete(key));
			past = entry;
		}
		// Today's, as they are now: a ticket finished a moment ago counts at once.
		const todays = (await queue.dayTickets(o.id, today)).filter((t) => finished(t, serviceId));
		return recentServiceMinutes([...(await past.tickets), ...todays], at);
	}

	async function view(t: Ticket): Promise<TicketView> {
		const o = queue.officeOf(t.officeId);
		const counters = o.counters.filter((c) => (t.targetCounterId ? c.id === t.targetCounterId : c.serviceIds.includes(t.serviceId)));
		const day = await queue.dayTickets(o.id, t.day);
		const serving = counters.map((c) => ({ counter: c.number, number: day.find((x) => x.status === 'called' && x.counterId === c.id)?.number ?? null }));
		if (t.status !== 'waiting') return { ticket: t, ahead: 0, estimate: null, serving };
		// Ahead: those a counter of this ticket's would call first, now or once their slot comes.
		const later = new Date(Math.max(now().getTime(), Date.parse(t.queuedAt)));
		const ahead = day.filter((x) => x.id !== t.id && queueOrder(x, t) < 0 && counters.some((c) => callableBy(x, c, later))).length;
		const staffed = (await deps.counters.sessionsOf(o.id)).filter((s) => counters.some((c) => c.id === s.counterId)).length;
		// A service an admin renamed or regrouped is still found; one gone from the settings has no usual time.
		const typicalMinutes = deps.office().services.find((s) => s.id === t.serviceId)?.typicalMinutes;
		const estimate =
			typicalMinutes === undefined ? null : estimateWait({ ahead, counters: staffed || counters.length, samples: await samples(o, t.serviceId), typicalMinutes });
		return { ticket: t, ahead, estimate, serving };
	}

	async function own(holderId: string, ticketId: string): Promise<Ticket> {
		const t = await queue.ticket(ticketId);
		if (!t || t.holderId !== holderId) throw new ApiError(404, 'not_found', 'Không có số này / No such ticket');
		return t;
	}

	return {
		view,
		/** The holder's ticket, with the queue before it. */
		async mine(holderId: string, ticketId: string): Promise<TicketView> {
			return view(await own(holderId, ticketId));
		},

		async cancel(holderId: string, ticketId: string, role: 'resident' | 'kiosk' = 'resident'): Promise<Ticket> {
			const t = await own(holderId, ticketId);
			if (t.status !== 'waiting' && t.status !== 'parked')
				throw new ApiError(409, 'ticket_state', 'Số này không hủy được nữa / This ticket can no longer be cancelled');
			const r = await queue.append(t.id, {
				id: ticketEventId(t.id, uuidv7()),
				ticketId: t.id,
				tenantId: deps.tenantId,
				officeId: t.officeId,
				day: t.day,
				type: 'cancelled',
				actorId: holderId,
				actorRole: role,
				at: now().toISOString(),
				_deleted: false
			});
			if (!r.applied) throw new ApiError(409, 'ticket_state', 'Số này vừa được gọi / The ticket was just called');
			await deps.take.release(r.ticket);
			return r.ticket;
		},

		/**
		 * The holder rates the service of a finished ticket, once. `unsatisfied` needs a reason: the
		 * office can act on "the counter sent me home for a copy nobody asked for", not on a frown.
		 */
		async rate(holderId: string, ticketId: string, level: RatingLevel, reason: string | undefined, role: 'resident' | 'kiosk' = 'resident'): Promise<Ticket> {
			const t = await own(holderId, ticketId);
			if (t.status !== 'finished') throw new ApiError(409, 'ticket_not_finished', 'Chưa phục vụ xong / Not finished yet');
			if (t.rating) throw new ApiError(409, 'already_rated', 'Đã đánh giá / Already rated');
			const words = reason?.trim();
			if (level === 'unsatisfied' && !words) throw new ApiError(400, 'rating_reason_required', 'Hãy cho biết lý do / Say why');
			const r = await queue.append(t.id, {
				id: ticketEventId(t.id, uuidv7()),
				ticketId: t.id,
				tenantId: deps.tenantId,
				officeId: t.officeId,
				day: t.day,
				type: 'rated',
				actorId: holderId,
				actorRole: role,
				counterId: t.counterId,
				rating: level,
				...(words ? { reason: words } : {}),
				at: now().toISOString(),
				_deleted: false
			});
			if (!r.applied) throw new ApiError(409, 'already_rated', 'Đã đánh giá / Already rated');
			return r.ticket;
		},

		/** The office's board today: what the TV shows and the public may read (numbers only, no holder). */
		async board(officeId: string): Promise<OfficeBoard> {
			const o = queue.officeOf(officeId);
			const day = queue.today();
			const tickets = await queue.dayTickets(o.id, day);
			const staffed = new Set((await deps.counters.sessionsOf(o.id)).map((s) => s.counterId));
			const byCounter = new Map(o.counters.map((c) => [c.id, c.number]));
			const calls = tickets
				.filter((t) => t.lastCalledAt && t.counterId)
				.map((t) => ({ number: t.number, counter: byCounter.get(t.counterId!) ?? 0, at: t.lastCalledAt! }))
				.sort((a, b) => (a.at < b.at ? 1 : -1))
				.slice(0, 10);
			const waiting = o.serviceIds.map((serviceId) => ({ serviceId, count: tickets.filter((t) => t.status === 'waiting' && t.serviceId === serviceId).length }));
			return {
				officeId: o.id,
				day,
				counters: o.counters.map((c) => {
					const t = tickets.find((x) => x.status === 'called' && x.counterId === c.id);
					return { id: c.id, number: c.number, staffed: staffed.has(c.id), serving: t ? { number: t.number, calledAt: t.lastCalledAt!, recalls: t.recalls } : null };
				}),
				calls,
				waiting,
				updatedAt: now().toISOString()
			};
		}
	};
}
export type TicketViews = ReturnType<typeof createTicketViews>;
