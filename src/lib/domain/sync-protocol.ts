import { z } from 'zod';
import { ERROR_CODES } from './errors';

/**
 * The replication protocol between the device (RxDB replicateRxCollection) and the sync-server.
 *   GET  /api/sync/:collection/pull?checkpoint=<json>&limit=<n>  -> PullResponse
 *   POST /api/sync/:collection/push   body: PushRow[]              -> PushResponse
 *   GET  /api/sync/:collection/stream (SSE, token in ?token=)      -> `data: PullResponse` | `data: "RESYNC"`
 *
 * One zod schema per message, and the types are inferred from them. The server validates what it
 * receives with these schemas (sync-server/sync/sync.routes.ts). The device only uses the types:
 * its own server's answers are trusted as typed. Parsing a pull page (up to PULL_LIMIT_MAX
 * documents, thousands in a first sync) or a live batch would cost time on a cheap phone. And the
 * outbox sender runs in the service worker, which imports no zod at all (type imports are erased).
 */
export const SYNC_COLLECTIONS = ['reports', 'contacts', 'events', 'media'] as const;
export type SyncCollection = (typeof SYNC_COLLECTIONS)[number];

/** Collections only the server writes. */
export const SERVER_WRITTEN: readonly SyncCollection[] = ['media'];

export const PULL_LIMIT_MAX = 500;
/** Rows the server takes in one push (the app sends 50 at most); it sizes the push body limit. */
export const PUSH_ROWS_MAX = 100;

/** A position in the store's `_changes` feed: a number on LevelDB, an opaque token on CouchDB. */
const Seq = z.union([z.string(), z.number()]);

/** Opaque to the device: the store's `_changes` sequence. Unknown keys are dropped. */
export const Checkpoint = z.object({
	seq: Seq,
	/**
	 * Set while a first sync reads through the server's index (sync-server/sync/pull.service.ts):
	 * the sequence it started at and how far it got; `null` once it is over.
	 */
	initial: z.object({ seq: Seq, after: z.string() }).nullable().optional()
});
export type Checkpoint = z.infer<typeof Checkpoint>;

const CHECKPOINT_FORMAT = 'checkpoint must be JSON {"seq": …} or null';

/** What JSON.parse gives, or `undefined` (which no checkpoint accepts) for text that is not JSON. */
function jsonOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The `checkpoint` query parameter of a pull: JSON text; left out, empty or `null` for the first pull. */
export const CheckpointQuery = z
	.string()
	.optional()
	.transform((s, ctx): Checkpoint | null => {
		if (!s || s === 'null') return null;
		const parsed = Checkpoint.nullable().safeParse(jsonOrUndefined(s));
		if (parsed.success) return parsed.data;
		ctx.addIssue({ code: 'custom', message: CHECKPOINT_FORMAT });
		return z.NEVER;
	});

/** The query of a pull. `token`: EventSource cannot send a header, so the stream's token may come here too. */
export const PullQuery = z.object({
	checkpoint: CheckpointQuery,
	limit: z.coerce.number().int().min(1).max(PULL_LIMIT_MAX).default(100),
	token: z.string().optional()
});

/** A document as the protocol carries it; its collection's schema checks the rest. */
export type SyncDoc = Record<string, unknown>;
/**
 * A plain object, checked in O(1). Each document is validated against its collection's schema after
 * (sync-server/sync/push.service.ts); a z.record would walk every key once more, of documents the
 * byte scan (sync-server/http/body-limits.ts) has already cut to MAX_DOC_FIELDS.
 */
export const SyncDoc = z.custom<SyncDoc>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'an object');

// Builders taking the document's schema: the wire schemas use SyncDoc, and the types below are the
// same shapes with the documents typed as the caller knows them (`PullResponse<ReportEvent>`).
const pushRowOf = <D extends z.ZodType>(doc: D) => z.object({ newDocumentState: doc, assumedMasterState: doc.nullable().optional() });
const pullResponseOf = <D extends z.ZodType>(doc: D) =>
	z.object({
		documents: z.array(doc),
		checkpoint: Checkpoint.nullable(),
		/**
		 * The server stopped reading its changes feed on a budget before the end: the page may be short
		 * although more of the caller's documents follow. Ask again at once (RxDB alone would take a
		 * short page as the end of the data and wait for the next live change).
		 */
		more: z.boolean().optional()
	});

/** A document the server refused, answered per document in a push (re-exported by errors.ts). */
export const Rejection = z.object({
	id: z.string(),
	code: z.enum(ERROR_CODES),
	message: z.string(),
	/** zod issue paths, e.g. ["location"], for the form to point at. */
	path: z.array(z.union([z.string(), z.number()])).optional()
});
export type Rejection = z.infer<typeof Rejection>;

const pushResponseOf = <D extends z.ZodType>(doc: D) =>
	z.object({
		/** Master states of documents whose assumed master did not match (RxDB resolves them). */
		conflicts: z.array(doc),
		/** Documents refused, each with its reason: never retried, shown as "needs attention". */
		rejected: z.array(Rejection)
	});

/** One pushed document: its new state and the master state the device last saw (`null`: new). Unknown keys are dropped. */
export const PushRow = pushRowOf(SyncDoc);
export type PushRow<T = SyncDoc> = z.infer<ReturnType<typeof pushRowOf<z.ZodType<T>>>>;

/** The body of a push: at most PUSH_ROWS_MAX rows. */
export const PushBody = z.array(PushRow).max(PUSH_ROWS_MAX);

export const PushResponse = pushResponseOf(SyncDoc);
export type PushResponse<T = SyncDoc> = z.infer<ReturnType<typeof pushResponseOf<z.ZodType<T>>>>;

export const PullResponse = pullResponseOf(SyncDoc);
export type PullResponse<T = SyncDoc> = z.infer<ReturnType<typeof pullResponseOf<z.ZodType<T>>>>;
