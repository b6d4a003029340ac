import { zoneAt } from '../../src/lib/domain/zoning';
import { featureCentre } from '../../src/lib/map/map-view';
import { expect, test } from './fixtures';
import { addressTarget, LAM_VIEN, landUseVi, openZoning, plan, requestsOf, zoneInView } from './support/zoning-page';

/**
 * The zoning look-up (/zoning) on the demo tenant's plan of Phường Lâm Viên: a tap on the map answers
 * with the zone's land use; a parcel found by ward, sheet and number answers the same way; a number
 * that does not exist is said plainly and what was typed stays; the plan is labelled demo data.
 * Base map, plan and answers come from our own server: no request leaves this machine.
 */

test('a tap inside a demo zone shows its land use and the plan, labelled as demo data', async ({ page }) => {
	const urls = requestsOf(page);
	await openZoning(page);
	// A zone of the demo plan whose inner point is on screen where the map opens, and the zone the server will find there.
	const target = await zoneInView(page);
	await page.mouse.click(target!.x, target!.y);
	const answer = page.getByTestId('zoning-answer');
	await expect(answer.getByTestId('zoning-land-use').first()).toContainText(target!.code);
	await expect(answer.getByTestId('zoning-land-use').first()).toContainText(landUseVi.get(target!.code)!);
	await expect(answer.getByTestId('zoning-plan')).toHaveText(plan.plan.nameVi);
	await expect(page.getByTestId('zoning-demo')).toBeVisible();
	await expect(page.getByTestId('zoning-demo')).toContainText('Dữ liệu minh họa');
	// Said in the live region, where a screen reader reads it.
	await expect(page.getByTestId('zoning-result')).toHaveAttribute('aria-live', 'polite');
	// The zone is outlined on the map.
	await expect(page.locator('[data-testid="map"] path.leaflet-interactive, [data-testid="map"] svg path').first()).toBeAttached();

	// Where no plan covers the map (the province's centre, outside the demo ward): said plainly.
	const centre = (await page.getByTestId('map-view').getAttribute('data-view'))!.split(',').map(Number);
	const far = plan.zones.length && zoneAt(plan.zones, centre[0], centre[1]);
	expect(far, 'the map opens outside the demo plan').toBeNull();
	const box = (await page.getByTestId('map').boundingBox())!;
	await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	await expect(page.getByTestId('zoning-failure')).toContainText('Không có quy hoạch ở điểm này');
	await expect(page.getByTestId('zoning-answer')).toHaveCount(0);

	for (const u of urls.filter((u) => /^(https?|wss?):/.test(u))) expect(new URL(u).hostname, u).toBe('127.0.0.1');
});

test('finding parcel sheet 1 number 1 in Lâm Viên shows it; an unknown number is said plainly and keeps what was typed', async ({ page }) => {
	const urls = requestsOf(page);
	await openZoning(page);
	const parcel = plan.parcels.find((p) => p.wardCode === LAM_VIEN && p.sheet === 1 && p.number === 1)!;
	const zone = zoneAt(plan.zones, ...((c) => [c!.lat, c!.lng] as const)(featureCentre({ type: 'Feature', properties: { code: 'p', name: '' }, geometry: parcel.geometry })))!;

	// Only the wards the plan has parcels in are offered (the demo: Lâm Viên alone, not the province's 124).
	await expect(page.getByLabel('Phường/xã', { exact: true }).locator('option')).toHaveText(['Phường Lâm Viên - Đà Lạt']);
	await page.getByLabel('Phường/xã', { exact: true }).selectOption(LAM_VIEN);
	await page.getByLabel('Số tờ', { exact: true }).fill('1');
	await page.getByLabel('Số thửa', { exact: true }).fill('1');
	await page.getByTestId('parcel-find').click();
	const answer = page.getByTestId('zoning-answer');
	await expect(answer.getByTestId('zoning-parcel')).toContainText('Tờ 1, thửa 1');
	await expect(answer.getByTestId('zoning-parcel')).toContainText(`${parcel.areaM2.toLocaleString('vi-VN')} m²`);
	await expect(answer.getByTestId('zoning-land-use').first()).toContainText(zone.landUseCode);
	await expect(page.getByTestId('zoning-demo')).toBeVisible();
	// The map moved to the parcel: its centre is now within the parcel's few dozen metres.
	await expect
		.poll(async () => {
			const [lat, lng] = (await page.getByTestId('map-view').getAttribute('data-view'))!.split(',').map(Number);
			const [plng, plat] = parcel.geometry.type === 'Polygon' ? parcel.geometry.coordinates[0][0] : parcel.geometry.coordinates[0][0][0];
			return Math.hypot(lat - plat, lng - plng) < 0.002;
		})
		.toBe(true);

	// A parcel number the ward does not have.
	await page.getByLabel('Số thửa', { exact: true }).fill('99999');
	await page.getByTestId('parcel-find').click();
	await expect(page.getByTestId('zoning-failure')).toContainText('Không tìm thấy thửa đất');
	await expect(page.getByTestId('zoning-answer')).toHaveCount(0);
	await expect(page.getByLabel('Số tờ', { exact: true })).toHaveValue('1');
	await expect(page.getByLabel('Số thửa', { exact: true })).toHaveValue('99999');
	await expect(page.getByLabel('Phường/xã', { exact: true })).toHaveValue(LAM_VIEN);

	for (const u of urls.filter((u) => /^(https?|wss?):/.test(u))) expect(new URL(u).hostname, u).toBe('127.0.0.1');
});

test('finding a parcel by its address typed without accents: a short list, the one chosen shown as by sheet and number', async ({ page }) => {
	const urls = requestsOf(page);
	await openZoning(page);
	const { parcel, fragment } = addressTarget();
	expect(fragment).toMatch(/^so \d+, to dan pho \d+$/);
	const input = page.getByLabel('Hoặc tìm theo địa chỉ', { exact: true });

	// Typed as on a phone without Vietnamese input: the parcel is offered, with its sheet and number.
	await input.pressSequentially(fragment, { delay: 20 });
	const hits = page.getByTestId('address-hit');
	await expect(hits.first()).toContainText(parcel.address!);
	await expect(hits.first()).toContainText(`Tờ ${parcel.sheet}, thửa ${parcel.number}`);
	await expect(page.getByTestId('address-status')).toHaveText(/Có \d+ thửa đất khớp|thửa đất khớp nhất/);
	await expect(page.getByTestId('address-status')).toHaveAttribute('aria-live', 'polite');

	// Chosen with the keyboard: its answer exactly as the sheet/number search gives it, the fields filled.
	await input.press('ArrowDown');
	await expect(hits.first()).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('zoning-answer').getByTestId('zoning-parcel')).toContainText(`Tờ ${parcel.sheet}, thửa ${parcel.number}`);
	await expect(page.getByTestId('zoning-answer').getByTestId('zoning-parcel')).toContainText(parcel.address!);
	await expect(page.getByLabel('Số tờ', { exact: true })).toHaveValue(String(parcel.sheet));
	await expect(page.getByLabel('Số thửa', { exact: true })).toHaveValue(String(parcel.number));
	await expect(page.getByTestId('zoning-demo')).toBeVisible();

	// An address the ward does not have: said plainly, in the live region, and no list.
	await input.fill('so 99999 to dan pho 1');
	await expect(page.getByTestId('address-status')).toHaveText('Không thấy địa chỉ này');
	await expect(hits).toHaveCount(0);

	for (const u of urls.filter((u) => /^(https?|wss?):/.test(u))) expect(new URL(u).hostname, u).toBe('127.0.0.1');
});

test('offline, the page says the look-up needs the network and keeps what was typed', async ({ page, context }) => {
	await openZoning(page);
	await page.getByLabel('Phường/xã', { exact: true }).selectOption(LAM_VIEN);
	await context.setOffline(true);
	await expect(page.getByTestId('zoning-offline')).toBeVisible();
	await page.getByLabel('Số tờ', { exact: true }).fill('1');
	await page.getByLabel('Số thửa', { exact: true }).fill('1');
	await page.getByTestId('parcel-find').click();
	await expect(page.getByTestId('zoning-failure')).toContainText('cần mạng');
	// By address too: nothing downloaded, so it says the network is needed.
	await page.getByLabel('Hoặc tìm theo địa chỉ', { exact: true }).fill(addressTarget().fragment);
	await expect(page.getByTestId('address-status')).toContainText('cần mạng');
	await expect(page.getByLabel('Số tờ', { exact: true })).toHaveValue('1');
	await expect(page.getByLabel('Số thửa', { exact: true })).toHaveValue('1');
	await context.setOffline(false);
	await page.getByTestId('parcel-find').click();
	await expect(page.getByTestId('zoning-parcel')).toContainText('Tờ 1, thửa 1');
});

test.describe('before the app has started', () => {
	test.use({ javaScriptEnabled: false });
	test('the prerendered page shows what it is for, and its form waits for the app', async ({ page }) => {
		await page.goto('/zoning');
		await expect(page.getByRole('heading', { level: 1, name: 'Tra cứu quy hoạch' })).toBeVisible();
		await expect(page.getByText('số tờ và số thửa').first()).toBeVisible();
		await expect(page.getByLabel('Số tờ', { exact: true })).toBeDisabled();
		// The map's place shows the tenant's poster (its opening view) before any script runs.
		const poster = page.locator('img[src="/api/map/poster.png"]');
		await expect(poster).toBeVisible();
		await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(256);
	});
});
