/**
 * Reading a whole replica collection without freezing the page: one live query over 1,000 reports
 * read and converted every document in one long task (~350 ms on a cheap phone). Here the documents
 * are read a page at a time in index order with a pause between pages, and changes made meanwhile
 * (replication, another tab) come from the collection's change stream, so nothing is lost between
 * two pages and nothing is read twice.
 */

/** The fields a replica document carries for this: its id, and RxDB's revision ("<height>-<hash>"). */
export interface Revisioned {
	id: string;
	_rev?: string;
	_deleted?: boolean;
}

const height = (d: Revisioned): number => Number.parseInt(d._rev ?? '0', 10) || 0;

/**
 * The documents known so far: pages read and changes streamed. A page may have been read before a
 * change it crosses was written: the streamed state wins unless the page's revision is newer.
 */
export class LiveSet<T extends Revisioned> {
	#docs = new Map<string, T>();
	/** Deleted ids and their revision: a page read before the deletion must not bring them back. */
	#gone = new Map<string, number>();

	/** A document from a page read. */
	read(doc: T): void {
		const h = height(doc);
		const known = this.#docs.get(doc.id);
		if (known && height(known) >= h) return;
		const gone = this.#gone.get(doc.id);
		if (gone !== undefined && gone >= h) return;
		if (doc._deleted) return;
		this.#docs.set(doc.id, doc);
	}

	/** A document from the change stream: written after any page that holds it was read. */
	change(doc: T): void {
		if (doc._deleted) {
			this.#docs.delete(doc.id);
			this.#gone.set(doc.id, height(doc));
		} else {
			this.#docs.set(doc.id, doc);
			this.#gone.delete(doc.id);
		}
	}

	get size(): number {
		return this.#docs.size;
	}

	values(): T[] {
		return [...this.#docs.values()];
	}
}

export interface PagedReadOptions {
	/** Documents per page: small enough that a page costs well under 50 ms on a slow phone. */
	size: number;
	/** Between pages: gives the page back to the browser (input, paint) before the next one. */
	pause: () => Promise<void>;
	/** Checked before each page: the reader was stopped (page left, sign-out). */
	stopped?: () => boolean;
}

/**
 * Reads every document, in pages, in the order of (key, id): `fetchPage(from, limit)` returns at most
 * `limit` documents whose key is `from` or after (all of them when `from` is null), in that order,
 * as an index range does without sorting. Keys may repeat: the documents of the last key read are
 * asked for again and skipped, so a page boundary inside a run of equal keys drops none. Each page's
 * new documents go to `onPage`; resolves when the last page has been read (or the reader stopped).
 */
export async function readInPages<T extends { id: string }>(
	fetchPage: (from: string | null, limit: number) => Promise<T[]>,
	keyOf: (doc: T) => string,
	onPage: (docs: T[]) => void,
	opts: PagedReadOptions
): Promise<void> {
	const seen = new Set<string>();
	let from: string | null = null;
	/** Documents of the page just read whose key is `from`: they come again at the start of the next page. */
	let again = 0;
	let extra = 0;
	for (let first = true; ; first = false) {
		if (opts.stopped?.()) return;
		if (!first) await opts.pause();
		if (opts.stopped?.()) return;
		const limit = opts.size + again + extra;
		const docs = await fetchPage(from, limit);
		const fresh = docs.filter((d) => !seen.has(d.id));
		for (const d of fresh) seen.add(d.id);
		if (fresh.length) onPage(fresh);
		if (docs.length < limit) return;
		const last = keyOf(docs[docs.length - 1]);
		// A full page with nothing new at the same key (documents moved under the reader): ask for more.
		extra = !fresh.length && last === from ? extra + opts.size : 0;
		again = docs.filter((d) => keyOf(d) === last).length;
		from = last;
	}
}

/** A pause that lets the browser run what waits (a task, not a microtask). */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
