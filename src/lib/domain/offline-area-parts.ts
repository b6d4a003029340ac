/**
 * The pure helpers of domain/offline-area.ts, in a module without zod: the device's download service
 * and map import them, and zod must not come with them onto the map pages (Lighthouse list).
 */
import type { OfflineAreaManifest, TilePart } from './offline-area';

/** The key of a part in the device's record: `zoning`, or `tile:z/x/y`. */
export const tileKey = (t: { z: number; x: number; y: number }) => `${t.z}/${t.x}/${t.y}`;
export const partKey = (p: { z: number; x: number; y: number } | 'zoning') => (p === 'zoning' ? 'zoning' : `tile:${tileKey(p)}`);

/** Every part of a manifest with its key, hash and size: what a complete download holds. */
export function manifestParts(m: OfflineAreaManifest): { key: string; hash: string; bytes: number; tile?: TilePart }[] {
	const parts: { key: string; hash: string; bytes: number; tile?: TilePart }[] = [];
	if (m.zoning) parts.push({ key: 'zoning', hash: m.zoning.hash, bytes: m.zoning.bytes });
	for (const t of m.tiles) parts.push({ key: partKey(t), hash: t.hash, bytes: t.bytes, tile: t });
	return parts;
}

/** The tiles (x, y ranges) covering a bounding box [minLng, minLat, maxLng, maxLat] at a zoom (Web Mercator). */
export function tileRange(bbox: readonly [number, number, number, number], z: number) {
	const n = 2 ** z;
	const clamp = (v: number) => Math.max(0, Math.min(n - 1, v));
	const x = (lng: number) => clamp(Math.floor(((lng + 180) / 360) * n));
	const y = (lat: number) => {
		const r = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
		return clamp(Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n));
	};
	const [minLng, minLat, maxLng, maxLat] = bbox;
	return { x0: x(minLng), x1: x(maxLng), y0: y(maxLat), y1: y(minLat) };
}

/** Tiles in one batched request (OfflineAreaManifest.tilesUrl): ~50 KB of the demo's tiles, a URL under 1 KB. */
export const TILES_PER_REQUEST = 48;
