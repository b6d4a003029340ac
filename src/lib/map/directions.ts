import type { LatLng } from './map-view';

/**
 * The "Chỉ đường" link: a place handed to the phone's map app, which plans the route from where the
 * person is. The tenant may name its own service (`map.directionsUrl`, with `{lat}` and `{lng}`);
 * otherwise Google Maps' universal directions URL, which Android and iOS open in the installed map
 * app and any other device in the browser. Pure: no Leaflet, no network.
 */

export const DEFAULT_DIRECTIONS_URL = 'https://www.google.com/maps/dir/?api=1&destination={lat},{lng}';

/**
 * A template the link may be built from: https only (a `javascript:` or plain-http link from a
 * tampered or stale cached config must never be opened) and naming both coordinates.
 */
export function isDirectionsTemplate(template: string | undefined | null): template is string {
	if (!template || !template.startsWith('https://') || !template.includes('{lat}') || !template.includes('{lng}')) return false;
	try {
		return new URL(template.replaceAll('{lat}', '0').replaceAll('{lng}', '0')).protocol === 'https:';
	} catch {
		return false;
	}
}

/** A coordinate as the link carries it: 6 decimals (about 10 cm) at most, never an exponent. */
function coordinate(x: number): string {
	return String(Number(x.toFixed(6)));
}

/**
 * The directions link to `p`; null when `p` is not a place on Earth (a link that opens the map app
 * on nowhere is worse than none).
 */
export function directionsUrl(p: LatLng, template?: string | null): string | null {
	if (!Number.isFinite(p.lat) || !Number.isFinite(p.lng) || Math.abs(p.lat) > 90 || Math.abs(p.lng) > 180) return null;
	const base = isDirectionsTemplate(template) ? template : DEFAULT_DIRECTIONS_URL;
	return base.replaceAll('{lat}', coordinate(p.lat)).replaceAll('{lng}', coordinate(p.lng));
}
