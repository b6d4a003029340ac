import type { Checkpoint, PullResponse, SyncCollection } from '$lib/domain/sync-protocol';
import type { Principal } from '$lib/domain/principal';
import type { Seq, Store, StoredDoc } from '../storage/storage';
import { asSeenBy, principalScopeKeys, type Scope } from '../access/scope';
import { isIndexedKey, type ChildCollection, type ScopeIndex } from '../access/scope-index';

/** Rows of the changes feed read per round trip to the store. */
const PAGE = 200;
/**
 * Most rows one pull scans looking for the caller's documents (~140 µs a row on LevelDB, so about
 * 3 s). Only incremental pulls and whole-tenant callers scan: a first sync of a unit or a resident
 * reads through the scope index instead.
 */
export const MAX_SCAN = 20_000;
/** Reports whose children are looked up per round trip during a first sync of contacts/events/media. */
const REPORTS_PER_READ = 250;

/**
 * One page of a caller's documents.
 *
 * A FIRST pull (no checkpoint) of a caller whose scope the index covers (a unit's handler, a
 * resident: not a whole tenant) reads through the index: the caller's reports by scope key, in id
 * order, or their reports' contacts/events/media. The checkpoint then records the phase,
 * `{ seq: S, initial: { seq: S, after } }`, where S is the store's sequence when the first sync
 * began; once the index has nothing left, the same pull goes on with the changes feed from S and
 * the checkpoint becomes `{ seq, initial: null }` (an explicit null: RxDB merges a new checkpoint
 * into the previous one, and the live stream's `{ seq }` must not end a phase it knows nothing of).
 * A document changed while the first sync runs can come twice, from the index and from the feed:
 * harmless, the device keeps one copy per id, the newest.
 *
 * Every other pull scans the changes feed from the checkpoint and filters by scope. The returned
 * checkpoint is the last change *scanned*, not the last one returned, so a tail of changes outside
 * the caller's scope is skipped next time instead of being read again. Pages are read until `limit`
 * documents are found or the feed returns an empty page (never stopping on a short page): RxDB
 * takes a short page as the end of the data.
 */
export async function pullChanges(
	store: Store<StoredDoc>,
	scope: Scope,
	p: Principal,
	collection: SyncCollection,
	checkpoint: Checkpoint | null,
	limit: number,
	index?: ScopeIndex,
	maxScan = MAX_SCAN
): Promise<PullResponse<StoredDoc>> {
	const keys = principalScopeKeys(p);
	const initial = checkpoint === null || Boolean(checkpoint.initial);
	if (index && initial && keys.length && keys.every(isIndexedKey))
		return initialPull(store, scope, index, p, collection, keys, checkpoint?.initial ?? null, limit, maxScan);
	// A first-sync checkpoint without the index to read it (should not happen): start the scan over.
	const since = checkpoint?.initial ? null : (checkpoint?.seq ?? null);
	const found = await scanFeed(store, scope, p, collection, since, limit, maxScan);
	const more = found.more ? { more: true } : {};
	if (found.last === null) return { documents: found.documents, checkpoint: checkpoint?.initial ? { seq: 0, initial: null } : checkpoint, ...more };
	return { documents: found.documents, checkpoint: { seq: found.last, ...(checkpoint?.initial ? { initial: null } : {}) }, ...more };
}

async function initialPull(
	store: Store<StoredDoc>,
	scope: Scope,
	index: ScopeIndex,
	p: Principal,
	collection: SyncCollection,
	keys: string[],
	phase: { seq: Seq; after: string } | null,
	limit: number,
	maxScan: number
): Promise<PullResponse<StoredDoc>> {
	let seq: Seq;
	let after: string | null;
	if (phase) ({ seq, after } = phase);
	else {
		// The sequence first, then the catch-up: every change up to `seq` is then in the index, and
		// anything later comes from the feed.
		seq = await store.updateSeq();
		await index.catchUp(collection === 'reports' ? ['reports'] : ['reports', collection]);
		after = null;
	}
	const documents: StoredDoc[] = [];
	let done = false;
	while (documents.length < limit && !done) {
		const page =
			collection === 'reports'
				? await reportsAfter(index, keys, after, limit - documents.length)
				: await childrenAfter(index, collection, keys, after, limit - documents.length);
		done = page.done || !page.ids.length;
		if (!page.ids.length) break;
		const got = await store.getMany(page.ids);
		// Deleted since they were indexed: nothing to send on a first sync.
		const docs = page.ids.flatMap((id) => got.get(id)?.doc ?? []);
		// The index is a hint: every document is checked against the caller's scope as it is now.
		const visible = await scope.prepare(collection, docs);
		for (const d of docs) if (visible(p, d)) documents.push(asSeenBy(p, collection, d));
		after = page.cursors[page.cursors.length - 1];
	}
	if (!done) return { documents, checkpoint: { seq, initial: { seq, after: after! } } };
	const rest = await scanFeed(store, scope, p, collection, seq, limit - documents.length, maxScan);
	documents.push(...rest.documents);
	return { documents, checkpoint: { seq: rest.last ?? seq, initial: null }, ...(rest.more ? { more: true } : {}) };
}

interface IndexPage {
	ids: string[];
	/** The position after each id (what `after` must be to go on from there). */
	cursors: string[];
	done: boolean;
}

async function reportsAfter(index: ScopeIndex, keys: string[], after: string | null, want: number): Promise<IndexPage> {
	const { ids, done } = await index.reportIdsUnder(keys, after, want);
	return { ids, cursors: ids, done };
}

/**
 * Contacts, events or media of the caller's reports, report by report in id order and by id within
 * a report. The position is `${reportId}/${childId}`: a page may stop inside a report's list.
 */
async function childrenAfter(
	index: ScopeIndex,
	collection: ChildCollection,
	keys: string[],
	after: string | null,
	want: number
): Promise<IndexPage> {
	const [stopReport, stopChild] = after ? after.split('/') : [null, null];
	const ids: string[] = [];
	const cursors: string[] = [];
	// Reports still to look at: first the one the last page stopped in (if inside its list).
	let reportIds: string[] = stopReport && stopChild ? [stopReport] : [];
	let lastReport = stopReport;
	let done = false;
	for (;;) {
		if (!reportIds.length) {
			if (done) return { ids, cursors, done: true };
			const next = await index.reportIdsUnder(keys, lastReport, REPORTS_PER_READ);
			({ done } = next);
			reportIds = next.ids;
			if (!reportIds.length) return { ids, cursors, done: true };
			lastReport = reportIds[reportIds.length - 1];
		}
		const lists = await index.childLists(collection, reportIds);
		for (const reportId of reportIds) {
			const children = lists.get(reportId) ?? [];
			for (const id of children) {
				if (reportId === stopReport && stopChild && id <= stopChild) continue;
				if (ids.length >= want) return { ids, cursors, done: false };
				ids.push(id);
				cursors.push(`${reportId}/${id}`);
			}
		}
		reportIds = [];
		// Full at a report's end: `done` says whether any report is left after it.
		if (ids.length >= want) return { ids, cursors, done };
	}
}

/**
 * The caller's documents among the changes after `since`: at most `limit`, at most `maxScan` rows
 * read. `more`: the scan stopped on its budget, not at the end of the feed — the page may be short
 * although more of the caller's documents follow.
 */
async function scanFeed(
	store: Store<StoredDoc>,
	scope: Scope,
	p: Principal,
	collection: SyncCollection,
	since: Seq | null,
	limit: number,
	maxScan: number
): Promise<{ documents: StoredDoc[]; last: Seq | null; more: boolean }> {
	const documents: StoredDoc[] = [];
	let last: Seq | null = null;
	let scanned = 0;
	let atEnd = false;
	scan: while (documents.length < limit && scanned < maxScan) {
		const page = await store.changes({ since, limit: Math.min(PAGE, maxScan - scanned), includeDocs: true });
		if (!page.results.length) {
			atEnd = true;
			break;
		}
		scanned += page.results.length;
		const docs = page.results.flatMap((c) => (c.doc && !c.id.startsWith('_') ? [c.doc] : []));
		const view = await scope.prepareView(collection, docs);
		for (const c of page.results) {
			last = c.seq;
			const seen = c.doc && !c.id.startsWith('_') ? view(p, c.doc) : null;
			if (seen) {
				documents.push(seen);
				if (documents.length >= limit) break scan;
			}
		}
		since = page.lastSeq;
	}
	return { documents, last, more: !atEnd && documents.length < limit };
}
