/** Ward detection on the device, offline, against the tenant's boundaries (GeoJSON, lng/lat order). */
import { polygonPlacement } from './zoning-geo';

type Ring = number[][];
type PolygonCoords = Ring[];
export interface BoundaryFeature {
	type: 'Feature';
	id?: string | number;
	properties: { code: string; name: string; nameEn?: string; [k: string]: unknown };
	geometry: { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };
}
export interface BoundaryCollection {
	type: 'FeatureCollection';
	features: BoundaryFeature[];
}

/**
 * Whether a point lies in a ward's polygon (holes are outside). A point on the boundary line counts
 * as in: the same rule, and the same code, as the zoning look-up's (zoning-geo.ts).
 */
const inPolygon = (lng: number, lat: number, poly: PolygonCoords): boolean => polygonPlacement(lng, lat, poly) !== 'outside';

function bbox(f: BoundaryFeature): [number, number, number, number] {
	let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
	const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
	for (const p of polys) for (const [x, y] of p[0] ?? []) {
		if (x < minX) minX = x;
		if (x > maxX) maxX = x;
		if (y < minY) minY = y;
		if (y > maxY) maxY = y;
	}
	return [minX, minY, maxX, maxY];
}

/** Builds a lookup over the boundaries once (bounding boxes first, then the polygons). */
export function wardLocator(collection: BoundaryCollection) {
	const items = collection.features.map((f) => ({ f, box: bbox(f) }));
	return (lat: number, lng: number): BoundaryFeature['properties'] | null => {
		for (const { f, box } of items) {
			if (lng < box[0] || lng > box[2] || lat < box[1] || lat > box[3]) continue;
			const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
			if (polys.some((p) => inPolygon(lng, lat, p))) return f.properties;
		}
		return null;
	};
}

/**
 * How far outside its ward's boundary a fix may lie and still count as in that ward: a phone's GPS
 * is often 20–100 m off (more under trees or between buildings), boundaries are simplified, and a
 * resident standing in the street that borders two wards may pick either.
 */
export const WARD_EDGE_TOLERANCE_M = 200;

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LNG_EQUATOR = 111_320;

/** Metres from (lng, lat) to the nearest edge of the rings (flat projection around the point: fine at ward scale). */
function metresToEdges(lng: number, lat: number, rings: Ring[]): number {
	const kx = M_PER_DEG_LNG_EQUATOR * Math.cos((lat * Math.PI) / 180);
	let best = Infinity;
	for (const ring of rings)
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const ax = (ring[j][0] - lng) * kx, ay = (ring[j][1] - lat) * M_PER_DEG_LAT;
			const bx = (ring[i][0] - lng) * kx, by = (ring[i][1] - lat) * M_PER_DEG_LAT;
			const dx = bx - ax, dy = by - ay;
			const len2 = dx * dx + dy * dy;
			// The closest point of segment AB to the origin (the fix).
			const t = len2 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
			const d = Math.hypot(ax + t * dx, ay + t * dy);
			if (d < best) best = d;
		}
	return best;
}

/**
 * Whether a point agrees with a ward: inside its shape, or within `toleranceM` of its edge. Built
 * once over the boundaries; answers `null` for a code that has no shape (nothing to judge by).
 * The device drops coordinates that disagree with a ward picked by hand, and the server refuses a
 * report whose coordinates disagree with its ward (`location_outside_ward`): both use this.
 */
export function wardMatcher(collection: BoundaryCollection) {
	const byCode = new Map(collection.features.map((f) => [f.properties.code, { f, box: bbox(f) }]));
	return (code: string, lat: number, lng: number, toleranceM = WARD_EDGE_TOLERANCE_M): boolean | null => {
		const item = byCode.get(code);
		if (!item) return null;
		const { f, box } = item;
		const padLat = toleranceM / M_PER_DEG_LAT;
		const padLng = toleranceM / (M_PER_DEG_LNG_EQUATOR * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
		if (lng < box[0] - padLng || lng > box[2] + padLng || lat < box[1] - padLat || lat > box[3] + padLat) return false;
		const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
		if (polys.some((p) => inPolygon(lng, lat, p))) return true;
		// Outside (or in a hole): near enough to any edge of the ward counts.
		return polys.some((p) => metresToEdges(lng, lat, p) <= toleranceM);
	};
}

/**
 * Metres from a point to every ward of the boundaries (0 inside one): the report form lists the
 * nearest wards first. Built once over the boundaries; each call measures to every edge, a few ms
 * for a province's simplified shapes.
 */
export function wardDistances(collection: BoundaryCollection) {
	const items = collection.features.map((f) => ({ code: f.properties.code, polys: f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates }));
	return (lat: number, lng: number): Map<string, number> =>
		new Map(items.map(({ code, polys }) => [code, polys.some((p) => inPolygon(lng, lat, p)) ? 0 : Math.min(...polys.map((p) => metresToEdges(lng, lat, p)))]));
}
