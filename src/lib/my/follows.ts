import { loadDetail } from '../public/public-cache.service';
import { ApiFailure } from '../sync/api';
import { localDb, type FollowRow } from '../sync/local-db';
import { recordNotices } from './notices';

/**
 * Reports the resident follows (someone else's, chosen instead of filing a duplicate): read from
 * the public API — no personal data, no token — polled while /my is open and when the app starts,
 * the last copy kept in the `follows` row so the page shows it offline (and, through the public
 * cache, on the public pages and in the duplicate check). New events become notices.
 * Fetch and Dexie only: the home page calls it without loading RxDB or zod.
 */

/** Poll no more often than this, however often the app is opened. */
export const FOLLOW_POLL_MS = 60_000;
const CHECKED_KEY = 'my.followsCheckedAt';

/** Follows a report (notices come for it); following it again changes nothing. */
export async function follow(reportId: string): Promise<void> {
	await localDb.transaction('rw', localDb.follows, async () => {
		if (!(await localDb.follows.get(reportId))) await localDb.follows.add({ reportId, followedAt: Date.now() });
	});
}

export async function unfollow(reportId: string): Promise<void> {
	await localDb.follows.delete(reportId);
}

export async function isFollowing(reportId: string): Promise<boolean> {
	return (await localDb.follows.get(reportId)) !== undefined;
}

/** Which of these reports the resident follows. */
export async function followedAmong(reportIds: string[]): Promise<Set<string>> {
	const rows = await localDb.follows.bulkGet(reportIds);
	return new Set(rows.flatMap((f) => (f ? [f.reportId] : [])));
}

async function refreshOne(row: FollowRow, origin: string | undefined): Promise<void> {
	const cached = await loadDetail(row.reportId, { origin }).catch(async (e: unknown) => {
		if (!(e instanceof ApiFailure && e.code === 'not_found')) throw e;
		await localDb.follows.update(row.reportId, { missing: true, fetchedAt: Date.now() });
		return null;
	});
	const detail = cached?.detail;
	if (!detail?.report || !Array.isArray(detail.events)) return;
	// The first copy of a report: what happened before it was followed is not news.
	const readBefore = row.detail ? undefined : new Date(row.followedAt).toISOString();
	await recordNotices(
		detail.events.map((e) => ({ id: e.id, reportId: row.reportId, type: e.type, actorRole: e.actorRole, at: e.at })),
		{ readBefore }
	);
	// The row may have been unfollowed meanwhile: update, never re-create it.
	await localDb.follows.update(row.reportId, { detail, fetchedAt: Date.now(), missing: false });
}

let inFlight: Promise<void> | null = null;

/**
 * Fetches every followed report (one request each). Skipped when the last check is recent unless
 * `force`; stops at the first network failure (offline: the cached copies stay).
 */
export function refreshFollows(opts: { origin?: string; force?: boolean } = {}): Promise<void> {
	inFlight ??= (async () => {
		try {
			const now = Date.now();
			if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
			const last = await localDb.settings.get(CHECKED_KEY);
			if (!opts.force && typeof last?.value === 'number' && now - last.value < FOLLOW_POLL_MS) return;
			const rows = await localDb.follows.toArray();
			if (!rows.length) return;
			for (const row of rows) {
				try {
					await refreshOne(row, opts.origin);
				} catch (e) {
					if (e instanceof ApiFailure && e.retryable) return;
					console.warn('follow refresh', row.reportId, e);
				}
			}
			await localDb.settings.put({ key: CHECKED_KEY, value: now });
		} finally {
			inFlight = null;
		}
	})();
	return inFlight;
}
