/**
 * Is a polygon valid as a zoning area? Pure planar checks on one polygon's rings (shell first, then
 * holes), in whatever plane the file came in (VN-2000 metres or WGS 84 degrees: at a ward's scale the
 * conversion keeps the topology, and checking the numbers the admin sent is what lets the report
 * point at their data). A zone that crosses itself has no "inside": point-in-zone answers would
 * depend on the algorithm, so such a feature is refused rather than repaired.
 *
 * Intersections: sort-and-sweep on x over all the polygon's segments, so a plan-size ring (a few
 * thousand vertices) costs far less than the all-pairs n²; a pathological ring degrades to n², which
 * the importer's vertex cap bounds.
 */

export type Pt = readonly [number, number];
export type Ring = readonly Pt[];

export type PolygonProblem = 'ring-too-short' | 'ring-not-closed' | 'self-intersection' | 'hole-outside-shell' | 'hole-in-hole' | 'too-complex';

/**
 * Segment-pair comparisons left for a whole import. The sweep is fast on real boundaries, but a
 * crafted comb of long parallel segments makes it n²; with the 2-million-vertex cap that would be
 * hours of CPU. A shared budget turns that into a per-feature 'too-complex' refusal instead.
 */
export interface CheckBudget {
	comparisons: number;
}
export const DEFAULT_COMPARISONS = 300_000_000;

/** Ring shape: ≥ 4 positions, first = last. */
export function ringShapeProblem(ring: Ring): PolygonProblem | null {
	if (ring.length < 4) return 'ring-too-short';
	const a = ring[0], b = ring[ring.length - 1];
	if (a[0] !== b[0] || a[1] !== b[1]) return 'ring-not-closed';
	// A closed ring needs three distinct corners to enclose anything.
	const distinct = new Set(ring.map((p) => `${p[0]},${p[1]}`));
	if (distinct.size < 3) return 'ring-too-short';
	return null;
}

/** Twice the signed area (positive = counter-clockwise); 0 for three collinear points. */
function orient(a: Pt, b: Pt, c: Pt): number {
	return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function onSegment(a: Pt, b: Pt, p: Pt): boolean {
	return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

const same = (p: Pt, q: Pt) => p[0] === q[0] && p[1] === q[1];

interface Seg {
	a: Pt;
	b: Pt;
	ring: number;
	/** Index of the segment within its ring (after dropping repeated points). */
	i: number;
	minX: number;
	maxX: number;
}

/** Consecutive repeated points are harmless (some tools emit them); drop them so no segment is a point. */
function dedupe(ring: Ring): Pt[] {
	const out: Pt[] = [];
	for (const p of ring) if (!out.length || !same(out[out.length - 1], p)) out.push(p);
	return out;
}

/**
 * How two segments meet. 'none'; 'touch' = they share exactly one point that is an endpoint of at
 * least one of them; 'cross' = they cross properly or overlap along a stretch.
 */
function meet(s: Seg, t: Seg): 'none' | 'touch' | 'cross' {
	const o1 = orient(s.a, s.b, t.a), o2 = orient(s.a, s.b, t.b);
	const o3 = orient(t.a, t.b, s.a), o4 = orient(t.a, t.b, s.b);
	if (o1 === 0 && o2 === 0) {
		// Collinear: overlap along a stretch, a shared endpoint only, or apart.
		const axis = s.a[0] !== s.b[0] ? 0 : 1;
		const [s0, s1] = [Math.min(s.a[axis], s.b[axis]), Math.max(s.a[axis], s.b[axis])];
		const [t0, t1] = [Math.min(t.a[axis], t.b[axis]), Math.max(t.a[axis], t.b[axis])];
		const lo = Math.max(s0, t0), hi = Math.min(s1, t1);
		if (lo > hi) return 'none';
		return lo === hi ? 'touch' : 'cross';
	}
	if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return 'cross';
	if ((o1 === 0 && onSegment(s.a, s.b, t.a)) || (o2 === 0 && onSegment(s.a, s.b, t.b)) || (o3 === 0 && onSegment(t.a, t.b, s.a)) || (o4 === 0 && onSegment(t.a, t.b, s.b)))
		return 'touch';
	return 'none';
}

/** Neighbours in the same ring share an endpoint by construction; that touch is not a fault. */
function adjacent(s: Seg, t: Seg, ringSegs: number[]): boolean {
	if (s.ring !== t.ring) return false;
	const n = ringSegs[s.ring];
	const d = Math.abs(s.i - t.i);
	return d === 1 || d === n - 1;
}

/**
 * True when some ring crosses or touches itself (other than at its neighbours' shared corners), or two
 * rings cross or overlap along a stretch. Two rings touching at a single point is allowed (OGC simple
 * features allow a hole to touch its shell at one point).
 */
export function hasSelfIntersection(rings: Ring[], budget: CheckBudget = { comparisons: DEFAULT_COMPARISONS }): boolean | 'too-complex' {
	const segs: Seg[] = [];
	const ringSegs: number[] = [];
	rings.forEach((raw, r) => {
		const ring = dedupe(raw);
		ringSegs.push(ring.length - 1);
		for (let i = 0; i + 1 < ring.length; i++) {
			const a = ring[i], b = ring[i + 1];
			segs.push({ a, b, ring: r, i, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]) });
		}
	});
	segs.sort((s, t) => s.minX - t.minX);
	let active: Seg[] = [];
	for (const s of segs) {
		active = active.filter((t) => t.maxX >= s.minX);
		budget.comparisons -= active.length;
		if (budget.comparisons < 0) return 'too-complex';
		for (const t of active) {
			const m = meet(s, t);
			if (m === 'none') continue;
			if (adjacent(s, t, ringSegs)) {
				// Neighbours meet at their shared corner; folding back along each other is a fault.
				if (m === 'cross') return true;
				continue;
			}
			if (m === 'cross' || s.ring === t.ring) return true;
		}
		active.push(s);
	}
	return false;
}

/** Ray casting: 1 inside, 0 on the boundary, -1 outside. */
export function pointInRing(p: Pt, ring: Ring): 1 | 0 | -1 {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const a = ring[i], b = ring[j];
		if (orient(a, b, p) === 0 && onSegment(a, b, p)) return 0;
		if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
	}
	return inside ? 1 : -1;
}

/**
 * With no crossings (checked first), a ring lies wholly on one side of another, so its first vertex
 * off the other's boundary tells which side.
 */
function ringInside(inner: Ring, outer: Ring): boolean {
	for (const p of inner) {
		const w = pointInRing(p, outer);
		if (w !== 0) return w === 1;
	}
	// Every vertex on the boundary: the same ring drawn twice, which adds nothing inside.
	return false;
}

/** Validity of one polygon (shell + holes); null when valid. */
export function polygonProblem(rings: Ring[], budget?: CheckBudget): PolygonProblem | null {
	for (const ring of rings) {
		const p = ringShapeProblem(ring);
		if (p) return p;
	}
	const crossing = hasSelfIntersection(rings, budget);
	if (crossing === 'too-complex') return crossing;
	if (crossing) return 'self-intersection';
	const [shell, ...holes] = rings;
	for (const h of holes) if (!ringInside(h, shell)) return 'hole-outside-shell';
	// Holes must not nest (a hole in a hole would be an island the plan cannot express this way). The
	// bounding boxes rule out almost every pair before the O(n) ring test.
	const boxes = holes.map(box);
	for (let i = 0; i < holes.length; i++)
		for (let j = 0; j < holes.length; j++)
			if (i !== j && contains(boxes[j], boxes[i]) && ringInside(holes[i], holes[j])) return 'hole-in-hole';
	return null;
}

type Box = [number, number, number, number];

function box(ring: Ring): Box {
	let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
	for (const [x, y] of ring) {
		if (x < minX) minX = x;
		if (x > maxX) maxX = x;
		if (y < minY) minY = y;
		if (y > maxY) maxY = y;
	}
	return [minX, minY, maxX, maxY];
}

const contains = (outer: Box, inner: Box) => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
