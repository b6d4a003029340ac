/**
 * How long a resident waits, on a weak rural uplink, from tapping "Gửi" until the report is
 * delivered WITH all its photos — for a report with the three test photos at phone size.
 *
 * - Photos: tests/fixtures/photos made phone-sized as their README says (sharp
 *   `resize(4000, 3000, {fit: 'cover'}).jpeg({quality: 92})`, written to bench/out/, ~6 MB).
 * - Link: CDP `Network.emulateNetworkConditions` — 300 ms latency, 400 kbit/s up, 1.6 Mbit/s down —
 *   set after the photos are picked (preparing them is CPU work on the device), on the page AND on
 *   the service worker (support/throttle.ts): set on the page alone it does not reach the worker's
 *   requests (checked each run, a row of the table), and after "Gửi" the worker usually wins the
 *   outbox lock (Background Sync fires at once). The table says who sent the uploads.
 * - Wait: in-page clock, from the click on "Gửi" to the moment the outbox row turned `delivered`
 *   (its `updatedAt`, written when the last photo finished), after checking every photo is `done`
 *   (not refused). It includes this device's first registration (/api/auth/device), the push of the
 *   report, and per photo a tus POST + PATCH(es) of 256 KB and the server's re-encode.
 * - Bytes sent: the sum of the photo blobs the device stored (PhotoRow.bytes in the Dexie `photos`
 *   table, read through IndexedDB in the page) — the tus payload, without HTTP overhead.
 * - Same run, three encodings, each on its own server whose tenant sets `photoEncoding`:
 *   ours (1600 px, q0.7, auto = WebP in Chromium), FixMyStreet's (2048 px JPEG q0.6, the baseline)
 *   and our JPEG fallback (1600 px JPEG q0.7, what Safari gets).
 * - Preparation (resize + re-encode in the web worker) is timed per photo when picked, in-page:
 *   from the input's change event to its thumbnail (the photo is in Dexie then); the photos are
 *   picked 3 times over (median); again with 4× CPU throttling (CDP Emulation.setCPUThrottlingRate
 *   on the page — it slows the page's main thread, not the resize worker).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from '@playwright/test';
import sharp from 'sharp';
import type { PhotoEncoding, TenantConfig } from '$lib/domain/tenant';
import { fmt, kb, median, ratio, type Row } from './lib';
import { freshContext, launchChromium, startAppServer } from './support/app-server';
import { openFilledForm, pickPhotos, PREP_ROUNDS, readTable, type PrepTimes, type StoredPhoto, type StoredRow } from './support/report-form';
import { throttlePage, throttleServiceWorkers } from './support/throttle';

export const TARGET_DELIVERY_S = 12;
export const TARGET_LONG_SIDE = 1600;

const PHOTOS = ['path', 'autumn', 'colorful-cups'];
const OUT_DIR = path.resolve('bench/out');
const LINK = { latencyMs: 300, upBps: 400_000, downBps: 1_600_000 };

interface Variant {
	key: string;
	label: string;
	encoding?: PhotoEncoding;
}

const VARIANTS: Variant[] = [
	{ key: 'ours', label: 'ours: 1600 px q0.7 auto (WebP)' },
	{ key: 'fms', label: "FixMyStreet's: 2048 px JPEG q0.6", encoding: { longSide: 2048, quality: 0.6, format: 'jpeg' } },
	{ key: 'jpeg', label: 'our JPEG fallback: 1600 px q0.7', encoding: { longSide: 1600, quality: 0.7, format: 'jpeg' } }
];

/** The phone-sized originals, made once (bench/out/ is not committed). */
async function phonePhotos(): Promise<{ files: string[]; bytes: number }> {
	await mkdir(OUT_DIR, { recursive: true });
	const files: string[] = [];
	let bytes = 0;
	for (const name of PHOTOS) {
		const out = path.join(OUT_DIR, `${name}-4000x3000-q92.jpg`);
		const have = await stat(out).catch(() => null);
		if (!have) {
			const buf = await sharp(path.resolve('tests/fixtures/photos', `${name}.jpg`))
				.resize(4000, 3000, { fit: 'cover' })
				.jpeg({ quality: 92 })
				.toBuffer();
			await writeFile(out, new Uint8Array(buf));
		}
		bytes += (await stat(out)).size;
		files.push(out);
	}
	return { files, bytes };
}

interface Delivery {
	waitS: number;
	bytes: number;
	minLongSide: number;
	mime: string;
	prep: PrepTimes;
	prep4x?: PrepTimes;
	/** Upload requests (tus) that came from the service worker instead of the page. */
	swUploads: number;
	pageUploads: number;
}

async function deliver(browser: Browser, url: string, files: string[]): Promise<Delivery> {
	const context = await freshContext(browser);
	let swUploads = 0;
	let pageUploads = 0;
	const timeline: { method: string; path: string; sw: boolean; start: number; end: number }[] = [];
	context.on('request', (req) => {
		if (!new URL(req.url()).pathname.startsWith('/api/media/uploads')) return;
		if (req.serviceWorker()) swUploads++;
		else pageUploads++;
	});
	context.on('requestfinished', (req) => {
		const t = req.timing();
		const path = new URL(req.url()).pathname;
		if (path.startsWith('/api/'))
			timeline.push({ method: req.method(), path, sw: !!req.serviceWorker(), start: t.startTime, end: t.startTime + t.responseEnd });
	});
	try {
		const page = await context.newPage();
		await openFilledForm(page, url);
		const prep = await pickPhotos(page, files);
		const photos = await readTable<StoredPhoto>(page, 'photos');

		// The worker installed after the form's first load; it must be there to be throttled too.
		await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
		await throttlePage(context, page, LINK);
		const throttledWorkers = await throttleServiceWorkers(browser, page, LINK);
		if (throttledWorkers !== 1) throw new Error(`expected 1 service worker to throttle, found ${throttledWorkers}`);
		await page.evaluate(() => {
			const w = window as unknown as { __sentAt?: number };
			document.querySelector('[data-testid=submit-report]')!.addEventListener('click', () => (w.__sentAt = Date.now()), { capture: true, once: true });
		});
		await page.getByTestId('submit-report').click();
		await page.locator('[data-testid=outbox-item][data-state=delivered]').waitFor({ timeout: 180_000 });
		const sentAt = await page.evaluate(() => (window as unknown as { __sentAt: number }).__sentAt);
		const [row] = await readTable<StoredRow>(page, 'outbox');
		const after = await readTable<StoredPhoto>(page, 'photos');
		const notDone = after.filter((p) => p.status !== 'done');
		if (notDone.length) throw new Error(`photos not uploaded: ${notDone.map((p) => `${p.id} ${p.status}`).join(', ')}`);
		if (process.env.BENCH_VERBOSE) {
			console.log(`  timeline after "Gửi" (ms), delivered at ${row.updatedAt - sentAt}:`);
			for (const r of timeline.filter((r) => r.start >= sentAt - 5).sort((a, b) => a.start - b.start))
				console.log(`  ${String(Math.round(r.start - sentAt)).padStart(6)} → ${String(Math.round(r.end - sentAt)).padStart(6)}  ${r.sw ? 'sw  ' : 'page'} ${r.method} ${r.path.replace(/[0-9a-f-]{20,}/g, ':id')}`);
		}
		return {
			waitS: (row.updatedAt - sentAt) / 1000,
			bytes: photos.reduce((a, p) => a + p.bytes, 0),
			minLongSide: Math.min(...photos.map((p) => Math.max(p.width, p.height))),
			mime: [...new Set(photos.map((p) => p.mime))].join('+'),
			prep,
			swUploads,
			pageUploads
		};
	} finally {
		await context.close();
	}
}

/** Preparation only, with the page's CPU throttled 4× (a cheap phone). */
async function prepareThrottled(browser: Browser, url: string, files: string[]): Promise<PrepTimes> {
	const context = await freshContext(browser);
	try {
		const page = await context.newPage();
		await openFilledForm(page, url);
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
		return await pickPhotos(page, files);
	} finally {
		await context.close();
	}
}

/**
 * Does the page's network emulation reach the service worker's own requests? A fresh context, the
 * page throttled before its first load: the worker's precache fetches then either show the 300 ms
 * latency (throttled too) or not.
 */
async function serviceWorkerThrottled(browser: Browser, url: string): Promise<{ throttled: boolean; medianMs: number }> {
	const context: BrowserContext = await freshContext(browser);
	try {
		const times: Promise<number>[] = [];
		context.on('requestfinished', (req) => {
			if (req.serviceWorker()) times.push(Promise.resolve(req.timing()).then((t) => t.responseStart - t.requestStart));
		});
		const page = await context.newPage();
		await throttlePage(context, page, LINK);
		await page.goto(url);
		await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
		await page.waitForTimeout(1_000);
		const ms = await Promise.all(times);
		if (!ms.length) return { throttled: false, medianMs: NaN };
		const m = median(ms);
		return { throttled: m >= LINK.latencyMs * 0.8, medianMs: m };
	} finally {
		await context.close();
	}
}

export async function run(): Promise<Row[]> {
	const { files, bytes: originalBytes } = await phonePhotos();
	const browser = await launchChromium();
	const results = new Map<string, Delivery>();
	let swCheck: { throttled: boolean; medianMs: number } | null = null;
	try {
		for (const v of VARIANTS) {
			const server = await startAppServer(
				v.encoding ? (demo: TenantConfig) => ({ ...demo, photoEncoding: v.encoding }) : undefined
			);
			try {
				swCheck ??= await serviceWorkerThrottled(browser, server.url);
				const d = await deliver(browser, server.url, files);
				if (v.key !== 'jpeg') d.prep4x = await prepareThrottled(browser, server.url, files);
				results.set(v.key, d);
			} finally {
				await server.close();
			}
		}
	} finally {
		await browser.close();
	}

	const ours = results.get('ours')!;
	const fms = results.get('fms')!;
	const jpeg = results.get('jpeg')!;
	const b = 'photo-delivery';
	const prep = (p?: PrepTimes) => (p ? `${fmt(median(p.laterMs))} (first ${fmt(p.firstMs)})` : '');
	const prepRatio = (a?: PrepTimes, c?: PrepTimes) => (a && c ? ratio(median(a.laterMs), median(c.laterMs)) : '');
	const rows: Row[] = [];
	const link = `${LINK.upBps / 1000} kbps up, ${LINK.latencyMs} ms`;
	const waitRow = (measure: string, d: Delivery): Row => ({
		bench: b,
		measure,
		value: fmt(d.waitS, 1),
		baseline: `${fmt(fms.waitS, 1)} (FMS)`,
		ratio: ratio(d.waitS, fms.waitS),
		target: `≤ ${TARGET_DELIVERY_S}`,
		met: d.waitS <= TARGET_DELIVERY_S
	});
	const bytesRow = (measure: string, d: Delivery): Row => ({
		bench: b,
		measure,
		value: kb(d.bytes, 0),
		baseline: `${kb(fms.bytes, 0)} (FMS)`,
		ratio: ratio(d.bytes, fms.bytes)
	});
	const payloadS = (bytes: number) => (bytes * 8) / LINK.upBps;
	rows.push(
		waitRow(`"Gửi" → delivered with 3 photos, s (${link}; ${ours.mime})`, ours),
		{
			bench: b,
			measure: '  of which the photo bytes alone at 400 kbps, s (the rest: round trips)',
			value: fmt(payloadS(ours.bytes), 1),
			baseline: `${fmt(payloadS(fms.bytes), 1)} (FMS)`,
			ratio: ratio(ours.bytes, fms.bytes)
		},
		waitRow('  same, our JPEG fallback (1600 px q0.7), s', jpeg),
		bytesRow(`photo bytes sent (blobs stored on the device; ${kb(originalBytes, 0)} KB as taken), KB`, ours),
		bytesRow('  same, our JPEG fallback, KB', jpeg)
	);
	rows.push({
		bench: b,
		measure: 'long side of the photos stored on the device, px (smallest)',
		value: String(ours.minLongSide),
		baseline: `${fms.minLongSide} (FMS)`,
		target: `≥ ${TARGET_LONG_SIDE}`,
		met: ours.minLongSide >= TARGET_LONG_SIDE && jpeg.minLongSide >= TARGET_LONG_SIDE
	});
	const prepRow = (measure: string, a?: PrepTimes, fmsTimes?: PrepTimes): Row => ({
		bench: b,
		measure,
		value: prep(a),
		baseline: `${prep(fmsTimes)} (FMS)`,
		ratio: prepRatio(a, fmsTimes)
	});
	rows.push(
		prepRow(
			`preparing a photo when picked, ms (median of ${PREP_ROUNDS * 3 - 1}; the first loads the worker)`,
			ours.prep,
			fms.prep
		),
		prepRow('  same, CPU throttled 4× (page main thread only), ms', ours.prep4x, fms.prep4x),
		prepRow('  same, our JPEG fallback, ms', jpeg.prep, fms.prep)
	);
	const sw = [...results.values()].reduce((a, d) => a + d.swUploads, 0);
	const pageUp = [...results.values()].reduce((a, d) => a + d.pageUploads, 0);
	rows.push({
		bench: b,
		measure: 'tus requests sent by the page / by the service worker (both throttled)',
		value: `${pageUp} / ${sw}`
	});
	if (swCheck)
		rows.push({
			bench: b,
			measure: "page's network emulation also throttles service-worker requests?",
			value: `${swCheck.throttled ? 'yes' : 'no'} (median TTFB ${fmt(swCheck.medianMs)} ms)`
		});
	return rows;
}
