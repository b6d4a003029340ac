/**
 * Which events of a report are news for its resident: what a handler, a leader or the system did
 * after receipt. Shared by the app (in-app notices) and the sync-server (Web Push), so both tell the
 * resident about the same things. Plain code, type imports only (erased): the service worker loads
 * it without zod.
 *
 * Left out: the resident's own words (answers, ratings), the intake events (`received`, `assigned`:
 * the outbox already showed the tracking code) and `seen` (one per unit: a report routed to three
 * units would ring three times for nothing to read).
 */
import type { EventType } from './event';
import type { Role } from './principal';

export const NOTICE_EVENT_TYPES = [
	'accepted',
	'progress',
	'directive',
	'info_requested',
	'resolved',
	'rejected_invalid',
	'transferred',
	'reopened',
	'overdue'
] as const satisfies readonly EventType[];

const NOTICE_TYPES: ReadonlySet<string> = new Set(NOTICE_EVENT_TYPES);
const RESIDENT_ROLES: ReadonlySet<string> = new Set<Role>(['resident', 'volunteer']);

export function isNoticeEvent(e: { type: string; actorRole: string; _deleted?: boolean }): boolean {
	return !e._deleted && !RESIDENT_ROLES.has(e.actorRole) && NOTICE_TYPES.has(e.type);
}

/** What a push message carries: enough to show and open the report, nothing about any person. */
export interface PushNoticePayload {
	reportId: string;
	/** The event's id: the in-app notice it becomes, so a push and a sync never count twice. */
	eventId: string;
	trackingCode?: string;
	type: string;
	/** Server clock of the event. */
	at?: string;
}
