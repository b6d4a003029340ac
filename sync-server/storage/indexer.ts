import type { Change, Seq, Store, StoredDoc } from './storage';

/**
 * Follows one store's changes feed and hands every change, in batches and in feed order, to `apply`;
 * how far it got is kept in a checkpoint document, so after a restart it goes on from there. It
 * reads the database's feed, not this process's writes: with several server instances on one
 * CouchDB, each one's follower sees every instance's writes. They may then apply the same change
 * twice (two instances, or a crash between `apply` and the checkpoint write): `apply` must be
 * idempotent, and tolerate seeing an older state of a document after a newer one.
 */
export interface FeedFollower {
	readonly name: string;
	/**
	 * Resolves once every change written before this call has been applied (a reader that must see
	 * its own writes calls it first). Concurrent callers share one pass over the feed.
	 */
	catchUp(): Promise<void>;
	/** Applies changes as they arrive, from the checkpoint on; the first catch-up runs in the background. */
	start(): void;
	/** Stops following and waits for the batch in flight (the storage can then be closed). */
	stop(): Promise<void>;
	/** Changes applied by this follower since it was created. */
	applied(): number;
}

export interface CheckpointDoc extends StoredDoc {
	seq: Seq;
}

export interface FeedFollowerOptions<T extends StoredDoc> {
	name: string;
	source: Store<T>;
	/** Where the checkpoint document lives (not `source`: its feed would then carry our own writes). */
	checkpoints: Store<CheckpointDoc>;
	checkpointId: string;
	/** Changes per batch (one `changes` read, one `apply`, one checkpoint write). */
	batchSize?: number;
	apply(changes: Change<T>[]): Promise<void>;
	onError?(err: unknown): void;
	/** Called after each batch (e.g. to log the progress of a first build). */
	onBatch?(applied: number): void;
}

/** After a failed pass the live follower tries again after this long, doubling up to a minute. */
const RETRY_MS = 1_000;
/** Live changes that arrive within this window are applied in one pass. */
const DEBOUNCE_MS = 20;

export function createFeedFollower<T extends StoredDoc>(opts: FeedFollowerOptions<T>): FeedFollower {
	const batchSize = opts.batchSize ?? 1_000;
	let since: Seq | null | undefined; // undefined: not read from the checkpoint document yet
	let applied = 0;
	let stopped = false;
	// Passes run one after another; `pending` is a pass not started yet, which every new caller
	// can share (it will read the feed after their call). Once a pass has started, a new caller
	// queues the next one: the running pass may have read the feed's end before their write.
	let tail: Promise<void> = Promise.resolve();
	let pending: Promise<void> | null = null;
	let unsubscribe: (() => void) | null = null;
	let liveTimer: NodeJS.Timeout | null = null;
	let retryMs = RETRY_MS;

	async function loadCheckpoint(): Promise<Seq | null> {
		const doc = await opts.checkpoints.get(opts.checkpointId);
		return doc && !doc._deleted ? doc.seq : null;
	}

	async function saveCheckpoint(seq: Seq): Promise<void> {
		// An upsert: another instance writing its own position at the same time makes one of the two
		// writes fail; either position is one that instance has fully applied, so either is fine.
		const [res] = await opts.checkpoints.bulkPut([{ doc: { id: opts.checkpointId, seq } }]);
		if (!res.ok && !res.conflict) throw new Error(`Could not save the ${opts.name} checkpoint: ${res.error}`);
	}

	async function pass(): Promise<void> {
		if (since === undefined) since = await loadCheckpoint();
		while (!stopped) {
			const page = await opts.source.changes({ since, limit: batchSize, includeDocs: true });
			if (!page.results.length) return;
			await opts.apply(page.results);
			since = page.lastSeq;
			await saveCheckpoint(page.lastSeq);
			applied += page.results.length;
			opts.onBatch?.(applied);
		}
	}

	function catchUp(): Promise<void> {
		if (pending) return pending;
		const next: Promise<void> = tail
			.catch(() => undefined)
			.then(() => {
				if (pending === next) pending = null;
				return pass();
			});
		pending = next;
		tail = next;
		return next;
	}

	function live() {
		if (stopped || liveTimer) return;
		liveTimer = setTimeout(() => {
			liveTimer = null;
			catchUp().then(
				() => (retryMs = RETRY_MS),
				(err) => {
					opts.onError?.(err);
					if (stopped) return;
					// Nothing may arrive for a while to trigger the next pass: try again by ourselves.
					liveTimer = setTimeout(() => ((liveTimer = null), live()), retryMs);
					retryMs = Math.min(retryMs * 2, 60_000);
				}
			);
		}, DEBOUNCE_MS);
	}

	return {
		name: opts.name,
		catchUp,
		start() {
			if (unsubscribe || stopped) return;
			unsubscribe = opts.source.subscribe(() => live());
			live();
		},
		async stop() {
			stopped = true;
			unsubscribe?.();
			unsubscribe = null;
			if (liveTimer) clearTimeout(liveTimer);
			liveTimer = null;
			await tail.catch(() => undefined);
		},
		applied: () => applied
	};
}

/** The generation of a revision (`3-abc…` → 3); 0 when unknown. */
export function revGeneration(rev: string | null | undefined): number {
	const n = rev ? Number.parseInt(rev, 10) : 0;
	return Number.isFinite(n) ? n : 0;
}
