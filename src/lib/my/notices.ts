import { localDb, type NoticeRow } from '../sync/local-db';
import type { ReportEvent } from '../domain/event';
import { trackLead, type LeadTrack } from '../domain/lead-unit';
import { isNoticeEvent, PART_REPORTED, type PushNoticePayload } from '../domain/notice-rules';

/**
 * In-app notices: one row per event worth telling the resident about (the event's id is the row's
 * id, so a push and the sync of the same event never count twice). Dexie only, no RxDB and no
 * Svelte: the home page's badge, /my and the service worker all use it.
 */

export interface NoticeSource {
	id: string;
	reportId: string;
	type: string;
	actorRole: string;
	/** Server clock (`serverAt` of a synced event, `at` of a public one). */
	at: string;
	_deleted?: boolean;
}

/**
 * The notice sources of stored events, with a coordinating unit's result typed as its part reported
 * (as the push names it: notice-rules.ts). Events are followed per report in server order; `tracks`
 * carries each report's lead from earlier calls (a device that sees the events a page at a time) and
 * is updated. A report whose earlier events were never followed has no lead known: its results count
 * as results, as the server's derivation does before a lead is named.
 */
export function noticeSources(
	events: readonly Pick<ReportEvent, 'id' | 'reportId' | 'type' | 'actorRole' | 'unitId' | 'unitIds' | 'scope' | 'serverAt' | '_deleted'>[],
	tracks: Map<string, LeadTrack> = new Map()
): NoticeSource[] {
	const ordered = events
		.filter((e) => e.serverAt)
		.sort((a, b) => a.serverAt!.localeCompare(b.serverAt!) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return ordered.map((e) => {
		let track = tracks.get(e.reportId);
		if (!track) tracks.set(e.reportId, (track = { units: [] }));
		const part = !e._deleted && trackLead(track, e);
		return { id: e.id, reportId: e.reportId, type: part ? PART_REPORTED : e.type, actorRole: e.actorRole, at: e.serverAt!, _deleted: e._deleted };
	});
}

/**
 * Records notices for the events not seen before. `readBefore`: events at or before this ISO time
 * are recorded as already read (a report just followed: its past is not news).
 */
export async function recordNotices(events: readonly NoticeSource[], opts: { readBefore?: string } = {}): Promise<number> {
	const wanted = events.filter((e) => isNoticeEvent(e));
	if (!wanted.length) return 0;
	return localDb.transaction('rw', localDb.notices, async () => {
		const known = await localDb.notices.bulkGet(wanted.map((e) => e.id));
		const rows: NoticeRow[] = [];
		const seen = new Set<string>();
		wanted.forEach((e, i) => {
			if (known[i] || seen.has(e.id)) return;
			seen.add(e.id);
			const read = opts.readBefore !== undefined && e.at <= opts.readBefore ? 1 : 0;
			rows.push({ id: e.id, reportId: e.reportId, type: e.type, at: e.at, read });
		});
		if (rows.length) await localDb.notices.bulkAdd(rows);
		return rows.filter((r) => r.read === 0).length;
	});
}

/** A notice from a push message (service worker). False when the event was already known. */
export async function recordPushNotice(p: PushNoticePayload, now = new Date()): Promise<boolean> {
	if (!p?.eventId || !p.reportId || !p.type) return false;
	const added = await recordNotices([{ id: p.eventId, reportId: p.reportId, type: p.type, actorRole: 'system', at: p.at ?? now.toISOString() }]);
	return added > 0;
}

/** The report was opened: its notices are read. */
export async function markReportRead(reportId: string): Promise<void> {
	await localDb.notices.where('reportId').equals(reportId).filter((n) => n.read === 0).modify({ read: 1 });
}

export function unreadCount(): Promise<number> {
	return localDb.notices.where('read').equals(0).count();
}

/** Unread notices per report id. */
export async function unreadByReport(): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	await localDb.notices.where('read').equals(0).each((n) => out.set(n.reportId, (out.get(n.reportId) ?? 0) + 1));
	return out;
}

// --- Small per-device state of /my, in the `settings` table -------------------------------------

const DRAFT = 'my.draft.';
const REJECTED = 'my.rejected.';

/** `answer-step`: the id of the answer's event, made when its form opened: its photos are kept under it. */
export type DraftKind = 'answer' | 'answer-step' | 'rating' | 'contest';

export async function loadDraft(kind: DraftKind, reportId: string): Promise<string> {
	const row = await localDb.settings.get(`${DRAFT}${kind}.${reportId}`);
	return typeof row?.value === 'string' ? row.value : '';
}

/** Typed text is kept as it is typed: a reload or a closed tab loses nothing. */
export async function saveDraft(kind: DraftKind, reportId: string, text: string): Promise<void> {
	const key = `${DRAFT}${kind}.${reportId}`;
	if (text) await localDb.settings.put({ key, value: text });
	else await localDb.settings.delete(key);
}

/** An event of this device the server refused: shown with its reason until the resident dismisses it. */
export interface RejectedEvent {
	eventId: string;
	reportId: string;
	type: string;
	note?: string;
	satisfied?: boolean;
	code: string;
	message: string;
	at: number;
	dismissed?: boolean;
}

export async function saveRejection(r: RejectedEvent): Promise<void> {
	await localDb.settings.put({ key: `${REJECTED}${r.eventId}`, value: r });
}

export async function listRejections(): Promise<RejectedEvent[]> {
	const rows = await localDb.settings.where('key').startsWith(REJECTED).toArray();
	return rows.map((r) => r.value as RejectedEvent).sort((a, b) => a.at - b.at);
}

export async function dismissRejection(eventId: string): Promise<void> {
	await localDb.settings.update(`${REJECTED}${eventId}`, (row) => {
		row.value = { ...(row.value as RejectedEvent), dismissed: true };
	});
}
