import type { BoundaryFeature } from '../domain/geo';

/** Pure helpers of the shared map (MapView.svelte): no Leaflet here, so they run in unit tests and on the server. */

export interface LatLng {
	lat: number;
	lng: number;
}
export interface View extends LatLng {
	zoom: number;
}
export type NudgeDirection = 'north' | 'south' | 'east' | 'west';

/** Web Mercator's equator length in metres over 256 px: metres per pixel at zoom 0. */
const EQUATOR_M_PER_PX = 156_543.034;

/**
 * The tile URL template Leaflet is given: one on the tenant's own server (`/api/tiles/…`) is placed
 * under the app's API root (a province served under `/<id>/` keeps its prefix); an absolute one as it is.
 */
export function tileUrlTemplate(tileUrl: string, apiRoot: string): string {
	return tileUrl.startsWith('/') ? apiRoot.replace(/\/$/, '') + tileUrl : tileUrl;
}

/** Ground metres one screen pixel covers at this latitude and zoom. */
export function metresPerPixel(lat: number, zoom: number): number {
	return (EQUATOR_M_PER_PX * Math.cos((lat * Math.PI) / 180)) / 2 ** zoom;
}

/**
 * The point `px` screen pixels away in a direction at this zoom: the buttons that move the pin for
 * those who cannot drag it move it as far as a short drag would, finer when zoomed in.
 */
export function nudged(p: LatLng, dir: NudgeDirection, zoom: number, px = 40): LatLng {
	const m = metresPerPixel(p.lat, zoom) * px;
	const dLat = m / 111_320;
	const dLng = m / (111_320 * Math.cos((p.lat * Math.PI) / 180));
	switch (dir) {
		case 'north':
			return { lat: p.lat + dLat, lng: p.lng };
		case 'south':
			return { lat: p.lat - dLat, lng: p.lng };
		case 'east':
			return { lat: p.lat, lng: p.lng + dLng };
		case 'west':
			return { lat: p.lat, lng: p.lng - dLng };
	}
}

type Ring = [number, number][];
const outerRings = (f: BoundaryFeature): Ring[] =>
	(f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).map((p) => p[0] as Ring).filter((r) => r && r.length > 2);

function ringArea(r: Ring): number {
	let a = 0;
	for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
	return Math.abs(a / 2);
}

/**
 * A point inside a ward, to open the map on it: the middle of the widest stretch of its largest
 * part along the latitude halfway up (a bounding-box centre can fall outside a bent ward, and the
 * pin would start in the neighbour).
 */
export function featureCentre(f: BoundaryFeature): LatLng | null {
	const ring = outerRings(f).sort((a, b) => ringArea(b) - ringArea(a))[0];
	if (!ring) return null;
	const lats = ring.map((p) => p[1]);
	const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
	const xs: number[] = [];
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > lat !== yj > lat) xs.push(xi + ((lat - yi) * (xj - xi)) / (yj - yi));
	}
	xs.sort((a, b) => a - b);
	let best: [number, number] | null = null;
	// Crossings pair up: inside between the 1st and 2nd, the 3rd and 4th, …
	for (let i = 0; i + 1 < xs.length; i += 2) if (!best || xs[i + 1] - xs[i] > best[1] - best[0]) best = [xs[i], xs[i + 1]];
	return best ? { lat, lng: (best[0] + best[1]) / 2 } : null;
}

/** How close the map opens: a GPS fix is a street, a ward a neighbourhood, the tenant its own choice. */
export const FIX_ZOOM = 17;
export const WARD_ZOOM = 15;

/**
 * Where "pick on the map" opens: the phone's fix when there is one, else the chosen ward's centre,
 * else the tenant's map centre; the zoom kept within what the tenant's base map offers.
 */
export function startView(opts: { fix?: LatLng | null; wardCentre?: LatLng | null; tenant: View; zoomRange?: { minZoom: number; maxZoom: number } }): View {
	const clamp = (z: number) => (opts.zoomRange ? Math.min(opts.zoomRange.maxZoom, Math.max(opts.zoomRange.minZoom, z)) : z);
	if (opts.fix) return { lat: opts.fix.lat, lng: opts.fix.lng, zoom: clamp(FIX_ZOOM) };
	if (opts.wardCentre) return { ...opts.wardCentre, zoom: clamp(WARD_ZOOM) };
	return { ...opts.tenant, zoom: clamp(opts.tenant.zoom) };
}

/** Where a tile may come from before the network: a downloaded commune (lib/offline-area storedTile); null: not there. */
export type TileSource = (z: number, x: number, y: number) => Promise<Blob | null>;

/**
 * Leaflet's tile layer, but each tile is first asked of `tileSource` (a commune downloaded for use
 * with no signal) and fetched from the URL only when the store has none. Leaflet is passed in, not
 * imported: this module stays free of it (MapView loads it lazily). A stored tile is shown through
 * an object URL, revoked once the image has loaded or failed.
 */
export function storeFirstTileLayer(
	L: typeof import('leaflet'),
	urlTemplate: string,
	options: import('leaflet').TileLayerOptions,
	tileSource: TileSource
): import('leaflet').TileLayer {
	type Done = (error: Error | undefined, tile: HTMLElement) => void;
	type Own = import('leaflet').TileLayer & { _tileOnLoad(done: Done, tile: HTMLElement): void; _tileOnError(done: Done, tile: HTMLElement, e: Error): void };
	const StoreFirst = L.TileLayer.extend({
		createTile(this: Own, coords: import('leaflet').Coords, done: Done): HTMLElement {
			const img = document.createElement('img');
			img.alt = '';
			img.setAttribute('role', 'presentation');
			let objectUrl: string | null = null;
			const revoke = () => {
				if (objectUrl) URL.revokeObjectURL(objectUrl);
				objectUrl = null;
			};
			const fromNetwork = () => void (img.src = this.getTileUrl(coords));
			img.addEventListener('load', () => (revoke(), this._tileOnLoad(done, img)));
			img.addEventListener('error', (e) => {
				// A stored tile that does not decode: the network's copy, before calling it missing.
				if (objectUrl) return void (revoke(), fromNetwork());
				this._tileOnError(done, img, e as unknown as Error);
			});
			tileSource(coords.z, coords.x, coords.y).then(
				(blob) => (blob ? void (img.src = objectUrl = URL.createObjectURL(blob)) : fromNetwork()),
				fromNetwork
			);
			return img;
		}
	});
	return new (StoreFirst as unknown as new (url: string, o: import('leaflet').TileLayerOptions) => import('leaflet').TileLayer)(urlTemplate, options);
}
