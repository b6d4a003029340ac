import { addTo, mergeInto, quantile, sketchCount, type Sketch } from '$lib/domain/duration-sketch';
import type { DayRange, Durations } from '$lib/domain/ioc';

/**
 * Figures kept INCREMENTALLY in cells (issue 15): a document (a report, a ticket, a dossier) adds
 * its counts and durations to the cells of its day and dimensions (commune, category, unit; office,
 * service, counter …); when it changes, its old contribution is taken back and the new one added.
 * A question adds up the cells of its days: no request scans the documents.
 *
 * A contribution is a pure function of the document (its "fact"), so "kept as changes came" and
 * "rebuilt from scratch" are the same fold and give the same figures: counts add and subtract
 * exactly and durations are bucket sketches (duration-sketch.ts), which do too. Each document is
 * remembered with its revision's generation: an older revision seen after a newer one (another
 * instance's write read late) changes nothing, a deletion included.
 */

export interface Fact<C extends string, D extends string> {
	/** Revision generation of the document this fact was computed from. */
	gen: number;
	day: string;
	/** The cells it adds to (each a tuple of dimension values). */
	cells: readonly (readonly string[])[];
	counts: Partial<Record<C, 1>>;
	durations: Partial<Record<D, number>>;
}

export interface Cell<C extends string, D extends string> {
	dims: readonly string[];
	counts: Record<C, number>;
	sketches: Record<D, Sketch>;
}

const SEP = '\u0001';

export function createFigureCells<C extends string, D extends string>(countNames: readonly C[], durationNames: readonly D[]) {
	const days = new Map<string, Map<string, Cell<C, D>>>();
	const facts = new Map<string, Fact<C, D>>();
	/** Revision generations of documents that left the figures (deleted, or no longer counted). */
	const gone = new Map<string, number>();
	const first = countNames[0];

	function cellOf(day: string, dims: readonly string[]): Cell<C, D> {
		let m = days.get(day);
		if (!m) days.set(day, (m = new Map()));
		const key = dims.join(SEP);
		let c = m.get(key);
		if (!c) {
			c = {
				dims,
				counts: Object.fromEntries(countNames.map((k) => [k, 0])) as Record<C, number>,
				sketches: Object.fromEntries(durationNames.map((k) => [k, {}])) as Record<D, Sketch>
			};
			m.set(key, c);
		}
		return c;
	}

	function apply(f: Fact<C, D>, times: 1 | -1) {
		for (const dims of f.cells) {
			const c = cellOf(f.day, dims);
			for (const k in f.counts) c.counts[k] += times;
			for (const k in f.durations) addTo(c.sketches[k], f.durations[k]!, times);
			// Every fact counts its first count (received, taken): a cell at 0 there is empty.
			if (!c.counts[first]) days.get(f.day)!.delete(dims.join(SEP));
		}
	}

	return {
		/** Takes in a document's fact (null: it leaves the figures). False when the revision was older than one seen. */
		update(id: string, fact: Fact<C, D> | null, gen: number): boolean {
			const old = facts.get(id);
			const seen = old?.gen ?? gone.get(id);
			if (seen && gen && gen < seen) return false;
			if (old) apply(old, -1);
			if (fact) {
				apply(fact, 1);
				facts.set(id, fact);
				gone.delete(id);
			} else {
				facts.delete(id);
				if (gen) gone.set(id, gen);
			}
			return true;
		},
		/** Every cell of the days of `range`. */
		*cells(range: DayRange): Generator<Cell<C, D>> {
			for (const day of daysOf(range)) {
				const cells = days.get(day);
				if (cells) yield* cells.values();
			}
		},
		/** Every document's fact, in the order they were first taken in (the feed's, roughly time order). */
		facts: (): IterableIterator<[string, Fact<C, D>]> => facts.entries(),
		size: () => facts.size
	};
}

const DAY_MS = 86_400_000;
function* daysOf(range: DayRange): Generator<string> {
	const end = Date.parse(`${range.to}T00:00:00Z`);
	for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= end; t += DAY_MS) yield new Date(t).toISOString().slice(0, 10);
}

/** A running sum of cells. */
export class CellSum<C extends string, D extends string> {
	readonly counts: Record<C, number>;
	readonly sketches: Record<D, Sketch>;
	constructor(countNames: readonly C[], durationNames: readonly D[]) {
		this.counts = Object.fromEntries(countNames.map((k) => [k, 0])) as Record<C, number>;
		this.sketches = Object.fromEntries(durationNames.map((k) => [k, {}])) as Record<D, Sketch>;
	}
	add(c: Cell<C, D>): void {
		for (const k in this.counts) this.counts[k] += c.counts[k];
		for (const k in this.sketches) mergeInto(this.sketches[k], c.sketches[k]);
	}
	durations(name: D): Durations {
		const s = this.sketches[name];
		return { p50Ms: quantile(s, 0.5), p90Ms: quantile(s, 0.9), n: sketchCount(s) };
	}
}

/** Sums per key: `into(key, cell)`, then `rows(toFigures)` sorted by the first count, most first. */
export function groupSums<C extends string, D extends string>(countNames: readonly C[], durationNames: readonly D[]) {
	const m = new Map<string, CellSum<C, D>>();
	return {
		into(key: string, c: Cell<C, D>) {
			let s = m.get(key);
			if (!s) m.set(key, (s = new CellSum(countNames, durationNames)));
			s.add(c);
		},
		rows<F>(toFigures: (s: CellSum<C, D>) => F, rank: (f: F) => number): { key: string; figures: F }[] {
			return [...m]
				.map(([key, s]) => ({ key, figures: toFigures(s) }))
				.sort((a, b) => rank(b.figures) - rank(a.figures) || (a.key < b.key ? -1 : 1));
		}
	};
}
