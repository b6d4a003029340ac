import type { Report } from '$lib/domain/report';
import { liveView } from '../storage/live-view';
import type { Change, Store } from '../storage/storage';

/**
 * The public reports of each ward, in (updatedAt, id) order, kept in memory: what a device asks for
 * is "the reports of ward W changed after cursor C", and the store has no index for it (a changes
 * feed is ordered by write, and a Mango index is not part of the Store interface and builds at
 * ~3.9k docs/s, blocking, on LevelDB — see ARCHITECTURE.md). So this index:
 *  - is built once per process from the reports' changes feed (~140 µs a row: ~14 s per 100k
 *    reports, in the background; requests wait for it), then kept live with `subscribe`, which
 *    follows the database's feed, so every instance behind a load balancer sees every write;
 *  - holds only keys (`<updatedAt> <id>`, ~70 bytes each; ~100 MB at 1M reports), never documents:
 *    a page of ids is read with one `getMany`, so a request costs O(log n + page), not O(store).
 * Only reports the server has received (they have a status), of this tenant, not deleted, are in it.
 */

/** `<updatedAt> <id>`: a space sorts below every character of an ISO time, so string order is tuple order. */
type Key = string;

export interface WardIndexEntry {
	ward: string;
	key: Key;
}

const keyOf = (updatedAt: string, id: string): Key => `${updatedAt} ${id}`;
export const idOfKey = (key: Key) => key.slice(key.indexOf(' ') + 1);

/** The cursor a device passes back as `since`: `<updatedAt>_<id>` (URL-safe), or just `<updatedAt>`. */
export function cursorOfKey(key: Key): string {
	return key.replace(' ', '_');
}
export function keyOfCursor(cursor: string): Key {
	const i = cursor.indexOf('_');
	// A bare time: everything updated at or after it (`<t> ` sorts below every `<t> <id>`).
	return i < 0 ? `${cursor} ` : keyOf(cursor.slice(0, i), cursor.slice(i + 1));
}

/** First position in `sorted` whose key is greater than `key`. */
function upperBound(sorted: Key[], key: Key): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] <= key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
function lowerBound(sorted: Key[], key: Key): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] < key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export function isPublicReport(r: Report | undefined | null, tenantId: string): r is Report {
	return !!r && !r._deleted && r.tenantId === tenantId && r.status !== undefined && !!r.wardCode;
}

export interface WardIndex {
	/** Resolves once the index holds every report stored before it started (builds on first call). */
	ready(): Promise<void>;
	/** Up to `limit` keys of `ward` after `since` (a key), oldest first. */
	after(ward: string, since: Key | null, limit: number): Key[];
	size(): number;
	close(): void;
}

export function createWardIndex(
	reports: Store<Report>,
	tenantId: string,
	opts: { pageSize?: number; onError?: (err: unknown) => void } = {}
): WardIndex {
	const byWard = new Map<string, Key[]>();
	const byId = new Map<string, WardIndexEntry>();

	function remove(id: string) {
		const old = byId.get(id);
		if (!old) return;
		byId.delete(id);
		const keys = byWard.get(old.ward);
		if (!keys) return;
		const at = lowerBound(keys, old.key);
		if (keys[at] === old.key) keys.splice(at, 1);
		if (!keys.length) byWard.delete(old.ward);
	}

	function apply(change: Change<Report>) {
		const doc = change.doc;
		if (change.deleted || !isPublicReport(doc, tenantId)) return remove(change.id);
		const key = keyOf(doc.updatedAt ?? doc.receivedAt ?? '', doc.id);
		const old = byId.get(doc.id);
		if (old?.key === key && old.ward === doc.wardCode) return;
		remove(doc.id);
		let keys = byWard.get(doc.wardCode);
		if (!keys) byWard.set(doc.wardCode, (keys = []));
		// Updates carry the server's newest time: nearly always an append at the end.
		if (!keys.length || keys[keys.length - 1] < key) keys.push(key);
		else keys.splice(upperBound(keys, key), 0, key);
		byId.set(doc.id, { ward: doc.wardCode, key });
	}

	const view = liveView(reports, apply, {
		pageSize: opts.pageSize,
		onError: opts.onError,
		reset: () => {
			byWard.clear();
			byId.clear();
		}
	});

	return {
		ready: view.ready,
		after(ward, since, limit) {
			const keys = byWard.get(ward);
			if (!keys) return [];
			const from = since === null ? 0 : upperBound(keys, since);
			return keys.slice(from, from + limit);
		},
		size: () => byId.size,
		close: view.close
	};
}
