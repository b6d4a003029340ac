/**
 * The operations centre's page (/ioc, issue 15) as a leader opens it at the office: Lighthouse with
 * its DESKTOP preset (no CPU slowdown, a wired link, a wide screen), signed in, with a year of field
 * reports in the province (IOC_PAGE_REPORTS, 2,000: bench/support/field-reports.ts) so every table,
 * the chart and the map have something to draw; and the JavaScript it transfers.
 *
 *  1. The real sync-server serving the build, its stores seeded; a chromium (playwright.config.ts
 *     flags, launched by chrome-launcher, driven by Playwright over its debugging port) signs in as
 *     `lanhdao` on /ioc and waits for the figures (the session, service worker and caches stay).
 *  2. LIGHTHOUSE_RUNS (3) runs of Lighthouse on /ioc in that browser (`disableStorageReset`: the page
 *     meets the session, as a leader's next visit does), desktop preset; medians.
 * Baseline, same run: the framework-only page of lighthouse.bench.ts, desktop preset, fresh browser.
 * The JS weight is what the page's scripts weigh decoded (Lighthouse's network requests; the service
 * worker answers a signed-in visit, so nothing is transferred): all of its loads, the chart library
 * and the map included, which come only as their sections near the screen.
 */
import path from 'node:path';
import { chromium } from '@playwright/test';
import { DEMO_PASSWORD } from '../sync-server/seed/demo-tenant';
import { fmt, median, ratio, type Row } from './lib';
import { audit, BASELINE, launchChrome, MEASURES, startBaselineServer, type Sample } from './lighthouse.bench';
import { startAppServer } from './support/app-server';
import { generateFieldReports } from './support/field-reports';

const N = Number(process.env.IOC_PAGE_REPORTS ?? 2_000);
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const say = (msg: string) => process.env.BENCH_VERBOSE && console.error(`  [dashboard-page] ${msg}`);

export async function run(): Promise<Row[]> {
	const app = await startAppServer(undefined, { overdueCheckMs: 0 });
	const base = await startBaselineServer();
	const chrome = await launchChrome();
	const ioc: Sample[] = [];
	const framework: Sample[] = [];
	try {
		const config = app.handle.tenant;
		await generateFieldReports(app.handle.storage, config, N, 0);
		say(`${N} reports seeded`);
		const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
		const page = await browser.contexts()[0].newPage();
		await page.goto(`${app.url}/ioc`);
		const form = page.getByTestId('staff-login');
		await form.locator('input[name=username]').fill('lanhdao');
		await form.locator('input[name=password]').fill(DEMO_PASSWORD);
		await form.locator('button[type=submit]').click();
		await page.getByTestId('ioc-received').waitFor({ timeout: 60_000 });
		await page.waitForLoadState('networkidle');
		await page.close();
		await browser.close(); // the CDP connection only: chrome and its profile stay
		for (let i = 0; i < RUNS; i++) {
			const saveAs = process.env.BENCH_VERBOSE && i === RUNS - 1 ? path.join('bench', 'out', 'lighthouse-ioc.html') : undefined;
			ioc.push(await audit(`${app.url}/ioc?period=month`, { port: chrome.port, disableStorageReset: true, desktop: true, saveAs }));
			framework.push(await audit(base.url, { desktop: true }));
			say(`run ${i + 1}: /ioc perf ${ioc[i].performance}, TBT ${fmt(ioc[i].tbtMs)} ms, LCP ${fmt(ioc[i].lcpS, 2)} s, JS ${fmt(ioc[i].scriptKb ?? NaN, 1)} KB`);
		}
	} finally {
		chrome.kill();
		await base.close();
		await app.close();
	}
	const rows: Row[] = [];
	for (const m of MEASURES) {
		const xs = ioc.map((s) => s[m.key]);
		const bs = framework.map((s) => s[m.key]);
		const v = median(xs);
		rows.push({
			bench: 'dashboard-page',
			measure: `/ioc (desktop, signed in, ${N.toLocaleString('en')} reports) ${m.label}, median of ${RUNS}`,
			value: `${fmt(v, m.digits)} (${fmt(Math.min(...xs), m.digits)}–${fmt(Math.max(...xs), m.digits)})`,
			baseline: `${fmt(median(bs), m.digits)} (${BASELINE}, desktop)`,
			ratio: m.key === 'tbtMs' || m.key === 'cls' ? undefined : ratio(v, median(bs)),
			target: m.target,
			met: m.met(v)
		});
	}
	const js = ioc.map((s) => s.scriptKb ?? NaN);
	rows.push({
		bench: 'dashboard-page',
		measure: '/ioc JavaScript it runs, decoded (all of its loads: the chart and the map as they near the screen), KB',
		value: fmt(median(js), 1),
		baseline: `${fmt(median(framework.map((s) => s.scriptKb ?? NaN)), 1)} (${BASELINE})`,
		ratio: ratio(median(js), median(framework.map((s) => s.scriptKb ?? NaN)))
	});
	return rows;
}
