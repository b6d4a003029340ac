/**
 * The storage the domain services use: one database per collection, documents keyed by `id`.
 * Revisions stay inside (an opaque `rev` handed back for optimistic writes); sequences are opaque
 * (a number on LevelDB, a token on CouchDB) and only ever passed back to `changes`.
 */
export const STORE_NAMES = [
	'reports',
	'contacts',
	'events',
	'media',
	'users',
	'devices',
	/** Claims of tracking codes (`_id` = code), so two reports never share one, across instances. */
	'tracking-codes'
] as const;
export type StoreName = (typeof STORE_NAMES)[number];

export interface StoredDoc {
	id: string;
	_deleted?: boolean;
	[k: string]: unknown;
}

export type Seq = string | number;

export interface Versioned<T> {
	doc: T;
	/** Opaque revision: pass it back to `bulkPut` to update exactly this state. */
	rev: string;
}

export interface PutRow<T> {
	doc: T;
	/**
	 * `null`: create only (fails with `conflict` if a live document exists);
	 * a string: update exactly that revision (else `conflict`);
	 * `undefined`: upsert over whatever is stored (server-owned documents).
	 */
	rev?: string | null;
}

export type PutResult = { id: string; ok: true; rev: string } | { id: string; ok: false; conflict: boolean; error: string };

export interface Change<T = StoredDoc> {
	seq: Seq;
	id: string;
	deleted: boolean;
	/** With includeDocs; a deletion carries the tombstone's body when it was written with one. */
	doc?: T;
}

export interface ChangesPage<T = StoredDoc> {
	results: Change<T>[];
	/** The sequence to continue from (the last row's, or `since` when there was none). */
	lastSeq: Seq;
}

export interface Store<T extends StoredDoc = StoredDoc> {
	readonly name: StoreName;
	get(id: string): Promise<T | null>;
	/** Live documents among `ids`, with their revisions. */
	getMany(ids: string[]): Promise<Map<string, Versioned<T>>>;
	bulkPut(rows: PutRow<T>[]): Promise<PutResult[]>;
	changes(opts: { since?: Seq | null; limit: number; includeDocs?: boolean }): Promise<ChangesPage<T>>;
	/** Every change from now on, from this instance or any other writing the same database. */
	subscribe(listener: (change: Change<T>) => void): () => void;
	/** Starts following the changes feed from the current sequence (subscribe does it lazily). */
	follow(): Promise<void>;
	count(): Promise<number>;
}

export interface Storage {
	readonly kind: 'leveldb' | 'couchdb';
	store<T extends StoredDoc = StoredDoc>(name: StoreName): Store<T>;
	close(): Promise<void>;
}
