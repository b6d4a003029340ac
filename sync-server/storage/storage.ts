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
	'tracking-codes',
	/** Claims of photo ids (`_id` = photo id): each photo belongs to one report or step (sync-server/media/photo-claims.ts). */
	'photo-claims',
	/** Photos an Open311 client uploaded with its key, until a request uses them (sync-server/open311/open311-media.ts). */
	'open311-uploads',
	/** Phone verification (sync-server/otp): verified people by phone, code state and request counters, and the link index. */
	'people',
	'otp',
	'link-index',
	/** Web Push subscriptions of residents' devices (sync-server/push), by device and by verified person. */
	'push-subscriptions',
	/**
	 * The server's own key-range index over the synced collections (sync-server/access/scope-index.ts):
	 * reports by scope key, each report's contacts/events/media, and where it has read each feed to.
	 */
	'scope-index',
	/**
	 * The one-stop office (sync-server/office): queue tickets and their append-only events; claims of
	 * ticket numbers (`<office>|<day>|<prefix>|<seq>`, create-only: the number is the claim) and of
	 * each person's and address's daily quota; requests by the device's id (a retry gets the same
	 * ticket); who is signed in to which counter.
	 */
	'tickets',
	'ticket-events',
	'ticket-numbers',
	'ticket-quotas',
	'ticket-requests',
	'counter-sessions',
	/** Which turn notices (SMS, Web Push) a ticket got, once across instances (sync-server/office/turn-notices.ts). */
	'ticket-notices',
	/** The offices as an admin last saved them (sync-server/office/office-settings.ts), over the tenant folder's. */
	'office-settings',
	/** Dossiers of administrative procedures by their official code (sync-server/dossiers). */
	'dossiers',
	/**
	 * Online applications (domain/dossier-application.ts) by their device-made id; an index of them
	 * by office, author and person (key-range reads); the day's sequence numbers of the dossier codes
	 * given on acceptance (create-only claims).
	 */
	'dossier-applications',
	'dossier-application-index',
	'dossier-seq',
	/** Files of applications (page photos, PDFs) once checked; claims of file ids, create-only: a file id belongs to one application. */
	'dossier-files',
	'dossier-file-claims',
	/** Keys of systems that feed the server (the province's one-stop system): stored hashed, with their use. */
	'api-keys',
	/** Zoning plan versions an admin imported (sync-server/zoning/zoning-store.ts): a header per version, its features in chunks. */
	'zoning-plans',
	/** The operations centre's warnings (sync-server/ioc/warnings.ts), create-only by an id made from what each is about. */
	'ioc-warnings'
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
	/**
	 * The winning revision this change is about. Its generation (the number before the dash) grows
	 * with every update, so an indexer can tell an older state of a document from a newer one.
	 */
	rev?: string;
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
	/** The store's current sequence: `changes({ since })` from it returns only later writes. */
	updateSeq(): Promise<Seq>;
	/**
	 * Ids of live documents with `start <= id < end`, in id order, at most `limit` (`_all_docs` with
	 * a key range: raw code-point order on both LevelDB and CouchDB, where `_all_docs` is not
	 * ICU-collated). `after` continues a range past that id (exclusive).
	 */
	idsInRange(opts: { start: string; end: string; limit: number; after?: string | null }): Promise<string[]>;
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
