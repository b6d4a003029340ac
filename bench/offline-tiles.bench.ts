/**
 * A commune's base-map tiles on the phone (issue 14, point 5): one IndexedDB row per tile, or one
 * archive Blob (PMTiles-like: the tiles end to end, an index of offsets, read with Blob.slice)?
 * Measured in Debian's chromium, CPU throttled 4× (CDP), with the demo ward's 307 tiles
 * (data/tenants/lam-dong/tiles), served to the page by Playwright's router (no server, no internet):
 *
 *  - write: every tile stored, rows one transaction per tile, rows 16 tiles a transaction (the download
 *    stores what has arrived as each transaction ends), the archive assembled and written once;
 *  - read: every tile once in random order, p50/p95 per tile (IndexedDB get + the bytes for rows;
 *    Blob.slice + the bytes for the archive, its record and index read once beforehand);
 *  - update: one tile changed (rows: one put; the archive: assembled and written again whole).
 *
 * What each means for a cut download and an update is in docs/BENCHMARKS.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fmt, kb, median, ratio, type Row } from './lib';
import { freshContext, launchChromium } from './support/app-server';

const CPU_SLOWDOWN = Number(process.env.TILES_CPU ?? 4);
const DIR = 'data/tenants/lam-dong/tiles';
const ORIGIN = 'http://localhost:9';

const percentile = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function demoTiles(): { key: string; file: string }[] {
	const out: { key: string; file: string }[] = [];
	for (const z of readdirSync(DIR))
		for (const x of readdirSync(path.join(DIR, z)))
			for (const f of readdirSync(path.join(DIR, z, x))) out.push({ key: `${z}/${x}/${f.replace(/\.png$/, '')}`, file: path.join(DIR, z, x, f) });
	return out;
}

interface PageResult {
	rowsWriteMs: number;
	batchedWriteMs: number;
	archiveWriteMs: number;
	rowsRead: number[];
	archiveRead: number[];
	archiveOpenMs: number;
	rowsUpdateMs: number;
	archiveUpdateMs: number;
	bytes: number;
}

export async function run(): Promise<Row[]> {
	const tiles = demoTiles();
	const browser = await launchChromium();
	let result: PageResult;
	try {
		const context = await freshContext(browser);
		const page = await context.newPage();
		await page.route(`${ORIGIN}/**`, (route) => {
			const p = new URL(route.request().url()).pathname;
			if (p === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>tiles</title>' });
			const t = tiles.find((x) => `/tiles/${x.key}.png` === p);
			return t ? route.fulfill({ contentType: 'image/png', body: readFileSync(t.file) }) : route.fulfill({ status: 404 });
		});
		await page.goto(`${ORIGIN}/`);
		// tsx compiles with esbuild's keepNames: functions sent to the page call its `__name` helper.
		await page.evaluate('globalThis.__name = (f) => f');
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
		result = await page.evaluate(async (keys: string[]) => {
			const blobs = await Promise.all(keys.map(async (k) => (await fetch(`/tiles/${k}.png`)).blob()));
			const req = <T>(r: IDBRequest<T>) => new Promise<T>((ok, no) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => no(r.error))));
			const done = (tx: IDBTransaction) => new Promise<void>((ok, no) => ((tx.oncomplete = () => ok()), (tx.onerror = () => no(tx.error))));
			const open = (name: string) => {
				const r = indexedDB.open(name, 1);
				r.onupgradeneeded = () => r.result.createObjectStore('s');
				return req(r);
			};
			const rows = await open('bench-rows');
			const arch = await open('bench-archive');
			const put = async (db: IDBDatabase, key: string, value: unknown) => {
				const tx = db.transaction('s', 'readwrite');
				tx.objectStore('s').put(value, key);
				await done(tx);
			};
			const get = (db: IDBDatabase, key: string) => req(db.transaction('s').objectStore('s').get(key));
			const writeArchive = async (parts: Blob[]) => {
				const index: Record<string, [number, number]> = {};
				let at = 0;
				parts.forEach((b, i) => ((index[keys[i]] = [at, b.size]), (at += b.size)));
				await put(arch, 'area', { blob: new Blob(parts), index });
			};

			let t0 = performance.now();
			for (let i = 0; i < keys.length; i++) await put(rows, keys[i], blobs[i]);
			const rowsWriteMs = performance.now() - t0;
			// The same rows, BATCH tiles a transaction (what arrives while the last one commits).
			const batched = await open('bench-batched');
			t0 = performance.now();
			for (let i = 0; i < keys.length; i += 16) {
				const tx = batched.transaction('s', 'readwrite');
				for (let j = i; j < Math.min(keys.length, i + 16); j++) tx.objectStore('s').put(blobs[j], keys[j]);
				await done(tx);
			}
			const batchedWriteMs = performance.now() - t0;
			t0 = performance.now();
			await writeArchive(blobs);
			const archiveWriteMs = performance.now() - t0;

			const order = [...keys].sort(() => Math.random() - 0.5);
			const rowsRead: number[] = [];
			for (const k of order) {
				const s = performance.now();
				await ((await get(rows, k)) as Blob).arrayBuffer();
				rowsRead.push(performance.now() - s);
			}
			t0 = performance.now();
			const record = (await get(arch, 'area')) as { blob: Blob; index: Record<string, [number, number]> };
			const archiveOpenMs = performance.now() - t0;
			const archiveRead: number[] = [];
			for (const k of order) {
				const s = performance.now();
				const [off, len] = record.index[k];
				await record.blob.slice(off, off + len).arrayBuffer();
				archiveRead.push(performance.now() - s);
			}

			const changed = new Blob([blobs[0], new Uint8Array(16)]);
			t0 = performance.now();
			await put(rows, keys[0], changed);
			const rowsUpdateMs = performance.now() - t0;
			t0 = performance.now();
			await writeArchive([changed, ...blobs.slice(1)]);
			const archiveUpdateMs = performance.now() - t0;
			return { rowsWriteMs, batchedWriteMs, archiveWriteMs, rowsRead, archiveRead, archiveOpenMs, rowsUpdateMs, archiveUpdateMs, bytes: blobs.reduce((s, b) => s + b.size, 0) };
		}, tiles.map((t) => t.key));
	} finally {
		await browser.close();
	}
	const b = 'offline-tiles';
	const r = result;
	return [
		{ bench: b, measure: `${tiles.length} tiles of the demo ward, KB`, value: kb(r.bytes) },
		{ bench: b, measure: `write all, ms (CPU ${CPU_SLOWDOWN}×): rows, a transaction per tile`, value: fmt(r.rowsWriteMs), baseline: `${fmt(r.archiveWriteMs)} (archive, once)`, ratio: ratio(r.rowsWriteMs, r.archiveWriteMs) },
		{ bench: b, measure: '  write all, ms: rows, 16 tiles a transaction', value: fmt(r.batchedWriteMs), baseline: `${fmt(r.archiveWriteMs)} (archive, once)`, ratio: ratio(r.batchedWriteMs, r.archiveWriteMs) },
		{ bench: b, measure: '  read a tile, p50 ms: rows', value: fmt(median(r.rowsRead), 2), baseline: `${fmt(median(r.archiveRead), 2)} (archive slice)` },
		{ bench: b, measure: '  read a tile, p95 ms: rows', value: fmt(percentile(r.rowsRead, 95), 2), baseline: `${fmt(percentile(r.archiveRead, 95), 2)} (archive slice)`, ratio: ratio(percentile(r.rowsRead, 95), percentile(r.archiveRead, 95)) },
		{ bench: b, measure: '  archive: open its record and index once, ms', value: fmt(r.archiveOpenMs, 1) },
		{ bench: b, measure: '  update one tile, ms: rows (one put)', value: fmt(r.rowsUpdateMs, 1), baseline: `${fmt(r.archiveUpdateMs, 1)} (archive rewritten)`, ratio: ratio(r.rowsUpdateMs, r.archiveUpdateMs) }
	];
}
