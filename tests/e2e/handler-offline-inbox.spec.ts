import { expect, test } from './fixtures';
import { fileReportViaApi } from './support/api';
import { loginHandler, waitForServiceWorker } from './support/resident';

/**
 * A handler with no signal accepts a report: the inbox list shows it taken up at once (the step is
 * only on the device), and the header says the inbox is offline, never "syncing".
 */

/** Lâm Viên ward, category "environment": the ward committee receives it. */
const WARD = 'ubnd-lam-vien';

test('offline, an accepted report leaves "assigned" in the list at once, and the header says offline', async ({ page, context, request }) => {
	test.setTimeout(90_000);
	const report = await fileReportViaApi(request, { description: `Đèn đường hỏng ${Date.now()}` });
	await loginHandler(page, WARD);
	await waitForServiceWorker(page);
	const item = page.locator(`[data-testid=inbox-item][data-tracking-code="${report.trackingCode}"]`);
	await expect(item).toHaveAttribute('data-status', 'assigned', { timeout: 20_000 });
	await item.getByRole('button').click();
	const seen = page.locator('[data-testid=timeline-event][data-type=seen]');
	await expect(seen).not.toHaveAttribute('data-pending', 'true', { timeout: 20_000 });

	await context.setOffline(true);
	await page.getByTestId('action-accept').click();
	await expect(page.locator('[data-testid=timeline-event][data-type=accepted]')).toHaveAttribute('data-pending', 'true');
	await page.goBack();
	await expect(item).toHaveAttribute('data-status', 'in_progress');
	await expect(item).toContainText('Đang xử lý');
	await expect(page.getByText('Đang ngoại tuyến — thao tác sẽ được gửi khi có mạng')).toBeVisible();
	await expect(page.getByText('Đang đồng bộ…')).toHaveCount(0);

	await context.setOffline(false);
	await expect(page.getByText(/Đang ngoại tuyến/)).toHaveCount(0, { timeout: 20_000 });
	await expect(item).toHaveAttribute('data-status', 'in_progress');
});
