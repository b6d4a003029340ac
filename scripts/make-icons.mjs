#!/usr/bin/env node
/**
 * Renders the app icons (PNG) from the SVG sources in static/icons/ with sharp. The PNGs are
 * committed, so this runs only when the drawing changes: `node scripts/make-icons.mjs`.
 *
 *   icon.svg     -> icon-192.png, icon-512.png   (purpose "any"; icon-192 is also the apple-touch-icon)
 *   maskable.svg -> maskable-512.png, maskable-192.png (purpose "maskable": full-bleed background,
 *                   drawing inside the 80 % safe zone)
 *
 * Each SVG is rasterised at the target size (density scaled from the 512-unit viewBox) rather
 * than downscaled from a big bitmap, so thin strokes stay sharp at 192 px.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'static', 'icons');
const VIEWBOX = 512;

const OUTPUTS = [
	['icon.svg', 'icon-192.png', 192],
	['icon.svg', 'icon-512.png', 512],
	['maskable.svg', 'maskable-192.png', 192],
	['maskable.svg', 'maskable-512.png', 512]
];

await mkdir(dir, { recursive: true });
for (const [source, target, size] of OUTPUTS) {
	const svg = await readFile(join(dir, source));
	const info = await sharp(svg, { density: (72 * size) / VIEWBOX })
		.resize(size, size)
		.png({ compressionLevel: 9, palette: true, quality: 90 })
		.toFile(join(dir, target));
	console.log(`${source} -> static/icons/${target} (${info.width}x${info.height}, ${info.size} bytes)`);
}
