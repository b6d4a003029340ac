import type { BoundaryCollection, BoundaryFeature } from './geo';

/**
 * The ward boundaries in a compact form for the wire and the phone's storage (GeoJSON stays the
 * tenant's file and the server's own form). Measured on the shipped provinces (lam-dong, 63,713
 * points): GeoJSON 1,346 KB / 304 KB brotli; rings as delta integers 493 KB / 185 KB; shared arcs
 * (below) 286 KB / 108 KB. A varint binary of the same arcs would be ~98 KB brotli: 10 % less for a
 * format no tool can read and a decoder of its own, so JSON it is.
 *
 * - Shared arcs, as TopoJSON: two neighbouring wards draw their common border from the same points,
 *   so each ring is cut where three or more edges meet (a point with more than two distinct
 *   neighbours) and every piece between two cuts is stored once, walked forwards or backwards.
 *   This halves the points (lam-dong: 35,780 arc points for 63,577 ring points).
 * - Integers at the data's own precision: the smallest power of ten (≤ 1e9) at which every
 *   coordinate comes back as the same double (n / scale is correctly rounded, so a coordinate
 *   written with 5 decimals comes back exactly at 1e5). Each arc is its first point and then the
 *   steps between points.
 *
 * Lossless for positions of two numbers: decodeBoundaries(encodeBoundaries(x)) deep-equals x
 * (a third coordinate, an altitude, is dropped; coordinates finer than 1e-9° are rounded to it).
 */

export const COMPACT_FORMAT = 'cau-noi-boundaries';
export const COMPACT_VERSION = 1;

/**
 * A ring: `[start, ...arcRefs]`. An arc ref is the arc's index, or `~index` walked backwards. The
 * arcs, joined (each one's first point dropped after the first arc… see `ringOf`), give the ring's
 * points from its first cut; `start` rotates them back to where the ring began. `start < 0`
 * (`~start`) marks a ring that was not closed (its last point is not its first).
 */
export type CompactRing = number[];

export interface CompactFeature {
	id?: string | number;
	properties: BoundaryFeature['properties'];
	/** A MultiPolygon (else a Polygon: `polygons` then has exactly one entry). */
	multi?: true;
	polygons: CompactRing[][];
}

export interface CompactBoundaries {
	format: typeof COMPACT_FORMAT;
	version: typeof COMPACT_VERSION;
	/** Coordinates are integers of 1/scale degree. */
	scale: number;
	/** Each arc: x0, y0, then dx, dy per further point (lng, lat order, as GeoJSON). */
	arcs: number[][];
	features: CompactFeature[];
}

export function isCompactBoundaries(v: unknown): v is CompactBoundaries {
	const c = v as CompactBoundaries | null;
	return !!c && c.format === COMPACT_FORMAT && c.version === COMPACT_VERSION && Array.isArray(c.arcs) && Array.isArray(c.features);
}

type Pt = [number, number];
const polygonsOf = (f: BoundaryFeature) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates);

/** The smallest 10^k at which every coordinate survives the trip to an integer and back. */
function scaleOf(values: number[]): number {
	for (let k = 0; k < 9; k++) {
		const s = 10 ** k;
		if (values.every((v) => Math.round(v * s) / s === v)) return s;
	}
	return 1e9;
}

export function encodeBoundaries(collection: BoundaryCollection): CompactBoundaries {
	const values: number[] = [];
	for (const f of collection.features) for (const p of polygonsOf(f)) for (const r of p) for (const c of r) values.push(c[0], c[1]);
	const scale = scaleOf(values);

	interface RingIn { pts: Pt[]; closed: boolean }
	const rings: RingIn[][][] = collection.features.map((f) =>
		polygonsOf(f).map((p) =>
			p.map((r) => {
				const closed = r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];
				const pts = (closed ? r.slice(0, -1) : r).map((c): Pt => [Math.round(c[0] * scale), Math.round(c[1] * scale)]);
				return { pts, closed };
			})
		)
	);
	const key = (p: Pt) => `${p[0]},${p[1]}`;
	const neighbours = new Map<string, Set<string>>();
	for (const { pts } of rings.flat(2))
		pts.forEach((p, i) => {
			const k = key(p);
			let s = neighbours.get(k);
			if (!s) neighbours.set(k, (s = new Set()));
			s.add(key(pts[(i + 1) % pts.length]));
			s.add(key(pts[(i - 1 + pts.length) % pts.length]));
		});

	const arcs: Pt[][] = [];
	const arcIndex = new Map<string, number>();
	const cutRing = ({ pts, closed }: RingIn): CompactRing => {
		const n = pts.length;
		if (!n) return [closed ? 0 : ~0];
		let cuts = pts.flatMap((p, i) => (neighbours.get(key(p))!.size > 2 ? [i] : []));
		// A ring that meets no other edge (an island, or a ward enclosed in another) is cut at its
		// smallest point, so the enclosing ward's hole is cut at the same place and shares the arc.
		if (!cuts.length) {
			let m = 0;
			for (let i = 1; i < n; i++) if (pts[i][0] < pts[m][0] || (pts[i][0] === pts[m][0] && pts[i][1] < pts[m][1])) m = i;
			cuts = [m];
		}
		const refs: number[] = [closed ? cuts[0] : ~cuts[0]];
		cuts.forEach((a, j) => {
			const b = cuts[(j + 1) % cuts.length];
			const seq: Pt[] = [];
			let i = a;
			do {
				seq.push(pts[i]);
				i = (i + 1) % n;
			} while (i !== b);
			seq.push(pts[b]);
			const k = seq.map(key).join(';');
			const found = arcIndex.get(k);
			if (found !== undefined) return refs.push(found);
			const back = arcIndex.get(seq.map(key).reverse().join(';'));
			if (back !== undefined) return refs.push(~back);
			arcIndex.set(k, arcs.length);
			refs.push(arcs.length);
			arcs.push(seq);
		});
		return refs;
	};

	// Cut first: the arcs are collected while the rings are cut.
	const features = collection.features.map((f, i): CompactFeature => ({
		...(f.id === undefined ? {} : { id: f.id }),
		properties: f.properties,
		...(f.geometry.type === 'MultiPolygon' ? { multi: true as const } : {}),
		polygons: rings[i].map((p) => p.map(cutRing))
	}));
	return {
		format: COMPACT_FORMAT,
		version: COMPACT_VERSION,
		scale,
		arcs: arcs.map((seq) => {
			const out: number[] = [];
			let px = 0, py = 0;
			for (const [x, y] of seq) {
				out.push(x - px, y - py);
				px = x;
				py = y;
			}
			return out;
		}),
		features
	};
}

/** The features of the compact form, as GeoJSON (the lookups of domain/geo.ts read that). */
export function decodeBoundaries(compact: CompactBoundaries): BoundaryCollection {
	const { scale } = compact;
	// Each arc's points once, as degrees; rings share them read-only.
	const arcs = compact.arcs.map((d) => {
		const pts: number[][] = new Array(d.length / 2);
		let x = 0, y = 0;
		for (let i = 0; i < d.length; i += 2) {
			x += d[i];
			y += d[i + 1];
			pts[i / 2] = [x / scale, y / scale];
		}
		return pts;
	});
	const ringOf = ([start, ...refs]: CompactRing): number[][] => {
		const joined: number[][] = [];
		for (const ref of refs) {
			const arc = ref < 0 ? arcs[~ref].slice().reverse() : arcs[ref];
			// The last point of each arc is the first of the next (the last arc's, the ring's first).
			for (let i = 0; i < arc.length - 1; i++) joined.push([arc[i][0], arc[i][1]]);
		}
		const closed = start >= 0;
		const from = closed ? start : ~start;
		const n = joined.length;
		const ring = n ? Array.from({ length: n }, (_, i) => joined[(i - from + n) % n]) : [];
		if (closed && n) ring.push([ring[0][0], ring[0][1]]);
		return ring;
	};
	return {
		type: 'FeatureCollection',
		features: compact.features.map((f): BoundaryFeature => {
			const polygons = f.polygons.map((p) => p.map(ringOf));
			return {
				type: 'Feature',
				...(f.id === undefined ? {} : { id: f.id }),
				properties: f.properties,
				geometry: f.multi ? { type: 'MultiPolygon', coordinates: polygons } : { type: 'Polygon', coordinates: polygons[0] ?? [] }
			} as BoundaryFeature;
		})
	};
}
