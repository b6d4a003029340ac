import type { Rejection } from './errors';

/**
 * The replication protocol between the device (RxDB replicateRxCollection) and the sync-server.
 *   GET  /api/sync/:collection/pull?checkpoint=<json>&limit=<n>  -> PullResponse
 *   POST /api/sync/:collection/push   body: PushRow[]              -> PushResponse
 *   GET  /api/sync/:collection/stream (SSE, token in ?token=)      -> `data: PullResponse` | `data: "RESYNC"`
 */
export const SYNC_COLLECTIONS = ['reports', 'contacts', 'events', 'media'] as const;
export type SyncCollection = (typeof SYNC_COLLECTIONS)[number];

/** Collections only the server writes. */
export const SERVER_WRITTEN: readonly SyncCollection[] = ['media'];

/** Opaque to the device: the store's `_changes` sequence (a token on CouchDB). */
export interface Checkpoint {
	seq: string | number;
	/**
	 * Set while a first sync reads through the server's index (sync-server/sync/pull.service.ts):
	 * the sequence it started at and how far it got; `null` once it is over.
	 */
	initial?: { seq: string | number; after: string } | null;
}

export interface PullResponse<T = Record<string, unknown>> {
	documents: T[];
	checkpoint: Checkpoint | null;
	/**
	 * The server stopped reading its changes feed on a budget before the end: the page may be short
	 * although more of the caller's documents follow. Ask again at once (RxDB alone would take a
	 * short page as the end of the data and wait for the next live change).
	 */
	more?: boolean;
}

export interface PushRow<T = Record<string, unknown>> {
	newDocumentState: T;
	assumedMasterState?: T | null;
}

export interface PushResponse<T = Record<string, unknown>> {
	/** Master states of documents whose assumed master did not match (RxDB resolves them). */
	conflicts: T[];
	/** Documents refused, each with its reason: never retried, shown as "needs attention". */
	rejected: Rejection[];
}

export const PULL_LIMIT_MAX = 500;
/** Rows the server takes in one push (the app sends 50 at most); it sizes the push body limit. */
export const PUSH_ROWS_MAX = 100;
