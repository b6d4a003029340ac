import { expect, test } from './fixtures';
import { waitForServiceWorker } from './support/resident';
import { LAM_VIEN, landUseVi, openZoning, requestsOf, zoneInView } from './support/zoning-page';

/**
 * A commune downloaded for use with no signal (issue 14, point 5), in a build with its service
 * worker: the size is shown first, then a progress bar; with the device offline (airplane mode) the
 * page still opens, a tap on the map reads the zoning of the downloaded ward and a parcel is found by
 * sheet and number, the base map drawn from the stored tiles. A download cut halfway keeps what
 * arrived and resumes with the rest only; a downloaded ward can be deleted.
 */

const area = (page: import('@playwright/test').Page) => page.locator(`[data-testid="offline-area"][data-code="${LAM_VIEN}"]`);

test('download the demo ward with its progress bar, then in airplane mode tap a point and find a parcel', async ({ page, context }) => {
	const urls = requestsOf(page);
	await openZoning(page);
	await waitForServiceWorker(page);

	// Slowed a little, so the bar is seen moving as on a weak link.
	await page.route('**/api/tiles/**', async (r) => {
		await new Promise((res) => setTimeout(res, 15));
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
	await page.unroute('**/api/tiles/**');

	// Airplane mode: the page comes from the service worker, the look-ups from the download.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('zoning-offline')).toContainText('Phường Lâm Viên');
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready');
	// The base map is drawn from the stored tiles.
	await expect.poll(() => page.locator('[data-testid="map"] img.leaflet-tile-loaded[src^="blob:"]').count()).toBeGreaterThan(0);

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

	for (const u of urls.filter((u) => /^(https?|wss?):/.test(u))) expect(new URL(u).hostname, u).toBe('127.0.0.1');
});

test('a download cut halfway keeps what arrived, resumes with the rest only, and a downloaded ward can be deleted', async ({ page }) => {
	await openZoning(page);
	let served = 0;
	let cut = true;
	await page.route('**/api/tiles/**', async (r) => {
		if (cut && ++served > 120) return r.abort('internetdisconnected');
		await r.continue();
	});
	await area(page).getByTestId('area-download').click();
	await area(page).getByTestId('area-confirm').click();
	await expect(area(page).getByTestId('area-failure')).toContainText('Phần đã tải vẫn giữ trong máy');
	await expect(area(page)).toHaveAttribute('data-state', 'partial');
	await expect(area(page).getByTestId('area-state')).toContainText('Tải dở');

	// The link is back: the rest only.
	cut = false;
	let resumed = 0;
	await page.unroute('**/api/tiles/**');
	page.on('request', (r) => void (/\/api\/tiles\//.test(r.url()) && resumed++));
	await area(page).getByTestId('area-download').click();
	await expect(area(page).getByTestId('area-size')).toContainText(/Còn [\d,]+ MB cần tải/);
	await area(page).getByTestId('area-confirm').click();
	await expect(area(page)).toHaveAttribute('data-state', 'complete', { timeout: 30_000 });
	const manifest = await (await page.request.get(`/api/offline-areas/${LAM_VIEN}`)).json();
	expect(resumed).toBeGreaterThan(0);
	// At most the tiles that did not arrive (a few in flight when the link dropped may come twice).
	expect(resumed).toBeLessThanOrEqual(manifest.tiles.length - 120 + 8);

	// Up to date: nothing to fetch.
	await area(page).getByTestId('area-download').click();
	await expect(area(page).getByTestId('area-notice')).toContainText('mới nhất');

	await area(page).getByTestId('area-delete').click();
	await area(page).getByTestId('area-delete-confirm').click();
	await expect(area(page)).toHaveAttribute('data-state', 'none');
	await expect(area(page).getByTestId('area-notice')).toContainText('Đã xoá');
});
