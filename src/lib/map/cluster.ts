import type { LatLng } from './map-view';

/**
 * Grid clustering of map markers, pure (no Leaflet): points are placed on Web Mercator's pixel grid at
 * the map's zoom and those sharing a cell of `cellPx` screen pixels are one cluster. The grid is fixed
 * to the world, not the screen, so panning never regroups markers, and since a cell at zoom z+1 is a
 * quarter of one at z, zooming in only ever splits a cluster, never moves a marker to another one.
 * Chosen over Leaflet.markercluster (≈ 34 KB minified + CSS, measured in the report) for a page
 * whose blocking time is borderline: this is under 1 KB and fits a ward's few hundred reports.
 */

export interface Cluster<T> extends LatLng {
	/** Members, in the order given. */
	items: T[];
	count: number;
	/** A key that is the same for the same members at the same zoom (Svelte/Leaflet can keep the element). */
	key: string;
	/** Corners of the members' extent: what a tap zooms to. */
	south: number;
	west: number;
	north: number;
	east: number;
}

/** A cell a thumb can hit; small enough that reports ≈ 110 m apart part at zoom 16 (a tenant's usual maximum). */
export const CLUSTER_CELL_PX = 48;
const TILE = 256;
const MAX_LAT = 85.05112878;

/** Web Mercator world pixel of a point at a zoom (what Leaflet's project() gives with its default CRS). */
export function worldPixel(p: LatLng, zoom: number): { x: number; y: number } {
	const size = TILE * 2 ** zoom;
	const lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, p.lat));
	const s = Math.sin((lat * Math.PI) / 180);
	return { x: ((p.lng + 180) / 360) * size, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size };
}

const cellOf = (p: LatLng, zoom: number, cellPx: number) => {
	const { x, y } = worldPixel(p, zoom);
	return `${Math.floor(x / cellPx)}:${Math.floor(y / cellPx)}`;
};

/** Groups points by grid cell at a whole zoom level; each cluster sits at its members' mean. */
export function clusterPoints<T>(items: readonly T[], pointOf: (t: T) => LatLng, zoom: number, cellPx = CLUSTER_CELL_PX): Cluster<T>[] {
	const z = Math.round(zoom);
	const cells = new Map<string, T[]>();
	for (const item of items) {
		const p = pointOf(item);
		if (!Number.isFinite(p.lat) || !Number.isFinite(p.lng)) continue;
		const key = cellOf(p, z, cellPx);
		const list = cells.get(key);
		if (list) list.push(item);
		else cells.set(key, [item]);
	}
	return [...cells].map(([key, members]) => {
		let lat = 0, lng = 0, south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
		for (const m of members) {
			const p = pointOf(m);
			lat += p.lat;
			lng += p.lng;
			south = Math.min(south, p.lat);
			north = Math.max(north, p.lat);
			west = Math.min(west, p.lng);
			east = Math.max(east, p.lng);
		}
		return { lat: lat / members.length, lng: lng / members.length, items: members, count: members.length, key: `${z}:${key}`, south, west, north, east };
	});
}

/**
 * The zoom a tap on a cluster goes to: the first one above `zoom` at which its members fall into more
 * than one cell; `maxZoom` when they never do (reports filed at the same spot).
 */
export function splitZoom(points: readonly LatLng[], zoom: number, maxZoom: number, cellPx = CLUSTER_CELL_PX): number {
	for (let z = Math.round(zoom) + 1; z <= maxZoom; z++) {
		const first = points[0] && cellOf(points[0], z, cellPx);
		if (points.some((p) => cellOf(p, z, cellPx) !== first)) return z;
	}
	return maxZoom;
}
