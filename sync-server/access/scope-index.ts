import type { Report } from '$lib/domain/report';
import { createFeedFollower, revGeneration, type CheckpointDoc, type FeedFollower } from '../storage/indexer';
import type { Change, PutRow, Store, StoredDoc } from '../storage/storage';
import { reportScopeKeys, type ReportScopeFields } from './scope';

/**
 * The server's own index over the synced collections, kept in the `scope-index` store by following
 * each collection's changes feed (storage/indexer.ts), so it sees every instance's writes and goes
 * on from its checkpoints after a restart. Its documents:
 *
 *   `${scopeKey}\u0001${reportId}`  an entry: the report is readable under this scope key. A key's
 *                                   reports are one `_all_docs` range, in id order (UUIDv7 ids are
 *                                   time-ordered: oldest first). Removed when the report leaves
 *                                   the scope (a transfer, a deletion).
 *   `@report/${reportId}`           the report's state: the keys its entries were written under (to
 *                                   know which to remove when they change) and the revision they
 *                                   were computed from. Written by the reports' follower only.
 *   `@events/${reportId}`           the ids of the report's events (likewise `@contacts/…`,
 *                                   `@media/…`), each written by that collection's follower only,
 *                                   so the followers never contend for a document.
 *   `@checkpoint/${collection}`     how far each follower has read its feed.
 *
 * Why a report's children are listed per report rather than given entries of their own: a first
 * sync of events reads the caller's reports by key and then their children with point reads (one
 * `getMany` of lists per few hundred reports), and `eventsOf` is one point read per report. Per-
 * report ranges (`events|${reportId}\u0001…`) cost one `_all_docs` call each (~0.35 ms measured
 * here: 3.5 s for the events of 10k reports, again for contacts and media); entries under scope
 * keys for every child would triple the index's writes and have to be rewritten on each transfer.
 *
 * `tenant:` keys are not indexed: a leader or admin reads every report of the tenant, which the
 * plain scan of the feed serves at full speed; indexing them would double the writes for nothing.
 *
 * Entries are hints, never the authority: a reader loads the documents and checks them against the
 * scope again (scope.ts), so an entry left behind costs a wasted read, never a leak. A missing entry
 * would hide a document; the rules below make every instance's last word on an entry "present" when
 * the report is in that scope (see applyReports).
 */

const CHILD_COLLECTIONS = ['contacts', 'events', 'media'] as const;
export type ChildCollection = (typeof CHILD_COLLECTIONS)[number];
export type IndexedCollection = 'reports' | ChildCollection;

const SEP = '\u0001';
/** The first character after SEP: `[key + SEP, key + AFTER_SEP)` is exactly the key's entries. */
const AFTER_SEP = '\u0002';
const STATE_PREFIX = '@report/';
const CHECKPOINT_PREFIX = '@checkpoint/';
/** Rounds of re-reading after write conflicts (another instance wrote the same document) before giving up. */
const MAX_ATTEMPTS = 20;

export const entryId = (key: string, reportId: string) => `${key}${SEP}${reportId}`;
export const stateId = (reportId: string) => `${STATE_PREFIX}${reportId}`;
const childListId = (collection: ChildCollection, reportId: string) => `@${collection}/${reportId}`;

/** Whether the index keeps entries for this scope key (see above: not for whole tenants). */
export const isIndexedKey = (key: string) => !key.startsWith('tenant:');

function indexedKeys(r: ReportScopeFields): string[] {
	return reportScopeKeys(r).filter(isIndexedKey);
}

export interface ReportState extends StoredDoc {
	/** The keys the report's entries were written under. */
	keys: string[];
	/** Revision of the report `keys` were computed from. */
	rev?: string;
}

/** The ids of one report's contacts, events or media. */
export interface ChildList extends StoredDoc {
	ids: string[];
}

type ChildDoc = StoredDoc & { reportId?: unknown };

export interface ScopeIndexDeps {
	index: Store<StoredDoc>;
	stores: { reports: Store<Report> } & Record<ChildCollection, Store<StoredDoc>>;
	/** Changes read per batch (default 1000). */
	batchSize?: number;
	onError?(collection: IndexedCollection, err: unknown): void;
	onBatch?(collection: IndexedCollection, applied: number): void;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function createScopeIndex(deps: ScopeIndexDeps) {
	const { index } = deps;
	const states = index as unknown as Store<ReportState>;
	const lists = index as unknown as Store<ChildList>;

	async function writeOrThrow(rows: PutRow<StoredDoc>[], what: string) {
		// Conflicts are expected and fine here: an entry created twice, a removal racing another.
		const res = await index.bulkPut(rows);
		const failed = res.find((r) => !r.ok && !r.conflict);
		if (failed && !failed.ok) throw new Error(`Could not write ${what} ${failed.id}: ${failed.error}`);
	}

	/**
	 * Report changes: entries under the report's current keys are created (create-only: one that
	 * exists is a conflict, left as it is) on EVERY change, not only when the keys change; entries
	 * under keys it no longer has are removed; the state records the new keys, written last and only
	 * at the revision read (so a crash or a conflict just means doing it again).
	 *
	 * Several instances may apply different states of one report at once. An instance applying an
	 * older state than the recorded one skips it (revision generations). Whatever interleaving
	 * remains, each instance ends with the report's latest change (every feed carries it), whose
	 * last step for each current key is "create": so the last write on a current key's entry is a
	 * creation, and the entry exists. The worst left behind is an entry for a key the report lost,
	 * which readers filter out.
	 */
	async function applyReports(changes: Change<Report>[]): Promise<void> {
		let todo = changes.filter((c) => !c.id.startsWith('_'));
		for (let attempt = 0; todo.length; attempt++) {
			if (attempt >= MAX_ATTEMPTS) throw new Error(`Index states kept conflicting for ${todo.length} reports`);
			const current = await states.getMany(todo.map((c) => stateId(c.id)));
			const entries: PutRow<StoredDoc>[] = [];
			const stateRows: PutRow<ReportState>[] = [];
			const pending: Change<Report>[] = [];
			for (const c of todo) {
				const st = current.get(stateId(c.id));
				if (st && revGeneration(st.doc.rev) > revGeneration(c.rev)) continue;
				const live = !c.deleted && c.doc && !c.doc._deleted;
				const keys = live ? indexedKeys(c.doc!) : [];
				const had = st?.doc.keys ?? [];
				for (const k of keys) entries.push({ doc: { id: entryId(k, c.id) }, rev: null });
				for (const k of had) if (!keys.includes(k)) entries.push({ doc: { id: entryId(k, c.id), _deleted: true } });
				if (st ? sameSet(had, keys) : !keys.length) continue;
				const base: ReportState = st?.doc ?? { id: stateId(c.id), keys: [] };
				stateRows.push({ doc: { ...base, keys, rev: c.rev }, rev: st?.rev ?? null });
				pending.push(c);
			}
			await writeOrThrow(entries, 'index entry');
			const res = await states.bulkPut(stateRows);
			todo = [];
			res.forEach((r, i) => {
				if (r.ok) return;
				if (!r.conflict) throw new Error(`Could not write index state ${r.id}: ${r.error}`);
				todo.push(pending[i]);
			});
		}
	}

	/**
	 * Contact, event and media changes: the child's id is added to (or, deleted, removed from) its
	 * report's list, whether or not the report has been indexed yet. A tombstone without a body does
	 * not say its report: its id stays listed, and readers skip it (a read of a deleted document
	 * returns nothing).
	 */
	function applyChildren(collection: ChildCollection) {
		return async (changes: Change<ChildDoc>[]): Promise<void> => {
			const byReport = new Map<string, { add: Set<string>; remove: Set<string> }>();
			for (const c of changes) {
				const reportId = c.doc?.reportId;
				if (c.id.startsWith('_') || typeof reportId !== 'string') continue;
				let ops = byReport.get(reportId);
				if (!ops) byReport.set(reportId, (ops = { add: new Set(), remove: new Set() }));
				if (c.deleted || c.doc!._deleted) (ops.remove.add(c.id), ops.add.delete(c.id));
				else (ops.add.add(c.id), ops.remove.delete(c.id));
			}
			let todo = [...byReport.keys()];
			for (let attempt = 0; todo.length; attempt++) {
				if (attempt >= MAX_ATTEMPTS) throw new Error(`Index lists kept conflicting for ${todo.length} reports`);
				const current = await lists.getMany(todo.map((r) => childListId(collection, r)));
				const rows: PutRow<ChildList>[] = [];
				const pending: string[] = [];
				for (const reportId of todo) {
					const id = childListId(collection, reportId);
					const list = current.get(id);
					const ops = byReport.get(reportId)!;
					const before = list?.doc.ids ?? [];
					const ids = new Set(before);
					for (const c of ops.add) ids.add(c);
					for (const c of ops.remove) ids.delete(c);
					if (ids.size === before.length && before.every((c) => ids.has(c))) continue;
					rows.push({ doc: { id, ids: [...ids].sort() }, rev: list?.rev ?? null });
					pending.push(reportId);
				}
				const res = await lists.bulkPut(rows);
				todo = [];
				res.forEach((r, i) => {
					if (r.ok) return;
					if (!r.conflict) throw new Error(`Could not write index list ${r.id}: ${r.error}`);
					todo.push(pending[i]);
				});
			}
		};
	}

	const follower = <T extends StoredDoc>(name: IndexedCollection, source: Store<T>, apply: (c: Change<T>[]) => Promise<void>) =>
		createFeedFollower<T>({
			name,
			source,
			checkpoints: index as unknown as Store<CheckpointDoc>,
			checkpointId: `${CHECKPOINT_PREFIX}${name}`,
			batchSize: deps.batchSize,
			apply,
			onError: (err) => deps.onError?.(name, err),
			onBatch: (n) => deps.onBatch?.(name, n)
		});
	const followers: Record<IndexedCollection, FeedFollower> = {
		reports: follower('reports', deps.stores.reports, applyReports),
		contacts: follower('contacts', deps.stores.contacts, applyChildren('contacts')),
		events: follower('events', deps.stores.events, applyChildren('events')),
		media: follower('media', deps.stores.media, applyChildren('media'))
	};
	const ALL = Object.keys(followers) as IndexedCollection[];

	/** The ids listed for these reports (no catch-up: the caller decides how fresh). */
	async function childLists(collection: ChildCollection, reportIds: string[]): Promise<Map<string, string[]>> {
		const got = await lists.getMany(reportIds.map((id) => childListId(collection, id)));
		return new Map(reportIds.map((id) => [id, got.get(childListId(collection, id))?.doc.ids ?? []]));
	}

	return {
		/** Follows the feeds from their checkpoints; an unindexed database is indexed in the background. */
		start() {
			for (const c of ALL) followers[c].start();
		},
		async stop() {
			await Promise.all(ALL.map((c) => followers[c].stop()));
		},
		/** Resolves once every write made before the call to these collections is in the index. */
		async catchUp(collections: IndexedCollection[] = ALL): Promise<void> {
			await Promise.all(collections.map((c) => followers[c].catchUp()));
		},
		applied: (): Record<IndexedCollection, number> =>
			Object.fromEntries(ALL.map((c) => [c, followers[c].applied()])) as Record<IndexedCollection, number>,

		/**
		 * The next `limit` report ids indexed under any of `keys`, after `after`, in id order (a report
		 * under two of the keys once). `done` when nothing is left after them.
		 */
		async reportIdsUnder(keys: string[], after: string | null, limit: number): Promise<{ ids: string[]; done: boolean }> {
			const lists = await Promise.all(
				[...new Set(keys)].filter(isIndexedKey).map(async (k) => {
					const ids = await index.idsInRange({
						start: k + SEP,
						end: k + AFTER_SEP,
						after: after === null ? null : entryId(k, after),
						limit
					});
					return { full: ids.length >= limit, ids: ids.map((id) => id.slice(k.length + 1)) };
				})
			);
			// Each key's first `limit` ids after `after` hold the first `limit` of their union.
			const merged = [...new Set(lists.flatMap((l) => l.ids))].sort();
			const ids = merged.slice(0, limit);
			return { ids, done: merged.length <= limit && lists.every((l) => !l.full) };
		},

		childLists,

		/** The ids of these reports' contacts, events or media, as of now (catches up first). */
		async childIds(collection: ChildCollection, reportIds: string[]): Promise<Map<string, string[]>> {
			if (!reportIds.length) return new Map();
			await followers[collection].catchUp();
			return childLists(collection, reportIds);
		}
	};
}
export type ScopeIndex = ReturnType<typeof createScopeIndex>;
