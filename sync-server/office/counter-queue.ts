import type { Principal } from '$lib/domain/principal';
import { callableBy, queueOrder, type Ticket } from '$lib/domain/ticket';
import type { CounterService } from './counter.service';
import type { OfficeQueue } from './office-queue';

/**
 * What the official at a counter sees (GET …/counters/:counter/queue): the ticket they serve, the
 * waiting tickets this counter may call (in the order call-next takes them), the tickets it parked
 * (called back out of order), and the counter's figures of the day. Only for the official signed in
 * to that counter: the counter page reads it again at every board-stream message, which is how it
 * stays live without the staff having a stream of their own.
 */

/** A ticket as the counter shows it: no holder, no person (the official needs the number, not who). */
export interface CounterTicket {
	id: string;
	number: string;
	serviceId: string;
	status: Ticket['status'];
	priorityGroupId?: string;
	channel: Ticket['channel'];
	queuedAt: string;
	slot?: { from: string; to: string };
	/** Sent to this counter by another one. */
	transferred: boolean;
	calledAt?: string;
	recalls: number;
}

export interface CounterQueue {
	officeId: string;
	counterId: string;
	day: string;
	serving: CounterTicket | null;
	waiting: CounterTicket[];
	parked: CounterTicket[];
	figures: {
		/** Finished at this counter today. */
		served: number;
		/** Marked absent (skipped) at this counter today. */
		noShows: number;
		/** Mean minutes from call to finish of those served, one decimal; null before the first. */
		averageMinutes: number | null;
	};
}

function shown(t: Ticket): CounterTicket {
	return {
		id: t.id,
		number: t.number,
		serviceId: t.serviceId,
		status: t.status,
		...(t.priorityGroupId ? { priorityGroupId: t.priorityGroupId } : {}),
		channel: t.channel,
		queuedAt: t.queuedAt,
		...(t.slot ? { slot: t.slot } : {}),
		transferred: !!t.targetCounterId,
		...(t.calledAt ? { calledAt: t.calledAt } : {}),
		recalls: t.recalls
	};
}

export async function counterQueue(
	deps: { queue: OfficeQueue; counters: CounterService },
	p: Principal,
	officeId: string,
	counterId: string
): Promise<CounterQueue> {
	const { office, counter } = await deps.counters.signedIn(p, officeId, counterId);
	const day = deps.queue.today();
	const now = deps.queue.now();
	const tickets = await deps.queue.dayTickets(office.id, day);
	const here = tickets.filter((t) => t.counterId === counter.id);
	const served = here.filter((t) => t.status === 'finished' && t.calledAt && t.finishedAt);
	const minutes = served.map((t) => (Date.parse(t.finishedAt!) - Date.parse(t.calledAt!)) / 60_000);
	const serving = here.find((t) => t.status === 'called');
	return {
		officeId: office.id,
		counterId: counter.id,
		day,
		serving: serving ? shown(serving) : null,
		waiting: tickets
			.filter((t) => callableBy(t, counter, now))
			.sort(queueOrder)
			.map(shown),
		parked: here
			.filter((t) => t.status === 'parked')
			.sort(queueOrder)
			.map(shown),
		figures: {
			served: served.length,
			noShows: here.filter((t) => t.status === 'no_show').length,
			averageMinutes: minutes.length ? Math.round((minutes.reduce((a, b) => a + b, 0) / minutes.length) * 10) / 10 : null
		}
	};
}
