import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/**
 * The tenant's own base-map tiles, `<tenant folder>/tiles/{z}/{x}/{y}.png`, at `/api/tiles/{z}/{x}/{y}.png`:
 * the demo tenant's map (and the tests) never reach another server. A tile's bytes never change
 * under its address (a new tile set is a new deployment), so browsers keep them a year. A tile the
 * set lacks answers a transparent one: the map shows boundaries and markers there, not a broken image.
 */

/** The largest zoom a slippy map uses: anything above is not a tile address. */
const MAX_ZOOM = 22;

/** A 1×1 transparent PNG. */
const TRANSPARENT = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAADUlEQVQImWNgYGBgAAAABQABh6FO1AAAAABJRU5ErkJggg==',
	'base64'
);
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A missing tile may appear with a larger set: cached a day only. */
const MISSING = 'public, max-age=86400';

/**
 * The tile (z, x, y) from the route's three segments, or null when they are not one: only decimal
 * integers within the zoom's grid, so the file path is built from numbers and cannot leave the folder.
 */
export function tileAddress(z: string, x: string, file: string): { z: number; x: number; y: number } | null {
	const m = /^(\d{1,7})\.png$/.exec(file);
	if (!m || !/^\d{1,2}$/.test(z) || !/^\d{1,7}$/.test(x)) return null;
	const zoom = Number(z);
	const col = Number(x);
	const row = Number(m[1]);
	if (zoom > MAX_ZOOM) return null;
	const size = 2 ** zoom;
	return col < size && row < size ? { z: zoom, x: col, y: row } : null;
}

/**
 * `poster`: the tenant's map poster (scripts/make-map-poster.mjs), the opening view as one image that
 * the map pages show from their first paint, at `/api/map/poster.png`; none there: 404, and the
 * pages' image (alt="") shows nothing.
 */
export function setupTiles(app: FastifyInstance, deps: { dir: string; poster?: string }): void {
	app.get('/api/map/poster.png', async (_req, reply) => {
		const body = deps.poster ? await readFile(deps.poster).catch(() => null) : null;
		if (!body) return reply.code(404).header('cache-control', 'public, max-age=3600').send();
		// A regenerated poster (a new centre, new tiles) comes with a deployment: a day is fresh enough.
		return reply.header('content-type', 'image/png').header('cache-control', 'public, max-age=86400').send(body);
	});
	// Any string: a bad address answers a transparent tile (tileAddress), never a validation error.
	const TileParams = z.object({ z: z.string(), x: z.string(), file: z.string().describe('{y}.png') });
	app.get<{ Params: z.infer<typeof TileParams> }>('/api/tiles/:z/:x/:file', { schema: { params: TileParams } }, async (req, reply) => {
		const t = tileAddress(req.params.z, req.params.x, req.params.file);
		reply.header('content-type', 'image/png');
		if (!t) return reply.code(404).header('cache-control', 'no-store').send(TRANSPARENT);
		try {
			const body = await readFile(path.join(deps.dir, String(t.z), String(t.x), `${t.y}.png`));
			return reply.header('cache-control', IMMUTABLE).send(body);
		} catch {
			return reply.header('cache-control', MISSING).send(TRANSPARENT);
		}
	});
}
