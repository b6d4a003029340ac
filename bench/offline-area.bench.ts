/**
 * One commune's offline package (issue 14, point 5) over a weak link: the demo ward of the demo
 * tenant downloaded from /zoning ("Dùng khi không có mạng") in Debian's chromium with CDP's network
 * emulation — 1.6 Mbit/s down, 300 ms latency, 750 kbit/s up — and the CPU throttled 4× like a
 * cheap phone. Measured from the press of "Tải về" to the ward shown as downloaded: the time, and
 * the bytes on the wire (CDP's encodedDataLength of every request the page made meanwhile: the
 * manifest, the zoning package, the tiles). Baseline, same run: the link's floor for those bytes
 * (bytes ÷ bandwidth + one round trip): how close parallel fetching comes to the line's capacity.
 * Then the same press again (nothing changed: the manifest only) and the package's parts as the
 * server lists them.
 */
import type { CDPSession, Page } from '@playwright/test';
import { fmt, kb, ratio, type Row } from './lib';
import { freshContext, launchChromium, startAppServer } from './support/app-server';

const WARD = '24778';
const LINK = { latencyMs: 300, downKbps: 1_600, upKbps: 750 };

interface Transfer {
	bytes: number;
	requests: number;
}

/** Bytes the page moved while `act` ran (every request of the page's own session). */
async function transferred(cdp: CDPSession, act: () => Promise<void>): Promise<Transfer & { ms: number }> {
	let bytes = 0;
	let requests = 0;
	const urls = new Map<string, string>();
	const sent = (e: { requestId: string; request: { url: string } }) => void urls.set(e.requestId, e.request.url);
	const done = (e: { requestId: string; encodedDataLength: number }) => {
		bytes += e.encodedDataLength;
		requests++;
		if (process.env.BENCH_VERBOSE) console.log(`  ${fmt(e.encodedDataLength)} B  ${urls.get(e.requestId) ?? e.requestId}`);
	};
	cdp.on('Network.requestWillBeSent', sent);
	cdp.on('Network.loadingFinished', done);
	const t0 = performance.now();
	await act();
	const ms = performance.now() - t0;
	cdp.off('Network.loadingFinished', done);
	cdp.off('Network.requestWillBeSent', sent);
	return { bytes, requests, ms };
}

async function press(page: Page, expectState: 'complete'): Promise<void> {
	const area = page.locator(`[data-testid="offline-area"][data-code="${WARD}"]`);
	await area.getByTestId('area-download').click();
	// Sized first; a complete, unchanged ward says so instead of asking.
	const asked = area.getByTestId('area-confirm');
	const upToDate = area.getByTestId('area-notice');
	await asked.or(upToDate).first().waitFor({ timeout: 120_000 });
	if (await asked.isVisible()) await asked.click();
	await area.and(page.locator(`[data-state="${expectState}"]`)).waitFor({ timeout: 600_000 });
	await upToDate.waitFor({ timeout: 600_000 });
}

export async function run(): Promise<Row[]> {
	const app = await startAppServer();
	const browser = await launchChromium();
	try {
		const manifest = (await (await fetch(`${app.url}/api/offline-areas/${WARD}`)).json()) as { tiles: { bytes: number }[]; zoning?: { bytes: number } };
		const listed = manifest.tiles.reduce((s, t) => s + t.bytes, 0) + (manifest.zoning?.bytes ?? 0);

		const context = await freshContext(browser);
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		await page.goto(`${app.url}/zoning`);
		await page.locator(`[data-testid="offline-area"][data-code="${WARD}"] [data-testid="area-download"]:enabled`).waitFor({ timeout: 60_000 });
		await cdp.send('Network.emulateNetworkConditions', {
			offline: false,
			latency: LINK.latencyMs,
			downloadThroughput: (LINK.downKbps * 1000) / 8,
			uploadThroughput: (LINK.upKbps * 1000) / 8
		});
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

		const first = await transferred(cdp, () => press(page, 'complete'));
		const again = await transferred(cdp, () => press(page, 'complete'));
		const floorMs = (first.bytes * 8) / LINK.downKbps + 2 * LINK.latencyMs;
		const b = 'offline-area';
		return [
			{ bench: b, measure: `package as listed (${manifest.tiles.length} tiles + zoning), KB`, value: kb(listed) },
			{ bench: b, measure: `download, bytes on the wire (${first.requests} requests), KB`, value: kb(first.bytes) },
			{
				bench: b,
				measure: `download time, 1.6 Mbit/s, 300 ms, CPU 4×, s`,
				value: fmt(first.ms / 1000, 1),
				baseline: `${fmt(floorMs / 1000, 1)} (the link's floor)`,
				ratio: ratio(first.ms, floorMs)
			},
			{ bench: b, measure: `again with nothing changed: bytes (${again.requests} requests), KB`, value: kb(again.bytes) },
			{ bench: b, measure: `again with nothing changed: time, s`, value: fmt(again.ms / 1000, 1) }
		];
	} finally {
		await browser.close();
		await app.close();
	}
}
