import { expect, test } from './fixtures';
import {
	fileReport,
	loginHandler,
	newLocalContext,
	outboxItem,
	photo,
	primeForOffline,
	waitForServiceWorker,
	XUAN_HUONG_POINT
} from './support/resident';

/**
 * The whole round trip through the UI, two devices and the real server: a resident files a report;
 * a handler in the field, offline, resolves it with a result photo; back online, the resident sees
 * the result and its photo on /my without reloading and rates it "not satisfied"; the report comes
 * back to the handler's inbox as reopened, again without a reload.
 */

/** The report form's GPS point lies in Xuân Hương ward; "Môi trường" routes to the ward committee. */
const HANDLER = 'ubnd-xuan-huong';

test.use({ permissions: ['geolocation'], geolocation: XUAN_HUONG_POINT });

test('resolved offline with a photo, seen live by the resident, rated "not satisfied", back in the handler’s inbox', async ({
	page,
	browser,
	server
}) => {
	test.setTimeout(180_000);
	const description = `Rác tồn đọng chân dốc Nhà Làng ${Date.now()}`;

	// The resident files (with a name and phone that stay private) and opens "my reports".
	await primeForOffline(page);
	await fileReport(page, { category: 'Môi trường', description, photos: [photo('path.jpg')], name: 'Trần Thị Bích', phone: '0912 345 678' });
	await expect(outboxItem(page, description)).toHaveAttribute('data-state', 'delivered', { timeout: 45_000 });
	const trackingCode = (await outboxItem(page, description).getByTestId('tracking-code').textContent())?.trim() ?? '';
	await page.goto('/my');
	const card = page.getByTestId('my-report').filter({ hasText: trackingCode });
	await expect(card).toBeVisible({ timeout: 20_000 });
	await card.getByRole('button', { expanded: false }).click();
	const body = card.getByTestId('my-report-body');

	// The handler, on their own device, opens it with signal, then loses it.
	const officeContext = await newLocalContext(browser, server.url);
	const office = await officeContext.newPage();
	await loginHandler(office, HANDLER);
	await waitForServiceWorker(office);
	const item = office.locator(`[data-testid=inbox-item][data-tracking-code="${trackingCode}"]`);
	await expect(item).toBeVisible({ timeout: 20_000 });
	await item.getByRole('button').click();
	const detail = office.getByTestId('report-detail');
	await expect(detail).toContainText('Trần Thị Bích');
	await expect(office.locator('[data-testid=timeline-event][data-type=seen]')).not.toHaveAttribute('data-pending', 'true', {
		timeout: 20_000
	});

	await officeContext.setOffline(true);
	await office.getByTestId('action-resolve').click();
	const form = office.getByTestId('step-form');
	await form.getByTestId('step-note').fill('Đã thu gom rác và rửa mặt đường');
	await form.getByTestId('step-photo-input').setInputFiles(photo('colorful-cups.jpg'));
	await expect(form.getByTestId('step-form-photo')).toHaveCount(1, { timeout: 30_000 });
	await form.getByTestId('step-send').click();
	const resolvedHere = office.locator('[data-testid=timeline-event][data-type=resolved]');
	await expect(resolvedHere).toHaveAttribute('data-pending', 'true');
	// Offline, nothing reached the resident.
	await expect(card).not.toHaveAttribute('data-status', 'resolved');

	await officeContext.setOffline(false);
	await expect(resolvedHere).not.toHaveAttribute('data-pending', 'true', { timeout: 30_000 });

	// The resident's page follows without a reload: status, result note and the result photo.
	await expect(card).toHaveAttribute('data-status', 'resolved', { timeout: 30_000 });
	const result = body.locator('[data-testid=timeline-event][data-type=resolved]');
	await expect(result).toContainText('Đã thu gom rác và rửa mặt đường');
	await expect(result.locator('img')).toBeVisible({ timeout: 30_000 });

	// Back in the inbox, the handler sees the report resolved (closed reports leave the default view:
	// the status filter shows them)...
	await office.getByRole('button', { name: /Quay lại/ }).first().click();
	await expect(item).toHaveCount(0);
	await office.getByLabel('Trạng thái').selectOption('all');
	await expect(item).toHaveAttribute('data-status', 'resolved', { timeout: 20_000 });

	// ...until the resident says it is not.
	const rating = body.getByTestId('rating-form');
	await rating.getByRole('button', { name: /Chưa hài lòng/ }).click();
	await rating.getByLabel('Vì sao bạn chưa hài lòng?').fill('Chiều nay lại có người đổ rác tiếp.');
	await rating.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(card).toHaveAttribute('data-status', 'reopened', { timeout: 30_000 });
	await expect(item).toHaveAttribute('data-status', 'reopened', { timeout: 30_000 });
	await item.getByRole('button').click();
	await expect(office.locator('[data-testid=timeline-event][data-type=feedback]')).toContainText('Chiều nay lại có người đổ rác tiếp.');
	await officeContext.close();
});
