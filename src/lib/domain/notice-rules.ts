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
import { isPartReport, type LeadEventFields } from './lead-unit';
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
	return !e._deleted && !RESIDENT_ROLES.has(e.actorRole) && (NOTICE_TYPES.has(e.type) || e.type === PART_REPORTED);
}

/**
 * A coordinating unit's `resolved` / `rejected_invalid` is its part, not the report's result
 * (domain/lead-unit.ts): the resident is told that unit reported its part, not "resolved, rate it"
 * while the lead is still at work. The notice type of such an event, in a push and in the app alike.
 */
export const PART_REPORTED = 'part_reported';

/** The notice type of an event, given the report's lead when it was appended. */
export function noticeType(e: Pick<LeadEventFields, 'type' | 'unitId'>, lead: string | undefined): string {
	return isPartReport(lead, e) ? PART_REPORTED : e.type;
}

/** What a push message carries: enough to show and open the report, nothing about any person. */
export interface PushNoticePayload {
	reportId: string;
	/** The event's id: the in-app notice it becomes, so a push and a sync never count twice. */
	eventId: string;
	trackingCode?: string;
	/** The event's notice type (`noticeType`). */
	type: string;
	/** Server clock of the event. */
	at?: string;
}

/**
 * A queue ticket's Web Push (sync-server/office/turn-notices.ts sends it, the service worker shows it):
 * the number, the office's public name, how many are ahead or the counter — nothing of the holder.
 */
export interface TicketPushPayload {
	kind: 'ticket';
	ticketId: string;
	number: string;
	type: 'turn_near' | 'called';
	ahead?: number;
	counter?: number;
	officeVi: string;
	officeEn: string;
}

/**
 * An online application's or its dossier's Web Push (sync-server/dossiers sends it on every step the
 * office takes): the procedure's name, the dossier code and due date once accepted — never the
 * applicant, a phone or the office's note (the app reads the note over its own authenticated request).
 */
export interface DossierPushPayload {
	kind: 'dossier';
	applicationId: string;
	type: DossierNoticeType;
	procedureVi: string;
	procedureEn: string;
	dossierCode?: string;
	dueAt?: string;
	at: string;
}
export type DossierNoticeType = 'needs_documents' | 'accepted' | 'refused' | 'processing' | 'result_ready' | 'returned';
