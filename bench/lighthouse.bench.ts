/**
 * Lighthouse on every resident page (issue 11): what a low-end Android phone on a weak 4G link
 * gets on a FIRST visit. Lighthouse's own defaults, which are the settings: mobile form
 * factor and screen, simulated throttling "slow 4G" (150 ms RTT, 1.6 Mbps down) with 4× CPU
 * slowdown; every run resets the origin's storage (cache, service worker, IndexedDB). 3 runs per
 * page (LIGHTHOUSE_RUNS), taken round by round over all pages so that noise from other work on the
 * machine spreads over every page alike; the table shows medians and, in brackets, the range.
 *
 * Lighthouse 12.8 (the newest that runs on Node 20: 13.x needs Node ≥ 22.19) drives Debian's
 * chromium (CHROMIUM_PATH) with the flags of playwright.config.ts, so nothing leaves the machine;
 * a fresh browser per run.
 *
 * Baseline, same run: "a page with the framework only". Without adding a route to the app, the
 * honest page is the app's own shell (200.html) cut down to the framework: the same <head> (CSS,
 * manifest, icons), a static heading, and SvelteKit's client runtime (entry/start.js and the Svelte
 * chunks it imports) downloaded, parsed and evaluated, but never started — no root layout, no
 * database, no data. It is served from the same build/ by a tiny static server (precompressed
 * .br as the app's server sends them): the simulated network makes server speed irrelevant.
 *
 * BENCH_VERBOSE=1 also writes each page's last report to bench/out/lighthouse-<page>.html (long
 * tasks, network waterfall, what holds each figure back).
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import playwrightConfig from '../playwright.config';
import { fmt, median, ratio, type Row } from './lib';
import { STATIC_DIR, startAppServer } from './support/app-server';

// Every resident page, and the office's TV board (issue 12: the ticket page and the board as on a cheap phone);
// issue 13: the online filing page of the demo's birth registration.
const ALL_PAGES = ['/', '/report', '/outbox', '/my', '/public', '/account', '/ticket', '/board?office=lam-vien', '/procedures', '/dossier', '/dossier/file?procedure=1.001193', '/zoning', '/offices'];
/** LIGHTHOUSE_PAGES=/report,/public measures only those (while working on one page). */
export const PAGES = process.env.LIGHTHOUSE_PAGES ? process.env.LIGHTHOUSE_PAGES.split(',') : ALL_PAGES;
export const TARGETS = { performance: 95, tbtMs: 150, lcpS: 1.8, cls: 0.02, accessibility: 100 };

export interface Sample {
	performance: number;
	accessibility: number;
	tbtMs: number;
	lcpS: number;
	cls: number;
	/** JavaScript the page loaded, decoded (uncompressed), KB: Lighthouse's network requests. */
	scriptKb?: number;
}

export const BASELINE = 'framework only';

/** The app's shell reduced to the framework: its head, its runtime loaded but not started. */
async function baselineHtml(): Promise<string> {
	const shell = await readFile(path.join(STATIC_DIR, '200.html'), 'utf8');
	const start = shell.match(/\/_app\/immutable\/entry\/start\.[\w-]+\.js/)?.[0];
	if (!start) throw new Error('200.html names no SvelteKit entry/start.*.js');
	const head = shell
		.slice(shell.indexOf('<head>') + 6, shell.indexOf('</head>'))
		// Only the framework's entry is preloaded; the app's nodes and chunks are not.
		.replace(/\s*<link href="[^"]*" rel="modulepreload">/g, '');
	return `<!doctype html><html lang="vi"><head>${head}<link href="${start}" rel="modulepreload"></head>
<body><main><h1>Cầu Nối</h1><p>Trang chuẩn: chỉ có khung ứng dụng.</p></main>
<script type="module">import(${JSON.stringify(start)});</script></body></html>`;
}

/** build/ as static files (precompressed .br when asked), `/` answered with the baseline page. */
export async function startBaselineServer(): Promise<{ url: string; close(): Promise<void> }> {
	const html = await baselineHtml();
	const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };
	const server: Server = createServer(async (req, res) => {
		const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		if (pathname === '/') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
			return res.end(html);
		}
		const file = path.join(STATIC_DIR, path.normalize(pathname));
		if (!file.startsWith(STATIC_DIR + path.sep)) return res.writeHead(404).end();
		const br = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? '')) && (await stat(file + '.br').catch(() => null));
		try {
			const body = await readFile(br ? file + '.br' : file);
			res.writeHead(200, {
				'content-type': types[path.extname(file)] ?? 'application/octet-stream',
				'cache-control': pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache',
				...(br ? { 'content-encoding': 'br', vary: 'accept-encoding' } : {})
			});
			res.end(body);
		} catch {
			res.writeHead(404).end();
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface AuditOptions {
	/** Also write the report (html) and its JSON here. */
	saveAs?: string;
	/**
	 * A chromium already running with this debugging port (see launchChrome) instead of a fresh one
	 * per run; it is left running. With `disableStorageReset` its profile (a signed-in session, the
	 * service worker, caches, IndexedDB) is what the page meets: a repeat visit, not a first one.
	 */
	port?: number;
	disableStorageReset?: boolean;
	/** Lighthouse's desktop preset (no CPU slowdown, a wired link, a wide screen) instead of the cheap phone. */
	desktop?: boolean;
}

/** Debian's chromium, headless, with the end-to-end tests' flags, driven over its debugging port. */
export function launchChrome(): Promise<chromeLauncher.LaunchedChrome> {
	const args = (playwrightConfig.use?.launchOptions?.args ?? []).filter((a) => !a.startsWith('--headless'));
	return chromeLauncher.launch({
		chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		chromeFlags: ['--headless=new', ...args]
	});
}

/** One Lighthouse run, by default in a fresh chromium with the end-to-end tests' flags. */
export async function audit(url: string, opts: AuditOptions = {}): Promise<Sample> {
	const { saveAs } = opts;
	const chrome = opts.port ? null : await launchChrome();
	try {
		const result = await lighthouse(
			url,
			{
				port: opts.port ?? chrome!.port,
				output: saveAs ? 'html' : 'json',
				logLevel: 'error',
				onlyCategories: ['performance', 'accessibility'],
				disableStorageReset: !!opts.disableStorageReset
			},
			opts.desktop ? desktopConfig : undefined
		);
		const lhr = result?.lhr;
		if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
		if (saveAs) {
			await mkdir(path.dirname(saveAs), { recursive: true });
			await writeFile(saveAs, String(result.report));
			await writeFile(saveAs.replace(/\.html$/, '.json'), JSON.stringify(lhr));
		}
		if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
		const num = (id: string) => {
			const v = lhr.audits[id]?.numericValue;
			if (v == null) throw new Error(`Lighthouse on ${url}: no ${id} (${lhr.audits[id]?.errorMessage ?? 'not measured'})`);
			return v;
		};
		const score = (id: string) => Math.round((lhr.categories[id]?.score ?? NaN) * 100);
		// Decoded sizes: a page the service worker answers transfers nothing, yet runs all of it.
		const requests = (lhr.audits['network-requests']?.details as { items?: { resourceType?: string; resourceSize?: number }[] } | undefined)?.items ?? [];
		const scripts = requests.length ? { size: requests.filter((i) => i.resourceType === 'Script').reduce((n, i) => n + (i.resourceSize ?? 0), 0) } : null;
		return {
			performance: score('performance'),
			accessibility: score('accessibility'),
			tbtMs: num('total-blocking-time'),
			lcpS: num('largest-contentful-paint') / 1000,
			cls: num('cumulative-layout-shift'),
			...(scripts ? { scriptKb: scripts.size / 1024 } : {})
		};
	} finally {
		chrome?.kill();
	}
}

export type Key = Exclude<keyof Sample, 'scriptKb'>;
export const MEASURES: { key: Key; label: string; digits: number; target: string; met: (v: number) => boolean }[] = [
	{ key: 'performance', label: 'performance score', digits: 0, target: `≥ ${TARGETS.performance}`, met: (v) => v >= TARGETS.performance },
	{ key: 'tbtMs', label: 'total blocking time, ms', digits: 0, target: `≤ ${TARGETS.tbtMs}`, met: (v) => v <= TARGETS.tbtMs },
	{ key: 'lcpS', label: 'largest contentful paint, s', digits: 1, target: `≤ ${TARGETS.lcpS}`, met: (v) => v <= TARGETS.lcpS },
	{ key: 'cls', label: 'cumulative layout shift', digits: 3, target: `≤ ${TARGETS.cls}`, met: (v) => v <= TARGETS.cls },
	{ key: 'accessibility', label: 'accessibility score', digits: 0, target: `${TARGETS.accessibility}`, met: (v) => v >= TARGETS.accessibility }
];

export async function run(): Promise<Row[]> {
	const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
	const app = await startAppServer();
	const base = await startBaselineServer();
	const samples = new Map<string, Sample[]>([[BASELINE, []], ...PAGES.map((p): [string, Sample[]] => [p, []])]);
	try {
		for (let round = 1; round <= runs; round++) {
			for (const [page, list] of samples) {
				const url = page === BASELINE ? `${base.url}/` : `${app.url}${page}`;
				const saveAs = process.env.BENCH_VERBOSE && round === runs ? path.resolve('bench/out', `lighthouse-${page.replace(/\W+/g, '_') || 'home'}.html`) : undefined;
				// Lighthouse's trace recording fails now and then (NO_NAVSTART): one more try, not a lost run.
				const s = await audit(url, { saveAs }).catch((e: unknown) => {
					console.error(`  lighthouse round ${round}/${runs} ${page}: ${String(e)}; trying once more`);
					return audit(url, { saveAs });
				});
				list.push(s);
				console.error(`  lighthouse round ${round}/${runs} ${page}: perf ${s.performance}, TBT ${fmt(s.tbtMs)} ms, LCP ${fmt(s.lcpS, 2)} s, CLS ${fmt(s.cls, 3)}, a11y ${s.accessibility}`);
			}
		}
	} finally {
		await base.close();
		await app.close();
	}
	const summary = (page: string, key: Key) => {
		const xs = samples.get(page)!.map((s) => s[key]);
		return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
	};
	const rows: Row[] = [];
	for (const page of PAGES)
		for (const m of MEASURES) {
			const v = summary(page, m.key);
			const b = summary(BASELINE, m.key);
			const range = v.min === v.max ? '' : ` (${fmt(v.min, m.digits)}–${fmt(v.max, m.digits)})`;
			rows.push({
				bench: 'lighthouse',
				measure: `${page} ${m.label}, median of ${runs}`,
				value: fmt(v.med, m.digits) + range,
				baseline: `${fmt(b.med, m.digits)} (${BASELINE})`,
				ratio: m.key === 'cls' ? '' : ratio(v.med, b.med),
				target: m.target,
				met: m.met(v.med)
			});
		}
	return rows;
}
