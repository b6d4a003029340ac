import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import PouchDB from 'pouchdb-node';
import type {
	Change,
	ChangesPage,
	PutResult,
	PutRow,
	Seq,
	Storage,
	Store,
	StoredDoc,
	StoreName,
	Versioned
} from './storage';

type RawDoc = Record<string, unknown> & { _id: string; _rev?: string; _deleted?: boolean };

/** Most documents one coalesced `_bulk_docs` carries (a caller's own larger batch still goes whole). */
const WRITE_BATCH_DOCS = 500;

export interface PouchStorageOptions {
	dataDir: string;
	dbPrefix: string;
	couchdbUrl?: string;
	/** CouchDB only: longest wait for one request (live changes feeds excepted); 0 or absent = none. */
	requestTimeoutMs?: number;
	/** Called when a live changes feed fails and is being restarted (for the log). */
	onFeedError?: (store: StoreName, err: unknown) => void;
}

/** The LevelDB directory of the embedded databases (shared with /_db, which opens the same ones). */
export function levelDbDir(dataDir: string): string {
	return path.join(dataDir, 'db');
}

/** `_id`/`_rev` are storage details: answers carry `id` and an explicit `_deleted`. */
function fromRaw<T extends StoredDoc>(raw: RawDoc): T {
	const { _id, _rev, _deleted, ...rest } = raw;
	return { ...rest, id: (rest.id as string | undefined) ?? _id, _deleted: _deleted === true } as unknown as T;
}

function toRaw(doc: StoredDoc, rev?: string): RawDoc {
	const { _deleted, ...rest } = doc;
	const raw: RawDoc = { ...rest, _id: doc.id };
	if (rev) raw._rev = rev;
	if (_deleted) raw._deleted = true;
	return raw;
}

class PouchStore<T extends StoredDoc> implements Store<T> {
	private feed: PouchDB.Core.Changes<object> | null = null;
	private listeners = new Set<(c: Change<T>) => void>();
	private lastLiveSeq: Seq = 0;
	private following: Promise<void> | null = null;
	private restartTimer: NodeJS.Timeout | null = null;
	private retryMs = 500;
	private closed = false;

	constructor(
		readonly name: StoreName,
		private readonly db: PouchDB.Database,
		private readonly onFeedError?: (store: StoreName, err: unknown) => void,
		/**
		 * Read many documents with one `get` each (LevelDB) rather than one `allDocs({keys})`:
		 * pouchdb-node answers `keys` with a range iterator per key, 3.5× slower than point reads
		 * (measured: 100 ids in 6.8–8.5 ms against 1.9–2.3 ms). Over HTTP (CouchDB) one request wins.
		 */
		private readonly pointReads = false
	) {}

	async get(id: string): Promise<T | null> {
		try {
			return fromRaw<T>((await this.db.get(id)) as unknown as RawDoc);
		} catch (e) {
			if ((e as { status?: number }).status === 404) return null;
			throw e;
		}
	}

	async getMany(ids: string[]): Promise<Map<string, Versioned<T>>> {
		const out = new Map<string, Versioned<T>>();
		const unique = [...new Set(ids)];
		if (!unique.length) return out;
		if (this.pointReads) {
			const docs = await Promise.all(
				// `_local/…` and `_design/…` are never ours: `get` would answer them, allDocs does not.
				unique.filter((id) => !id.startsWith('_')).map((id) =>
					this.db.get(id).catch((e: { status?: number }) => {
						if (e.status === 404) return null; // missing or deleted
						throw e;
					})
				)
			);
			for (const raw of docs as unknown as (RawDoc | null)[])
				if (raw) out.set(raw._id, { doc: fromRaw<T>(raw), rev: raw._rev! });
			return out;
		}
		const res = await this.db.allDocs({ keys: unique, include_docs: true });
		for (const row of res.rows) {
			if ('error' in row || !row.doc || (row.value as { deleted?: boolean }).deleted) continue;
			const raw = row.doc as unknown as RawDoc;
			out.set(row.id, { doc: fromRaw<T>(raw), rev: raw._rev! });
		}
		return out;
	}

	async bulkPut(rows: PutRow<T>[]): Promise<PutResult[]> {
		if (!rows.length) return [];
		// Upserts write over the latest revision, including a tombstone's (so a deleted id can be reused).
		const upsertIds = rows.filter((r) => r.rev === undefined).map((r) => r.doc.id);
		const latest = new Map<string, string>();
		if (upsertIds.length) {
			const res = await this.db.allDocs({ keys: upsertIds });
			for (const row of res.rows) if (!('error' in row) && row.value) latest.set(row.id, row.value.rev);
		}
		const raws = rows.map((r) => toRaw(r.doc, r.rev === undefined ? latest.get(r.doc.id) : (r.rev ?? undefined)));
		const res = await this.write(raws);
		return res.map((r, i) => {
			const id = rows[i].doc.id;
			if ('ok' in r && r.ok) return { id, ok: true as const, rev: r.rev };
			const err = r as PouchDB.Core.Error;
			return { id, ok: false as const, conflict: err.status === 409, error: err.message ?? String(err.name) };
		});
	}

	/**
	 * Writes that arrive while one is under way go together in the next `_bulk_docs` (first come,
	 * first written): LevelDB writes one batch at a time and CouchDB answers one request per batch, so
	 * 500 residents taking a number at 7:30 cost a handful of writes, not 500 in a row (measured: a
	 * take's first write waited 270 ms at p50 behind the others). Each caller gets its own rows' answers,
	 * as if it had written alone. A batch never holds one id twice: such a write waits for the next.
	 */
	private pendingWrites: { raws: RawDoc[]; resolve(r: (PouchDB.Core.Response | PouchDB.Core.Error)[]): void; reject(e: unknown): void }[] = [];
	private writing = false;

	private write(raws: RawDoc[]): Promise<(PouchDB.Core.Response | PouchDB.Core.Error)[]> {
		return new Promise((resolve, reject) => {
			this.pendingWrites.push({ raws, resolve, reject });
			if (!this.writing) void this.flushWrites();
		});
	}

	private async flushWrites(): Promise<void> {
		this.writing = true;
		try {
			while (this.pendingWrites.length) {
				const group: typeof this.pendingWrites = [];
				const ids = new Set<string>();
				let docs = 0;
				while (this.pendingWrites.length && docs < WRITE_BATCH_DOCS) {
					const next = this.pendingWrites[0];
					if (group.length && next.raws.some((r) => ids.has(r._id))) break;
					this.pendingWrites.shift();
					group.push(next);
					for (const r of next.raws) ids.add(r._id);
					docs += next.raws.length;
				}
				try {
					const res = await this.db.bulkDocs(group.flatMap((g) => g.raws) as PouchDB.Core.PutDocument<object>[]);
					let at = 0;
					for (const g of group) {
						g.resolve(res.slice(at, at + g.raws.length));
						at += g.raws.length;
					}
				} catch (e) {
					for (const g of group) g.reject(e);
				}
			}
		} finally {
			this.writing = false;
		}
	}

	async changes(opts: { since?: Seq | null; limit: number; includeDocs?: boolean }): Promise<ChangesPage<T>> {
		const since = opts.since ?? 0;
		const res = await this.db.changes({ since, limit: opts.limit, include_docs: opts.includeDocs ?? false });
		return {
			results: res.results.map((c) => this.toChange(c)),
			lastSeq: res.results.length ? res.last_seq : since
		};
	}

	private toChange(c: PouchDB.Core.ChangesResponseChange<object>): Change<T> {
		const deleted = c.deleted === true;
		const raw = c.doc as unknown as RawDoc | undefined;
		// A tombstone written without a body has only _id/_rev: no doc to scope or answer.
		const hasBody = raw && Object.keys(raw).some((k) => !k.startsWith('_'));
		const rev = raw?._rev ?? c.changes?.[0]?.rev;
		return { seq: c.seq, id: c.id, deleted, rev, doc: raw && hasBody ? fromRaw<T>(raw) : undefined };
	}

	async updateSeq(): Promise<Seq> {
		return (await this.db.info()).update_seq;
	}

	async idsInRange(opts: { start: string; end: string; limit: number; after?: string | null }): Promise<string[]> {
		if (opts.limit <= 0) return [];
		const after = opts.after != null && opts.after >= opts.start ? opts.after : null;
		// Start AT `after` and drop it, rather than at `after + '\u0000'`: the same request on both
		// adapters, whatever they make of a NUL in a key.
		const res = await this.db.allDocs({
			startkey: after ?? opts.start,
			endkey: opts.end,
			inclusive_end: false,
			limit: opts.limit + (after ? 1 : 0)
		});
		const ids = res.rows.map((r) => r.id);
		if (after && ids[0] === after) ids.shift();
		return ids.slice(0, opts.limit);
	}

	subscribe(listener: (change: Change<T>) => void): () => void {
		this.listeners.add(listener);
		this.follow().catch((err) => this.onFeedError?.(this.name, err));
		return () => {
			this.listeners.delete(listener);
		};
	}

	follow(): Promise<void> {
		// Start at the current sequence, read explicitly (not `since: 'now'`, which the HTTP adapter
		// resolves later): a write made after follow() resolves is never missed.
		this.following ??= this.db.info().then(
			(info) => {
				this.lastLiveSeq = info.update_seq;
				this.startFeed();
			},
			(err) => {
				this.following = null;
				throw err;
			}
		);
		return this.following;
	}

	private startFeed() {
		if (this.closed) return;
		this.restartTimer = null;
		const feed = this.db.changes({ since: this.lastLiveSeq, live: true, include_docs: true, return_docs: false });
		this.feed = feed;
		feed.on('change', (c) => {
			this.retryMs = 500;
			this.lastLiveSeq = c.seq;
			const change = this.toChange(c);
			for (const l of this.listeners) l(change);
		});
		feed.on('error', (err) => {
			// The feed stops on an error (e.g. the CouchDB cluster restarted): resume from the last
			// sequence seen, so no change is lost, with a capped back-off.
			if (this.feed === feed) this.feed = null;
			if (this.closed) return;
			this.onFeedError?.(this.name, err);
			this.restartTimer = setTimeout(() => this.startFeed(), this.retryMs);
			this.retryMs = Math.min(this.retryMs * 2, 30_000);
		});
	}

	async count(): Promise<number> {
		return (await this.db.info()).doc_count;
	}

	async close(): Promise<void> {
		this.closed = true;
		if (this.restartTimer) clearTimeout(this.restartTimer);
		this.feed?.cancel();
		this.feed = null;
		this.listeners.clear();
		await this.db.close();
	}
}

type PouchFetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * PouchDB's HTTP requests with a deadline. A CouchDB that accepts connections but never answers
 * (overloaded, wedged, a half-open link) would otherwise hold every API request open forever and
 * the device would hear nothing; past the deadline the request fails, and the API answers 500
 * server_error with this message in the log. Live changes feeds (long polls) are left alone: they
 * wait by design, and restart on their own after an error.
 */
function fetchWithDeadline(timeoutMs: number): PouchFetch {
	const pouchFetch = (PouchDB as unknown as { fetch: PouchFetch }).fetch;
	return async (url, init = {}) => {
		if (/[?&]feed=longpoll\b/.test(url)) return pouchFetch(url, init);
		const deadline = AbortSignal.timeout(timeoutMs);
		const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
		try {
			return await pouchFetch(url, { ...init, signal });
		} catch (err) {
			if (!deadline.aborted || init.signal?.aborted) throw err;
			const { pathname } = new URL(url); // no credentials in the log
			throw new Error(`CouchDB did not answer within ${timeoutMs} ms: ${init.method ?? 'GET'} ${pathname}`, { cause: err });
		}
	};
}

/** Opens the stores: LevelDB under DATA_DIR/db/, or `${COUCHDB_URL}/${DB_PREFIX}<name>` over HTTP. */
export async function openPouchStorage(opts: PouchStorageOptions): Promise<Storage> {
	const couch = Boolean(opts.couchdbUrl);
	let Pouch: new (name: string) => PouchDB.Database;
	if (couch) {
		Pouch = opts.requestTimeoutMs
			? PouchDB.defaults({ fetch: fetchWithDeadline(opts.requestTimeoutMs) } as PouchDB.Configuration.DatabaseConfiguration)
			: PouchDB;
	} else {
		const dir = levelDbDir(opts.dataDir);
		await mkdir(dir, { recursive: true });
		Pouch = PouchDB.defaults({ prefix: dir + path.sep } as PouchDB.Configuration.DatabaseConfiguration);
	}
	const stores = new Map<StoreName, PouchStore<StoredDoc>>();
	return {
		kind: couch ? 'couchdb' : 'leveldb',
		store<T extends StoredDoc>(name: StoreName): Store<T> {
			let s = stores.get(name);
			if (!s) {
				const dbName = opts.dbPrefix + name;
				const db = couch ? new Pouch(`${opts.couchdbUrl}/${dbName}`) : new Pouch(dbName);
				s = new PouchStore<StoredDoc>(name, db, opts.onFeedError, !couch);
				stores.set(name, s);
			}
			return s as unknown as Store<T>;
		},
		async close() {
			await Promise.all([...stores.values()].map((s) => s.close().catch(() => undefined)));
			stores.clear();
		}
	};
}
