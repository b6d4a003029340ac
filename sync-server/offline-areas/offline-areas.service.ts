import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BoundaryCollection, BoundaryFeature } from '$lib/domain/geo';
import type { Office } from '$lib/domain/office';
import { tileRange, type OfflineAreaManifest, type OfflineBoundary, type TilePart } from '$lib/domain/offline-area';
import type { AdminUnit, MapConfig } from '$lib/domain/tenant';
import { bboxOf } from '$lib/domain/zoning-geo';
import type { ZoningService } from '../zoning/zoning.service';

/** SHA-256, base64url, 27 characters: the hashes of domain/offline-area.ts (as the zoning ETag is made). */
export const contentHash = (data: Uint8Array | string) => createHash('sha256').update(data).digest('base64url').slice(0, 27);

const MAX_TILES_PER_ZOOM = 50_000;

/** Only the tenant's own tiles are listed: a public tile server forbids bulk download (domain/tenant.ts MapConfig). */
export const ownTiles = (map: MapConfig | undefined) => !!map?.offline && map.tileUrl.startsWith('/api/tiles/');

/**
 * The manifest of a commune for offline use (domain/offline-area.ts). Tiles never change under their
 * address (tiles.module.ts: a new set is a new deployment), so a ward's tile list, sizes and hashes are
 * read from the folder once, on the first request for that ward, and kept; the zoning package and the
 * offices can change while the server runs (an import, an admin's save), so they are read per request
 * from their own caches, and the version tag covers them.
 */
export function createOfflineAreas(deps: {
	tilesDir: string;
	map: MapConfig | undefined;
	boundaries: BoundaryCollection;
	adminUnits: readonly AdminUnit[];
	zoning: ZoningService;
	offices: () => readonly Office[];
}) {
	const features = new Map(deps.boundaries.features.map((f) => [f.properties.code, f]));
	const tiles = new Map<string, Promise<TilePart[]>>();
	const boundaries = new Map<string, { boundary: OfflineBoundary; hash: string }>();
	/** Size and hash of each tile file, read once (neighbouring wards share their edge tiles). */
	const files = new Map<string, Promise<{ bytes: number; hash: string } | null>>();
	const tileFile = (z: number, x: number, y: number) => {
		const file = path.join(deps.tilesDir, String(z), String(x), `${y}.png`);
		let f = files.get(file);
		if (!f) {
			f = readFile(file).then((body) => ({ bytes: body.byteLength, hash: contentHash(body) }), () => null);
			files.set(file, f);
		}
		return f;
	};

	async function listTiles(f: BoundaryFeature): Promise<TilePart[]> {
		if (!ownTiles(deps.map)) return [];
		const box = bboxOf(f.geometry as Parameters<typeof bboxOf>[0]);
		const found: TilePart[] = [];
		for (const z of [...new Set(deps.map!.offline!.zooms)].sort((a, b) => a - b)) {
			const { x0, x1, y0, y1 } = tileRange([box[0], box[1], box[2], box[3]], z);
			// A zoom far too deep for a commune (a typo in tenant.json) is not a million file reads.
			if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES_PER_ZOOM) continue;
			for (let x = x0; x <= x1; x++)
				for (let y = y0; y <= y1; y++) {
					const f = await tileFile(z, x, y);
					if (f) found.push({ z, x, y, ...f });
				}
		}
		return found;
	}

	function boundaryOf(f: BoundaryFeature) {
		let b = boundaries.get(f.properties.code);
		if (!b) {
			const boundary = { type: 'Feature', properties: f.properties, geometry: f.geometry } as OfflineBoundary;
			b = { boundary, hash: contentHash(JSON.stringify(boundary)) };
			boundaries.set(f.properties.code, b);
		}
		return b;
	}

	return {
		/** The ward's manifest; null: no such ward in the tenant's boundaries. */
		async manifest(code: string): Promise<OfflineAreaManifest | null> {
			const f = features.get(code);
			if (!f) return null;
			let listing = tiles.get(code);
			if (!listing) {
				listing = listTiles(f);
				tiles.set(code, listing);
				listing.catch(() => tiles.delete(code));
			}
			const tileParts = await listing;
			const { boundary, hash: boundaryHash } = boundaryOf(f);
			const unit = deps.adminUnits.find((u) => u.code === code);
			const offices = deps.offices().filter((o) => o.wardCode === code);
			const blob = deps.zoning.ward(code);
			const zoning = blob ? { url: `/api/zoning/wards/${code}`, bytes: (await blob.encoded()).br.byteLength, hash: blob.etag.replace(/"/g, '') } : undefined;
			const version = contentHash(
				JSON.stringify([boundaryHash, zoning?.hash ?? null, offices, deps.map?.tileUrl ?? null, tileParts.map((t) => t.hash)])
			);
			return {
				wardCode: code,
				nameVi: unit?.name ?? f.properties.name,
				nameEn: unit?.nameEn ?? f.properties.nameEn ?? f.properties.name,
				version,
				boundary,
				offices: [...offices],
				...(zoning ? { zoning } : {}),
				...(tileParts.length ? { tileUrl: deps.map!.tileUrl, tilesUrl: `/api/offline-areas/${code}/tiles` } : {}),
				tiles: tileParts
			};
		}
	};
}
export type OfflineAreas = ReturnType<typeof createOfflineAreas>;
