import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BoundaryCollection } from '../../src/lib/domain/geo';
import type { Report } from '../../src/lib/domain/report';
import { featureCentre } from '../../src/lib/map/map-view';
import type { Page } from '@playwright/test';
import { expect, test, type E2EServer } from './fixtures';
import { XUAN_HUONG_CODE, XUAN_HUONG_POINT, outboxItem, wardAt } from './support/resident';

/**
 * A resident whose phone gives no position picks the place on the map: the map opens at the
 * province's centre, the pin is dragged with the mouse into Phường Lâm Viên, the form says Lâm Viên
 * and the report reaches the server with the pin's coordinates. The base map comes from our own
 * server (the demo tenant's tiles): no request leaves this machine.
 */

// No geolocation permission: "Dùng vị trí của tôi" would be refused; the map is the way.
test.use({ permissions: [] });

const LAM_VIEN_CODE = '24778';
const boundaries = JSON.parse(readFileSync(path.resolve('data/tenants/lam-dong/boundaries.geojson'), 'utf8')) as BoundaryCollection;
const tenant = JSON.parse(readFileSync(path.resolve('data/tenants/lam-dong/tenant.json'), 'utf8')) as { center: { lat: number; lng: number; zoom: number } };

/** Web Mercator world pixels (256 px tiles) at zoom z: what Leaflet draws with. */
function worldPx(lat: number, lng: number, z: number): { x: number; y: number } {
	const n = 256 * 2 ** z;
	const s = Math.sin((lat * Math.PI) / 180);
	return { x: ((lng + 180) / 360) * n, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n };
}

async function storedReports(server: E2EServer): Promise<Report[]> {
	const page = await server.handle.storage.store<Report & { _id: string }>('reports').changes({ since: null, limit: 1_000, includeDocs: true });
	return page.results.filter((c) => !c.deleted && c.doc).map((c) => c.doc!);
}

/** The location of the draft stored on the device (IndexedDB, as the form saved it). */
function draftLocationOf(page: Page) {
	return () =>
		page.evaluate(async () => {
			const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.startsWith('cau-noi-local'));
			if (!name) return null;
			return new Promise<unknown>((resolve) => {
				const open = indexedDB.open(name);
				open.onsuccess = () => {
					const all = open.result.transaction('drafts').objectStore('drafts').getAll();
					all.onsuccess = () => resolve((all.result as { location?: unknown }[])[0]?.location ?? null);
				};
				open.onerror = () => resolve(null);
			});
		});
}

test('without GPS, dragging the pin on the map into Lâm Viên sets the ward and sends those coordinates', async ({ page, server }) => {
	test.setTimeout(90_000);
	const start = tenant.center;
	expect(wardAt({ latitude: start.lat, longitude: start.lng })?.code, 'the map opens in Xuân Hương').toBe(XUAN_HUONG_CODE);
	expect(start).toMatchObject({ lat: XUAN_HUONG_POINT.latitude, lng: XUAN_HUONG_POINT.longitude });
	const target = featureCentre(boundaries.features.find((f) => f.properties.code === LAM_VIEN_CODE)!)!;
	expect(wardAt({ latitude: target.lat, longitude: target.lng })?.code, 'the target lies in Lâm Viên').toBe(LAM_VIEN_CODE);

	const draftLocation = draftLocationOf(page);
	const requests: string[] = [];
	page.on('request', (r) => requests.push(r.url()));

	await page.goto('/report');
	const form = page.getByTestId('report-form');
	await expect(form).toBeVisible();
	await page.getByRole('radio', { name: 'Môi trường', exact: true }).check();
	const description = `Cây đổ chắn đường ở Lâm Viên ${Date.now()}`;
	await page.getByLabel('Mô tả').fill(description);

	await page.getByRole('button', { name: 'Chọn trên bản đồ' }).click();
	const map = page.getByTestId('map');
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready');
	// The base map's tiles come from our server and draw.
	const tile = map.locator('img.leaflet-tile-loaded').first();
	await expect(tile).toBeVisible({ timeout: 15_000 });
	expect(await tile.getAttribute('src')).toContain('/api/tiles/13/');
	await expect(page.getByTestId('no-base-map')).toHaveCount(0);

	// Drag the pin (by mouse) from the centre to the target: Leaflet moves it as far as the mouse moves.
	// The map in the middle of the screen: the drag (about 220 px up) stays within the window.
	await map.evaluate((el) => el.scrollIntoView({ block: 'center' }));
	const pin = map.locator('.map-pin');
	const box = (await pin.boundingBox())!;
	const from = worldPx(start.lat, start.lng, start.zoom);
	const to = worldPx(target.lat, target.lng, start.zoom);
	const grab = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
	await page.mouse.move(grab.x, grab.y);
	await page.mouse.down();
	// In steps, as a finger or a mouse moves: Leaflet starts a drag after a few pixels.
	await page.mouse.move(grab.x + (to.x - from.x), grab.y + (to.y - from.y), { steps: 20 });
	await page.mouse.up();

	await expect(page.getByTestId('detected-ward')).toContainText('Lâm Viên');
	await expect(page.getByTestId('location-source')).toContainText('Vị trí bạn chọn trên bản đồ');

	// The buttons for those who cannot drag: up moves the pin north, down brings it back.
	const coords = page.getByTestId('location-source').locator('small');
	const dragged = await coords.textContent();
	await page.getByRole('button', { name: 'Dời ghim lên trên (phía bắc)' }).click();
	await expect(coords).not.toHaveText(dragged!);
	const [latDragged, latNudged] = [dragged!, (await coords.textContent())!].map((t) => Number(/\(([\d.]+),/.exec(t)![1]));
	expect(latNudged).toBeGreaterThan(latDragged);
	await page.getByRole('button', { name: 'Dời ghim xuống dưới (phía nam)' }).click();
	await expect(coords).toHaveText(dragged!);
	await expect(page.getByTestId('detected-ward')).toContainText('Lâm Viên');

	// The draft keeps the picked place through a reload.
	await page.getByTestId('close-map').click();
	// Stored on the device a moment after the last move (the form saves as it changes).
	await expect.poll(draftLocation).toMatchObject({ source: 'map', lat: latDragged });
	await page.reload();
	await expect(page.getByTestId('location-source')).toContainText('Vị trí bạn chọn trên bản đồ');
	await expect(coords).toHaveText(dragged!);
	await expect(page.getByTestId('detected-ward')).toContainText('Lâm Viên');

	const send = page.getByRole('button', { name: 'Gửi', exact: true });
	await send.click();
	await expect(page).toHaveURL(/\/outbox$/, { timeout: 15_000 });
	await expect(outboxItem(page, description)).toHaveAttribute('data-state', 'delivered', { timeout: 30_000 });

	// On the server: the ward and the pin's place, within a few metres of the target (a pixel at zoom 13 is ~19 m).
	const report = (await storedReports(server)).find((r) => r.description === description);
	expect(report, 'the report reached the server').toBeTruthy();
	expect(report!.wardCode).toBe(LAM_VIEN_CODE);
	expect(report!.location.source).toBe('map');
	if (report!.location.source === 'ward') throw new Error('no coordinates');
	expect(Math.abs(report!.location.lat - target.lat)).toBeLessThan(0.0005);
	expect(Math.abs(report!.location.lng - target.lng)).toBeLessThan(0.0005);

	// Nothing left this machine (the fixtures block it; here it is checked that nothing was even tried).
	const outside = requests.filter((u) => !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u) && !u.startsWith('data:') && !u.startsWith('blob:'));
	expect(outside).toEqual([]);
});

test('with the base map unreachable, the map still opens on the chosen ward, outlined, and says the base map is missing', async ({ page }) => {
	// The tile server is cut off (offline, or blocked by a network): every tile fails.
	await page.route('**/api/tiles/**', (route) => route.abort('internetdisconnected'));
	await page.goto('/report');
	await expect(page.getByTestId('report-form')).toBeVisible();
	await page.getByRole('radio', { name: 'Môi trường', exact: true }).check();
	await page.getByTestId('open-ward-picker').click();
	await page.getByTestId('ward-search').fill('Lam Vien');
	await page.getByTestId('ward-picker').getByRole('option', { name: /Lâm Viên/ }).click();
	await expect(page.getByTestId('detected-ward')).toContainText('Lâm Viên');

	await page.getByRole('button', { name: 'Chọn trên bản đồ' }).click();
	await expect(page.getByTestId('map-view')).toHaveAttribute('data-state', 'ready');
	await expect(page.getByTestId('no-base-map')).toBeVisible({ timeout: 15_000 });
	// The ward's outline (from the boundaries on the device) and the pin are drawn all the same.
	await expect(page.getByTestId('map').locator('.leaflet-overlay-pane path')).toHaveCount(1);
	await expect(page.getByTestId('map').locator('.map-pin')).toBeVisible();
	// The pin opened at the ward's centre, so putting it there keeps the ward.
	await page.getByTestId('pin-to-centre').click();
	await expect(page.getByTestId('location-source')).toContainText('Vị trí bạn chọn trên bản đồ');
	await expect(page.getByTestId('detected-ward')).toContainText('Lâm Viên');
});
