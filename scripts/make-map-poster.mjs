#!/usr/bin/env node
/**
 * Renders a tenant's map poster: the view every map of the app opens on (the tenant's centre and
 * zoom), as one image composed from the tenant's own tiles, pixel for pixel as the map will draw it.
 * The pages with a map show it in the map's place from their first paint (it is in the prerendered
 * HTML), so a resident on a weak link sees the map at once while Leaflet, the tenant's settings and
 * the tiles arrive; the live map then covers it, at the same place and scale.
 *
 *   node scripts/make-map-poster.mjs [tenantDir=data/tenants/lam-dong]
 *
 * Needs the tenant's tiles/ at its centre zoom (scripts/make-demo-tiles.mjs for the demo). Writes
 * <tenantDir>/map-poster.png (served at /api/map/poster.png by sync-server/tiles).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const tenantDir = path.resolve(process.argv[2] ?? 'data/tenants/lam-dong');
/** Wider than the app's widest map column (40rem) and as tall as its map: no edge shows at any width. */
const WIDTH = 960;
const HEIGHT = 360;
const SIZE = 256;

const tenant = JSON.parse(await readFile(path.join(tenantDir, 'tenant.json'), 'utf8'));
const { lat, lng, zoom: z } = tenant.center;
const n = SIZE * 2 ** z;
const s = Math.sin((lat * Math.PI) / 180);
// Leaflet rounds the centre's pixel the same way when it lays out its tiles.
const cx = Math.round(((lng + 180) / 360) * n);
const cy = Math.round((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n);
const left = cx - WIDTH / 2;
const top = cy - HEIGHT / 2;

const layers = [];
for (let x = Math.floor(left / SIZE); x <= Math.floor((left + WIDTH - 1) / SIZE); x++) {
	for (let y = Math.floor(top / SIZE); y <= Math.floor((top + HEIGHT - 1) / SIZE); y++) {
		const file = path.join(tenantDir, 'tiles', String(z), String(x), `${y}.png`);
		if (!(await stat(file).catch(() => null))) continue;
		// A tile partly outside the poster is cut to what lies inside (sharp's composite refuses overhangs).
		const dx = x * SIZE - left;
		const dy = y * SIZE - top;
		const cut = { left: Math.max(0, -dx), top: Math.max(0, -dy) };
		const width = Math.min(SIZE - cut.left, WIDTH - Math.max(dx, 0));
		const height = Math.min(SIZE - cut.top, HEIGHT - Math.max(dy, 0));
		const input = await sharp(file).extract({ ...cut, width, height }).toBuffer();
		layers.push({ input, left: Math.max(dx, 0), top: Math.max(dy, 0) });
	}
}
if (!layers.length) throw new Error(`no tiles at zoom ${z} around the centre in ${path.join(tenantDir, 'tiles')}`);
const png = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#dfe3e6' } })
	.composite(layers)
	.png({ palette: true, colours: 16, compressionLevel: 9 })
	.toBuffer();
await writeFile(path.join(tenantDir, 'map-poster.png'), png);
console.log(`map-poster.png: ${WIDTH}×${HEIGHT}, zoom ${z}, ${layers.length} tiles, ${(png.length / 1024).toFixed(1)} KB`);
