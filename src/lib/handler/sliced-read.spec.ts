import { describe, expect, it } from 'vitest';
import { LiveSet, readInPages, type Revisioned } from './sliced-read';

interface Doc extends Revisioned {
	at: string;
}

const doc = (id: string, at: string, rev = '1-a'): Doc => ({ id, at, _rev: rev });

/** An index range over `docs` by (at, id), as the replica's storage answers a limited query. */
function store(docs: Doc[]) {
	const calls: { from: string | null; limit: number }[] = [];
	const sorted = () => [...docs].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return {
		docs,
		calls,
		fetch: async (from: string | null, limit: number) => {
			calls.push({ from, limit });
			return sorted()
				.filter((d) => from === null || d.at >= from)
				.slice(0, limit);
		}
	};
}

async function readAll(s: ReturnType<typeof store>, size: number, between?: (page: number) => void) {
	const pages: string[][] = [];
	await readInPages(s.fetch, (d) => d.at, (docs) => pages.push(docs.map((d) => d.id)), {
		size,
		pause: async () => between?.(pages.length)
	});
	return pages;
}

describe('readInPages', () => {
	it('reads every document once, in pages of the given size, in index order', async () => {
		const s = store(Array.from({ length: 25 }, (_, i) => doc(`r${String(i).padStart(2, '0')}`, `2026-01-${String(i + 1).padStart(2, '0')}`)));
		const pages = await readAll(s, 10);
		expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
		expect(pages.flat()).toEqual(s.docs.map((d) => d.id));
	});

	it('drops none and repeats none when a run of equal keys is longer than a page', async () => {
		const same = Array.from({ length: 7 }, (_, i) => doc(`s${i}`, '2026-02-01'));
		const s = store([doc('a', '2026-01-01'), doc('b', '2026-01-02'), ...same, doc('z', '2026-03-01')]);
		const read = (await readAll(s, 3)).flat();
		expect(read).toEqual(['a', 'b', 's0', 's1', 's2', 's3', 's4', 's5', 's6', 'z']);
		expect(new Set(read).size).toBe(read.length);
		// Each page still brings a page of new documents: the run is not read over and over.
		expect(s.calls).toHaveLength(4);
	});

	it('still reads the documents after a page boundary when one already read is deleted meanwhile', async () => {
		const s = store(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => doc(id, '2026-01-01')));
		const read = await readAll(s, 2, (page) => {
			if (page === 1) s.docs.splice(0, 1);
		});
		expect(read.flat()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
	});

	it('stops when asked', async () => {
		const s = store(Array.from({ length: 30 }, (_, i) => doc(`r${String(i).padStart(2, '0')}`, `2026-01-${String(i + 1).padStart(2, '0')}`)));
		let stop = false;
		const pages: string[][] = [];
		await readInPages(s.fetch, (d) => d.at, (docs) => pages.push(docs.map((d) => d.id)), {
			size: 10,
			pause: async () => void (stop = true),
			stopped: () => stop
		});
		expect(pages).toHaveLength(1);
	});
});

describe('LiveSet', () => {
	it('keeps a change streamed while a page was read over the older state the page holds', () => {
		const set = new LiveSet<Doc>();
		set.change({ ...doc('r1', '2026-01-01', '3-c'), description: 'new' } as Doc);
		set.read(doc('r1', '2026-01-01', '2-b'));
		expect(set.values()).toEqual([expect.objectContaining({ id: 'r1', _rev: '3-c' })]);
	});

	it('takes a page newer than what was streamed, and does not bring back a deleted document', () => {
		const set = new LiveSet<Doc>();
		set.change(doc('r1', '2026-01-01', '1-a'));
		set.read(doc('r1', '2026-01-01', '2-b'));
		set.change({ ...doc('r2', '2026-01-02', '4-d'), _deleted: true });
		set.read(doc('r2', '2026-01-02', '3-c'));
		expect(set.values().map((d) => [d.id, d._rev])).toEqual([['r1', '2-b']]);
		expect(set.size).toBe(1);
	});
});
