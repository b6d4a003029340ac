/**
 * Repeat start OFFLINE on a cheap phone (issue 11): a resident who opened the report form once,
 * online, opens it again with no network. Debian's chromium (playwright.config.ts flags), the real
 * sync-server serving the build.
 *
 *  1. First visit, online, to /report in a fresh context: the service worker installs (precache)
 *     and activates, and the page is reloaded until it is controlled; the tenant's data the form
 *     needs offline (config: categories, wards; ward boundaries) is waited for in IndexedDB.
 *  2. `context.setOffline(true)`. Then REPEAT_START_RUNS (5) rounds, each a NEW tab (the app opened
 *     again, the browser still running) with the page's CPU throttled 4× (CDP
 *     `Emulation.setCPUThrottlingRate`; the page's renderer, not the service worker's thread), one
 *     navigation to /report and one to /account, in alternating order. Every navigation must be
 *     answered by the service worker (`workerStart` > 0), else the run is an error.
 *  3. Measured in the page with the Performance API, from navigation start (time origin):
 *     - "form ready": the mark `report-form-ready` the report page makes once the cached config is
 *       in state and a `tick()` has rendered it: the category choices are on screen, enabled, with
 *       Svelte's handlers on them (checked after each run: enabled radios exist);
 *     - "framework started": SvelteKit's router starts listening (its `popstate` listener, added
 *       after hydration: the layout and page are mounted and their onMount ran), marked by an init
 *       script; the same moment on any page;
 *     - first contentful paint and domContentLoaded (event start).
 *
 * REPEAT_START_RUNS, REPEAT_START_CPU (the slowdown, default 4; 1 shows what the throttle adds);
 * BENCH_VERBOSE=1 prints each round.
 *
 * Baseline, same run: the offline repeat start of /account, framework started. Not the framework-
 * only page of lighthouse.bench.ts: that page has no service worker, so offline it does not load at
 * all; /account is the app's own page with no data (no tenant lists, no draft), through the same
 * service worker, shell, layout and throttle: what remains is what the report form itself costs.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { fmt, median, ratio, type Row } from './lib';
import { freshContext, launchChromium, startAppServer } from './support/app-server';

export const TARGET_READY_MS = 500;
const RUNS = Number(process.env.REPEAT_START_RUNS ?? 5);
const CPU_SLOWDOWN = Number(process.env.REPEAT_START_CPU ?? 4);
const READY = 'report-form-ready';
const STARTED = 'framework-started';
const say = (msg: string) => process.env.BENCH_VERBOSE && console.error(`  [repeat-start] ${msg}`);

interface Start {
	fcp: number;
	dcl: number;
	started: number;
	ready: number | null;
}

/** Marks when SvelteKit's router starts (its `popstate` listener): hydration is done. */
function markFrameworkStart(name: string) {
	type Add = (...args: unknown[]) => void;
	const add = window.addEventListener.bind(window) as Add;
	(window as unknown as { addEventListener: Add }).addEventListener = (...args: unknown[]) => {
		if (args[0] === 'popstate' && !performance.getEntriesByName(name).length) performance.mark(name);
		add(...args);
	};
}

/** Keys of the app's cached tenant data (Dexie `tenant` table of the device database). */
function tenantKeys(page: Page): Promise<string[]> {
	return page.evaluate(
		() =>
			new Promise<string[]>((resolve) => {
				const open = indexedDB.open('cau-noi-local');
				open.onerror = () => resolve([]);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('tenant')) return db.close(), resolve([]);
					const req = db.transaction('tenant', 'readonly').objectStore('tenant').getAllKeys();
					req.onsuccess = () => (db.close(), resolve(req.result.map(String)));
					req.onerror = () => (db.close(), resolve([]));
				};
			})
	);
}

/** The first visit, online: service worker in control, the form's offline data cached. Returns what is cached. */
async function firstVisit(context: BrowserContext, url: string): Promise<string[]> {
	const page = await context.newPage();
	await page.goto(`${url}/report`);
	await page.getByTestId('report-form').waitFor({ timeout: 60_000 });
	await page.evaluate(async () => {
		const active = (await navigator.serviceWorker.ready).active!;
		if (active.state !== 'activated')
			await new Promise<void>((resolve) => active.addEventListener('statechange', () => active.state === 'activated' && resolve()));
	});
	for (let i = 0; i < 3 && !(await page.evaluate(() => !!navigator.serviceWorker.controller)); i++) await page.reload();
	if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) throw new Error('the service worker never controlled /report');
	const until = Date.now() + 60_000;
	let keys = await tenantKeys(page);
	while (!(keys.includes('config') && keys.includes('wardBoundaries')) && Date.now() < until) {
		await page.waitForTimeout(250);
		keys = await tenantKeys(page);
	}
	if (!keys.includes('config')) throw new Error(`the tenant config was never cached (tenant table: ${keys.join(', ') || 'empty'})`);
	if (!keys.includes('wardBoundaries')) console.error(`  [repeat-start] warning: no ward boundaries cached after 60 s (tenant table: ${keys.join(', ')})`);
	await page.waitForLoadState('networkidle');
	await page.close();
	return keys;
}

interface Marks {
	marks: Record<string, number>;
	fcp: number;
	dcl: number;
	sw: boolean;
}

/** In the page: resolves once every mark, the first contentful paint and domContentLoaded are there. */
function waitForMarks(names: string[]): Promise<Marks> {
	return new Promise<Marks>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ${names.join(' / ')} within 30 s on ${location.pathname}`)), 30_000);
		const check = () => {
			const marks = Object.fromEntries(names.map((n) => [n, performance.getEntriesByName(n, 'mark')[0]?.startTime]));
			const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
			const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
			if (fcp === undefined || Object.values(marks).some((v) => v === undefined) || !nav.domContentLoadedEventStart) return false;
			clearTimeout(timer);
			resolve({ marks: marks as Record<string, number>, fcp, dcl: nav.domContentLoadedEventStart, sw: nav.workerStart > 0 });
			return true;
		};
		if (check()) return;
		const obs = new PerformanceObserver(() => check() && obs.disconnect());
		obs.observe({ type: 'mark', buffered: true });
		obs.observe({ type: 'paint', buffered: true });
	});
}

/** One offline start of `path` in a new tab, CPU throttled; times from navigation start, ms. */
async function start(context: BrowserContext, url: string, path: string, waitFor: string[]): Promise<Start> {
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
	try {
		await page.goto(`${url}${path}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
		// One evaluation that waits on PerformanceObservers (no polling on the throttled thread), sent as
		// CDP's own Runtime.evaluate: Playwright's page.evaluate would first inject its helper script
		// (a compile of 25–50 ms on the throttled thread, traced) into the very start being measured.
		const evaluated = (await cdp.send('Runtime.evaluate', {
			expression: `(${waitForMarks.toString()})(${JSON.stringify(waitFor)})`,
			awaitPromise: true,
			returnByValue: true
		})) as { result: { value?: Marks }; exceptionDetails?: { exception?: { description?: string }; text: string } };
		if (evaluated.exceptionDetails) throw new Error(evaluated.exceptionDetails.exception?.description ?? evaluated.exceptionDetails.text);
		const r = evaluated.result.value!;
		if (!r.sw) throw new Error(`${path}: the navigation was not answered by the service worker`);
		if (waitFor.includes(READY)) {
			const enabled = await page.locator('[data-testid=category-grid] input[type=radio]:enabled').count();
			if (!enabled) throw new Error(`${path}: "${READY}" was marked but no enabled category is on screen`);
		}
		return { fcp: r.fcp, dcl: r.dcl, started: r.marks[STARTED], ready: r.marks[READY] ?? null };
	} finally {
		await cdp.detach().catch(() => undefined);
		await page.close();
	}
}

const stats = (xs: number[]) => ({ med: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const withRange = (xs: number[]) => {
	const s = stats(xs);
	return s.min === s.max ? fmt(s.med) : `${fmt(s.med)} (${fmt(s.min)}–${fmt(s.max)})`;
};

export async function run(): Promise<Row[]> {
	const server = await startAppServer(undefined, { overdueCheckMs: 0 });
	const browser = await launchChromium();
	const report: Start[] = [];
	const account: Start[] = [];
	let cached: string[];
	try {
		const context = await freshContext(browser);
		// tsx compiles with esbuild's keepNames: functions sent to the page call its `__name` helper.
		await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
		await context.addInitScript(markFrameworkStart, STARTED);
		cached = await firstVisit(context, server.url);
		say(`first visit done; cached: ${cached.join(', ')}`);
		await context.setOffline(true);
		for (let round = 0; round < RUNS; round++) {
			const order = round % 2 ? (['report', 'account'] as const) : (['account', 'report'] as const);
			for (const which of order) {
				if (which === 'report') report.push(await start(context, server.url, '/report', [STARTED, READY]));
				else account.push(await start(context, server.url, '/account', [STARTED]));
			}
			const r = report[round];
			const a = account[round];
			say(`round ${round + 1}: /report ready ${fmt(r.ready!)} ms (started ${fmt(r.started)}, FCP ${fmt(r.fcp)}, DCL ${fmt(r.dcl)}); /account started ${fmt(a.started)} ms (FCP ${fmt(a.fcp)}, DCL ${fmt(a.dcl)})`);
		}
		await context.close();
	} finally {
		await browser.close();
		await server.close();
	}

	const b = 'repeat-start';
	const base = '(/account, started)';
	const ready = report.map((s) => s.ready!);
	const accStarted = account.map((s) => s.started);
	const readyMed = median(ready);
	const row = (measure: string, value: number[], baseline: number[], label: string): Row => ({
		bench: b,
		measure,
		value: withRange(value),
		baseline: `${fmt(median(baseline))} ${label}`,
		ratio: ratio(median(value), median(baseline))
	});
	return [
		{
			bench: b,
			measure: `/report offline repeat start, CPU ${CPU_SLOWDOWN}×: form ready (categories on screen, handlers attached), ms, median of ${RUNS}`,
			value: withRange(ready),
			baseline: `${fmt(median(accStarted))} ${base}`,
			ratio: ratio(readyMed, median(accStarted)),
			target: `≤ ${TARGET_READY_MS}`,
			met: readyMed <= TARGET_READY_MS
		},
		row('  framework started (SvelteKit router listening, after hydration), ms', report.map((s) => s.started), accStarted, base),
		row('  first contentful paint, ms', report.map((s) => s.fcp), account.map((s) => s.fcp), '(/account)'),
		row('  domContentLoaded (event start), ms', report.map((s) => s.dcl), account.map((s) => s.dcl), '(/account)'),
		row(
			'  form ready after domContentLoaded, ms',
			report.map((s) => s.ready! - s.dcl),
			account.map((s) => s.started - s.dcl),
			'(/account, started)'
		),
		{
			bench: b,
			measure: '  cached by the first visit (device database, tenant table)',
			value: cached.join(', ')
		}
	];
}
