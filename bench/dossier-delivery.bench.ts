/**
 * Issue 13: how long a resident waits, on a weak rural uplink, from tapping "Gửi" on the filing page
 * (/dossier/file) until a whole online dossier is delivered — 3 documents, 6 phone-sized page photos
 * — and how many bytes it sends, against sending the pages as taken.
 *
 * - Procedure 1.001193 (Đăng ký khai sinh) of the demo tenant: 3 required documents (indexes 0, 1, 5),
 *   2 pages each, the form filled as in tests/e2e/dossier-file.spec.ts.
 * - Pages: tests/fixtures/photos made phone-sized as their README says (4000×3000 JPEG q92), the three
 *   photos and the same three mirrored and cropped elsewhere (6 different files, cached in bench/out/).
 * - Link (as photo-delivery.bench.ts): CDP 300 ms latency, 400 kbit/s up, 1.6 Mbit/s down, set after
 *   the pages are prepared, on the page AND on the service worker (support/throttle.ts).
 * - Wait: in-page clock, from the click on "Gửi" to the application row's `updatedAt` when it turned
 *   `delivered` (the sender writes it after the last page), after the progress shows data-state=
 *   delivered and every page is `done`. It includes the device's registration, the POST of the
 *   application and per page a tus POST + PATCH(es).
 * - Bytes sent: the sum of the pages' bytes in Dexie `applicationFiles` (the blob's size; the blob
 *   itself is dropped once sent) — the tus payload, without HTTP overhead.
 * - Same run, each on its own server: ours (the demo tenant: no photoEncoding, 1600 px q0.7 auto);
 *   the baseline "as taken" — a tenant whose photoEncoding is 4096 px JPEG q0.92, so the phone keeps
 *   the 4000×3000 pages at about their original size (the filing page prepares pages with the
 *   tenant's photoEncoding, so this is measured, not modelled); and the same dossier with one
 *   generated PDF page per document instead of the photos (PDFs are kept as they are).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import sharp from 'sharp';
import type { PhotoEncoding, TenantConfig } from '$lib/domain/tenant';
import { fmt, kb, ratio, type Row } from './lib';
import { freshContext, launchChromium, startAppServer } from './support/app-server';
import { readTable } from './support/report-form';
import { addPages, draftSaved, openFilledApplication, scannedPdf, type StoredApplicationFile, type StoredApplicationRow } from './support/dossier-form';
import { throttlePage, throttleServiceWorkers } from './support/throttle';

const PROCEDURE = '1.001193';
const REQUIRED = [0, 1, 5];
const PHOTOS = ['path', 'autumn', 'colorful-cups'];
const OUT_DIR = path.resolve('bench/out');
const LINK = { latencyMs: 300, upBps: 400_000, downBps: 1_600_000 };
/** The baseline's pages at 12 MB over 400 kbps take about 4 minutes. */
const DELIVERY_TIMEOUT_MS = 600_000;
const AS_TAKEN: PhotoEncoding = { longSide: 4096, quality: 0.92, format: 'jpeg' };

/** Six phone-sized pages, made once (bench/out/ is not committed). */
async function phonePages(): Promise<{ files: string[]; bytes: number }> {
	await mkdir(OUT_DIR, { recursive: true });
	const files: string[] = [];
	let bytes = 0;
	for (const mirrored of [false, true])
		for (const name of PHOTOS) {
			const out = path.join(OUT_DIR, `${name}${mirrored ? '-mirrored' : ''}-4000x3000-q92.jpg`);
			if (!(await stat(out).catch(() => null))) {
				let img = sharp(path.resolve('tests/fixtures/photos', `${name}.jpg`));
				if (mirrored) img = img.flop();
				const buf = await img
					.resize(4000, 3000, { fit: 'cover', position: mirrored ? 'right' : 'centre' })
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
	pages: number;
	mime: string;
	/** Wall time to prepare and keep every page (node clock, from the first pick to the last page shown). */
	prepareS: number;
	swUploads: number;
	pageUploads: number;
}

/** `pages[i]`: the files of REQUIRED[i]. */
async function deliver(browser: Browser, url: string, pages: string[][]): Promise<Delivery> {
	const context = await freshContext(browser);
	let swUploads = 0;
	let pageUploads = 0;
	context.on('request', (req) => {
		if (!new URL(req.url()).pathname.startsWith('/api/dossier-files/uploads')) return;
		if (req.serviceWorker()) swUploads++;
		else pageUploads++;
	});
	try {
		const page = await context.newPage();
		await openFilledApplication(page, url, PROCEDURE);
		const t0 = Date.now();
		for (let i = 0; i < REQUIRED.length; i++) await addPages(page, REQUIRED[i], pages[i]);
		const prepareS = (Date.now() - t0) / 1000;
		await draftSaved(page);

		await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
		await throttlePage(context, page, LINK);
		const throttled = await throttleServiceWorkers(browser, page, LINK);
		if (throttled !== 1) throw new Error(`expected 1 service worker to throttle, found ${throttled}`);
		await page.evaluate(() => {
			const w = window as unknown as { __sentAt?: number };
			document.querySelector('[data-testid=application-send]')!.addEventListener('click', () => (w.__sentAt = Date.now()), { capture: true, once: true });
		});
		await page.getByTestId('application-send').click();
		await page.locator('[data-testid=application-progress][data-state=delivered]').waitFor({ timeout: DELIVERY_TIMEOUT_MS });
		const sentAt = await page.evaluate(() => (window as unknown as { __sentAt: number }).__sentAt);
		const [row] = await readTable<StoredApplicationRow>(page, 'applications');
		const files = await readTable<StoredApplicationFile>(page, 'applicationFiles');
		const expected = pages.reduce((n, p) => n + p.length, 0);
		const notDone = files.filter((f) => f.status !== 'done');
		if (files.length !== expected || notDone.length)
			throw new Error(`expected ${expected} pages sent, found ${files.length} (${notDone.map((f) => `${f.id} ${f.status}`).join(', ')})`);
		return {
			waitS: (row.updatedAt - sentAt) / 1000,
			bytes: files.reduce((n, f) => n + f.bytes, 0),
			pages: files.length,
			mime: [...new Set(files.map((f) => f.mime))].join('+'),
			prepareS,
			swUploads,
			pageUploads
		};
	} finally {
		await context.close();
	}
}

export async function run(): Promise<Row[]> {
	const { files, bytes: originalBytes } = await phonePages();
	const photoPages = REQUIRED.map((_, i) => files.slice(i * 2, i * 2 + 2));
	const pdf = await scannedPdf();
	const pdfFile = path.join(OUT_DIR, 'scanned-a4-150dpi.pdf');
	await writeFile(pdfFile, new Uint8Array(pdf));

	const variants: { key: string; encoding?: PhotoEncoding; pages: string[][] }[] = [
		{ key: 'ours', pages: photoPages },
		{ key: 'taken', encoding: AS_TAKEN, pages: photoPages },
		{ key: 'pdf', pages: REQUIRED.map(() => [pdfFile]) }
	];
	const results = new Map<string, Delivery>();
	const browser = await launchChromium();
	try {
		for (const v of variants) {
			const server = await startAppServer(v.encoding ? (demo: TenantConfig) => ({ ...demo, photoEncoding: v.encoding }) : undefined);
			try {
				const d = await deliver(browser, server.url, v.pages);
				results.set(v.key, d);
				console.error(`  dossier-delivery ${v.key}: ${fmt(d.waitS, 1)} s, ${kb(d.bytes, 0)} KB (${d.mime}), prepared in ${fmt(d.prepareS, 1)} s`);
			} finally {
				await server.close();
			}
		}
	} finally {
		await browser.close();
	}

	const ours = results.get('ours')!;
	const taken = results.get('taken')!;
	const pdfs = results.get('pdf')!;
	const b = 'dossier-delivery';
	const base = (v: string) => `${v} (as taken)`;
	const payloadS = (bytes: number) => (bytes * 8) / LINK.upBps;
	const link = `${LINK.upBps / 1000} kbps up, ${LINK.latencyMs} ms`;
	const sw = [...results.values()].reduce((n, d) => n + d.swUploads, 0);
	const pageUp = [...results.values()].reduce((n, d) => n + d.pageUploads, 0);
	return [
		{
			bench: b,
			measure: `"Gửi" → delivered, 3 documents × 2 page photos, s (${link}; ${ours.mime})`,
			value: fmt(ours.waitS, 1),
			baseline: base(fmt(taken.waitS, 1)),
			ratio: ratio(ours.waitS, taken.waitS)
		},
		{
			bench: b,
			measure: '  of which the page bytes alone at 400 kbps, s (the rest: round trips)',
			value: fmt(payloadS(ours.bytes), 1),
			baseline: base(fmt(payloadS(taken.bytes), 1)),
			ratio: ratio(ours.bytes, taken.bytes)
		},
		{
			bench: b,
			measure: `page bytes sent (Dexie applicationFiles; originals ${kb(originalBytes, 0)} KB), KB`,
			value: kb(ours.bytes, 0),
			baseline: base(kb(taken.bytes, 0)),
			ratio: ratio(ours.bytes, taken.bytes)
		},
		{
			bench: b,
			measure: `same dossier, 1 generated PDF page per document (A4 scan, ${kb(pdf.length, 0)} KB): "Gửi" → delivered, s`,
			value: fmt(pdfs.waitS, 1),
			baseline: base(fmt(taken.waitS, 1)),
			ratio: ratio(pdfs.waitS, taken.waitS)
		},
		{
			bench: b,
			measure: '  same, bytes sent (kept as picked), KB',
			value: kb(pdfs.bytes, 0),
			baseline: base(kb(taken.bytes, 0)),
			ratio: ratio(pdfs.bytes, taken.bytes)
		},
		{
			bench: b,
			measure: 'preparing the 6 page photos on the phone (pick → shown), s',
			value: fmt(ours.prepareS, 1),
			baseline: base(fmt(taken.prepareS, 1)),
			ratio: ratio(ours.prepareS, taken.prepareS)
		},
		{
			bench: b,
			measure: `tus requests sent by the page / by the service worker (${results.size} runs, both throttled)`,
			value: `${pageUp} / ${sw}`
		}
	];
}
