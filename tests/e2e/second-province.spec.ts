import { expect, test } from './fixtures';
import { fileReport, loginHandler, newLocalContext, outboxItem, photo, wardAt } from './support/resident';

/**
 * A second province from its folder alone: the same app, served with Đắk Lắk's tenant folder,
 * detects a ward of Buôn Ma Thuột from the resident's location, and the report reaches that ward's
 * committee with Đắk Lắk's tracking codes.
 */

const DAK_LAK_DIR = 'data/tenants/dak-lak';
/** Central Buôn Ma Thuột, inside Phường Buôn Ma Thuột (~3 km from its edges). */
const BUON_MA_THUOT_POINT = { latitude: 12.714, longitude: 108.0372 };

test.use({ tenantDir: DAK_LAK_DIR, permissions: ['geolocation'], geolocation: BUON_MA_THUOT_POINT });

test('the Đắk Lắk report form detects a Buôn Ma Thuột ward from the location and the ward committee receives it', async ({
	page,
	browser,
	baseURL
}) => {
	test.setTimeout(90_000);
	expect(wardAt(BUON_MA_THUOT_POINT, DAK_LAK_DIR)?.code, 'the GPS point lies in Phường Buôn Ma Thuột').toBe('24133');

	const wardContext = await newLocalContext(browser, baseURL!);
	try {
		const ward = await wardContext.newPage();
		await loginHandler(ward, 'ubnd-buon-ma-thuot');

		const description = `Đèn đường hỏng trên đường Lê Duẩn ${Date.now()}`;
		await fileReport(page, { category: 'Hạ tầng đô thị', description, photos: [photo('path.jpg')], ward: 'Phường Buôn Ma Thuột' });
		const item = outboxItem(page, description);
		await expect(item).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
		const trackingCode = (await item.getByTestId('tracking-code').textContent())?.trim() ?? '';
		expect(trackingCode).toMatch(/^DLK-\d{6}-[A-Z0-9]+$/);

		await expect(ward.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`)).toBeVisible({ timeout: 20_000 });
	} finally {
		await wardContext.close();
	}
});
