import { z } from 'zod';
import { ActorId, Id, IsoTime, TenantId, UnitId } from './common';
import type { Role } from './principal';

/** The longest public text of a step: a few sentences for anyone to read, not a file. */
export const PUBLIC_NOTE_MAX = 1000;

export { WITHDRAW_REASON_MAX } from './limits';

/** Everything that happens to a report after filing is an append-only event: events never conflict. */
export const EVENT_TYPES = [
	'received',
	'assigned',
	'seen',
	'accepted',
	'progress',
	'directive',
	'info_requested',
	'info_provided',
	'resolved',
	'rejected_invalid',
	'transferred',
	'reopened',
	'feedback',
	'overdue',
	/** The author (or the volunteer who filed it) withdraws the report: it closes; `note` is their reason. */
	'withdrawn',
	/**
	 * The author (or the volunteer who filed it) disagrees with an "invalid" decision, once, with a
	 * reason (`note`): a leader decides — upholds it (`rejected_invalid`) or reopens it (`reopened`).
	 */
	'contested'
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/** Who writes an event: a signed-in role, or the server itself (`received`, `assigned`, `overdue`). */
/** The roles that write events (an IOC operator writes none: principal.ts). */
const ACTOR_ROLES = ['resident', 'handler', 'leader', 'admin', 'volunteer', 'system'] as const satisfies readonly (Role | 'system')[];
export const ActorRole = z.enum(ACTOR_ROLES);
export type ActorRole = z.infer<typeof ActorRole>;

/** The role an event is written under: the signed-in role, but an operator writes none. */
export function actorRoleOf(role: Role): ActorRole {
	if (role === 'operator') throw new Error('an operations centre operator writes no event');
	return role;
}

export const ReportEvent = z.strictObject({
	id: Id,
	reportId: Id,
	tenantId: TenantId,
	type: EventType,
	actorId: ActorId,
	actorRole: ActorRole,
	/** The unit the actor acts for (handlers, leaders), or the unit assigned (system "assigned"). */
	unitId: UnitId.optional(),
	unitIds: z.array(UnitId).optional(),
	/**
	 * On `transferred` only: `'whole'` = a leader replaces every unit of the report with `unitIds`.
	 * Without it a transfer hands over the part of the unit named in `unitId` (the source), so
	 * dropping the other units is always a deliberate act, never a missing field.
	 */
	scope: z.literal('whole').optional(),
	/** Staff words for the report's units and its author only: never public (domain/public.ts). */
	note: z.string().trim().max(4000).optional(),
	/**
	 * On a staff step only: what the handler chose to publish with it, as they saw it previewed;
	 * public with phone numbers masked. An event without it publishes no words (events stored before
	 * it existed included: their notes stay private).
	 */
	publicNote: z.string().trim().max(PUBLIC_NOTE_MAX).optional(),
	photoIds: z.array(Id).max(5).optional(),
	/** On `feedback` only: whether the author is satisfied; `false` reopens the report. */
	satisfied: z.boolean().optional(),
	/** Device clock of the actor. */
	at: IsoTime,
	/** Server clock when stored: the one used for ordering and the SLA clock. */
	serverAt: IsoTime.optional(),
	_deleted: z.boolean().default(false)
});
export type ReportEvent = z.infer<typeof ReportEvent>;
