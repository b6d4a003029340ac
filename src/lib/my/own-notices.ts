import type { ReportEvent } from '../domain/event';
import type { Checkpoint, PullResponse } from '../domain/sync-protocol';
import { apiFetch, resolveOrigin } from '../sync/api';
import { localDb } from '../sync/local-db';
import { getDeviceToken } from '../sync/session';
import { refreshFollows } from './follows';
import type { LeadTrack } from '../domain/lead-unit';
import { noticeSources, recordNotices } from './notices';

/**
 * Notices for the resident's own reports without opening /my: the home page asks the server for the
 * events of this device's reports since the last check (the sync API's events pull, by checkpoint:
 * a handful of small requests, no RxDB) and records the ones worth telling. /my records the same
 * events by id, so nothing counts twice. Devices that never filed a report ask nothing.
 */

const CHECKPOINT_KEY = 'my.ownEventsCheckpoint';
/** Per report, its lead as followed so far (domain/lead-unit.ts trackLead), kept with the checkpoint. */
const LEADS_KEY = 'my.ownEventsLeads';
const PAGE = 200;
/** A device away for long catches up over several visits rather than in one long start. */
const MAX_PAGES = 10;

/**
 * App start (the home page, loaded after it shows): news on the resident's own reports and on the
 * ones they follow. Offline it waits for the next start; a failure is left for the next one too.
 */
export async function checkNews(): Promise<void> {
	if (!navigator.onLine) return;
	await Promise.allSettled([refreshFollows(), checkOwnNotices()]);
}

export async function checkOwnNotices(opts: { origin?: string; now?: () => Date } = {}): Promise<number> {
	const filed = await localDb.outbox.filter((r) => r.state.kind === 'delivered' && r.sender !== 'staff').count();
	if (!filed) return 0;
	const row = await localDb.settings.get(CHECKPOINT_KEY);
	// The first check finds the past: recorded as read, it is not news.
	const readBefore = row ? undefined : (opts.now?.() ?? new Date()).toISOString();
	let checkpoint = (row?.value ?? null) as Checkpoint | null;
	// Each report's lead as its events went by: a later page's result is told apart from a part.
	const tracks = new Map(Object.entries(((await localDb.settings.get(LEADS_KEY))?.value ?? {}) as Record<string, LeadTrack>));
	const origin = resolveOrigin(opts.origin);
	const token = await getDeviceToken({ origin: opts.origin });
	let added = 0;
	for (let i = 0; i < MAX_PAGES; i++) {
		const q = `${checkpoint ? `checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}&` : ''}limit=${PAGE}`;
		const page = await apiFetch<PullResponse<ReportEvent>>(`${origin}/api/sync/events/pull?${q}`, { token });
		added += await recordNotices(noticeSources(page.documents, tracks), { readBefore });
		checkpoint = page.checkpoint ?? checkpoint;
		await localDb.settings.bulkPut([
			{ key: CHECKPOINT_KEY, value: checkpoint },
			{ key: LEADS_KEY, value: Object.fromEntries(tracks) }
		]);
		if (page.documents.length < PAGE) break;
	}
	return added;
}
