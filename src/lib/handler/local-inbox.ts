import type { ReportEvent } from '../domain/event';
import type { Report } from '../domain/report';
import { localView } from './handler-actions';

/**
 * The inbox as this device will have it once its pending steps arrive. The replica's reports carry
 * what the server derived; a step made offline is only a local event until the replication pushes
 * it, so the list, its filters and the leader's summary would show "assigned" after the handler has
 * accepted. Each report with a pending step gets the status, units and "seen" of `localView`, the
 * same derivation the detail and the buttons use; the others stay the server's objects, untouched.
 */
export function withLocalSteps(reports: Report[], events: readonly ReportEvent[], excluded: ReadonlySet<string>): Report[] {
	const byReport = new Map<string, ReportEvent[]>();
	for (const e of events) byReport.set(e.reportId, [...(byReport.get(e.reportId) ?? []), e]);
	return reports.map((r) => {
		const own = byReport.get(r.id);
		if (!own?.some((e) => !e.serverAt && !e._deleted && !excluded.has(e.id))) return r;
		const v = localView(r, own, { excluded });
		const { leadUnitId: _, ...rest } = r;
		return {
			...rest,
			status: v.status,
			assignedUnitIds: v.assignedUnitIds,
			seenByUnitIds: v.seenByUnitIds,
			...(v.leadUnitId ? { leadUnitId: v.leadUnitId } : {})
		};
	});
}

/** Key of the words beside the handler's name: what the inbox is doing with the network. */
export type InboxNoteKey = 'handling.offlineCopy' | 'handling.offlineWaiting' | 'handler.syncing';

/**
 * Offline, the replication keeps retrying and may look busy: saying "syncing" then is false. The
 * handler is told they work on this device's copy, and how many steps wait for the network.
 */
export function inboxNote(s: { online: boolean; active: boolean; unsent: number }): InboxNoteKey | null {
	if (!s.online) return s.unsent > 0 ? 'handling.offlineWaiting' : 'handling.offlineCopy';
	return s.active ? 'handler.syncing' : null;
}
