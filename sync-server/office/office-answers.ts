import { z } from 'zod';
import type { Slot } from '$lib/domain/office';
import type { WaitEstimate } from '$lib/domain/queue-estimate';
import { RatingLevel, Ticket, TICKET_CHANNELS, TicketStatus, type OfficialFigures } from '$lib/domain/ticket';
import type { Describes } from '../http/openapi';
import type { CounterQueue, CounterTicket } from './counter-queue';
import type { OfficeBoard, TicketView } from './ticket-view.service';

/**
 * The office API's answers as zod schemas (office.routes.ts declares them): the API's document shows
 * them, and the serializer sends exactly these fields. Each is checked against the type its service
 * returns (`Describes`): a field added there and not here fails the build instead of vanishing from
 * the answer.
 */

const Estimate = z.object({ minutes: z.number(), low: z.number(), high: z.number(), basis: z.enum(['history', 'typical']), samples: z.number() });

export const TicketViewAnswer = z.object({
	ticket: Ticket,
	ahead: z.number().int(),
	estimate: Estimate.nullable(),
	serving: z.array(z.object({ counter: z.number().int(), number: z.string().nullable() }))
});

export const TicketAnswer = z.object({ ticket: Ticket });

export const BoardAnswer = z.object({
	officeId: z.string(),
	day: z.string(),
	counters: z.array(
		z.object({
			id: z.string(),
			number: z.number().int(),
			staffed: z.boolean(),
			serving: z.object({ number: z.string(), calledAt: z.string(), recalls: z.number().int() }).nullable()
		})
	),
	calls: z.array(z.object({ number: z.string(), counter: z.number().int(), at: z.string() })),
	waiting: z.array(z.object({ serviceId: z.string(), count: z.number().int() })),
	updatedAt: z.string()
});

export const SlotsAnswer = z.object({ day: z.string(), slots: z.array(z.object({ from: z.string(), to: z.string() })) });

export const KioskTokenAnswer = z.object({ token: z.string(), expiresAt: z.string() });

const Figures = z.object({
	officialId: z.string(),
	served: z.number().int(),
	noShows: z.number().int(),
	rated: z.number().int(),
	ratings: z.record(RatingLevel, z.number().int()),
	satisfaction: z.number().nullable(),
	reasons: z.array(z.object({ number: z.string(), reason: z.string(), at: z.string() }))
});
export const RatingsAnswer = z.object({ officeId: z.string(), from: z.string(), to: z.string(), officials: z.array(Figures) });

/** A CounterSession (counter.service.ts) as signIn makes it; a stored document's type names no fields to check against. */
const Session = z.object({
	id: z.string(),
	officeId: z.string(),
	counterId: z.string(),
	staffId: z.string(),
	name: z.string().optional(),
	since: z.string()
});
export const SessionAnswer = z.object({ session: Session });

const CounterTicketAnswer = z.object({
	id: z.string(),
	number: z.string(),
	serviceId: z.string(),
	status: TicketStatus,
	priorityGroupId: z.string().optional(),
	channel: z.enum(TICKET_CHANNELS),
	queuedAt: z.string(),
	slot: z.object({ from: z.string(), to: z.string() }).optional(),
	transferred: z.boolean(),
	calledAt: z.string().optional(),
	recalls: z.number().int()
});
export const CounterQueueAnswer = z.object({
	officeId: z.string(),
	counterId: z.string(),
	day: z.string(),
	serving: CounterTicketAnswer.nullable(),
	waiting: z.array(CounterTicketAnswer),
	parked: z.array(CounterTicketAnswer),
	figures: z.object({ served: z.number().int(), noShows: z.number().int(), averageMinutes: z.number().nullable() })
});

export const OkAnswer = z.object({ ok: z.boolean() });

// Compile-time: each schema has every field of the type it sends (see Describes).
const checks: [
	Describes<typeof Estimate, WaitEstimate>,
	Describes<typeof TicketViewAnswer, TicketView>,
	Describes<typeof BoardAnswer, OfficeBoard>,
	Describes<typeof Figures, OfficialFigures>,
	Describes<typeof CounterTicketAnswer, CounterTicket>,
	Describes<typeof CounterQueueAnswer, CounterQueue>,
	Describes<z.ZodObject<{ from: z.ZodString; to: z.ZodString }>, Slot>
] = [true, true, true, true, true, true, true];
void checks;
