import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AdminCode } from '$lib/domain/common';
import type { BoundaryCollection } from '$lib/domain/geo';
import type { Office } from '$lib/domain/office';
import type { AdminUnit, MapConfig } from '$lib/domain/tenant';
import { ApiError } from '../http/api-error';
import type { ZoningService } from '../zoning/zoning.service';
import { createOfflineAreas } from './offline-areas.service';

const Params = z.object({ code: AdminCode });
/** A device asks once when it shows the size, once when it downloads, and on each update check. */
const LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };

/**
 * A commune for use with no signal (issue 14, point 5), public like the zoning look-up:
 *   GET /api/offline-areas/:code   the ward's manifest (domain/offline-area.ts): boundary, offices,
 *                                  and the parts to fetch — its zoning package and base-map tiles —
 *                                  each with its size and hash (ETag / 304 on the version)
 */
export async function setupOfflineAreas(
	app: FastifyInstance,
	deps: { tilesDir: string; map: MapConfig | undefined; boundaries: BoundaryCollection; adminUnits: readonly AdminUnit[]; zoning: ZoningService; offices: () => readonly Office[] }
) {
	const areas = createOfflineAreas(deps);
	const r = app.withTypeProvider<ZodTypeProvider>();
	r.get('/api/offline-areas/:code', { schema: { params: Params }, config: LIMIT }, async (req, reply) => {
		const m = await areas.manifest(req.params.code);
		if (!m) throw new ApiError(404, 'unknown_ward', 'Không có phường/xã này / No such ward or commune');
		const etag = `"${m.version}"`;
		reply.header('etag', etag).header('cache-control', 'no-cache');
		const inm = req.headers['if-none-match'];
		if (typeof inm === 'string' && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.status(304).send();
		return m;
	});
	return areas;
}
