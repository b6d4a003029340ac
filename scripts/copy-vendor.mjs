#!/usr/bin/env node
/**
 * Copies the browser files the app loads at run time from node_modules into static/vendor/, so they
 * come from our own origin (the service worker precaches them) and never from a CDN the phones may
 * not reach. Run before every build: `node scripts/copy-vendor.mjs`.
 *
 * - browser-image-compression.js: the UMD build the photo-resize worker loads with importScripts
 *   (photo-pipeline.ts passes libURL: '/vendor/browser-image-compression.js').
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = [['node_modules/browser-image-compression/dist/browser-image-compression.js', 'static/vendor/browser-image-compression.js']];

for (const [from, to] of FILES) {
	// The source map (6× the script) is left behind: the service worker may precache static/, and
	// phones on weak links should not download it. Its reference goes too, so devtools do not 404.
	const text = (await readFile(join(root, from), 'utf8')).replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
	await mkdir(dirname(join(root, to)), { recursive: true });
	await writeFile(join(root, to), text);
	console.log(`copied ${from} -> ${to} (${text.length} bytes)`);
}
