import type { Change, Seq, Store, StoredDoc } from '../storage/storage';

/** Changes read per page while catching up (a first build at start, a rebuild). */
const PAGE = 1_000;

/**
 * Keeps figures of the operations centre (report-, ticket-, dossier-figures.ts) up to date by
 * following a store's changes feed: the database's feed, not this process's writes, so with several instances on one
 * CouchDB each one's figures take in every instance's reports. The figures live in this process's
 * memory and are built from the feed at start; a rebuild builds a new index from the start of the
 * feed WHILE the live one keeps answering, then swaps it in — exact even while reports keep changing,
 * because it is the same fold over the same feed (changes that arrive during the rebuild are read
 * by its last pages, or go to it live after the swap; each report is replaced, never added twice).
 */
export function createFiguresFeed<T extends StoredDoc, I extends { update(id: string, doc: T | null, rev: string | undefined): void; size(): number }>(deps: {
	source: Store<T>;
	/** A new, empty index. */
	create: () => I;
	now: () => Date;
	onError: (err: unknown) => void;
}) {
	let index: I = deps.create();
	let caughtUp = false;
	let asOf = deps.now();
	let building: Promise<{ count: number; ms: number }> | null = null;
	const listeners = new Set<() => void>();
	let unsubscribe: (() => void) | null = null;
	/** Live changes that arrive while a build reads the feed: applied to the new index after it. */
	let buffered: Change<T>[] | null = null;

	const take = (ix: I, c: Change<T>) => ix.update(c.id, c.deleted ? null : (c.doc ?? null), c.rev);

	function changed() {
		asOf = deps.now();
		for (const l of listeners) l();
	}

	function onLive(c: Change<T>) {
		if (c.id.startsWith('_')) return;
		if (buffered) buffered.push(c);
		// While a rebuild runs the live index keeps taking changes too: it answers until the swap.
		take(index, c);
		changed();
	}

	/**
	 * Reads the whole feed into `into`. The first build reads into the live index itself, which then
	 * answers as it fills (an instance that restarts with a million reports shows its figures growing,
	 * marked incomplete, instead of nothing for minutes); live changes go to the same index, and the
	 * generations sort out which state of a document is the latest, whichever arrives first.
	 */
	async function read(into: I): Promise<void> {
		let since: Seq | null = null;
		for (;;) {
			const page = await deps.source.changes({ since, limit: PAGE, includeDocs: true });
			for (const c of page.results) if (!c.id.startsWith('_')) take(into, c);
			if (page.results.length < PAGE || page.lastSeq === since) break;
			since = page.lastSeq;
		}
	}

	async function firstBuild(): Promise<{ count: number; ms: number }> {
		const t0 = performance.now();
		await read(index);
		caughtUp = true;
		changed();
		return { count: index.size(), ms: performance.now() - t0 };
	}

	/** A rebuild: the whole feed into a NEW index while the live one answers, then the swap (with what arrived meanwhile). */
	async function build(): Promise<{ count: number; ms: number }> {
		const t0 = performance.now();
		const next = deps.create();
		buffered = [];
		try {
			await read(next);
			// Live changes seen during the read: those the pages already had are replaced by themselves
			// (same revision: no change); later revisions win; older ones are ignored by generation.
			for (const c of buffered) take(next, c);
			index = next;
			caughtUp = true;
			changed();
			return { count: next.size(), ms: performance.now() - t0 };
		} finally {
			buffered = null;
		}
	}

	return {
		/** Subscribes to the feed, then builds the figures from its start (in the background). */
		async start(): Promise<void> {
			unsubscribe ??= deps.source.subscribe(onLive);
			await deps.source.follow();
			building = firstBuild().finally(() => (building = null));
			building.catch(deps.onError);
		},
		/** Rebuilds from scratch (an operator's command); concurrent calls share one rebuild. */
		rebuild(): Promise<{ count: number; ms: number }> {
			building ??= build().finally(() => (building = null));
			return building;
		},
		/** Resolves once the first build is done (tests, benchmarks, the warning check). */
		async ready(): Promise<void> {
			while (!caughtUp) await (building ?? this.rebuild());
		},
		/** False while the first build still reads the feed: the figures are those of the documents read so far. */
		complete: (): boolean => caughtUp,
		get index(): I {
			return index;
		},
		/** When the figures last changed; "now" while they are live and nothing happened since. */
		asOf: (): Date => (caughtUp && !building ? deps.now() : asOf),
		/** Called (synchronously) after every change the figures take in. */
		onChange(listener: () => void): () => void {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		stop() {
			unsubscribe?.();
			unsubscribe = null;
			listeners.clear();
		}
	};
}

