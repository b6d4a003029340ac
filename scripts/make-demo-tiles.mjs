#!/usr/bin/env node
/**
 * Renders the demo tenant's base-map tiles from our own data (its ward boundaries), so the demo and
 * the tests show a map without reaching any tile server: zooms 12–16 over one ward's bounding box,
 * each ward's land in a plain colour, the chosen ward brighter, boundaries as lines. Not a real base
 * map (no roads, no names): a deployment points `map.tileUrl` in tenant.json at a real tile server.
 *
 *   node scripts/make-demo-tiles.mjs [tenantDir=data/tenants/lam-dong] [wardCode=24778]
 *
 * Writes <tenantDir>/tiles/{z}/{x}/{y}.png (replacing the folder) and prints the count and bytes.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const tenantDir = path.resolve(process.argv[2] ?? 'data/tenants/lam-dong');
const wardCode = process.argv[3] ?? '24778';
const ZOOMS = [12, 13, 14, 15, 16];
const SIZE = 256;
// Plain, quiet colours: markers and outlines drawn over them must stand out.
const OUTSIDE = '#dfe3e6';
const LANDS = ['#eef2e2', '#f3efe0', '#e6efe9', '#efe9f1', '#f1ece4'];
const CHOSEN = '#fbf7d9';
const LINE = '#8a8f99';

const tenant = JSON.parse(await readFile(path.join(tenantDir, 'tenant.json'), 'utf8'));
const geo = JSON.parse(await readFile(path.join(tenantDir, tenant.boundaries), 'utf8'));

/** Web Mercator: degrees to world pixels at zoom z. */
function project(lng, lat, z) {
	const n = SIZE * 2 ** z;
	const s = Math.sin((lat * Math.PI) / 180);
	return [((lng + 180) / 360) * n, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n];
}
const polygonsOf = (g) => (g.type === 'MultiPolygon' ? g.coordinates : g.type === 'Polygon' ? [g.coordinates] : []);

const wards = geo.features.map((f, i) => {
	const polys = polygonsOf(f.geometry);
	const pts = polys.flat(2);
	const lngs = pts.map((p) => p[0]);
	const lats = pts.map((p) => p[1]);
	return {
		code: String(f.properties.code),
		fill: String(f.properties.code) === wardCode ? CHOSEN : LANDS[i % LANDS.length],
		polys,
		bbox: [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)]
	};
});
const ward = wards.find((w) => w.code === wardCode);
if (!ward) throw new Error(`no ward ${wardCode} in ${tenant.boundaries}`);

function tileRange(bbox, z) {
	const [x0, y0] = project(bbox[0], bbox[3], z).map((v) => Math.floor(v / SIZE));
	const [x1, y1] = project(bbox[2], bbox[1], z).map((v) => Math.floor(v / SIZE));
	return { x0, y0, x1, y1 };
}

function tileSvg(z, x, y) {
	const ox = x * SIZE;
	const oy = y * SIZE;
	const paths = [];
	for (const w of wards) {
		const r = tileRange(w.bbox, z);
		if (r.x1 < x || r.x0 > x || r.y1 < y || r.y0 > y) continue;
		const d = w.polys
			.map((poly) =>
				poly
					.map((ring) => 'M' + ring.map(([lng, lat]) => project(lng, lat, z)).map(([px, py]) => `${(px - ox).toFixed(1)},${(py - oy).toFixed(1)}`).join('L') + 'Z')
					.join('')
			)
			.join('');
		paths.push(`<path d="${d}" fill="${w.fill}" fill-rule="evenodd" stroke="${LINE}" stroke-width="${z >= 15 ? 2 : 1}"/>`);
	}
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}"><rect width="${SIZE}" height="${SIZE}" fill="${OUTSIDE}"/>${paths.join('')}</svg>`;
}

const out = path.join(tenantDir, 'tiles');
await rm(out, { recursive: true, force: true });
let count = 0;
let bytes = 0;
for (const z of ZOOMS) {
	const r = tileRange(ward.bbox, z);
	for (let x = r.x0; x <= r.x1; x++) {
		await mkdir(path.join(out, String(z), String(x)), { recursive: true });
		for (let y = r.y0; y <= r.y1; y++) {
			const png = await sharp(Buffer.from(tileSvg(z, x, y))).png({ palette: true, colours: 16, compressionLevel: 9 }).toBuffer();
			await writeFile(path.join(out, String(z), String(x), `${y}.png`), png);
			count++;
			bytes += png.length;
		}
	}
}
console.log(`${count} tiles, ${(bytes / 1024).toFixed(0)} KB, zooms ${ZOOMS[0]}–${ZOOMS.at(-1)} over ward ${wardCode}, in ${path.relative(process.cwd(), out)}`);
