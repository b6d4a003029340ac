import { expect, test } from './fixtures';
import { fileReport, loginHandler, newLocalContext, outboxItem, photo } from './support/resident';

/**
 * Several provinces under paths of one host, where a host name per province is not possible: the
 * build made for `/dak-lak` (BASE_PATH, served from STATIC_DIR/dak-lak) is Đắk Lắk's app — its service
 * worker, its local data and its API calls all under /dak-lak/ — and a report filed there reaches
 * Đắk Lắk's ward committee.
 */

const BUON_MA_THUOT_POINT = { latitude: 12.714, longitude: 108.0372 };

test.use({ tenantDir: ['data/tenants/lam-dong', 'data/tenants/dak-lak'] });

test('Đắk Lắk under /dak-lak/: the report form, its service worker and the ward committee’s inbox', async ({ browser, server }) => {
	test.setTimeout(120_000);
	const base = `${server.url}/dak-lak`;
	const residentContext = await newLocalContext(browser, base, { permissions: ['geolocation'], geolocation: BUON_MA_THUOT_POINT });
	const wardContext = await newLocalContext(browser, base);
	try {
		const outside: string[] = [];
		residentContext.on('request', (r) => {
			const p = new URL(r.url()).pathname;
			if (!p.startsWith('/dak-lak/')) outside.push(p);
		});
		const ward = await wardContext.newPage();
		await loginHandler(ward, 'ubnd-buon-ma-thuot', '/dak-lak');

		const resident = await residentContext.newPage();
		const description = `Cây đổ chắn đường Nguyễn Tất Thành ${Date.now()}`;
		await fileReport(resident, { category: 'Hạ tầng đô thị', description, photos: [photo('path.jpg')], ward: 'Phường Buôn Ma Thuột', base: '/dak-lak' });
		const item = outboxItem(resident, description);
		await expect(item).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
		const trackingCode = (await item.getByTestId('tracking-code').textContent())?.trim() ?? '';
		expect(trackingCode).toMatch(/^DLK-/);
		await expect(ward.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`)).toBeVisible({ timeout: 20_000 });

		const scope = await resident.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
		expect(scope).toBe(`${base}/`);
		expect(outside, 'every request of the app stays under its path').toEqual([]);
	} finally {
		await residentContext.close();
		await wardContext.close();
	}
});
