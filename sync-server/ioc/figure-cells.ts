import { bucketOf, quantileDense, SKETCH_BUCKETS } from '$lib/domain/duration-sketch';
import { daysOf, dayNumber, dayString, type DayRange, type Durations } from '$lib/domain/ioc';

/**
 * Figures kept INCREMENTALLY in cells (issue 15): a document (a report, a ticket, a dossier) adds
 * its counts and durations to the cells of its day and dimensions (commune, category, unit; office,
 * service, counter …), and to the same cells of its MONTH; when it changes, its old contribution is
 * taken back and the new one added. A question adds up cells: whole months from the month cells, the
 * days at either end from the day cells — a year is 12 months and a few edge days, not 365 days of
 * thousands of cells (measured at a million reports: docs/BENCHMARKS.md).
 *
 * A contribution is a pure function of the document (its "fact"), so "kept as changes came" and
 * "rebuilt from scratch" are the same fold and give the same figures: counts add and subtract
 * exactly and durations are bucket counts (duration-sketch.ts), which do too. Each document is
 * remembered with its revision's generation: an older revision seen after a newer one (another
 * instance's write read late) changes nothing, a deletion included.
 *
 * Kept lean for a million documents (measured: docs/BENCHMARKS.md): a cell's counts are a plain array,
 * its durations sparse [duration, bucket, count] triples (a day's cell holds a report or two); a
 * document remembers the cells it added to (no key is built again to take it back), its counts as a
 * bit mask and its (at most two) durations as numbers.
 */

/** What a caller says a document adds. */
export interface Fact<C extends string, D extends string> {
	/** Revision generation of the document this fact was computed from. */
	gen: number;
	day: string;
	/** The cells it adds to (each a tuple of dimension values). */
	cells: readonly (readonly string[])[];
	counts: Partial<Record<C, 1>>;
	durations: Partial<Record<D, number>>;
}

export interface Cell {
	dims: readonly string[];
	/** By count index (`countIndex`): a plain array of small integers (lighter than a typed array). */
	counts: number[];
	/** Durations, [duration index, bucket, count, …]; null while the cell has none. */
	sketch: number[] | null;
}

/**
 * What is remembered of a document: a million of these stay in memory, so no array of durations
 * (two fields: no kind of figure here has more than two) and no typed array (~200 bytes each).
 */
interface Held {
	gen: number;
	day: string;
	mask: number;
	/** Exact durations, ms; NaN: none. */
	d0: number;
	d1: number;
	/** Its day cells, then the same cells of its month. */
	cells: Cell[];
}

const SEP = '\u0001';

function addToSketch(c: Cell, duration: number, bucket: number, times: number): void {
	const sk = (c.sketch ??= []);
	for (let i = 0; i < sk.length; i += 3)
		if (sk[i] === duration && sk[i + 1] === bucket) {
			sk[i + 2] += times;
			if (!sk[i + 2]) sk.splice(i, 3);
			if (!sk.length) c.sketch = null;
			return;
		}
	sk.push(duration, bucket, times);
}

const monthOf = (day: string) => day.slice(0, 7);

/** A range as whole months and the days left at either end. */
export function splitRange(range: DayRange): { days: string[]; months: string[] } {
	const days: string[] = [];
	const months: string[] = [];
	let d = dayNumber(range.from);
	const end = dayNumber(range.to);
	while (d <= end) {
		const day = dayString(d);
		const first = day.endsWith('-01');
		const next = first ? dayNumber(dayString(d + 31).slice(0, 7) + '-01') : d + 1; // the first of the next month
		if (first && next - 1 <= end) {
			months.push(monthOf(day));
			d = next;
		} else {
			days.push(day);
			d++;
		}
	}
	return { days, months };
}

export function createFigureCells<C extends string, D extends string>(countNames: readonly C[], durationNames: readonly D[]) {
	if (durationNames.length > 2) throw new Error('figure cells keep at most two durations per document');
	if (countNames.length > 31) throw new Error('figure cells keep at most 31 counts (a bit mask)');
	const levels = { day: new Map<string, Map<string, Cell>>(), month: new Map<string, Map<string, Cell>>() };
	const held = new Map<string, Held>();
	/** Revision generations of documents that left the figures (deleted, or no longer counted). */
	const gone = new Map<string, number>();
	/** Day strings shared by every document of the day (a million copies of "2026-12-05" otherwise). */
	const dayNames = new Map<string, string>();
	const countIndex = new Map(countNames.map((c, i) => [c, i]));

	function cellOf(level: Map<string, Map<string, Cell>>, period: string, dims: readonly string[]): Cell {
		let m = level.get(period);
		if (!m) level.set(period, (m = new Map()));
		const key = dims.join(SEP);
		let c = m.get(key);
		if (!c) m.set(key, (c = { dims, counts: new Array<number>(countNames.length).fill(0), sketch: null }));
		return c;
	}

	function apply(h: Held, times: 1 | -1): void {
		for (const c of h.cells) {
			for (let i = 0, m = h.mask; m; i++, m >>>= 1) if (m & 1) c.counts[i] += times;
			if (!Number.isNaN(h.d0)) addToSketch(c, 0, bucketOf(h.d0), times);
			if (!Number.isNaN(h.d1)) addToSketch(c, 1, bucketOf(h.d1), times);
		}
		// Every fact counts its first count (received, taken): a cell at 0 there holds nobody.
		if (times < 0)
			h.cells.forEach((c, i) => {
				if (c.counts[0]) return;
				const [level, period] = i < h.cells.length / 2 ? [levels.day, h.day] : [levels.month, monthOf(h.day)];
				const m = level.get(period);
				m?.delete(c.dims.join(SEP));
				if (m && !m.size) level.delete(period);
			});
	}

	function hold(f: Fact<C, D>): Held {
		let day = dayNames.get(f.day);
		if (!day) dayNames.set(f.day, (day = f.day));
		let mask = 0;
		for (const k in f.counts) mask |= 1 << countIndex.get(k as C)!;
		const d0 = durationNames.length > 0 ? (f.durations[durationNames[0]] ?? Number.NaN) : Number.NaN;
		const d1 = durationNames.length > 1 ? (f.durations[durationNames[1]] ?? Number.NaN) : Number.NaN;
		const cells: Cell[] = [];
		for (const dims of f.cells) cells.push(cellOf(levels.day, day, dims));
		const month = monthOf(day);
		for (const dims of f.cells) cells.push(cellOf(levels.month, month, dims));
		return { gen: f.gen, day, mask, d0, d1, cells };
	}

	return {
		/** Takes in a document's fact (null: it leaves the figures). False when the revision was older than one seen. */
		update(id: string, fact: Fact<C, D> | null, gen: number): boolean {
			const old = held.get(id);
			const seen = old?.gen ?? gone.get(id);
			if (seen && gen && gen < seen) return false;
			if (old) apply(old, -1);
			if (fact) {
				const h = hold(fact);
				apply(h, 1);
				held.set(id, h);
				gone.delete(id);
			} else {
				held.delete(id);
				if (gen) gone.set(id, gen);
			}
			return true;
		},
		/**
		 * The cells that add up to `range`, each with its period: whole months ("YYYY-MM") from the
		 * month cells, the days at either end ("YYYY-MM-DD") from the day cells.
		 */
		*cells(range: DayRange): Generator<[string, Cell]> {
			const { days, months } = splitRange(range);
			for (const period of [...months, ...days]) {
				const m = (period.length === 7 ? levels.month : levels.day).get(period);
				if (m) for (const c of m.values()) yield [period, c];
			}
		},
		/** Day cells only, each with its day (a day-by-day series). */
		*cellsByDay(range: DayRange): Generator<[string, Cell]> {
			for (const day of daysOf(range)) {
				const m = levels.day.get(day);
				if (m) for (const c of m.values()) yield [day, c];
			}
		},
		/** A count of a cell by name. */
		count: (c: Cell, name: C): number => c.counts[countIndex.get(name)!],
		/** Every document as its fact (the export of one row each), in the order first taken in. */
		*facts(): Generator<[string, Fact<C, D>]> {
			for (const [id, h] of held) {
				const counts: Partial<Record<C, 1>> = {};
				countNames.forEach((c, i) => {
					if (h.mask & (1 << i)) counts[c] = 1;
				});
				const durations: Partial<Record<D, number>> = {};
				if (!Number.isNaN(h.d0)) durations[durationNames[0]] = h.d0;
				if (!Number.isNaN(h.d1)) durations[durationNames[1]] = h.d1;
				yield [id, { gen: h.gen, day: h.day, cells: h.cells.slice(0, h.cells.length / 2).map((c) => c.dims), counts, durations }];
			}
		},
		size: () => held.size,
		/** How many cells are kept (day level, month level): what the memory goes to. */
		cellCount: () => ({
			day: [...levels.day.values()].reduce((n, m) => n + m.size, 0),
			month: [...levels.month.values()].reduce((n, m) => n + m.size, 0)
		})
	};
}

/** A running sum of cells: counts and dense sketches (arrays indexed by bucket). */
export class CellSum<C extends string, D extends string> {
	private readonly n: Float64Array;
	private readonly sk: Float64Array[];
	constructor(
		private readonly countNames: readonly C[],
		private readonly durationNames: readonly D[]
	) {
		this.n = new Float64Array(countNames.length);
		this.sk = durationNames.map(() => new Float64Array(SKETCH_BUCKETS));
	}
	add(c: Cell): void {
		for (let i = 0; i < this.n.length; i++) this.n[i] += c.counts[i];
		const sk = c.sketch;
		if (sk) for (let i = 0; i < sk.length; i += 3) this.sk[sk[i]][sk[i + 1]] += sk[i + 2];
	}
	get counts(): Record<C, number> {
		return Object.fromEntries(this.countNames.map((k, i) => [k, this.n[i]])) as Record<C, number>;
	}
	durations(name: D): Durations {
		const acc = this.sk[this.durationNames.indexOf(name)];
		let n = 0;
		for (let b = 0; b < acc.length; b++) n += acc[b];
		return { p50Ms: quantileDense(acc, 0.5), p90Ms: quantileDense(acc, 0.9), n };
	}
}

/** Sums per key: `into(key, cell)`, then `rows(toFigures)` sorted by `rank`, most first. */
export function groupSums<C extends string, D extends string>(countNames: readonly C[], durationNames: readonly D[]) {
	const m = new Map<string, CellSum<C, D>>();
	return {
		into(key: string, c: Cell) {
			let s = m.get(key);
			if (!s) m.set(key, (s = new CellSum(countNames, durationNames)));
			s.add(c);
		},
		rows<F>(toFigures: (s: CellSum<C, D>, key: string) => F, rank: (f: F) => number): { key: string; figures: F }[] {
			return [...m]
				.map(([key, s]) => ({ key, figures: toFigures(s, key) }))
				.sort((a, b) => rank(b.figures) - rank(a.figures) || (a.key < b.key ? -1 : 1));
		}
	};
}
