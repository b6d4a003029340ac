import { expect, test } from './fixtures';
import { fileReport, loginHandler, newLocalContext, outboxItem, photo, primeForOffline, XUAN_HUONG_POINT } from './support/resident';

/**
 * A resident changes their mind about a report whose photo is still uploading. "Xóa" used to drop
 * the row and its photos from the phone while the report stayed with the units, its photo broken.
 * Now the outbox offers no delete for it but a withdrawal: the resident gives a reason, the photo
 * still arrives, and the handler sees the report withdrawn, with the reason and the photo.
 */

/** The GPS point lies in Xuân Hương ward; "Môi trường" routes to its committee. */
const HANDLER = 'ubnd-xuan-huong';
const REASON = 'Hàng xóm đã tự dọn sạch, không cần xử lý nữa';

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

test('a report withdrawn while its photo uploads: the photo still arrives, the handler sees it withdrawn with the reason', async ({
	page,
	browser,
	server
}) => {
	test.setTimeout(150_000);
	const description = `Rác đổ trộm dốc Prenn ${Date.now()}`;
	await primeForOffline(page);

	// The report goes through, its photo does not (a weak link drops every upload for now).
	const uploads = '**/api/media/uploads**';
	await page.context().route(uploads, (route) => route.abort('connectionreset'));
	await fileReport(page, { category: 'Môi trường', description, photos: [photo('path.jpg')] });
	const item = outboxItem(page, description);
	await expect(item.getByTestId('tracking-code')).toBeVisible({ timeout: 45_000 });
	await expect(item).not.toHaveAttribute('data-state', 'delivered');
	const trackingCode = (await item.getByTestId('tracking-code').textContent())?.trim().replace(/^.*?:\s*/, '') ?? '';
	expect(trackingCode).toMatch(/^LD-/);

	// Nothing offers to delete a report the units already have.
	await expect(item.getByTestId('remove')).toHaveCount(0);
	await item.getByTestId('withdraw').click();
	const dialog = item.getByTestId('withdraw-dialog');
	await expect(dialog).toContainText('Các đơn vị sẽ thấy bạn đã rút phản ánh');
	await expect(dialog).toContainText('Ảnh đã gửi vẫn ở lại với phản ánh');
	await dialog.getByLabel(/Lý do/).fill(REASON);
	await dialog.getByRole('button', { name: 'Rút phản ánh' }).click();
	await expect(item.getByTestId('withdrawal-state')).toHaveText('Bạn đã rút phản ánh này. Các đơn vị đã được báo.', { timeout: 30_000 });

	// The link gets better: the photo is finished, not dropped.
	await page.context().unroute(uploads);
	// The sender retries by itself; a tap (when offered) only hurries it.
	const retry = item.getByRole('button', { name: 'Thử gửi lại ngay' });
	if (await retry.isVisible()) await retry.click();
	await expect(item).toHaveAttribute('data-state', 'delivered', { timeout: 60_000 });

	// The handler: marked withdrawn in the inbox, the reason in its timeline, the photo shows.
	const officeContext = await newLocalContext(browser, server.url);
	const office = await officeContext.newPage();
	await loginHandler(office, HANDLER);
	// Withdrawn, it is closed: out of the default view; the status filter shows closed reports.
	await expect(office.getByTestId('desk-closed-hidden')).toBeVisible({ timeout: 20_000 });
	await office.getByLabel('Trạng thái').selectOption('closed');
	const row = office.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`);
	await expect(row).toHaveAttribute('data-status', 'withdrawn', { timeout: 20_000 });
	await expect(row).toContainText('Người phản ánh đã rút');
	await row.getByRole('button').click();
	const detail = office.getByTestId('report-detail');
	await expect(detail.getByTestId('detail-status')).toHaveAttribute('data-status', 'withdrawn');
	const withdrawn = office.locator('[data-testid=timeline-event][data-type=withdrawn]');
	await expect(withdrawn).toContainText('Người phản ánh đã rút phản ánh');
	await expect(withdrawn).toContainText(REASON);
	const img = detail.getByTestId('photo-thumb').first();
	await expect(img).toBeVisible({ timeout: 30_000 });
	await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
	// Nothing is left to do on it.
	await expect(office.getByTestId('no-actions')).toBeVisible();
	await officeContext.close();
});
