import type { DayRange, OfficeFigures } from '$lib/domain/ioc';
import type { Ticket } from '$lib/domain/ticket';
import { CellSum, createFigureCells, groupSums, type Cell, type Fact } from './figure-cells';

/**
 * The one-stop offices' figures for the operations centre (issue 15), kept from the tickets as the
 * server derives them (status, first call, finish, rating: office/ticket-view.service.ts): each
 * ticket adds to one cell (its day, office, service, the counter and the official who served it).
 */

const COUNTS = ['taken', 'online', 'atOffice', 'served', 'noShow', 'cancelled', 'waiting', 'rated', 'verySatisfied', 'satisfied', 'unsatisfied'] as const;
type CountName = (typeof COUNTS)[number];
const DURATIONS = ['wait', 'service'] as const;
type DurationName = (typeof DURATIONS)[number];

export function ticketFact(t: Ticket, gen: number): Fact<CountName, DurationName> | null {
	if (t._deleted) return null;
	const counts: Partial<Record<CountName, 1>> = { taken: 1 };
	counts[t.channel === 'kiosk' ? 'atOffice' : 'online'] = 1;
	if (t.status === 'finished') counts.served = 1;
	else if (t.status === 'no_show') counts.noShow = 1;
	else if (t.status === 'cancelled') counts.cancelled = 1;
	else counts.waiting = 1;
	if (t.rating) {
		counts.rated = 1;
		counts[t.rating.level === 'very_satisfied' ? 'verySatisfied' : t.rating.level === 'satisfied' ? 'satisfied' : 'unsatisfied'] = 1;
	}
	const durations: Partial<Record<DurationName, number>> = {};
	if (t.calledAt) durations.wait = Math.max(0, Date.parse(t.calledAt) - Date.parse(t.queuedAt));
	if (t.calledAt && t.finishedAt && t.status === 'finished') durations.service = Math.max(0, Date.parse(t.finishedAt) - Date.parse(t.calledAt));
	return { gen, day: t.day, cells: [[t.officeId, t.serviceId, t.counterId ?? '', t.servedBy ?? '']], counts, durations };
}

const toFigures = (s: CellSum<CountName, DurationName>): OfficeFigures => ({ ...s.counts, wait: s.durations('wait'), service: s.durations('service') });
const rank = (f: OfficeFigures) => f.taken;

export function createTicketFigures() {
	const cells = createFigureCells(COUNTS, DURATIONS);
	/** Tickets in the queue now (not yet called): the long-wait warning's input. */
	const waiting = new Map<string, { office: string; day: string; queuedAt: number }>();
	return {
		update(id: string, ticket: Ticket | null, rev: string | undefined): void {
			const gen = rev ? Number.parseInt(rev, 10) || 0 : 0;
			if (!cells.update(id, ticket ? ticketFact(ticket, gen) : null, gen)) return;
			if (ticket && !ticket._deleted && ticket.status === 'waiting') waiting.set(id, { office: ticket.officeId, day: ticket.day, queuedAt: Date.parse(ticket.queuedAt) });
			else waiting.delete(id);
		},
		/** Per office: the longest wait now (ms) of a ticket of `day` in its queue since before now. */
		longestWaits(day: string, now: number): Map<string, number> {
			const out = new Map<string, number>();
			for (const w of waiting.values()) if (w.day === day && w.queuedAt <= now) out.set(w.office, Math.max(out.get(w.office) ?? 0, now - w.queuedAt));
			return out;
		},
		/** The tickets of `range` at the offices `offices` lets through (all when absent). */
		query(range: DayRange, offices?: ReadonlySet<string>) {
			const totals = new CellSum(COUNTS, DURATIONS);
			const byOffice = groupSums(COUNTS, DURATIONS);
			const byCounter = groupSums(COUNTS, DURATIONS);
			const byOfficial = groupSums(COUNTS, DURATIONS);
			for (const [, c] of cells.cells(range)) {
				const [office, , counter, official] = c.dims;
				if (offices && !offices.has(office)) continue;
				totals.add(c);
				byOffice.into(office, c);
				if (counter) byCounter.into(`${office}/${counter}`, c);
				if (official) byOfficial.into(official, c);
			}
			return {
				totals: toFigures(totals),
				byOffice: byOffice.rows(toFigures, rank),
				byCounter: byCounter.rows(toFigures, rank),
				byOfficial: byOfficial.rows(toFigures, rank)
			};
		},
		size: cells.size
	};
}
export type TicketFigures = ReturnType<typeof createTicketFigures>;
