/** Ward detection on the device, offline, against the tenant's boundaries (GeoJSON, lng/lat order). */

type Ring = number[][];
type PolygonCoords = Ring[];
export interface BoundaryFeature {
	type: 'Feature';
	properties: { code: string; name: string; nameEn?: string; [k: string]: unknown };
	geometry: { type: 'Polygon'; coordinates: PolygonCoords } | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };
}
export interface BoundaryCollection {
	type: 'FeatureCollection';
	features: BoundaryFeature[];
}

function inRing(lng: number, lat: number, ring: Ring): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

function inPolygon(lng: number, lat: number, poly: PolygonCoords): boolean {
	if (!poly.length || !inRing(lng, lat, poly[0])) return false;
	for (let h = 1; h < poly.length; h++) if (inRing(lng, lat, poly[h])) return false;
	return true;
}

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
