import { z } from 'zod';
import { ActorId, Id, IsoTime, TenantId, UnitId } from './common';

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
	'overdue'
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const ACTOR_ROLES = ['resident', 'handler', 'leader', 'admin', 'volunteer', 'system'] as const;
export const ActorRole = z.enum(ACTOR_ROLES);
export type ActorRole = z.infer<typeof ActorRole>;

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
	note: z.string().trim().max(4000).optional(),
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
