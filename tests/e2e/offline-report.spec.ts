import { expect, test } from './fixtures';
import {
	XUAN_HUONG_CODE,
	XUAN_HUONG_POINT,
	fileReport,
	loginHandler,
	newLocalContext,
	outboxItem,
	photo,
	primeForOffline,
	wardAt
} from './support/resident';

/**
 * The core promise: a resident with no network files a report with photos; it survives a reload;
 * when the network returns it is delivered with a tracking code, and the officials it is routed to
 * see it arrive live — photos, name and phone — while other units never see it.
 */

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

test('a report filed offline survives a reload and reaches the routed handler live, with photos and contact', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	expect(wardAt(XUAN_HUONG_POINT)?.code, 'the GPS point lies in Xuân Hương ward').toBe(XUAN_HUONG_CODE);

	// Officials, each on their own device, logged in before the report exists. "environment" in
	// Xuân Hương goes to the ward's committee and to Natural Resources and Environment.
	const routedContext = await newLocalContext(browser, baseURL!);
	const otherContext = await newLocalContext(browser, baseURL!);
	try {
		const routed = await routedContext.newPage();
		const other = await otherContext.newPage();
		await loginHandler(routed, 'ubnd-xuan-huong');
		await loginHandler(other, 'ubnd-lam-vien');

		await primeForOffline(page);
		await context.setOffline(true);

		const description = `Rác đổ trộm bên hồ Xuân Hương ${test.info().repeatEachIndex}-${Date.now()}`;
		await fileReport(page, {
			category: 'Môi trường',
			description,
			photos: [photo('autumn.jpg'), photo('path.jpg')],
			name: 'Nguyễn Thị Lan',
			phone: '0912345678'
		});
		const item = outboxItem(page, description);
		await expect(item).toHaveAttribute('data-state', 'waiting');
		await expect(page.getByTestId('offline-banner')).toBeVisible();

		// A reload with no network (the service worker answers): the report is still queued.
		await page.reload();
		await expect(page.getByRole('heading', { level: 1, name: 'Hộp thư đi' })).toBeVisible();
		await expect(item).toHaveAttribute('data-state', 'waiting');
		await expect(item.getByTestId('tracking-code')).toHaveCount(0);

		await context.setOffline(false);
		await expect(item).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
		const trackingCode = (await item.getByTestId('tracking-code').textContent())?.trim() ?? '';
		expect(trackingCode).toMatch(/^LD-\d{6}-[A-Z0-9]+$/);

		// The routed official's inbox updates by itself (no reload).
		const inboxItem = routed.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`);
		await expect(inboxItem).toBeVisible({ timeout: 20_000 });
		// The list shows the first photo, even if the report reached the inbox before its photos did.
		const listThumb = inboxItem.locator('img[data-testid=photo-thumb]');
		await expect(listThumb).toBeVisible({ timeout: 30_000 });
		await expect.poll(() => listThumb.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
		await inboxItem.getByRole('button').click();
		const detail = routed.getByTestId('report-detail');
		await expect(detail).toBeVisible();
		await expect(detail.getByTestId('detail-tracking-code')).toHaveText(trackingCode);
		await expect(detail).toContainText(description);
		await expect(detail.getByTestId('detail-contact')).toContainText('Nguyễn Thị Lan');
		await expect(detail.getByTestId('detail-contact')).toContainText('0912345678');

		// Both photos shown as images that actually decoded (not a placeholder, not a broken image).
		const thumbs = detail.locator('img[data-testid=photo-thumb]');
		await expect(thumbs).toHaveCount(2, { timeout: 30_000 });
		for (const img of await thumbs.all()) {
			await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
		}

		// Lâm Viên's committee has nothing to do with it: it never reaches their inbox, live or after a fresh sync.
		await expect(other.getByTestId('inbox-item')).toHaveCount(0);
		await other.reload();
		await expect(other.getByTestId('logout')).toBeVisible();
		await expect(other.getByTestId('inbox-empty')).toBeVisible();
		await expect(other.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`)).toHaveCount(0);
	} finally {
		await routedContext.close();
		await otherContext.close();
	}
});
