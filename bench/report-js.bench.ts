/**
 * JavaScript a resident's phone downloads on a FIRST visit to the report form (/report): a fresh
 * browser context (cold HTTP cache, no service worker), compressed as the server serves it
 * (adapter-static's precompressed .br/.gz by Accept-Encoding). Baseline: the same measure for the
 * home page (/), in the same run.
 *
 * - Page scripts: CDP Network events of the page's own session; a script's transfer is
 *   `loadingFinished.encodedDataLength` (headers + compressed body, what Lighthouse calls the
 *   transfer size). Counted until `load` + network idle + the service worker has activated and the
 *   network is idle again (later lazy imports the page makes in that time count too).
 * - The service worker's precache (every chunk of the app, installed on the first visit so the next
 *   one works offline) is a separate row: it follows the page's load (register.ts waits for `load`)
 *   and does not delay it, but it is bytes the first visit costs.
 */
import { get } from 'node:http';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { fmt, kb, ratio, type Row } from './lib';
import { freshContext, launchChromium, startAppServer } from './support/app-server';

export const TARGET_REPORT_JS_KB = 90;

interface Transfer {
	url: string;
	/** Headers + compressed body. */
	total: number;
	/** Compressed body only. */
	body: number;
	encoding: string;
}

interface Visit {
	scripts: Transfer[];
	/** The service worker's own fetches (precache), with Playwright's encoded response body sizes. */
	swBytes: number;
	swScripts: number;
	swRequests: number;
}

const isScript = (url: string, mime: string) => /javascript|ecmascript/.test(mime) || /\.m?js(\?|$)/.test(url);

/** Page scripts as the network delivered them, from the page's CDP session. */
function recordScripts(cdp: CDPSession) {
	const seen = new Map<string, { url: string; mime: string; headerBytes: number; encoding: string; fromCache: boolean }>();
	const done: Transfer[] = [];
	cdp.on('Network.responseReceived', (e) => {
		const r = e.response;
		const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
		seen.set(e.requestId, {
			url: r.url,
			mime: r.mimeType,
			headerBytes: r.encodedDataLength ?? 0,
			encoding: headers['content-encoding'] ?? 'identity',
			fromCache: !!(r.fromDiskCache || r.fromServiceWorker || r.fromPrefetchCache)
		});
	});
	cdp.on('Network.loadingFinished', (e) => {
		const r = seen.get(e.requestId);
		if (!r || !isScript(r.url, r.mime)) return;
		// Served by the service worker (after it claimed the page) or from cache: nothing crossed the network.
		const total = r.fromCache ? 0 : e.encodedDataLength;
		done.push({ url: r.url, total, body: Math.max(0, total - r.headerBytes), encoding: r.encoding });
	});
	return done;
}

async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		const reg = await navigator.serviceWorker.ready;
		const active = reg.active!;
		if (active.state !== 'activated')
			await new Promise<void>((resolve) => active.addEventListener('statechange', () => active.state === 'activated' && resolve()));
	});
}

async function firstVisit(browser: Browser, url: string): Promise<Visit> {
	const context = await freshContext(browser);
	const sw = { bytes: 0, scripts: 0, requests: 0 };
	const pending: Promise<void>[] = [];
	context.on('requestfinished', (req) => {
		if (!req.serviceWorker()) return;
		pending.push(
			req.sizes().then(async (s) => {
				const res = await req.response();
				const mime = res?.headers()['content-type'] ?? '';
				sw.requests++;
				sw.bytes += s.responseBodySize + s.responseHeadersSize;
				if (isScript(req.url(), mime)) sw.scripts++;
			})
		);
	});
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	const scripts = recordScripts(cdp);
	await page.goto(url, { waitUntil: 'networkidle' });
	await waitForServiceWorker(page);
	await page.waitForLoadState('networkidle');
	// The precache runs in the worker, which `networkidle` of the page does not watch.
	await page.waitForTimeout(1_500);
	await Promise.all(pending);
	await context.close();
	return { scripts, swBytes: sw.bytes, swScripts: sw.scripts, swRequests: sw.requests };
}

/** Bytes of a file as the server sends it to a browser asking for brotli (the body, no headers). */
function servedBytes(url: string): Promise<{ bytes: number; encoding: string }> {
	return new Promise((resolve, reject) => {
		get(url, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } }, (res) => {
			let bytes = 0;
			res.on('data', (c: Buffer) => (bytes += c.length));
			res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
			res.on('error', reject);
		}).on('error', reject);
	});
}

const sum = (xs: Transfer[], k: 'total' | 'body') => xs.reduce((a, t) => a + t[k], 0);

/** The pages that show a map (issue 14): Leaflet is loaded by them alone, and this is what it adds. */
const MAP_PAGES = ['/zoning', '/offices', '/public'];

/** Leaflet's own chunk among a visit's scripts: the one that defines its panes. */
async function leafletOf(scripts: Transfer[]): Promise<Transfer[]> {
	const texts = await Promise.all(scripts.map((s) => fetch(s.url).then((r) => r.text())));
	return scripts.filter((_, i) => texts[i].includes('leaflet-pane'));
}

export async function run(): Promise<Row[]> {
	const server = await startAppServer();
	const browser = await launchChromium();
	try {
		const home = await firstVisit(browser, `${server.url}/`);
		const report = await firstVisit(browser, `${server.url}/report`);
		const swScript = await servedBytes(`${server.url}/service-worker.js`);
		const enc = [...new Set(report.scripts.map((s) => s.encoding))].join('+');
		const reportKb = sum(report.scripts, 'total') / 1024;
		if (process.env.BENCH_VERBOSE)
			for (const s of [...report.scripts].sort((a, b) => b.total - a.total))
				console.log(`  /report ${fmt(s.total)} B  ${s.encoding}  ${new URL(s.url).pathname}`);
		const b = 'report-js';
		const mapRows: Row[] = [];
		for (const p of MAP_PAGES) {
			const visit = await firstVisit(browser, `${server.url}${p}`);
			const leaflet = await leafletOf(visit.scripts);
			mapRows.push(
				{
					bench: b,
					measure: `JS transferred, first visit to ${p} (a map page), KB`,
					value: kb(sum(visit.scripts, 'total')),
					baseline: `${kb(sum(report.scripts, 'total'))} (/report)`,
					ratio: ratio(sum(visit.scripts, 'total'), sum(report.scripts, 'total'))
				},
				{ bench: b, measure: `  of which Leaflet (loaded after the first paint), KB`, value: leaflet.length ? kb(sum(leaflet, 'total')) : 'none' }
			);
		}
		return [
			{
				bench: b,
				measure: `JS transferred, first visit to /report, KB (${enc}, with headers)`,
				value: kb(sum(report.scripts, 'total')),
				baseline: `${kb(sum(home.scripts, 'total'))} (/)`,
				ratio: ratio(sum(report.scripts, 'total'), sum(home.scripts, 'total')),
				target: `≤ ${TARGET_REPORT_JS_KB}`,
				met: reportKb <= TARGET_REPORT_JS_KB
			},
			{
				bench: b,
				measure: 'JS transferred, compressed bodies only, KB',
				value: kb(sum(report.scripts, 'body')),
				baseline: `${kb(sum(home.scripts, 'body'))} (/)`,
				ratio: ratio(sum(report.scripts, 'body'), sum(home.scripts, 'body'))
			},
			{
				bench: b,
				measure: 'script files loaded by the page',
				value: String(report.scripts.length),
				baseline: `${home.scripts.length} (/)`
			},
			{
				bench: b,
				measure: `service worker precache, bytes (${report.swRequests} requests, ${report.swScripts} JS)`,
				value: fmt(report.swBytes),
				baseline: `${fmt(home.swBytes)} (/)`,
				ratio: ratio(report.swBytes, home.swBytes)
			},
			{
				bench: b,
				measure: `service worker script itself, bytes (${swScript.encoding}, body)`,
				value: fmt(swScript.bytes)
			},
			...mapRows
		];
	} finally {
		await browser.close();
		await server.close();
	}
}
