import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AdminCode } from '$lib/domain/common';
import type { BoundaryCollection } from '$lib/domain/geo';
import type { Office } from '$lib/domain/office';
import { OfflineAreaManifest } from '$lib/domain/offline-area';
import { TILES_PER_REQUEST } from '$lib/domain/offline-area-parts';
import type { AdminUnit, MapConfig } from '$lib/domain/tenant';
import { ApiError } from '../http/api-error';
import { NotModified } from '../http/openapi';
import { tileAddress } from '../tiles/tiles.module';
import type { ZoningService } from '../zoning/zoning.service';
import { createOfflineAreas } from './offline-areas.service';

const Params = z.object({ code: AdminCode });
/** A device asks once when it shows the size, once when it downloads, and on each update check. */
const LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };
/** A commune's tiles come in ~7 batches; a few communes a minute, with resumes. */
const TILES_LIMIT = { rateLimit: { max: 120, timeWindow: 60_000 } };
const TilesQuery = z.object({ t: z.string().max(TILES_PER_REQUEST * 24) });

/**
 * A commune for use with no signal (issue 14, point 5), public like the zoning look-up:
 *   GET /api/offline-areas/:code   the ward's manifest (domain/offline-area.ts): boundary, offices,
 *                                  and the parts to fetch — its zoning package and base-map tiles —
 *                                  each with its size and hash (ETag / 304 on the version)
 *   GET /api/offline-areas/:code/tiles?t=z/x/y,…   up to TILES_PER_REQUEST of the tenant's own tiles in
 *                                  one answer, each a 4-byte big-endian length then its bytes (0: none)
 */
export async function setupOfflineAreas(
	app: FastifyInstance,
	deps: { tilesDir: string; map: MapConfig | undefined; boundaries: BoundaryCollection; adminUnits: readonly AdminUnit[]; zoning: ZoningService; offices: () => readonly Office[] }
) {
	const areas = createOfflineAreas(deps);
	const r = app.withTypeProvider<ZodTypeProvider>();
	r.get('/api/offline-areas/:code', { schema: { params: Params, response: { 200: OfflineAreaManifest, 304: NotModified } }, config: LIMIT }, async (req, reply) => {
		const m = await areas.manifest(req.params.code);
		if (!m) throw new ApiError(404, 'unknown_ward', 'Không có phường/xã này / No such ward or commune');
		const etag = `"${m.version}"`;
		reply.header('etag', etag).header('cache-control', 'no-cache');
		const inm = req.headers['if-none-match'];
		if (typeof inm === 'string' && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.status(304).send();
		return m;
	});

	r.get('/api/offline-areas/:code/tiles', { schema: { params: Params, querystring: TilesQuery }, config: TILES_LIMIT }, async (req, reply) => {
		const asked = req.query.t.split(',');
		// Only z/x/y within the zoom's grid (the tile route's own check): the path is built from numbers.
		const addresses = asked.map((a) => a.split('/')).map(([z, x, y]) => (z && x && y ? tileAddress(z, x, `${y}.png`) : null));
		if (!asked.length || asked.length > TILES_PER_REQUEST || addresses.some((a) => !a))
			throw new ApiError(400, 'validation_failed', `Tối đa ${TILES_PER_REQUEST} ô bản đồ dạng z/x/y / At most ${TILES_PER_REQUEST} tiles as z/x/y`);
		const bodies = await Promise.all(
			addresses.map((a) => readFile(path.join(deps.tilesDir, String(a!.z), String(a!.x), `${a!.y}.png`)).catch(() => Buffer.alloc(0)))
		);
		const out = Buffer.alloc(bodies.reduce((n, b) => n + 4 + b.length, 0));
		let at = 0;
		for (const b of bodies) {
			out.writeUInt32BE(b.length, at);
			b.copy(out, at + 4);
			at += 4 + b.length;
		}
		// Tiles never change under their address (a new set is a new deployment): as cacheable as one tile.
		return reply.type('application/octet-stream').header('cache-control', 'public, max-age=86400').send(out);
	});
	return areas;
}
