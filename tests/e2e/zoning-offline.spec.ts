import { expect, test } from './fixtures';
import { waitForServiceWorker } from './support/resident';
import { addressTarget, LAM_VIEN, landUseVi, openZoning, requestsOf, zoneInView } from './support/zoning-page';

/**
 * A commune downloaded for use with no signal (issue 14, point 5), in a build with its service
 * worker: the size is shown first, then a progress bar; with the device offline (airplane mode) the
 * page still opens, a tap on the map reads the zoning of the downloaded ward and a parcel is found by
 * sheet and number, the base map drawn from the stored tiles. A download cut halfway keeps what
 * arrived and resumes with the rest only; a downloaded ward can be deleted.
 */

/** The batched tile requests of a download (GET /api/offline-areas/:code/tiles?t=…). */
const BATCHES = (url: URL) => /^\/api\/offline-areas\/\d+\/tiles$/.test(url.pathname);

const area = (page: import('@playwright/test').Page) => page.locator(`[data-testid="offline-area"][data-code="${LAM_VIEN}"]`);

test('download the demo ward with its progress bar, then in airplane mode tap a point and find a parcel', async ({ page, context }) => {
	const urls = requestsOf(page);
	await openZoning(page);
	await waitForServiceWorker(page);

	// Slowed a little, so the bar is seen moving as on a weak link.
	await page.route(BATCHES, async (r) => {
		await new Promise((res) => setTimeout(res, 300));
		await r.continue();
	});
	await area(page).getByTestId('area-download').click();
	await expect(area(page).getByTestId('area-size')).toContainText(/Cần tải [\d,]+ MB/);
	await area(page).getByTestId('area-confirm').click();
	const bar = area(page).getByTestId('area-progress');
	await expect(bar).toBeVisible();
	const [value, max] = await bar.evaluate((p: HTMLProgressElement) => [p.value, p.max]);
	expect(value).toBeLessThan(max);
	await expect(area(page)).toHaveAttribute('data-state', 'complete', { timeout: 30_000 });
	await expect(area(page).getByTestId('area-notice')).toContainText('Đã tải xong');
	await expect(area(page).getByTestId('area-state')).toContainText('Đã tải');
	await page.unroute(BATCHES);

	// Airplane mode: the page comes from the service worker, the look-ups from the download.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('zoning-offline')).toContainText('Phường Lâm Viên');
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready');
	// The base map is drawn from the stored tiles.
	await expect.poll(() => page.locator('[data-testid="map"] img.leaflet-tile-loaded[src^="blob:"]').count()).toBeGreaterThan(0);
	// The downloaded ward is outlined before anything is asked: where a look-up works with no signal.
	await expect(page.locator('[data-testid="map"] svg path').first()).toBeAttached();

	// A tap on a demo zone in view where the map opens.
	const target = await zoneInView(page);
	await page.mouse.click(target.x, target.y);
	await expect(page.getByTestId('zoning-answer').getByTestId('zoning-land-use').first()).toContainText(landUseVi.get(target.code)!);
	await expect(page.getByTestId('zoning-from-device')).toBeVisible();
	await expect(page.getByTestId('zoning-demo')).toBeVisible();

	// A parcel by sheet and number, typed as on the land papers.
	await page.getByLabel('Phường/xã', { exact: true }).selectOption(LAM_VIEN);
	await page.getByLabel('Số tờ', { exact: true }).fill('Tờ 1');
	await page.getByLabel('Số thửa', { exact: true }).fill('001');
	await page.getByTestId('parcel-find').click();
	await expect(page.getByTestId('zoning-parcel')).toContainText('Tờ 1, thửa 1');
	await expect(page.getByTestId('zoning-from-device')).toBeVisible();

	// A parcel number the ward does not have: said plainly, offline too, and what was typed stays.
	await page.getByLabel('Số thửa', { exact: true }).fill('99999');
	await page.getByTestId('parcel-find').click();
	await expect(page.getByTestId('zoning-failure')).toContainText('Không tìm thấy thửa đất');
	await expect(page.getByLabel('Số thửa', { exact: true })).toHaveValue('99999');

	// By address, typed without accents: answered from the download too.
	const { parcel, fragment } = addressTarget();
	await page.getByLabel('Hoặc tìm theo địa chỉ', { exact: true }).fill(fragment);
	await expect(page.getByTestId('address-hit').first()).toContainText(parcel.address!);
	await page.getByTestId('address-hit').first().click();
	await expect(page.getByTestId('zoning-parcel')).toContainText(`Tờ ${parcel.sheet}, thửa ${parcel.number}`);
	await expect(page.getByTestId('zoning-from-device')).toBeVisible();

	for (const u of urls.filter((u) => /^(https?|wss?):/.test(u))) expect(new URL(u).hostname, u).toBe('127.0.0.1');
});

test('a download cut halfway keeps what arrived, resumes with the rest only, and a downloaded ward can be deleted', async ({ page }) => {
	await openZoning(page);
	// The tiles come in batches (a few requests, not one per tile): the link drops after the first two.
	let served = 0;
	let cut = true;
	await page.route(BATCHES, async (r) => {
		if (cut && ++served > 2) return r.abort('internetdisconnected');
		await r.continue();
	});
	await area(page).getByTestId('area-download').click();
	await area(page).getByTestId('area-confirm').click();
	await expect(area(page).getByTestId('area-failure')).toContainText('Phần đã tải vẫn giữ trong máy');
	await expect(area(page)).toHaveAttribute('data-state', 'partial');
	await expect(area(page).getByTestId('area-state')).toContainText('Tải dở');

	// The link is back: the rest only.
	cut = false;
	const resumed: string[] = [];
	await page.unroute(BATCHES);
	page.on('request', (r) => {
		const t = new URL(r.url()).searchParams.get('t');
		if (/\/api\/offline-areas\/\d+\/tiles/.test(r.url()) && t) resumed.push(...t.split(','));
	});
	await area(page).getByTestId('area-download').click();
	await expect(area(page).getByTestId('area-size')).toContainText(/Còn [\d,]+ MB cần tải/);
	await area(page).getByTestId('area-confirm').click();
	await expect(area(page)).toHaveAttribute('data-state', 'complete', { timeout: 30_000 });
	const manifest = await (await page.request.get(`/api/offline-areas/${LAM_VIEN}`)).json();
	const arrived = (await page.evaluate(() => new Promise<number>((ok) => {
		const open = indexedDB.open('caunoi-areas');
		open.onsuccess = () => {
			const count = open.result.transaction('tiles').objectStore('tiles').count();
			count.onsuccess = () => ok(count.result);
		};
	}))) as number;
	expect(arrived).toBe(manifest.tiles.length);
	// Only the tiles that had not arrived were asked for again, none twice.
	expect(resumed.length).toBeGreaterThan(0);
	expect(resumed.length).toBeLessThan(manifest.tiles.length);
	expect(new Set(resumed).size).toBe(resumed.length);

	// Up to date: nothing to fetch.
	await area(page).getByTestId('area-download').click();
	await expect(area(page).getByTestId('area-notice')).toContainText('mới nhất');

	await area(page).getByTestId('area-delete').click();
	await area(page).getByTestId('area-delete-confirm').click();
	await expect(area(page)).toHaveAttribute('data-state', 'none');
	await expect(area(page).getByTestId('area-notice')).toContainText('Đã xoá');
});
