import { expect, tenantURL, test } from './fixtures';
import { fileReport, loginHandler, newLocalContext, outboxItem, photo } from './support/resident';

/**
 * Two provinces on one server (TENANTS), each at its own host: the same built app, opened at Đắk Lắk's
 * host, is Đắk Lắk's — its wards, its tracking codes, its ward committee — while Lâm Đồng's leader,
 * at Lâm Đồng's host, never sees the report. An address that serves no province says so.
 */

const LAM_DONG_DIR = 'data/tenants/lam-dong';
const DAK_LAK_DIR = 'data/tenants/dak-lak';
/** Central Buôn Ma Thuột, inside Phường Buôn Ma Thuột (~3 km from its edges). */
const BUON_MA_THUOT_POINT = { latitude: 12.714, longitude: 108.0372 };

test.use({ tenantDir: [LAM_DONG_DIR, DAK_LAK_DIR] });

test('a report filed at Đắk Lắk’s address reaches Đắk Lắk’s ward committee and not Lâm Đồng’s leader', async ({ browser, server, page }) => {
	test.setTimeout(120_000);
	const dakLak = tenantURL(server, 'dak-lak');
	const residentContext = await newLocalContext(browser, dakLak, { permissions: ['geolocation'], geolocation: BUON_MA_THUOT_POINT });
	const wardContext = await newLocalContext(browser, dakLak);
	try {
		// `page` is at Lâm Đồng's host (the first province): its leader, who sees every report of Lâm Đồng.
		await loginHandler(page, 'lanhdao');
		const ward = await wardContext.newPage();
		await loginHandler(ward, 'ubnd-buon-ma-thuot');

		const resident = await residentContext.newPage();
		const description = `Vỉa hè bị lấn chiếm đường Phan Bội Châu ${Date.now()}`;
		await fileReport(resident, { category: 'Hạ tầng đô thị', description, photos: [photo('path.jpg')], ward: 'Phường Buôn Ma Thuột' });
		const item = outboxItem(resident, description);
		await expect(item).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
		const trackingCode = (await item.getByTestId('tracking-code').textContent())?.trim() ?? '';
		expect(trackingCode).toMatch(/^DLK-/);

		await expect(ward.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`)).toBeVisible({ timeout: 20_000 });
		// Lâm Đồng's leader: the inbox is live (the stream is open), and the report never arrives.
		await page.reload();
		await expect(page.getByTestId('logout')).toBeVisible({ timeout: 20_000 });
		await page.waitForTimeout(2_000);
		await expect(page.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`)).toHaveCount(0);
		await expect(page.getByText(description)).toHaveCount(0);
	} finally {
		await residentContext.close();
		await wardContext.close();
	}
});

test('an address that serves no province says so, in Vietnamese and English', async ({ page, server }) => {
	// 127.0.0.1 is neither province's host on a several-province server.
	const res = await page.goto(`${server.url}/report`);
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: /Không tìm thấy tỉnh, thành/ })).toBeVisible();
	await expect(page.getByText('No province is served at this address')).toBeVisible();
});
