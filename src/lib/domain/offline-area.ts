/**
 * A commune (ward) downloaded for use with no signal (issue 14, point 5): what the server lists
 * (`GET /api/offline-areas/:code`, sync-server/offline-areas/) and the device stores
 * (lib/offline-area/). Every part carries a content hash, so a device keeps what it already has
 * with the same hash: a cut download resumes, and an update fetches only what changed.
 */
import { z } from 'zod';
import { AdminCode } from './common';
import { Office } from './office';
import { AreaGeometry } from './zoning';

/** A content hash as the server writes it: SHA-256, base64url, the first 27 characters (160 bits). */
export const PartHash = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** The ward's zoning package (`GET /api/zoning/wards/:code`, domain/zoning.ts ZoningWardPackage). */
export const ZoningPart = z.strictObject({
	url: z.string().startsWith('/api/'),
	/** As sent compressed (brotli): what the download costs, for the size shown first. */
	bytes: z.number().int().min(0),
	/** The package's ETag without quotes: the same hash whatever the encoding. */
	hash: PartHash
});
export type ZoningPart = z.infer<typeof ZoningPart>;

/** One base-map tile of the tenant's own set (`/api/tiles/{z}/{x}/{y}.png`), as its file on the server. */
export const TilePart = z.strictObject({
	z: z.number().int().min(0).max(22),
	x: z.number().int().min(0),
	y: z.number().int().min(0),
	bytes: z.number().int().min(0),
	hash: PartHash
});
export type TilePart = z.infer<typeof TilePart>;

export const OfflineBoundary = z.strictObject({
	type: z.literal('Feature'),
	properties: z.looseObject({ code: AdminCode, name: z.string() }),
	geometry: AreaGeometry
});
export type OfflineBoundary = z.infer<typeof OfflineBoundary>;

export const OfflineAreaManifest = z.strictObject({
	wardCode: AdminCode,
	nameVi: z.string(),
	nameEn: z.string(),
	/** Changes whenever anything below does (also the response's ETag). */
	version: PartHash,
	boundary: OfflineBoundary,
	/** The tenant's offices in this ward (address, hours, services), as its configuration says. */
	offices: z.array(Office),
	/** None: the ward has no zoning plan. */
	zoning: ZoningPart.optional(),
	/** Where tiles are fetched (`{z}/{x}/{y}` template); none: no offline base map (an external tile server). */
	tileUrl: z.string().startsWith('/api/').optional(),
	/**
	 * Where tiles are fetched many at a time (`?t=z/x/y,z/x/y,…`, at most TILES_PER_REQUEST): each
	 * tile as a 4-byte big-endian length, then its bytes. On a weak link a request costs a round trip
	 * (300 ms) whatever its size: a commune's ~300 tiles in 7 requests, not 300.
	 */
	tilesUrl: z.string().startsWith('/api/').optional(),
	tiles: z.array(TilePart)
});
export type OfflineAreaManifest = z.infer<typeof OfflineAreaManifest>;

// The pure helpers live in a module without zod (the phone's map pages import them): re-exported here.
export { manifestParts, partKey, tileKey, tileRange } from './offline-area-parts';
