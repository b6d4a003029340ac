/**
 * Geometry for zoning look-ups and ward detection (GeoJSON order: [lng, lat], WGS 84), without zod so
 * a device can use it on its own. A bare ray cast leaves a point on an edge to chance; these answers
 * must not: a point on a zone's edge (a lot line, a hole's rim) belongs to that zone, so a tap on the
 * line between two zones always finds one (and a fix on a ward's boundary finds a ward: geo.ts).
 */

export type Position = number[];
export type Ring = Position[];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Ring[] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Ring[][] };
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;
export type BBox = [minLng: number, minLat: number, maxLng: number, maxLat: number];

/** Where a point lies against an area. */
export type Placement = 'inside' | 'edge' | 'outside';

/**
 * A tolerance in degrees for "on the edge": ~1 cm at Vietnam's latitudes. Coordinates are stored to 6
 * decimals (~11 cm), so a point typed from a printed corner lands on the edge, not beside it.
 */
const EDGE_EPS = 1e-7;

function onSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): boolean {
	if (x < Math.min(ax, bx) - EDGE_EPS || x > Math.max(ax, bx) + EDGE_EPS) return false;
	if (y < Math.min(ay, by) - EDGE_EPS || y > Math.max(ay, by) + EDGE_EPS) return false;
	const dx = bx - ax, dy = by - ay;
	const len = Math.hypot(dx, dy);
	if (len === 0) return Math.hypot(x - ax, y - ay) <= EDGE_EPS;
	// Distance from the point to the segment's line, in degrees.
	return Math.abs(dx * (y - ay) - dy * (x - ax)) / len <= EDGE_EPS;
}

/** A ring against a point: its edge first (exact), then the even-odd ray cast. */
export function ringPlacement(lng: number, lat: number, ring: Ring): Placement {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (onSegment(lng, lat, xj, yj, xi, yi)) return 'edge';
		if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside ? 'inside' : 'outside';
}

/** A polygon (outer ring, then holes): a point in a hole is outside, one on a hole's rim is on the edge. */
export function polygonPlacement(lng: number, lat: number, rings: Ring[]): Placement {
	if (!rings.length) return 'outside';
	const outer = ringPlacement(lng, lat, rings[0]);
	if (outer !== 'inside') return outer;
	for (let h = 1; h < rings.length; h++) {
		const p = ringPlacement(lng, lat, rings[h]);
		if (p === 'edge') return 'edge';
		if (p === 'inside') return 'outside';
	}
	return 'inside';
}

export const polygonsOf = (g: AreaGeometry): Ring[][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** Inside any part wins over an edge of another part. */
export function placement(lng: number, lat: number, g: AreaGeometry): Placement {
	let edge = false;
	for (const rings of polygonsOf(g)) {
		const p = polygonPlacement(lng, lat, rings);
		if (p === 'inside') return 'inside';
		if (p === 'edge') edge = true;
	}
	return edge ? 'edge' : 'outside';
}

export function bboxOf(g: AreaGeometry): BBox {
	let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
	for (const rings of polygonsOf(g))
		for (const [x, y] of rings[0] ?? []) {
			if (x < minX) minX = x;
			if (x > maxX) maxX = x;
			if (y < minY) minY = y;
			if (y > maxY) maxY = y;
		}
	return [minX, minY, maxX, maxY];
}

const inBox = (lng: number, lat: number, b: BBox) =>
	lng >= b[0] - EDGE_EPS && lng <= b[2] + EDGE_EPS && lat >= b[1] - EDGE_EPS && lat <= b[3] + EDGE_EPS;

/** Area-weighted centre of the outer ring of the largest part (a label point; may fall outside a concave shape). */
export function centroidOf(g: AreaGeometry): [number, number] {
	let best: [number, number] = [NaN, NaN], bestArea = -1;
	for (const rings of polygonsOf(g)) {
		const ring = rings[0] ?? [];
		let a = 0, cx = 0, cy = 0;
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
			a += f;
			cx += (ring[j][0] + ring[i][0]) * f;
			cy += (ring[j][1] + ring[i][1]) * f;
		}
		if (Math.abs(a) > bestArea && a !== 0) {
			bestArea = Math.abs(a);
			best = [cx / (3 * a), cy / (3 * a)];
		}
	}
	return best;
}

/**
 * A grid over the items' boxes: a point look-up reads one cell's few items, never every zone (a
 * province's plan has tens of thousands). Cells are sized so an average item spans about one.
 */
export function gridIndex<T>(items: readonly T[], geometryOf: (item: T) => AreaGeometry) {
	const boxes = items.map((it) => bboxOf(geometryOf(it)));
	const all = boxes.reduce<BBox>((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);
	const n = Math.max(1, Math.min(256, Math.ceil(Math.sqrt(items.length))));
	const w = (all[2] - all[0]) / n || 1, h = (all[3] - all[1]) / n || 1;
	const col = (x: number) => Math.max(0, Math.min(n - 1, Math.floor((x - all[0]) / w)));
	const row = (y: number) => Math.max(0, Math.min(n - 1, Math.floor((y - all[1]) / h)));
	const cells = new Map<number, number[]>();
	boxes.forEach((b, i) => {
		for (let r = row(b[1]); r <= row(b[3]); r++)
			for (let c = col(b[0]); c <= col(b[2]); c++) {
				const key = r * n + c;
				const cell = cells.get(key);
				if (cell) cell.push(i);
				else cells.set(key, [i]);
			}
	});
	return {
		/** The items whose box holds the point (candidates: test their shapes), in the items' order. */
		candidates(lng: number, lat: number): T[] {
			if (!items.length || !inBox(lng, lat, all)) return [];
			return (cells.get(row(lat) * n + col(lng)) ?? []).filter((i) => inBox(lng, lat, boxes[i])).map((i) => items[i]);
		}
	};
}
