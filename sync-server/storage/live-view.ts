import type { Change, Seq, Store, StoredDoc } from './storage';

/**
 * Builds an in-memory view of a store (unlike storage/indexer.ts, nothing is kept between runs):
 * `apply` sees every document from the start of the changes feed, then every live change, from this
 * instance or another. The live feed is followed first and its changes held until the read is done
 * (they are newer), so no write falls in between and each document ends at its latest state.
 * Resolves with the unsubscribe of the live part; on an error it unsubscribes and rejects (the
 * caller builds again from scratch). `stopped` lets a caller that is shutting down cut the read short.
 */
export async function loadThenFollow<T extends StoredDoc>(
	store: Store<T>,
	apply: (change: Change<T>) => void,
	opts: { pageSize?: number; stopped?: () => boolean } = {}
): Promise<() => void> {
	let held: Change<T>[] | null = [];
	const unsubscribe = store.subscribe((c) => (held ? held.push(c) : apply(c)));
	try {
		await store.follow();
		let since: Seq | null = null;
		while (!opts.stopped?.()) {
			const page = await store.changes({ since, limit: opts.pageSize ?? 1000, includeDocs: true });
			for (const c of page.results) apply(c);
			if (!page.results.length || page.lastSeq === since) break;
			since = page.lastSeq;
		}
	} catch (err) {
		unsubscribe();
		throw err;
	}
	const pending = held;
	held = null;
	for (const c of pending) apply(c);
	return unsubscribe;
}

/**
 * An in-memory view built on first use and kept live (loadThenFollow), with its lifecycle: `ready`
 * builds it once (concurrent callers share the build); a failed build calls `reset` (drop the half
 * view), reports the error and is tried again on the next `ready`; `close` stops following, also
 * when it comes during the build.
 */
export function liveView<T extends StoredDoc>(
	store: Store<T>,
	apply: (change: Change<T>) => void,
	opts: { reset: () => void; pageSize?: number; onError?: (err: unknown) => void }
): { ready(): Promise<void>; close(): void } {
	let building: Promise<void> | null = null;
	let unsubscribe: (() => void) | null = null;
	let closed = false;
	return {
		ready() {
			building ??= loadThenFollow(store, apply, { pageSize: opts.pageSize, stopped: () => closed })
				.then((off) => {
					// Closed while it was reading: stop following at once.
					if (closed) off();
					else unsubscribe = off;
				})
				.catch((err) => {
					// Try again on the next request rather than answering from half a view forever.
					opts.reset();
					building = null;
					opts.onError?.(err);
					throw err;
				});
			return building;
		},
		close() {
			closed = true;
			unsubscribe?.();
			unsubscribe = null;
		}
	};
}
