import type { Checkpoint, PullResponse, SyncCollection } from '../../src/lib/domain/sync-protocol';
import type { Principal } from '../auth/principal';
import type { Seq, Store, StoredDoc } from '../storage/storage';
import type { Scope } from './scope';

/** Rows of the changes feed read per round trip to the store. */
const PAGE = 200;
/**
 * Most rows one pull scans looking for the caller's documents (~140 µs a row on LevelDB, so about
 * 3 s). A caller whose documents are rare in a big database gets them over several pulls; a per-unit
 * index is the fix when that starts to matter.
 */
export const MAX_SCAN = 20_000;

/**
 * One page of a caller's documents since their checkpoint, in the store's change order.
 * The returned checkpoint is the last change *scanned*, not the last one returned, so a tail of
 * changes outside the caller's scope is skipped next time instead of being read again.
 * Pages are read until `limit` documents are found or the feed returns an empty page (never
 * stopping on a short page).
 */
export async function pullChanges(
	store: Store<StoredDoc>,
	scope: Scope,
	p: Principal,
	collection: SyncCollection,
	checkpoint: Checkpoint | null,
	limit: number
): Promise<PullResponse<StoredDoc>> {
	const documents: StoredDoc[] = [];
	let since: Seq | null = checkpoint?.seq ?? null;
	let last: Seq | null = null;
	let scanned = 0;
	scan: while (documents.length < limit && scanned < MAX_SCAN) {
		const page = await store.changes({ since, limit: PAGE, includeDocs: true });
		if (!page.results.length) break;
		scanned += page.results.length;
		const docs = page.results.flatMap((c) => (c.doc && !c.id.startsWith('_') ? [c.doc] : []));
		const visible = await scope.prepare(collection, docs);
		for (const c of page.results) {
			last = c.seq;
			if (c.doc && !c.id.startsWith('_') && visible(p, c.doc)) {
				documents.push(c.doc);
				if (documents.length >= limit) break scan;
			}
		}
		since = page.lastSeq;
	}
	return { documents, checkpoint: last !== null ? { seq: last } : (checkpoint ?? null) };
}
